"""`difficult_areas` pinned to the contract: every matching post in a difficult unit (the unit
or any ancestor flagged `difficult`) is filled, by a candidate rated >= min_rating if given.

    P1 (province, difficult) ── D11 (district)
    P2 (province) ── D21 (district, difficult) ── C211 (commune)
                 └── D22 (district)
"""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("P1", "province", difficult=True), unit("D11", "district", parent="P1"),
         unit("P2", "province"), unit("D21", "district", parent="P2", difficult="yes"),
         unit("C211", "commune", parent="D21"), unit("D22", "district", parent="P2")]
POSTS = [post("P1-DIR", "P1", "director"), post("D11-CH", "D11"), post("P2-DIR", "P2", "director"),
         post("D21-CH", "D21"), post("C211-CH", "C211"), post("D22-CH", "D22")]
FREE = {"merit": 0, "vacancy": 0, "move": 5}   # filling costs 5 and brings nothing


def test_hard_fills_exactly_the_difficult_posts():
    cands = [cand(c, home="P2") for c in "ABCDEF"]
    scn = scenario(UNITS, POSTS, cands, weights=FREE, rules=[{"rule": "difficult_areas"}])
    result = optimal(scn)
    filled = {p for p, c in result.plan.items() if c}
    # P1-DIR and D11-CH (inherited from P1), D21-CH and C211-CH (inherited from D21)
    assert filled == {"P1-DIR", "D11-CH", "D21-CH", "C211-CH"}
    assert result.objective == -20
    assert result.check.rules[0].figures == {"difficult_posts": 4, "served_well": 4}


def test_hard_filters():
    cands = [cand(c, home="P2") for c in "ABCDEF"]
    scn = scenario(UNITS, POSTS, cands, weights=FREE,
                   rules=[{"rule": "difficult_areas", "roles": ["chief"], "unit_kind": "district"}])
    result = optimal(scn)
    assert {p for p, c in result.plan.items() if c} == {"D11-CH", "D21-CH"}
    assert result.objective == -10


def test_hard_min_rating_picks_well_rated():
    cands = [cand("A", home="P2", rating="completed", merit=90),
             cand("B", home="P2", rating="good", merit=10)]
    scn = scenario(UNITS, [POSTS[1], POSTS[5]], cands,
                   rules=[{"rule": "difficult_areas", "min_rating": "good"}])
    result = optimal(scn)
    # A (completed) may not take difficult D11-CH, but may take D22-CH (not difficult)
    assert result.plan == {"D11-CH": "B", "D22-CH": "A"}
    assert result.objective == 100
    # "excellent" needs more than "good"
    scn = scenario(UNITS, [POSTS[1], POSTS[5]], cands,
                   rules=[{"rule": "difficult_areas", "min_rating": "excellent"}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_infeasible_when_nobody_can_fill():
    scn = scenario(UNITS, [post("C211-CH", "C211", min_education="phd")], [cand("A", home="P2")],
                   rules=[{"rule": "difficult_areas"}])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert any("C211-CH" in line for line in result.explanation)
    # the same post in a non-difficult place is simply left vacant
    scn = scenario(UNITS, [post("D22-CH", "D22", min_education="phd")], [cand("A", home="P2")],
                   rules=[{"rule": "difficult_areas"}])
    assert optimal(scn).plan == {"D22-CH": None}


@pytest.mark.parametrize("rule,plan,breaches", [
    ({}, {"P1-DIR": "A", "D11-CH": "B", "D21-CH": "C", "C211-CH": "D"}, []),
    ({}, {"P1-DIR": "A", "D11-CH": "B", "D21-CH": "C"}, ["post C211-CH (difficult area) is vacant"]),
    ({"roles": ["director"]}, {"P1-DIR": "A"}, []),
    ({"roles": ["director"]}, {"D11-CH": "A"}, ["post P1-DIR (difficult area) is vacant"]),
    ({"unit_kind": "commune"}, {"C211-CH": "A"}, []),
    ({"min_rating": "good"}, {"P1-DIR": "A", "D11-CH": "B", "D21-CH": "C", "C211-CH": "LOW"},
     ["post C211-CH (difficult area) holds LOW, rated completed < good"]),
    ({"min_rating": "good", "unit_kind": "province"}, {"P1-DIR": "A", "D11-CH": "LOW"}, []),
    ({"min_rating": "completed"}, {"P1-DIR": "A", "D11-CH": "B", "D21-CH": "C", "C211-CH": "LOW"}, []),
])
def test_checker(rule, plan, breaches):
    cands = [cand(c, home="P2") for c in "ABCD"] + [cand("LOW", home="P2", rating="completed")]
    scn = scenario(UNITS, POSTS, cands)
    rep = check_plan(scn, plan, policy([{"rule": "difficult_areas", **rule}]))
    assert rep.valid is (not breaches)
    assert rep.rules[0].violation == len(breaches)
    assert rep.rules[0].breaches == breaches


@pytest.mark.parametrize("weight,holder,objective,violation", [
    (30, "A", 90 - 30, 1),   # badly rated A: 60 > 50
    (50, "B", 50, 0),        # 40 < 50
])
def test_soft_min_rating(weight, holder, objective, violation):
    cands = [cand("A", home="P2", rating="completed", merit=90), cand("B", home="P2", merit=50)]
    scn = scenario(UNITS, [POSTS[3]], cands,
                   rules=[{"rule": "difficult_areas", "min_rating": "good", "hard": False,
                           "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"D21-CH": holder}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


@pytest.mark.parametrize("weight,filled,objective", [(4, False, -4), (6, True, -5)])
def test_soft_vacancy_trade_off(weight, filled, objective):
    scn = scenario(UNITS, [POSTS[0], POSTS[2]], [cand("A", home="P2")], weights=FREE,
                   rules=[{"rule": "difficult_areas", "hard": False, "weight": weight}])
    result = optimal(scn)
    # only P1-DIR is difficult; filling it costs the move (5)
    assert result.plan == {"P1-DIR": "A" if filled else None, "P2-DIR": None}
    assert result.objective == objective
    assert result.check.rules[0].violation == (0 if filled else 1)


def test_soft_counts_each_post():
    posts = [post("P1-DIR", "P1", "director", min_education="phd"), post("D11-CH", "D11"),
             post("C211-CH", "C211", min_education="phd")]
    scn = scenario(UNITS, posts, [cand("A", home="P2", merit=10)], weights={"vacancy": 0},
                   rules=[{"rule": "difficult_areas", "hard": False, "weight": 13}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": None, "D11-CH": "A", "C211-CH": None}
    assert result.objective == 10 - 26
    assert result.check.rules[0].violation == 2


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

D21_CH = POSTS[3]   # in district D21, a difficult area


def test_bare_model_fills_a_difficult_post():
    scn = scenario(UNITS, [D21_CH], [cand("A", home="P2")])
    held = assert_binding(scn, {"rule": "difficult_areas"}, FREE)   # free: vacant, 0
    assert held.plan == {"D21-CH": "A"} and held.objective == -5


def test_bare_model_gives_no_variable_to_a_badly_rated_officer():
    scn = scenario(UNITS, [D21_CH], [cand("LOW", home="P2", rating="completed", merit=90),
                                     cand("HIGH", home="P2", rating="excellent", merit=30)])
    held = assert_binding(scn, {"rule": "difficult_areas", "min_rating": "good"})
    assert held.plan == {"D21-CH": "HIGH"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_no_one_may_take_a_difficult_post():
    scn = scenario(UNITS, [post("D21-CH", "D21", min_education="phd")], [cand("A", home="P2")])
    assert_infeasible(scn, {"rule": "difficult_areas"})


def test_bare_model_soft_pays_the_weight_per_post():
    scn = scenario(UNITS, [D21_CH], [cand("A", home="P2")])
    soft = assert_soft_penalty(scn, {"rule": "difficult_areas", "hard": False, "weight": 3}, FREE)
    assert soft.plan == {"D21-CH": None} and soft.objective == -3   # filling costs 5 > 3
