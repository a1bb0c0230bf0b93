"""`continuity` pinned to the careers contract (section 2, clarification 2): in each group
`anc(post unit, per)` of n matching posts that exist in the period, at most
`max_changed_share x n` posts are *changed* (exact share); soft, per changed post over it.

A post is changed when its holder now is not one of its holders before (the officers whose
current post it is, retired ones included), or when it is vacant now and had a holder before.
Vacant before and now: not changed; no holder before and filled now: changed.

Units: province P1 with districts D1, D2; province P2; ministry M (no province above it).
Posts: P1-DIR (director, P1), D1-CH and D2-CH (chiefs of D1, D2): group P1 of 3 posts; P2-DIR
(group P2); M-DIR (outside every province). Term 2026.
A holds P1-DIR and B holds D1-CH, both weak (merit 10); D2-CH, P2-DIR and M-DIR have no holder
before. X, Y, Z are strong newcomers (merit 90). Default weights: merit 1, vacancy 1000.
"""

import numpy as np
import pytest
from bare_model import assert_binding, assert_soft_penalty
from builders import cand, optimal, policy, post, scenario, unit
from horizon_bruteforce import horizon_optimum
from pydantic import ValidationError

from planner import check_plan, solve
from planner.check.horizon import check_horizon
from planner.model.horizon import index
from planner.model.pairs import pair_table

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"),
         unit("D2", "district", parent="P1"), unit("P2", "province"), unit("M", "ministry")]
GROUP = [post("P1-DIR", "P1", "director"), post("D1-CH", "D1"), post("D2-CH", "D2")]
POSTS = [*GROUP, post("P2-DIR", "P2", "director"), post("M-DIR", "M", "director")]
A = cand("A", home="P2", current_post="P1-DIR", merit=10)
B = cand("B", home="P2", current_post="D1-CH", merit=10)
X, Y, Z = (cand(i, home="P2", merit=90) for i in "XYZ")


def rule(share, **kw):
    return {"rule": "continuity", "per": "province", "max_changed_share": share, **kw}


def figures(rep, i=0):
    return rep.rules[i].figures["groups"]


# -- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [
    {"rule": "continuity", "max_changed_share": 0.5},               # per is required
    {"rule": "continuity", "per": "province"},                      # the share is required
    {"rule": "continuity", "per": "region", "max_changed_share": 0.5},
    rule(1.01), rule(-0.1), rule(True),
    rule(0.5, hard=False),                                          # soft needs a weight
    rule(0.5, scope="province"),                                    # unknown parameter
])
def test_parameters_refused(bad):
    with pytest.raises(ValidationError):
        policy([bad])


def test_parameters_accepted():
    r = policy([rule(0.5, roles=["chief"], unit_kind="district", hard=False, weight=3)]).rules[0]
    assert (r.per.value, r.roles, r.unit_kind.value, r.cost) == ("province", ["chief"], "district", 3)
    assert r.title == ("continuity[roles=chief, unit_kind=district, per=province, "
                       "max_changed_share=0.5]")


# -- checker: what a change is ------------------------------------------------------------------

@pytest.mark.parametrize("plan, changed", [
    ({"P1-DIR": "A", "D1-CH": "B"}, 0),                 # D2-CH vacant before and now: no change
    ({"P1-DIR": "A", "D1-CH": "B", "D2-CH": "X"}, 1),   # filling a post with no holder before
    ({"P1-DIR": None, "D1-CH": "B"}, 1),                # a holder's post left vacant
    ({"P1-DIR": "B", "D1-CH": "A"}, 2),                 # a swap changes both
    ({"P1-DIR": "X", "D1-CH": "Y", "D2-CH": "Z"}, 3),
    ({"P1-DIR": None, "D1-CH": None, "D2-CH": None}, 2),
])
def test_checker_counts_changed_posts(plan, changed):
    scn = scenario(UNITS, [*GROUP, POSTS[4]], [A, B, X, Y, Z])   # M-DIR: outside every group
    rep = check_plan(scn, plan, policy([rule(0.34, hard=False, weight=7)]))  # 1 of 3 may change
    assert rep.valid
    listed = [{"group": "P1", "size": 3, "changed": changed, "allowed": 1}] if changed >= 1 else []
    assert figures(rep) == listed
    assert rep.rules[0].violation == max(0, changed - 1)
    assert rep.rules[0].penalty == 7 * max(0, changed - 1)


def test_checker_hard_breach_in_words():
    scn = scenario(UNITS, POSTS, [A, B, X, Y])
    rep = check_plan(scn, {"P1-DIR": "X", "D1-CH": "Y"}, policy([rule(0.34)]))
    assert not rep.valid
    assert rep.rules[0].breaches == [
        "P1: 2 of 3 posts changed, at most 1 may (17/50 x 3), 1 too many"]
    assert rep.violations == [f"hard rule {rep.rules[0].rule}: {rep.rules[0].breaches[0]}"]


def test_checker_posts_outside_per_and_other_groups():
    # M-DIR has no province above it: outside the rule; P2-DIR is a group of its own
    scn = scenario(UNITS, POSTS, [A, B, X, Y])
    rep = check_plan(scn, {"P1-DIR": "A", "D1-CH": "B", "M-DIR": "X", "P2-DIR": "Y"},
                     policy([rule(0)]))
    assert figures(rep) == [{"group": "P1", "size": 3, "changed": 0, "allowed": 0},
                            {"group": "P2", "size": 1, "changed": 1, "allowed": 0}]
    assert rep.rules[0].violation == 1
    by_district = check_plan(scn, {"P1-DIR": "X", "D1-CH": "B"}, policy([rule(0, per="district")]))
    # per district: P1-DIR (a province post) is outside; D1 and D2 are groups of one post each
    assert figures(by_district) == [{"group": "D1", "size": 1, "changed": 0, "allowed": 0},
                                    {"group": "D2", "size": 1, "changed": 0, "allowed": 0}]
    assert by_district.valid


def test_checker_filters_roles_and_unit_kind():
    scn = scenario(UNITS, POSTS, [A, B, X, Y])
    plan = {"P1-DIR": "X", "D1-CH": "Y"}
    chiefs = check_plan(scn, plan, policy([rule(0.5, roles=["chief"])]))
    assert figures(chiefs) == [{"group": "P1", "size": 2, "changed": 1, "allowed": 1}]
    districts = check_plan(scn, plan, policy([rule(0.5, unit_kind="province")]))
    assert figures(districts) == [{"group": "P1", "size": 1, "changed": 1, "allowed": 0},
                                  {"group": "P2", "size": 1, "changed": 0, "allowed": 0}]


@pytest.mark.parametrize("share, allowed", [
    (0.33, 0), (0.34, 1), (0.66, 1), (0.67, 2),
    ("0.6666666666666666", 1),          # 1.9999999999999998 of 3, counted from its text
    ("0.66666666666666666667", 2),      # just above 2/3
    (1e-300, 0), (1, 3),
])
def test_share_counts_exactly_from_its_decimal_text(share, allowed):
    scn = scenario(UNITS, GROUP, [X, Y, Z])
    rep = check_plan(scn, {"P1-DIR": "X", "D1-CH": "Y", "D2-CH": "Z"},
                     policy([rule(share, hard=False, weight=1)]))
    assert figures(rep) == [{"group": "P1", "size": 3, "changed": 3, "allowed": allowed}]
    assert rep.rules[0].violation == 3 - allowed
    model = optimal(scenario(UNITS, GROUP, [A, B, X, Y, Z], rules=[rule(share)]))
    # the first change fills D2-CH (it saves a vacancy), the others replace a weak holder
    assert (model.plan["D2-CH"] is not None) is (allowed >= 1)
    replaced = sum(model.plan[p] in ("X", "Y", "Z") for p in ("P1-DIR", "D1-CH"))
    assert replaced == max(0, allowed - 1)


# -- retired holders -----------------------------------------------------------------------------

RETIRED = cand("A", home="P2", current_post="P1-DIR", merit=10, leaves=2026)


def test_checker_retired_holder_makes_the_post_changed():
    scn = scenario(UNITS, GROUP, [RETIRED, B, X])
    for plan, changed in (({"P1-DIR": "X", "D1-CH": "B"}, 1), ({"D1-CH": "B"}, 1),
                          ({"D1-CH": "X"}, 2)):
        rep = check_horizon(scn, {2026: {"P1-DIR": None, "D2-CH": None, **plan}},
                            policy([rule(0, hard=False, weight=5)]))
        assert (rep.rules[0].violation, rep.rules[0].penalty) == (changed, 5 * changed)
        single = check_plan(scn, plan, policy([rule(0, hard=False, weight=5)]))
        assert single.rules[0].violation == changed, plan


def test_model_retired_holder():
    # share 0.34 lets one of the three change: A's retirement is that one whoever takes
    # P1-DIR, so B must stay and D2-CH stay vacant
    scn = scenario(UNITS, GROUP, [RETIRED, B, X, Y], rules=[rule(0.34)])
    result = optimal(scn)
    assert result.plan["D1-CH"] == "B" and result.plan["D2-CH"] is None
    assert result.plan["P1-DIR"] in ("X", "Y") and result.objective == 90 + 10 - 1000
    assert figures(result.check) == [{"group": "P1", "size": 3, "changed": 1, "allowed": 1}]
    soft = optimal(scn.model_copy(update={"policy": policy([rule(0.34, hard=False, weight=30)])}))
    # X and Y on P1-DIR and D2-CH: 2 changes, one over the 1 allowed
    assert soft.plan["D1-CH"] == "B" and {soft.plan["P1-DIR"], soft.plan["D2-CH"]} == {"X", "Y"}
    assert soft.objective == 190 - 30 and soft.check.rules[0].violation == 1


# -- the model -----------------------------------------------------------------------------------

@pytest.mark.parametrize("share, strong", [(0, 0), (0.5, 1), (0.67, 2), (1, 3)])
def test_hard_caps_the_changes(share, strong):
    result = optimal(scenario(UNITS, GROUP, [A, B, X, Y, Z], rules=[rule(share)]))
    changed = sum(result.plan[p] not in ("A", "B") for p in ("P1-DIR", "D1-CH")) \
        + (result.plan["D2-CH"] is not None)
    assert changed == min(strong, 3)
    # the allowed changes go to the strong newcomers; a vacancy costs 1000, a weak holder 10
    assert result.objective == 90 * strong + 10 * min(2, 3 - strong) \
        - 1000 * (strong == 0)


@pytest.mark.parametrize("weight, violation", [(30, 2), (85, 0)])
def test_soft_per_changed_post_over_the_share(weight, violation):
    # share 0.34: one change is free; each further strong newcomer gains 80 and costs `weight`
    scn = scenario(UNITS, GROUP, [A, B, X, Y, Z], rules=[rule(0.34, hard=False, weight=weight)])
    result = optimal(scn)
    assert result.check.rules[0].violation == violation
    assert result.objective == 90 + 20 + violation * (80 - weight)


def test_bare_model_binding_and_soft_penalty():
    scn = scenario(UNITS, GROUP, [A, B, X, Y, Z])
    held = assert_binding(scn, rule(0.34))
    assert held.objective == 90 + 10 + 10
    soft = assert_soft_penalty(scn, rule(0.34, hard=False, weight=20))
    assert soft.objective == 270 - 40


def test_lp_rows_helps_and_nudge():
    scn = scenario(UNITS, GROUP, [RETIRED, B, X], rules=[rule(0.34)])
    inst = index(scn)
    r = scn.policy.rules[0]
    table = pair_table(inst, scn.policy)
    pairs = {(inst.posts[p].id, inst.candidates[c].id): i
             for i, (p, c) in enumerate(zip(table.post, table.cand))}
    assert table.cand[r.helps(inst, table)].tolist() == [inst.cand_index["B"]]   # B's stay
    rows = r.lp_rows(inst, table)
    # B's stay - fillings of D2-CH >= (2 posts with a holder) - 1 allowed
    assert rows.lo.tolist() == [1]
    assert rows.a.toarray()[0, pairs[("D1-CH", "B")]] == 1
    assert rows.a.toarray()[0, pairs[("D2-CH", "X")]] == -1
    assert rows.a.toarray()[0, pairs[("P1-DIR", "X")]] == 0
    plan = np.full(inst.n_posts, -1)
    plan[inst.post_index["D1-CH"]] = pairs[("D1-CH", "X")]    # A retired and B replaced: 2 > 1
    favour, disfavour = r.nudge(inst, table, plan)
    assert favour.tolist() == [pairs[("D1-CH", "B")]] and len(disfavour) == 0
    plan[inst.post_index["D1-CH"]] = pairs[("D1-CH", "B")]
    assert r.nudge(inst, table, plan) is None


def test_explanation_names_the_group():
    scn = scenario(UNITS, GROUP, [RETIRED, B, X], rules=[rule(0)])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert any("at most 0 of the 3 posts of province P1 may change" in line
               for line in result.explanation), result.explanation


# -- horizons ------------------------------------------------------------------------------------

PAIR = GROUP[1:]   # D1-CH, D2-CH: a group of 2 in P1, share 0.5 lets one change per period


def horizon(cands, rules, posts=PAIR, years=(2026, 2031)):
    return scenario(UNITS, posts, cands, rules=rules).model_copy(update={"periods": list(years)})


def test_checker_period_2_compares_with_period_1s_holders():
    scn = horizon([A.model_copy(update={"current_post": "D2-CH"}), B, X, Y], [rule(0.5)])
    both = check_horizon(scn, {2026: {"D1-CH": "B", "D2-CH": "A"},
                               2031: {"D1-CH": "X", "D2-CH": "Y"}})
    assert [figures(p) for _, p in both.periods] == [
        [], [{"group": "P1", "size": 2, "changed": 2, "allowed": 1}]]
    assert not both.valid
    kept = check_horizon(scn, {2026: {"D1-CH": "X", "D2-CH": "A"},
                               2031: {"D1-CH": "X", "D2-CH": "Y"}})
    # against the scenario's holders (B, A) both posts would have changed in 2031
    assert [figures(p) for _, p in kept.periods] == [
        [{"group": "P1", "size": 2, "changed": 1, "allowed": 1}],
        [{"group": "P1", "size": 2, "changed": 1, "allowed": 1}]]
    assert kept.valid


def test_checker_period_2_retired_holder_and_new_post():
    # B held D1-CH in 2026 and leaves in 2031: D1-CH vacant in 2031 is changed. D3-CH opens in
    # 2031: vacant it is not changed, filled it is.
    units = [*UNITS, unit("D3", "district", parent="P1")]
    posts = [*PAIR, post("D3-CH", "D3", opens=2031)]
    scn = scenario(units, posts, [B.model_copy(update={"leaves": 2031}), X],
                   rules=[rule(0, hard=False, weight=4)]).model_copy(update={"periods": [2026, 2031]})
    for later, changed in (({}, 1), ({"D3-CH": "X"}, 2), ({"D1-CH": "X"}, 1)):
        plan = {2026: {"D1-CH": "B", "D2-CH": None},
                2031: {"D1-CH": None, "D2-CH": None, "D3-CH": None, **later}}
        rep = check_horizon(scn, plan)
        assert [p.rules[0].violation for _, p in rep.periods] == [0, changed], later


def test_model_links_period_2_to_period_1():
    # X and Y join in 2031: one of them may replace one holder then, not both
    late = [c.model_copy(update={"joins": 2031}) for c in (X, Y)]
    cands = [B, A.model_copy(update={"current_post": "D2-CH"}), *late]
    result = optimal(horizon(cands, [rule(0.5)]))
    assert result.objective == 20 + 100
    assert sorted(result.plans[2031].values()).count("X") + \
        sorted(result.plans[2031].values()).count("Y") == 1
    assert optimal(horizon(cands, [])).objective == 20 + 180
    soft = optimal(horizon(cands, [rule(0.5, hard=False, weight=50)]))
    assert soft.objective == 20 + 180 - 50
    assert [p.rules[0].violation for _, p in soft.check.periods] == [0, 1]


def test_model_period_2_changes_follow_the_plan_of_period_1():
    # Period 1 may replace one weak holder; period 2 may replace the other, relative to the
    # holders period 1 left (the scenario's holders would allow only one strong officer then).
    cands = [B, A.model_copy(update={"current_post": "D2-CH"}), X, Y]
    result = optimal(horizon(cands, [rule(0.5)]))
    assert result.objective == (90 + 10) + (90 + 90)


CASES = [
    ([B, A.model_copy(update={"current_post": "D2-CH", "leaves": 2031}), X, Y], rule(0.5)),
    ([B, X.model_copy(update={"joins": 2031}), Y], rule(0.5, hard=False, weight=45)),
    ([B.model_copy(update={"leaves": 2026}), X, Y.model_copy(update={"leaves": 2036})], rule(0)),
    ([B, A.model_copy(update={"current_post": "D2-CH"}), X, Y], rule(0, hard=False, weight=35)),
]


@pytest.mark.parametrize("cands, r", CASES)
@pytest.mark.parametrize("years", [(2026,), (2026, 2031), (2026, 2031, 2036)])
def test_model_and_checker_agree_on_every_plan(cands, r, years):
    # the horizon checker enumerated over every plan (tests/horizon_bruteforce.py) against the
    # solver; weights make moves and vacancies matter
    scn = horizon(cands, [r], years=years).model_copy(update={"periods": list(years) if len(years) > 1 else None})
    scn = scn.model_copy(update={"policy": policy([r], {"vacancy": 60, "move": 3})})
    _, best, _ = horizon_optimum(scn)
    result = solve(scn, workers=1, exact=True)
    if best is None:
        assert result.status.value == "infeasible"
        return
    assert result.status.value == "optimal" and result.objective == best
    assert result.check.valid and result.check.objective == best
