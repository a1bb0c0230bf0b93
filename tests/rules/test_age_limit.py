"""`age_limit` pinned to the contract: every candidate on a matching post is at most max_age,
the age being `term_start - birth_year` (term_start 2026 here)."""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1")]
POSTS = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy"), post("D1-CH", "D1", "chief")]
# ages: OLD 51, EDGE 50, YOUNG 40
CANDS = [cand("OLD", home="P1", birth_year=1975, merit=90),
         cand("EDGE", home="P1", birth_year=1976, merit=60),
         cand("YOUNG", home="P1", birth_year=1986, merit=30)]


def test_hard_boundary_age_is_allowed():
    scn = scenario(UNITS, [POSTS[0]], CANDS, rules=[{"rule": "age_limit", "max_age": 50}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "EDGE"}   # 50 <= 50; OLD (51) is excluded
    assert result.objective == 60


def test_hard_uses_term_start():
    # term_start 2025: OLD is 50 and may serve
    scn = scenario(UNITS, [POSTS[0]], CANDS, rules=[{"rule": "age_limit", "max_age": 50}],
                   term_start=2025)
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "OLD"}
    assert result.objective == 90


def test_hard_filters():
    scn = scenario(UNITS, POSTS, CANDS,
                   rules=[{"rule": "age_limit", "max_age": 45, "roles": ["director", "chief"],
                           "unit_kind": "province"}])
    result = optimal(scn)
    # only P1-DIR is subject: YOUNG there, OLD and EDGE on the other two (either way)
    assert result.plan["P1-DIR"] == "YOUNG"
    assert {result.plan["P1-DEP"], result.plan["D1-CH"]} == {"OLD", "EDGE"}
    assert result.objective == 180


def test_hard_infeasible():
    scn = scenario(UNITS, [POSTS[0]], CANDS, fixed=[pin("P1-DIR", "OLD")],
                   rules=[{"rule": "age_limit", "max_age": 50}])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert any("age_limit" in line for line in result.explanation)
    scn = scenario(UNITS, [POSTS[0]], CANDS[:1],
                   rules=[{"rule": "age_limit", "max_age": 50}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


@pytest.mark.parametrize("rule,plan,violation", [
    ({"max_age": 50}, {"P1-DIR": "OLD"}, 1),
    ({"max_age": 50}, {"P1-DIR": "EDGE", "D1-CH": "YOUNG"}, 0),
    ({"max_age": 49}, {"P1-DIR": "EDGE", "D1-CH": "OLD"}, 2),
    ({"max_age": 40}, {"P1-DIR": "YOUNG"}, 0),
    ({"max_age": 39}, {"P1-DIR": "YOUNG"}, 1),
    ({"max_age": 40, "roles": ["deputy"]}, {"P1-DIR": "OLD", "P1-DEP": "YOUNG"}, 0),
    ({"max_age": 40, "roles": ["deputy"]}, {"P1-DEP": "EDGE"}, 1),
    ({"max_age": 40, "unit_kind": "district"}, {"P1-DIR": "OLD", "D1-CH": "EDGE"}, 1),
])
def test_checker(rule, plan, violation):
    scn = scenario(UNITS, POSTS, CANDS)
    rep = check_plan(scn, plan, policy([{"rule": "age_limit", **rule}]))
    assert rep.valid is (violation == 0)
    assert rep.rules[0].violation == violation
    assert rep.rules[0].figures["breaking_posts"] == violation
    if plan == {"P1-DIR": "OLD"}:
        assert any("holds OLD: is 51, older than 50" in v for v in rep.violations)


@pytest.mark.parametrize("weight,holder,objective,violation", [
    (25, "OLD", 65, 1),    # 90 - 25 = 65 > 60
    (35, "EDGE", 60, 0),   # 90 - 35 = 55 < 60
])
def test_soft_per_post(weight, holder, objective, violation):
    scn = scenario(UNITS, [POSTS[0]], CANDS[:2],
                   rules=[{"rule": "age_limit", "max_age": 50, "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": holder}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_soft_two_old_officers():
    scn = scenario(UNITS, POSTS, CANDS,
                   rules=[{"rule": "age_limit", "max_age": 40, "hard": False, "weight": 5}])
    result = optimal(scn)
    # everyone placed (vacancy 1000 dwarfs 5): OLD and EDGE are over 40: 180 - 10
    assert result.objective == 170
    assert result.check.rules[0].violation == 2 and result.check.rules[0].penalty == 10


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

AGE_50 = {"rule": "age_limit", "max_age": 50}


def test_bare_model_gives_no_variable_to_an_officer_over_the_limit():
    scn = scenario(UNITS, [POSTS[0]], CANDS)
    held = assert_binding(scn, AGE_50)   # without the rule OLD (51, merit 90) takes the post
    assert held.plan == {"P1-DIR": "EDGE"} and held.objective == 60
    assert held.builder.n_pairs == 2


def test_bare_model_infeasible_when_the_fixed_officer_is_over_the_limit():
    assert_infeasible(scenario(UNITS, [POSTS[0]], CANDS, fixed=[pin("P1-DIR", "OLD")]), AGE_50)


def test_bare_model_soft_pays_the_weight_per_post():
    scn = scenario(UNITS, POSTS[:2], CANDS)
    soft = assert_soft_penalty(scn, {"rule": "age_limit", "max_age": 45, "hard": False, "weight": 5})
    # OLD and EDGE, both over 45, keep the two posts: 150 - 2 x 5 beats 120 - 5 with YOUNG
    assert sorted(soft.plan.values()) == ["EDGE", "OLD"] and soft.objective == 140
