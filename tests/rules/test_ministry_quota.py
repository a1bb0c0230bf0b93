"""`ministry_quota` pinned to the contract: `unit_kind` names the groups (default province), a
post with a matching role belongs to `anc(post unit, unit_kind)`, groups count whether or not
their posts are filled, complying groups >= min_share_of_units x groups (exact rationals).

Ministry-origin means `serves_at` is a ministry unit (M here).
"""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("M", "ministry"), unit("M2", "ministry", parent="M"),
         unit("P1", "province"), unit("D11", "district", parent="P1"),
         unit("C111", "commune", parent="D11"), unit("D12", "district", parent="P1"),
         unit("P2", "province"), unit("D21", "district", parent="P2"),
         unit("P3", "province")]


def mini(id, merit=20, at="M", **kw):
    """A ministry-origin candidate."""
    return cand(id, home="P3", serves_at=at, merit=merit, **kw)


def local(id, at, merit=90, **kw):
    return cand(id, home=at, serves_at=at, merit=merit, **kw)


# -- hard form -------------------------------------------------------------------------------

def test_hard_default_every_province_gets_a_ministry_director():
    posts = [post("P1-DIR", "P1", "director", priority=2), post("P2-DIR", "P2", "director")]
    cands = [mini("MA", 30), mini("MB", 20, at="M2"), local("LA", "P1"), local("LB", "P2", 80)]
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "ministry_quota", "roles": ["director"]}])
    result = optimal(scn)
    # both directors must be ministry-origin (M2, a child ministry, counts too);
    # MA on the priority-2 post: 2 x 30 + 20 = 80 (> 2 x 20 + 30 = 70)
    assert result.plan == {"P1-DIR": "MA", "P2-DIR": "MB"}
    assert result.objective == 80
    rep = result.check.rules[0]
    assert rep.violation == 0
    assert (rep.figures["groups"], rep.figures["complying_groups"]) == (2, 2)


def test_hard_infeasible_one_ministry_officer_two_groups():
    posts = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")]
    cands = [mini("MA"), local("LA", "P1"), local("LB", "P2")]
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "ministry_quota", "roles": ["director"]}])
    # leaving P2-DIR vacant does not help: an unfilled group still counts and fails
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_fractional_share_needs_ceiling():
    # 3 groups, min_share_of_units 0.5: 0.5 x 3 = 1.5 -> 2 complying groups
    posts = [post(f"{p}-DIR", p, "director", priority=i) for i, p in enumerate(("P1", "P2", "P3"), 1)]
    cands = [mini("MA", 10), mini("MB", 5), local("L1", "P1"), local("L2", "P2"), local("L3", "P3")]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "ministry_quota", "roles": ["director"], "min_share_of_units": 0.5}])
    result = optimal(scn)
    # the ministry officers take the two lowest-priority posts, MA (10) on priority 2:
    # 1 x 5 + 2 x 10 + 3 x 90 = 295
    assert result.plan["P3-DIR"] in ("L1", "L2", "L3")
    assert result.plan["P1-DIR"] == "MB" and result.plan["P2-DIR"] == "MA"
    assert result.objective == 295
    rep = result.check.rules[0]
    assert (rep.figures["groups"], rep.figures["complying_groups"], rep.violation) == (3, 2, 0)
    # with only one ministry officer it cannot be met
    scn = scenario(UNITS, posts, cands[:1] + cands[2:], rules=[
        {"rule": "ministry_quota", "roles": ["director"], "min_share_of_units": 0.5}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_min_per_unit_two():
    posts = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy_director"),
             post("P2-DIR", "P2", "director")]
    cands = [mini("MA", 30), mini("MB", 20), local("L1", "P1"), local("L2", "P2", 80)]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "ministry_quota", "roles": ["director", "deputy_director"], "min_per_unit": 2,
         "min_share_of_units": 0.5}])
    result = optimal(scn)
    # 2 groups, 0.5 x 2 = 1 complying group; only P1 has two posts: MA, MB there, L1 on P2
    assert result.plan["P2-DIR"] == "L1"
    assert {result.plan["P1-DIR"], result.plan["P1-DEP"]} == {"MA", "MB"}
    assert result.objective == 30 + 20 + 90
    rep = result.check.rules[0]
    assert rep.figures["complying_groups"] == 1 and rep.violation == 0


# -- the checker: groups, filters, unfilled groups ---------------------------------------------

POSTS = [post("P1-DIR", "P1", "director"), post("D11-DIR", "D11", "director"),
         post("P2-DIR", "P2", "director"), post("P3-DEP", "P3", "deputy"),
         post("M-DIR", "M", "director")]
CANDS = [mini("MA"), mini("MB"), local("L1", "P1"), local("L2", "P2")]


def test_checker_unfilled_group_counts():
    scn = scenario(UNITS, POSTS, CANDS)
    pol = policy([{"rule": "ministry_quota", "roles": ["director"]}])
    # groups: P1 (P1-DIR, D11-DIR) and P2; P3 has no director post; M-DIR has no province
    rep = check_plan(scn, {"P1-DIR": "MA"}, pol)
    assert rep.valid is False
    assert rep.rules[0].violation == 1
    assert rep.rules[0].figures["groups"] == 2
    assert rep.rules[0].figures["complying_groups"] == 1
    assert rep.rules[0].figures["groups_without_quota"] == ["P2"]
    assert any("1 of 2 groups comply" in v and "short by 1" in v for v in rep.violations)
    # a ministry officer anywhere in P1 (district post) makes P1 comply
    rep = check_plan(scn, {"D11-DIR": "MA", "P1-DIR": "L1", "P2-DIR": "MB", "M-DIR": "L2"}, pol)
    assert rep.valid is True and rep.rules[0].violation == 0
    # a local officer does not count
    rep = check_plan(scn, {"D11-DIR": "MA", "P2-DIR": "L2"}, pol)
    assert rep.valid is False and rep.rules[0].figures["groups_without_quota"] == ["P2"]


def test_checker_no_roles_means_every_post():
    scn = scenario(UNITS, POSTS, CANDS)
    pol = policy([{"rule": "ministry_quota"}])
    # without roles P3 (deputy post) is a group too: 3 groups
    rep = check_plan(scn, {"P1-DIR": "MA", "P2-DIR": "MB"}, pol)
    assert rep.rules[0].figures["groups"] == 3
    assert rep.rules[0].violation == 1 and rep.valid is False


@pytest.mark.parametrize("kind,groups", [
    ("district", {"D11"}),        # P1-DIR, P2-DIR have no district ancestor
    ("province", {"P1", "P2"}),
    ("ministry", {"M"}),          # unit_kind ministry: the ministry post's own group
])
def test_unit_kind_names_the_groups(kind, groups):
    scn = scenario(UNITS, POSTS, CANDS)
    pol = policy([{"rule": "ministry_quota", "roles": ["director"], "unit_kind": kind}])
    rep = check_plan(scn, {}, pol)   # nothing filled: every group fails
    assert rep.rules[0].figures["groups"] == len(groups)
    assert set(rep.rules[0].figures["groups_without_quota"]) == groups
    assert rep.rules[0].violation == len(groups)


def test_commune_post_belongs_to_its_district_group():
    posts = [post("C111-CH", "C111", "chief"), post("D12-CH", "D12", "chief")]
    scn = scenario(UNITS, posts, CANDS)
    pol = policy([{"rule": "ministry_quota", "unit_kind": "district"}])
    rep = check_plan(scn, {"C111-CH": "MA", "D12-CH": "L1"}, pol)
    assert rep.rules[0].figures["groups"] == 2
    assert rep.rules[0].figures["groups_without_quota"] == ["D12"]
    assert rep.rules[0].violation == 1


def test_exact_share_of_units():
    # 5 groups (provinces), share 0.2: exactly 1 complying group is enough
    units = [unit("M", "ministry")] + [unit(f"P{i}", "province") for i in range(5)]
    posts = [post(f"P{i}-DIR", f"P{i}", "director") for i in range(5)]
    cands = [mini("MA")] + [local(f"L{i}", f"P{i}") for i in range(5)]
    scn = scenario(units, posts, cands)
    pol = policy([{"rule": "ministry_quota", "min_share_of_units": 0.2}])
    one = {"P0-DIR": "MA", **{f"P{i}-DIR": f"L{i}" for i in range(1, 5)}}
    none = {f"P{i}-DIR": f"L{i}" for i in range(5)}
    assert check_plan(scn, one, pol).valid is True
    rep = check_plan(scn, none, pol)
    assert rep.valid is False and rep.rules[0].violation == 1
    # the solver fills all five, one with MA (0.2 x 5 = 1, not 2)
    result = optimal(scenario(units, posts, cands,
                              rules=[{"rule": "ministry_quota", "min_share_of_units": 0.2}]))
    assert sum(1 for c in result.plan.values() if c == "MA") == 1
    assert all(result.plan.values())
    assert result.objective == 4 * 90 + 20


def test_min_per_unit_zero_always_holds():
    scn = scenario(UNITS, POSTS, CANDS)
    rep = check_plan(scn, {}, policy([{"rule": "ministry_quota", "min_per_unit": 0}]))
    assert rep.valid is True and rep.rules[0].violation == 0


# -- soft form -------------------------------------------------------------------------------

@pytest.mark.parametrize("weight,chosen,objective,violation", [
    # L1 (90), L2 (80), M1 (10) for two director posts (either way round):
    # two locals -> 2 groups short; M1 with L1 -> 1 group short
    (30, {"L1", "L2"}, 170 - 2 * 30, 2),   # vs M1 + L1: 100 - 30 = 70
    (80, {"L1", "M1"}, 100 - 80, 1),       # vs locals: 170 - 160 = 10
])
def test_soft_per_group_short(weight, chosen, objective, violation):
    posts = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")]
    cands = [mini("M1", 10), local("L1", "P1", 90), local("L2", "P2", 80)]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "ministry_quota", "roles": ["director"], "hard": False, "weight": weight}])
    result = optimal(scn)
    assert set(result.plan.values()) == chosen
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation
    assert rep.figures["complying_groups"] == 2 - violation


def test_soft_fractional_share():
    # 3 groups, share 0.5 -> 2 needed. Only one ministry officer (merit 0): at best 1 complies,
    # short 1. Locals 90 each. M1 on any post: 2 x 90 + 0 - 40 = 140; locals only: 270 - 2 x 40 = 190.
    posts = [post(f"{p}-DIR", p, "director") for p in ("P1", "P2", "P3")]
    cands = [mini("M1", 0), local("L1", "P1"), local("L2", "P2"), local("L3", "P3")]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "ministry_quota", "min_share_of_units": 0.5, "hard": False, "weight": 40}])
    result = optimal(scn)
    assert result.objective == 190
    assert "M1" not in result.plan.values()
    rep = result.check.rules[0]
    assert rep.violation == 2 and rep.penalty == 80
    # weight 100: locals only 270 - 200 = 70; with M1: 180 - 100 = 80
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "ministry_quota", "min_share_of_units": 0.5, "hard": False, "weight": 100}])
    result = optimal(scn)
    assert result.objective == 80
    assert "M1" in result.plan.values()
    assert result.check.rules[0].violation == 1


def test_soft_unfilled_group_is_short():
    # P2-DIR cannot be filled by anyone (phd required): its group still counts, short 1
    posts = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director", min_education="phd")]
    cands = [mini("M1", 10)]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "ministry_quota", "hard": False, "weight": 25}], weights={"vacancy": 100})
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "M1", "P2-DIR": None}
    assert result.objective == 10 - 100 - 25
    assert result.check.rules[0].violation == 1


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

BARE_POSTS = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")]
BARE_CANDS = [local("L1", "P1"), local("L2", "P2", merit=80), mini("MIN", 10)]
HALF = {"rule": "ministry_quota", "roles": ["director"], "min_share_of_units": 0.5}


def test_bare_model_keeps_the_quota():
    held = assert_binding(scenario(UNITS, BARE_POSTS, BARE_CANDS), HALF)
    # the free optimum is L1 and L2 (170); one of the two provinces must get MIN
    assert sorted(held.plan.values()) == ["L1", "MIN"] and held.objective == 100


@pytest.mark.parametrize("rule,fixed", [
    (HALF, [pin("P1-DIR", "L1"), pin("P2-DIR", "L2")]),
    ({**HALF, "min_share_of_units": 1}, []),   # every province: one ministry officer for two
])
def test_bare_model_infeasible_when_too_few_groups_can_comply(rule, fixed):
    assert_infeasible(scenario(UNITS, BARE_POSTS, BARE_CANDS, fixed=fixed), rule)


def test_bare_model_soft_pays_the_weight_per_group_short():
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS)
    soft = assert_soft_penalty(scn, {**HALF, "hard": False, "weight": 20})
    assert sorted(soft.plan.values()) == ["L1", "L2"] and soft.objective == 150   # 170 - 20 > 100
