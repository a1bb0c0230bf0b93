"""`young_cadres` pinned to the contract: among assigned matching posts, those aged <= max_age
(`term_start - birth_year`, term_start 2026) >= min_share x assigned; soft, per post short."""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("M", "ministry"), unit("P1", "province"), unit("D11", "district", parent="P1"),
         unit("P2", "province")]


def aged(id, age, merit=50, **kw):
    return cand(id, home="P2", birth_year=2026 - age, merit=merit, **kw)


def test_hard_needs_one_young_of_two_and_boundary_counts():
    posts = [post("P1-DIR", "P1", "director", priority=2), post("P1-DEP", "P1", "deputy")]
    cands = [aged("OLD1", 55, 90), aged("OLD2", 41, 80), aged("Y40", 40, 30)]
    scn = scenario(UNITS, posts, cands,
                   rules=[{"rule": "young_cadres", "max_age": 40, "min_share": 0.5}])
    result = optimal(scn)
    # Y40 (exactly 40) is young; OLD2 (41) is not: 2 x 90 + 30
    assert result.plan == {"P1-DIR": "OLD1", "P1-DEP": "Y40"}
    assert result.objective == 210
    rep = result.check.rules[0]
    assert (rep.figures["achieved"], rep.figures["assigned"], rep.violation) == (1, 2, 0)


def test_hard_infeasible():
    posts = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy")]
    cands = [aged("OLD1", 55), aged("OLD2", 41), aged("Y", 30)]
    scn = scenario(UNITS, posts, cands, fixed=[pin("P1-DIR", "OLD1"), pin("P1-DEP", "OLD2")],
                   rules=[{"rule": "young_cadres", "max_age": 40, "min_share": 0.5}])
    assert solve(scn, workers=1).status.value == "infeasible"
    scn = scenario(UNITS, posts, cands[:2], rules=[
        {"rule": "young_cadres", "max_age": 40, "min_share": 0.5}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_vacant_rather_than_old():
    scn = scenario(UNITS, [post("P1-DIR", "P1", "director")], [aged("OLD", 60, 90)],
                   rules=[{"rule": "young_cadres", "max_age": 40, "min_share": 0.3}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": None} and result.objective == -1000


def test_exact_share_three_tenths_of_ten():
    # 0.3 x 10 = 3 exactly: 3 young of 10 hold, 2 are short by 1
    units = [unit("P1", "province"), unit("P2", "province")] + \
        [unit(f"D{i}", "district", parent="P1") for i in range(10)]
    posts = [post(f"D{i}-CH", f"D{i}") for i in range(10)]
    cands = [aged(f"O{i}", 50) for i in range(10)] + [aged(f"Y{i}", 30) for i in range(10)]
    scn = scenario(units, posts, cands)
    pol = policy([{"rule": "young_cadres", "max_age": 35, "min_share": 0.3}])
    three = {f"D{i}-CH": (f"Y{i}" if i < 3 else f"O{i}") for i in range(10)}
    two = {f"D{i}-CH": (f"Y{i}" if i < 2 else f"O{i}") for i in range(10)}
    assert check_plan(scn, three, pol).valid is True
    rep = check_plan(scn, two, pol)
    assert rep.valid is False and rep.rules[0].violation == 1


@pytest.mark.parametrize("rule,plan,violation,assigned", [
    ({"max_age": 40, "min_share": 0.5}, {"P1-DIR": "O", "P1-DEP": "Y"}, 0, 2),
    ({"max_age": 40, "min_share": 0.5}, {"P1-DIR": "O", "P1-DEP": "O2"}, 1, 2),
    ({"max_age": 40, "min_share": 0.5, "roles": ["director"]}, {"P1-DIR": "Y", "P1-DEP": "O"}, 0, 1),
    ({"max_age": 40, "min_share": 0.5, "roles": ["deputy"]}, {"P1-DIR": "Y", "P1-DEP": "O"}, 1, 1),
    ({"max_age": 40, "min_share": 1, "unit_kind": "district"}, {"P1-DIR": "O", "D11-CH": "Y"}, 0, 1),
    ({"max_age": 40, "min_share": 1, "unit_kind": "district"}, {"P1-DIR": "Y", "D11-CH": "O"}, 1, 1),
    # per province: M-DIR outside the rule
    ({"max_age": 40, "min_share": 1, "per": "province"}, {"M-DIR": "O", "D11-CH": "Y"}, 0, 1),
    ({"max_age": 40, "min_share": 1}, {"M-DIR": "O", "D11-CH": "Y"}, 1, 2),
    ({"max_age": 45, "min_share": 1}, {"P1-DIR": "O2"}, 0, 1),   # O2 is 45
])
def test_checker(rule, plan, violation, assigned):
    posts = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy"),
             post("D11-CH", "D11"), post("M-DIR", "M", "director")]
    scn = scenario(UNITS, posts, [aged("O", 60), aged("O2", 45), aged("Y", 35)])
    rep = check_plan(scn, plan, policy([{"rule": "young_cadres", **rule}]))
    assert rep.valid is (violation == 0)
    assert rep.rules[0].violation == violation
    assert rep.rules[0].figures["assigned"] == assigned


@pytest.mark.parametrize("weight,objective,violation", [
    # 3 posts, three officers aged 50 (merit 90) and one aged 30 (merit 0); min_share 0.67:
    # 0.67 x 3 = 2.01, so even 2 young of 3 would be short by 1: short = 3 - k (k <= 1 here)
    (40, 270 - 3 * 40, 3),     # k=0: 150; k=1: 180 - 80 = 100
    (100, 180 - 2 * 100, 2),   # k=0: 270 - 300 = -30; k=1: -20
])
def test_soft_shortfall(weight, objective, violation):
    posts = [post(f"{p}-CH", p) for p in ("P1", "P2", "D11")]
    cands = [aged("A", 50, 90), aged("B", 50, 90), aged("C", 50, 90), aged("Y", 30, 0)]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "young_cadres", "max_age": 35, "min_share": 0.67, "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

BARE_POSTS = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")]
BARE_CANDS = [aged("OLD1", 55, 90), aged("OLD2", 50, 80), aged("Y", 35, 10)]
HALF = {"rule": "young_cadres", "max_age": 40, "min_share": 0.5}


def test_bare_model_keeps_the_share():
    held = assert_binding(scenario(UNITS, BARE_POSTS, BARE_CANDS), HALF)
    # the free optimum is OLD1 and OLD2 (170); one post of two must go to Y
    assert sorted(held.plan.values()) == ["OLD1", "Y"] and held.objective == 100


def test_bare_model_infeasible_when_both_posts_are_fixed_to_older_officers():
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS,
                   fixed=[pin("P1-DIR", "OLD1"), pin("P2-DIR", "OLD2")])
    assert_infeasible(scn, HALF)


def test_bare_model_soft_pays_the_weight_per_post_short():
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS)
    soft = assert_soft_penalty(scn, {**HALF, "hard": False, "weight": 20})
    assert sorted(soft.plan.values()) == ["OLD1", "OLD2"] and soft.objective == 150
