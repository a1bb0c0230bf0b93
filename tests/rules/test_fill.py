"""`fill` pinned to the contract: every matching post is filled; soft, per vacant post."""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"), unit("M", "ministry")]
POSTS = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy"),
         post("D1-CH", "D1", "chief"), post("M-DIR", "M", "director")]
# with these weights filling a post costs 5 (the move of a newcomer) and brings nothing
FREE = {"merit": 0, "vacancy": 0, "move": 5}


def test_without_rule_posts_stay_vacant():
    scn = scenario(UNITS, POSTS[:2], [cand("A", home="P1")], weights=FREE)
    result = optimal(scn)
    assert result.plan == {"P1-DIR": None, "P1-DEP": None}
    assert result.objective == 0


def test_hard_fills_matching_posts_only():
    scn = scenario(UNITS, POSTS, [cand("A", home="P1"), cand("B", home="P1")], weights=FREE,
                   rules=[{"rule": "fill", "roles": ["director"], "unit_kind": "province"}])
    result = optimal(scn)
    # only P1-DIR must be filled; A (first listed) or B, both cost 5
    assert result.plan["P1-DIR"] in ("A", "B")
    assert [result.plan[p] for p in ("P1-DEP", "D1-CH", "M-DIR")] == [None, None, None]
    assert result.objective == -5
    assert result.check.rules[0].figures == {"posts": 1, "filled": 1}


def test_hard_fills_every_post_without_filters():
    scn = scenario(UNITS, POSTS[:3], [cand(c, home="P1") for c in "ABC"], weights=FREE,
                   rules=[{"rule": "fill"}])
    result = optimal(scn)
    assert all(result.plan.values())
    assert result.objective == -15


def test_hard_infeasible_without_eligible_candidate():
    scn = scenario(UNITS, [post("P1-DIR", "P1", "director", min_education="phd")],
                   [cand("A", home="P1")], rules=[{"rule": "fill"}])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert any("P1-DIR" in line and "must be filled" in line for line in result.explanation)


def test_hard_infeasible_too_few_candidates():
    scn = scenario(UNITS, POSTS[:2], [cand("A", home="P1")], rules=[{"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


@pytest.mark.parametrize("rule,plan,vacant", [
    ({}, {"P1-DIR": "A"}, ["P1-DEP", "D1-CH", "M-DIR"]),
    ({"roles": ["director"]}, {"P1-DIR": "A"}, ["M-DIR"]),
    ({"roles": ["director"]}, {"P1-DIR": "A", "M-DIR": "B"}, []),
    ({"unit_kind": "district"}, {"P1-DIR": "A"}, ["D1-CH"]),
    ({"unit_kind": "district"}, {"D1-CH": "A", "P1-DIR": None}, []),
    ({"roles": ["deputy"], "unit_kind": "ministry"}, {}, []),   # no matching post at all
])
def test_checker(rule, plan, vacant):
    scn = scenario(UNITS, POSTS, [cand("A", home="P1"), cand("B", home="P1")])
    rep = check_plan(scn, plan, policy([{"rule": "fill", **rule}]))
    assert rep.valid is (not vacant)
    assert rep.rules[0].violation == len(vacant)
    assert rep.rules[0].breaches == [f"post {p} is vacant" for p in vacant]


@pytest.mark.parametrize("weight,filled,objective,violation", [
    (20, False, -20, 1),   # filling costs move 30 > 20
    (50, True, -30, 0),
])
def test_soft_trade_off(weight, filled, objective, violation):
    scn = scenario(UNITS, POSTS[:1], [cand("A", home="P1")],
                   weights={"merit": 0, "vacancy": 0, "move": 30},
                   rules=[{"rule": "fill", "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "A" if filled else None}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_soft_unfillable_posts_each_pay():
    posts = [post("P1-DIR", "P1", "director", min_education="phd"),
             post("P1-DEP", "P1", "deputy", min_education="phd"), post("D1-CH", "D1")]
    scn = scenario(UNITS, posts, [cand("A", home="P1", merit=10)], weights={"vacancy": 100},
                   rules=[{"rule": "fill", "hard": False, "weight": 40}])
    result = optimal(scn)
    # A on D1-CH; two vacant posts: 10 - 2 x 100 - 2 x 40
    assert result.plan == {"P1-DIR": None, "P1-DEP": None, "D1-CH": "A"}
    assert result.objective == 10 - 200 - 80
    assert result.check.rules[0].violation == 2 and result.check.rules[0].penalty == 80
    assert result.check.terms["rule:fill"] == -80


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

def test_bare_model_fills_the_post():
    held = assert_binding(scenario(UNITS, POSTS[:1], [cand("A", home="P1")]), {"rule": "fill"}, FREE)
    assert held.plan == {"P1-DIR": "A"} and held.objective == -5   # free: vacant, 0


def test_bare_model_infeasible_with_more_posts_than_officers():
    assert_infeasible(scenario(UNITS, POSTS[:2], [cand("A", home="P1")]), {"rule": "fill"}, FREE)


def test_bare_model_soft_pays_the_weight_per_vacant_post():
    scn = scenario(UNITS, POSTS[:2], [cand("A", home="P1")])
    soft = assert_soft_penalty(scn, {"rule": "fill", "hard": False, "weight": 3}, FREE)
    assert soft.plan == {"P1-DIR": None, "P1-DEP": None} and soft.objective == -6
