"""`term_limit` pinned to the contract: the filter applies to the candidate's *current* post;
`same: post` forbids keeping that post, `same: unit` any post whose unit is exactly its unit.

Units: P1 (province) with district D1, P2 (province).
Posts: P1-DIR (director, P1), P1-DEP (deputy, P1), D1-CH (chief, D1), P2-DIR (director, P2).
"""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"), unit("P2", "province")]
POSTS = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy"),
         post("D1-CH", "D1", "chief"), post("P2-DIR", "P2", "director")]


def veteran(terms=2, now="P1-DIR", merit=90):
    return cand("A", home="P2", current_post=now, consecutive_terms=terms, merit=merit)


# -- hard form -------------------------------------------------------------------------------

def test_hard_default_moves_the_veteran():
    posts = [POSTS[0], POSTS[3]]
    scn = scenario(UNITS, posts, [veteran(), cand("B", home="P2", merit=40)],
                   rules=[{"rule": "term_limit"}], weights={"move": 5})
    result = optimal(scn)
    # A may not keep P1-DIR (2 terms, default max 2): A -> P2-DIR, B -> P1-DIR, both moved
    assert result.plan == {"P1-DIR": "B", "P2-DIR": "A"}
    assert result.objective == 90 + 40 - 5 - 5
    assert result.check.moved == 2
    assert result.check.rules[0].violation == 0


@pytest.mark.parametrize("terms,limit,keeps", [
    (1, None, True),    # 1 < default 2
    (2, None, False),   # 2 >= 2
    (3, None, False),
    (2, 3, True),       # 2 < 3
    (3, 3, False),
    (1, 1, False),      # max 1: nobody keeps a post
])
def test_hard_threshold(terms, limit, keeps):
    rule = {"rule": "term_limit"}
    if limit is not None:
        rule["max_consecutive_terms"] = limit
    posts = [POSTS[0], POSTS[3]]
    scn = scenario(UNITS, posts, [veteran(terms), cand("B", home="P2", merit=40)],
                   rules=[rule], weights={"move": 5})
    result = optimal(scn)
    if keeps:  # staying saves A's move cost: 90 + 40 - 5 = 125 > 120
        assert result.plan == {"P1-DIR": "A", "P2-DIR": "B"}
        assert result.objective == 125
    else:
        assert result.plan == {"P1-DIR": "B", "P2-DIR": "A"}
        assert result.objective == 120
    rep = check_plan(scn, {"P1-DIR": "A", "P2-DIR": "B"})
    assert rep.valid is keeps
    assert rep.rules[0].violation == (0 if keeps else 1)


def test_hard_infeasible_when_fixed_to_keep():
    scn = scenario(UNITS, [POSTS[0]], [veteran()], fixed=[pin("P1-DIR", "A")],
                   rules=[{"rule": "term_limit"}])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert any("P1-DIR" in line and "term_limit" in line for line in result.explanation)


def test_hard_infeasible_with_fill():
    scn = scenario(UNITS, [POSTS[0]], [veteran()], rules=[{"rule": "term_limit"}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_same_unit_sends_veteran_out_of_the_unit():
    # same: unit: A may take neither P1-DIR nor P1-DEP (unit P1), but may take D1-CH
    # (D1 is inside P1 but is not P1). P1-DEP has priority 3 to tempt A, D1-CH priority 2.
    posts = [POSTS[0], post("P1-DEP", "P1", "deputy", priority=3),
             post("D1-CH", "D1", "chief", priority=2)]
    cands = [veteran(), cand("B", home="P2", merit=40), cand("C", home="P2", merit=30)]
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "term_limit", "same": "unit"}])
    result = optimal(scn)
    # A on D1-CH, B on the priority-3 post, C on P1-DIR: 2 x 90 + 3 x 40 + 30
    assert result.plan == {"P1-DIR": "C", "P1-DEP": "B", "D1-CH": "A"}
    assert result.objective == 2 * 90 + 3 * 40 + 30
    # same: post lets A take P1-DEP: 3 x 90 + 2 x 40 + 30 = 380 (> 330 with A on D1-CH)
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "term_limit"}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "C", "P1-DEP": "A", "D1-CH": "B"}
    assert result.objective == 380


# -- checker and filters -----------------------------------------------------------------------

@pytest.mark.parametrize("rule,plan,valid", [
    # same: post only forbids the current post itself
    ({}, {"P1-DEP": "A"}, True),
    ({}, {"P1-DIR": "A"}, False),
    # same: unit: any post whose unit is exactly P1, whatever its role
    ({"same": "unit"}, {"P1-DEP": "A"}, False),
    ({"same": "unit"}, {"P1-DIR": "A"}, False),
    ({"same": "unit"}, {"D1-CH": "A"}, True),
    ({"same": "unit"}, {"P2-DIR": "A"}, True),
    # the roles filter reads A's current post (director), not the post A gets
    ({"same": "unit", "roles": ["director"]}, {"P1-DEP": "A"}, False),
    ({"same": "unit", "roles": ["deputy"]}, {"P1-DEP": "A"}, True),
    ({"same": "unit", "roles": ["deputy"]}, {"P1-DIR": "A"}, True),
    ({"roles": ["director"]}, {"P1-DIR": "A"}, False),
    ({"roles": ["chief"]}, {"P1-DIR": "A"}, True),
    # unit_kind filter on the current post's unit
    ({"unit_kind": "province"}, {"P1-DIR": "A"}, False),
    ({"unit_kind": "district"}, {"P1-DIR": "A"}, True),
    ({"max_consecutive_terms": 3}, {"P1-DIR": "A"}, True),
])
def test_checker_filters(rule, plan, valid):
    scn = scenario(UNITS, POSTS, [veteran()])
    rep = check_plan(scn, plan, policy([{"rule": "term_limit", **rule}]))
    assert rep.valid is valid
    assert rep.rules[0].violation == (0 if valid else 1)
    if not valid:
        assert any("hard rule term_limit" in v and "holds A" in v for v in rep.violations)


def test_checker_current_post_filter_on_district_veteran():
    scn = scenario(UNITS, POSTS, [veteran(now="D1-CH")])
    pol = policy([{"rule": "term_limit", "unit_kind": "district", "same": "unit"}])
    assert check_plan(scn, {"D1-CH": "A"}, pol).valid is False
    assert check_plan(scn, {"P1-DEP": "A"}, pol).valid is True
    assert check_plan(scn, {"D1-CH": None}, pol).valid is True  # vacating is always fine


def test_newcomers_and_short_tenures_are_never_subject():
    cands = [cand("N", home="P1"), cand("S", home="P1", current_post="P1-DEP", consecutive_terms=1)]
    scn = scenario(UNITS, POSTS, cands)
    rep = check_plan(scn, {"P1-DIR": "N", "P1-DEP": "S"}, policy([{"rule": "term_limit", "same": "unit"}]))
    assert rep.valid is True and rep.rules[0].violation == 0


def test_solver_filters_on_current_post_not_target():
    # roles [deputy]: A's current post is a director post, so A is not subject at all
    scn = scenario(UNITS, [POSTS[0]], [veteran(terms=5), cand("B", home="P2", merit=40)],
                   rules=[{"rule": "term_limit", "roles": ["deputy"]}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "A"}
    assert result.objective == 90


# -- soft form -------------------------------------------------------------------------------

@pytest.mark.parametrize("weight,holder,objective,violation", [
    (20, "A", 90 - 20, 1),   # keeping A: 70 > 40
    (60, "B", 40, 0),        # keeping A: 30 < 40
])
def test_soft_per_candidate(weight, holder, objective, violation):
    scn = scenario(UNITS, [POSTS[0]], [veteran(), cand("B", home="P2", merit=40)],
                   rules=[{"rule": "term_limit", "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": holder}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_soft_two_veterans_count_twice():
    cands = [veteran(), cand("V", home="P1", current_post="P2-DIR", consecutive_terms=4, merit=80)]
    scn = scenario(UNITS, [POSTS[0], POSTS[3]], cands,
                   rules=[{"rule": "term_limit", "hard": False, "weight": 7}], weights={"move": 10})
    result = optimal(scn)
    # both keep: 90 + 80 - 2 x 7 = 156; swapping: 170 - 2 x 10 = 150
    assert result.plan == {"P1-DIR": "A", "P2-DIR": "V"}
    assert result.objective == 156
    assert result.check.rules[0].violation == 2
    assert result.check.rules[0].penalty == 14


def test_soft_same_unit_charges_a_different_role_in_the_unit():
    # roles [director], same: unit. A (director of P1, 2 terms) on P1-DEP (a deputy post,
    # not matching the roles) still breaks the rule: the filter is on the current post.
    # P1-DEP priority 2. A on P1-DEP: 2 x 90 + 10 - 7 = 183; A on P1-DIR: 90 + 2 x 10 - 7 = 103.
    posts = [POSTS[0], post("P1-DEP", "P1", "deputy", priority=2)]
    scn = scenario(UNITS, posts, [veteran(), cand("B", home="P2", merit=10)],
                   rules=[{"rule": "term_limit", "roles": ["director"], "same": "unit",
                           "hard": False, "weight": 7}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "B", "P1-DEP": "A"}
    assert result.objective == 183
    rep = result.check.rules[0]
    assert rep.violation == 1 and rep.penalty == 7
    assert "would stay in unit P1" in rep.breaches[0]


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

BARE = [veteran(), cand("B", home="P2", merit=50)]


def test_bare_model_gives_no_variable_to_a_veteran_on_the_post_held():
    held = assert_binding(scenario(UNITS, [POSTS[0]], BARE), {"rule": "term_limit"})
    assert held.plan == {"P1-DIR": "B"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_the_veteran_is_fixed_on_the_post_held():
    scn = scenario(UNITS, [POSTS[0]], BARE, fixed=[pin("P1-DIR", "A")])
    assert_infeasible(scn, {"rule": "term_limit"})


def test_bare_model_soft_pays_the_weight_per_veteran_who_stays():
    scn = scenario(UNITS, [POSTS[0]], BARE)
    soft = assert_soft_penalty(scn, {"rule": "term_limit", "hard": False, "weight": 20})
    assert soft.plan == {"P1-DIR": "A"} and soft.objective == 70   # 90 - 20 > 50
