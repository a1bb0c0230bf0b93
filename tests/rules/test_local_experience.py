"""`local_experience` pinned to the contract: every candidate on a matching post has
`served_local`; unit_kind defaults to `ministry` (absent roles: any role)."""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("M", "ministry"), unit("M2", "ministry", parent="M"), unit("P1", "province"),
         unit("D1", "district", parent="P1")]
POSTS = [post("M-DIR", "M", "director"), post("M-DEP", "M", "deputy"),
         post("M2-DIR", "M2", "director"), post("P1-DIR", "P1", "director"),
         post("D1-CH", "D1", "chief")]
CANDS = [cand("A", home="P1", serves_at="M", merit=90),                      # never served locally
         cand("B", home="P1", serves_at="P1", merit=50, served_local=True)]


# -- hard form -------------------------------------------------------------------------------

def test_hard_default_ministry_post_needs_local_experience():
    scn = scenario(UNITS, [POSTS[0]], CANDS, rules=[{"rule": "local_experience"}])
    result = optimal(scn)
    assert result.plan == {"M-DIR": "B"}
    assert result.objective == 50
    assert result.check.rules[0].violation == 0
    assert result.check.rules[0].figures == {"breaking_posts": 0}


def test_hard_default_does_not_touch_provinces():
    # P1-DIR (province) is not a ministry post: A may take it, B takes the ministry post
    scn = scenario(UNITS, [POSTS[0], POSTS[3]], CANDS, rules=[{"rule": "local_experience"}])
    result = optimal(scn)
    assert result.plan == {"M-DIR": "B", "P1-DIR": "A"}
    assert result.objective == 140


def test_hard_infeasible_when_fixed():
    scn = scenario(UNITS, [POSTS[0]], CANDS, fixed=[pin("M-DIR", "A")],
                   rules=[{"rule": "local_experience"}])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert any("M-DIR" in line and "local_experience" in line for line in result.explanation)


def test_hard_infeasible_with_fill():
    scn = scenario(UNITS, [POSTS[0]], CANDS[:1], rules=[{"rule": "local_experience"}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


# -- checker, filters -------------------------------------------------------------------------

@pytest.mark.parametrize("rule,post_id,valid", [
    ({}, "M-DIR", False),
    ({}, "M-DEP", False),
    ({}, "M2-DIR", False),                        # a child ministry is a ministry unit too
    ({}, "P1-DIR", True),                         # default unit_kind ministry
    ({}, "D1-CH", True),
    ({"roles": ["director"]}, "M-DEP", True),
    ({"roles": ["director"]}, "M-DIR", False),
    ({"unit_kind": "province"}, "P1-DIR", False),
    ({"unit_kind": "province"}, "M-DIR", True),
    ({"unit_kind": "district", "roles": ["chief"]}, "D1-CH", False),
])
def test_checker_filters(rule, post_id, valid):
    scn = scenario(UNITS, POSTS, CANDS)
    rep = check_plan(scn, {post_id: "A"}, policy([{"rule": "local_experience", **rule}]))
    assert rep.valid is valid
    assert rep.rules[0].violation == (0 if valid else 1)
    if not valid:
        assert rep.violations == [
            f"hard rule {rep.rules[0].rule}: post {post_id} holds A: has not served at local level"]
    # B has served locally: always fine
    assert check_plan(scn, {post_id: "B"}, policy([{"rule": "local_experience", **rule}])).valid


# -- soft form -------------------------------------------------------------------------------

@pytest.mark.parametrize("weight,holder,objective,violation", [
    (30, "A", 90 - 30, 1),   # 60 > 50
    (50, "B", 50, 0),        # 40 < 50
])
def test_soft_per_post(weight, holder, objective, violation):
    scn = scenario(UNITS, [POSTS[0]], CANDS,
                   rules=[{"rule": "local_experience", "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"M-DIR": holder}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_soft_counts_each_post():
    cands = [cand(f"A{i}", home="P1", serves_at="M", merit=90) for i in range(3)]
    scn = scenario(UNITS, POSTS[:3], cands,
                   rules=[{"rule": "local_experience", "hard": False, "weight": 11}])
    result = optimal(scn)
    # three ministry posts, three inexperienced officers: 3 x 90 - 3 x 11
    assert result.objective == 270 - 33
    assert result.check.rules[0].violation == 3
    assert result.check.rules[0].penalty == 33


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

def test_bare_model_gives_no_variable_to_an_officer_without_local_service():
    held = assert_binding(scenario(UNITS, [POSTS[0]], CANDS), {"rule": "local_experience"})
    assert held.plan == {"M-DIR": "B"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_the_fixed_officer_never_served_locally():
    scn = scenario(UNITS, [POSTS[0]], CANDS, fixed=[pin("M-DIR", "A")])
    assert_infeasible(scn, {"rule": "local_experience"})


def test_bare_model_soft_pays_the_weight_per_post():
    scn = scenario(UNITS, [POSTS[0]], CANDS)
    soft = assert_soft_penalty(scn, {"rule": "local_experience", "hard": False, "weight": 20})
    assert soft.plan == {"M-DIR": "A"} and soft.objective == 70   # 90 - 20 > 50
