"""`clean_record` pinned to the contract: no disciplined candidate on a matching post."""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("M", "ministry"), unit("P1", "province"), unit("D1", "district", parent="P1")]
POSTS = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy"),
         post("D1-CH", "D1", "chief"), post("M-DIR", "M", "director")]
CANDS = [cand("A", home="P1", merit=90, disciplined=True), cand("B", home="P1", merit=50)]


def test_hard_picks_clean_candidate():
    scn = scenario(UNITS, [POSTS[0]], CANDS, rules=[{"rule": "clean_record"}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "B"}
    assert result.objective == 50
    assert result.check.rules[0].violation == 0


def test_hard_filtered_rule_lets_disciplined_elsewhere():
    # roles [director], unit_kind province: A may take the deputy post, B the director post
    scn = scenario(UNITS, POSTS[:2], CANDS,
                   rules=[{"rule": "clean_record", "roles": ["director"], "unit_kind": "province"}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "B", "P1-DEP": "A"}
    assert result.objective == 140


def test_hard_infeasible():
    scn = scenario(UNITS, [POSTS[0]], CANDS, fixed=[pin("P1-DIR", "A")], rules=[{"rule": "clean_record"}])
    assert solve(scn, workers=1).status.value == "infeasible"
    scn = scenario(UNITS, [POSTS[0]], CANDS[:1], rules=[{"rule": "clean_record"}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


@pytest.mark.parametrize("rule,post_id,valid", [
    ({}, "P1-DIR", False),
    ({}, "M-DIR", False),
    ({"roles": ["director"]}, "P1-DEP", True),
    ({"roles": ["director"]}, "M-DIR", False),
    ({"unit_kind": "district"}, "D1-CH", False),
    ({"unit_kind": "district"}, "P1-DIR", True),
    ({"roles": ["director"], "unit_kind": "ministry"}, "P1-DIR", True),
    ({"roles": ["director"], "unit_kind": "ministry"}, "M-DIR", False),
])
def test_checker_filters(rule, post_id, valid):
    scn = scenario(UNITS, POSTS, CANDS)
    pol = policy([{"rule": "clean_record", **rule}])
    rep = check_plan(scn, {post_id: "A"}, pol)
    assert rep.valid is valid
    assert rep.rules[0].violation == (0 if valid else 1)
    if not valid:
        assert any(f"post {post_id} holds A: is under a disciplinary record" in v
                   for v in rep.violations)
    assert check_plan(scn, {post_id: "B"}, pol).valid is True


@pytest.mark.parametrize("weight,holder,objective,violation", [
    (30, "A", 60, 1),   # 90 - 30 > 50
    (41, "B", 50, 0),   # 90 - 41 = 49 < 50
])
def test_soft_per_post(weight, holder, objective, violation):
    scn = scenario(UNITS, [POSTS[0]], CANDS,
                   rules=[{"rule": "clean_record", "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": holder}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_soft_checker_penalty_in_objective():
    scn = scenario(UNITS, POSTS[:2], [CANDS[0], cand("C", home="P1", merit=70, disciplined=True)])
    rep = check_plan(scn, {"P1-DIR": "A", "P1-DEP": "C"},
                     policy([{"rule": "clean_record", "hard": False, "weight": 9}]))
    assert rep.valid is True
    assert rep.rules[0].violation == 2 and rep.rules[0].penalty == 18
    assert rep.objective == 90 + 70 - 18


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

def test_bare_model_gives_no_variable_to_a_disciplined_officer():
    held = assert_binding(scenario(UNITS, [POSTS[0]], CANDS), {"rule": "clean_record"})
    assert held.plan == {"P1-DIR": "B"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_the_fixed_officer_is_disciplined():
    scn = scenario(UNITS, [POSTS[0]], CANDS, fixed=[pin("P1-DIR", "A")])
    assert_infeasible(scn, {"rule": "clean_record"})


def test_bare_model_soft_pays_the_weight_per_post():
    scn = scenario(UNITS, [POSTS[0]], CANDS)
    soft = assert_soft_penalty(scn, {"rule": "clean_record", "hard": False, "weight": 20})
    assert soft.plan == {"P1-DIR": "A"} and soft.objective == 70   # 90 - 20 > 50
