"""`difficult_experience` pinned to the contract (docs/horizon.md): every officer on a matching
post has `served_difficult`; soft, per post.

Units: M (ministry), P1 (province) with district D1 (difficult), P2 (province).
Posts: M-DIR (director, M), P1-DIR (director, P1), D1-CH (chief, D1).
A is strong (merit 90) and has never served in a difficult area; H (merit 50) has.
"""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit
from pydantic import ValidationError

from planner import check_plan, solve

UNITS = [unit("M", "ministry"), unit("P1", "province"),
         unit("D1", "district", parent="P1", difficult=True), unit("P2", "province")]
POSTS = [post("M-DIR", "M", "director"), post("P1-DIR", "P1", "director"),
         post("D1-CH", "D1", "chief")]
A = cand("A", home="P2", merit=90)
H = cand("H", home="P2", merit=50, served_difficult=True)
RULE = {"rule": "difficult_experience"}


# -- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", [
    {"rule": "difficult_experience", "years": 2},              # no such parameter
    {"rule": "difficult_experience", "unit_kind": "county"},   # not a unit kind
    {"rule": "difficult_experience", "roles": []},             # roles, when given, are some
    {"rule": "difficult_experience", "hard": False},           # soft needs a weight
    {"rule": "difficult_experience", "hard": False, "weight": 0},
])
def test_parameters_refused(rule):
    with pytest.raises(ValidationError):
        policy([rule])


def test_parameters_accepted():
    rule = policy([{"rule": "difficult_experience", "unit_kind": "ministry", "hard": "no",
                    "weight": 5}]).rules[0]
    assert (rule.unit_kind.value, rule.hard, rule.cost, rule.title) == \
        ("ministry", False, 5, "difficult_experience[unit_kind=ministry]")


def test_served_difficult_is_read_as_a_flag():
    assert cand("X", home="P1", served_difficult="yes").served_difficult is True
    assert cand("X", home="P1").served_difficult is False


# -- checker ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rule, post_id, breaks", [
    ({}, "M-DIR", True),
    ({}, "D1-CH", True),                               # no exemption in a difficult unit itself
    ({"unit_kind": "ministry"}, "M-DIR", True),
    ({"unit_kind": "ministry"}, "P1-DIR", False),
    ({"roles": ["chief"]}, "M-DIR", False),
    ({"roles": ["chief"], "unit_kind": "district"}, "D1-CH", True),
])
def test_checker_filters(rule, post_id, breaks):
    scn = scenario(UNITS, POSTS, [A, H])
    pol = policy([{**RULE, **rule}])
    rep = check_plan(scn, {post_id: "A"}, pol)
    assert rep.valid is not breaks
    assert rep.rules[0].violation == int(breaks)
    assert rep.rules[0].figures == {"posts": int(breaks), "without_experience": int(breaks)}
    if breaks:
        why = "has not served in a difficult area"
        assert rep.violations == [f"hard rule {rep.rules[0].rule}: post {post_id} holds A: {why}"]
    assert check_plan(scn, {post_id: "H"}, pol).valid


def test_checker_soft_penalty_per_post():
    cands = [A, cand("A2", home="P2"), H]
    scn = scenario(UNITS, POSTS, cands)
    soft = policy([{**RULE, "hard": False, "weight": 7}])
    rep = check_plan(scn, {"M-DIR": "A", "P1-DIR": "A2", "D1-CH": "H"}, soft)
    assert rep.valid
    assert (rep.rules[0].violation, rep.rules[0].penalty) == (2, 14)
    assert rep.rules[0].figures == {"posts": 3, "without_experience": 2}
    free = check_plan(scn, {"M-DIR": "A", "P1-DIR": "A2", "D1-CH": "H"}, policy([]))
    assert free.objective - rep.objective == 14


# -- the pipeline ----------------------------------------------------------------------------

def test_hard_only_experienced_officers_on_matching_posts():
    posts = [post("M-DIR", "M", "director", priority=2), POSTS[1]]
    free = optimal(scenario(UNITS, posts, [A, H]))
    assert free.plan == {"M-DIR": "A", "P1-DIR": "H"} and free.objective == 2 * 90 + 50
    result = optimal(scenario(UNITS, posts, [A, H], rules=[{**RULE, "unit_kind": "ministry"}]))
    assert result.plan == {"M-DIR": "H", "P1-DIR": "A"} and result.objective == 2 * 50 + 90


def test_hard_leaves_a_post_vacant_rather_than_break():
    result = optimal(scenario(UNITS, [POSTS[0]], [A], rules=[RULE]))
    assert result.plan == {"M-DIR": None} and result.objective == -1000     # the vacancy weight


def test_hard_infeasible_when_fixed():
    scn = scenario(UNITS, [POSTS[0]], [A, H], fixed=[pin("M-DIR", "A")], rules=[RULE])
    result = solve(scn, workers=1, exact=True)
    assert result.status.value == "infeasible"
    assert any("M-DIR" in line and "difficult area" in line for line in result.explanation), \
        result.explanation


def test_hard_infeasible_with_fill():
    scn = scenario(UNITS, [POSTS[0]], [A], rules=[RULE, {"rule": "fill"}])
    assert solve(scn, workers=1, exact=True).status.value == "infeasible"


@pytest.mark.parametrize("weight, holder, objective, violation", [
    (30, "A", 90 - 30, 1),    # 60 > 50
    (45, "H", 50, 0),         # 45 < 50
])
def test_soft_per_post(weight, holder, objective, violation):
    scn = scenario(UNITS, [POSTS[0]], [A, H], rules=[{**RULE, "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"M-DIR": holder} and result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

def test_bare_model_gives_no_variable_to_an_officer_without_difficult_service():
    held = assert_binding(scenario(UNITS, [POSTS[0]], [A, H]), RULE)
    assert held.plan == {"M-DIR": "H"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_the_inexperienced_officer_is_fixed():
    assert_infeasible(scenario(UNITS, [POSTS[0]], [A, H], fixed=[pin("M-DIR", "A")]), RULE)


def test_bare_model_soft_pays_the_weight_per_post():
    cands = [A, cand("A2", home="P2", merit=90)]
    soft = assert_soft_penalty(scenario(UNITS, POSTS[:2], cands), {**RULE, "hard": False, "weight": 20})
    assert soft.objective == 180 - 40
