"""`service_left` pinned to the contract (docs/horizon.md): every officer *moved* onto a matching
post (a post other than the current one; newcomers included) has `leaves - term_start >= years`;
no `leaves` passes, staying passes; soft, per post.

Units: P1 (province) with district D1, P2 (province).
Posts: P1-DIR (director, P1), P2-DIR (director, P2), D1-CH (chief, D1). Term 2026.
A holds P1-DIR and leaves in 2028; R is a strong newcomer leaving in 2029; B a newcomer who
stays in service.
"""

import numpy as np
import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit
from pydantic import ValidationError

from planner import check_plan, solve
from planner.model.instance import Instance

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"), unit("P2", "province")]
POSTS = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director"),
         post("D1-CH", "D1", "chief")]
A = cand("A", home="P2", current_post="P1-DIR", leaves=2028, merit=70)
R = cand("R", home="P2", leaves=2029, merit=95)
B = cand("B", home="P2", merit=50)
RULE = {"rule": "service_left", "years": 5}


# -- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", [
    {"rule": "service_left"},                                  # years is required
    {"rule": "service_left", "years": -1},                     # >= 0
    {"rule": "service_left", "years": 10**7},
    {"rule": "service_left", "years": "5"},                    # quoted text is not an integer
    {"rule": "service_left", "years": 5, "since": 2020},       # unknown parameter
    {"rule": "service_left", "years": 5, "hard": False},       # soft needs a weight
])
def test_parameters_refused(rule):
    with pytest.raises(ValidationError):
        policy([rule])


def test_parameters_accepted():
    rule = policy([{"rule": "service_left", "years": 0, "roles": ["director"]}]).rules[0]
    assert (rule.years, rule.roles, rule.hard) == (0, ["director"], True)


# -- checker ---------------------------------------------------------------------------------

@pytest.mark.parametrize("leaves, years, short", [
    (2029, 5, True),     # 3 years left < 5
    (2031, 5, False),    # 5 >= 5
    (2030, 5, True),
    (None, 5, False),    # no leaves: passes
    (2027, 0, False),    # years 0: anyone still available passes
    (2027, 1, False),
    (2027, 2, True),
])
def test_checker_threshold(leaves, years, short):
    scn = scenario(UNITS, POSTS, [cand("R", home="P2", leaves=leaves)])
    rep = check_plan(scn, {"P2-DIR": "R"}, policy([{"rule": "service_left", "years": years}]))
    assert rep.valid is not short
    assert rep.rules[0].violation == int(short)
    assert rep.rules[0].figures == {"moved_checked": 1, "short_of_service": int(short)}


def test_checker_staying_passes_and_moving_does_not():
    scn = scenario(UNITS, POSTS, [A])
    stays = check_plan(scn, {"P1-DIR": "A"}, policy([RULE]))
    assert stays.valid and stays.rules[0].figures == {"moved_checked": 0, "short_of_service": 0}
    moves = check_plan(scn, {"P2-DIR": "A"}, policy([RULE]))
    assert moves.rules[0].breaches == [
        "post P2-DIR holds A: leaves service in 2028, 2 years after 2026, fewer than 5"]
    assert moves.violations == [f"hard rule service_left[years=5]: {moves.rules[0].breaches[0]}"]


@pytest.mark.parametrize("rule, post_id, breaks", [
    ({"roles": ["director"]}, "P2-DIR", True),
    ({"roles": ["chief"]}, "P2-DIR", False),          # the filter reads the assigned post
    ({"roles": ["chief"]}, "D1-CH", True),
    ({"unit_kind": "district"}, "P2-DIR", False),
    ({"unit_kind": "district"}, "D1-CH", True),
])
def test_checker_filters_on_the_assigned_post(rule, post_id, breaks):
    scn = scenario(UNITS, POSTS, [A])
    rep = check_plan(scn, {post_id: "A"}, policy([{**RULE, **rule}]))
    assert rep.rules[0].violation == int(breaks)


def test_checker_soft_penalty_per_post():
    scn = scenario(UNITS, POSTS, [A, R, B])
    soft = policy([{**RULE, "hard": False, "weight": 11}])
    rep = check_plan(scn, {"P1-DIR": "R", "P2-DIR": "A", "D1-CH": "B"}, soft)
    assert rep.valid
    assert (rep.rules[0].violation, rep.rules[0].penalty) == (2, 22)
    assert rep.rules[0].figures == {"moved_checked": 3, "short_of_service": 2}
    assert check_plan(scn, {"P1-DIR": "R", "P2-DIR": "A", "D1-CH": "B"}, policy([])).objective \
        - rep.objective == 22


# -- the pipeline ----------------------------------------------------------------------------

def test_hard_keeps_a_retiring_newcomer_off_the_post():
    assert optimal(scenario(UNITS, [POSTS[1]], [R, B])).plan == {"P2-DIR": "R"}    # without the rule
    result = optimal(scenario(UNITS, [POSTS[1]], [R, B], rules=[RULE]))
    assert result.plan == {"P2-DIR": "B"} and result.objective == 50


@pytest.mark.parametrize("leaves, holder", [(2031, "R"), (2030, "B"), (None, "R")])
def test_hard_threshold_in_the_model(leaves, holder):
    late = cand("R", home="P2", leaves=leaves, merit=95)     # 2031: exactly 5 years left
    assert optimal(scenario(UNITS, [POSTS[1]], [late, B], rules=[RULE])).plan == {"P2-DIR": holder}


def test_hard_lets_the_retiring_officer_stay():
    # A may keep P1-DIR (not moved) but not take P2-DIR; priority 3 on P2-DIR tempts A there
    posts = [POSTS[0], post("P2-DIR", "P2", "director", priority=3)]
    result = optimal(scenario(UNITS, posts, [A, B], rules=[RULE]))
    assert result.plan == {"P1-DIR": "A", "P2-DIR": "B"}
    assert result.objective == 70 + 3 * 50
    free = optimal(scenario(UNITS, posts, [A, B]))
    assert free.plan == {"P1-DIR": "B", "P2-DIR": "A"}


def test_hard_infeasible_when_fixed():
    scn = scenario(UNITS, [POSTS[1]], [R, B], fixed=[pin("P2-DIR", "R")], rules=[RULE])
    result = solve(scn, workers=1, exact=True)
    assert result.status.value == "infeasible"
    assert any("P2-DIR" in line and "R" in line and "service" in line for line in result.explanation), \
        result.explanation


@pytest.mark.parametrize("weight, holder, objective, violation", [
    (30, "R", 95 - 30, 1),    # 65 > 50
    (50, "B", 50, 0),         # 45 < 50
])
def test_soft_per_post(weight, holder, objective, violation):
    scn = scenario(UNITS, [POSTS[1]], [R, B], rules=[{**RULE, "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"P2-DIR": holder} and result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_model_counts_from_each_copy_year_and_leaves_dynamic_copies_to_the_links():
    scn = scenario(UNITS, [POSTS[1]], [R, B], rules=[RULE])
    rule, both = scn.policy.rules[0], np.array([0, 1])
    inst = Instance(scn)
    assert rule.breaks(inst, 0, both).tolist() == [True, False]
    inst.dynamic[0] = True          # a later period's copy: whether R moves follows from the plan
    assert rule.breaks(inst, 0, both).tolist() == [False, False]
    earlier = Instance(scn)
    earlier.year = [2021, 2026]     # R placed in 2021: 8 years left
    assert rule.breaks(earlier, 0, both).tolist() == [False, False]


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

def test_bare_model_gives_no_variable_to_a_short_move():
    held = assert_binding(scenario(UNITS, [POSTS[1]], [R, B]), RULE)
    assert held.plan == {"P2-DIR": "B"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_the_retiring_officer_is_fixed():
    assert_infeasible(scenario(UNITS, [POSTS[1]], [R, B], fixed=[pin("P2-DIR", "R")]), RULE)


def test_bare_model_soft_pays_the_weight_per_post():
    soft = assert_soft_penalty(scenario(UNITS, POSTS[:2], [A, R]), {**RULE, "hard": False, "weight": 20})
    # A stays (not moved: no charge) and R pays once: 70 + 95 - 20; the swap would pay twice
    assert soft.plan == {"P1-DIR": "A", "P2-DIR": "R"} and soft.objective == 145
