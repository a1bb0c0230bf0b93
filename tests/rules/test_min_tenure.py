"""`min_tenure` pinned to the contract (docs/horizon.md): an officer whose current post exists,
matches the filters (read on the *current* post, as for `term_limit`) and was taken less than
`years` before (`since` known, `term_start - since < years`) keeps it; soft, per such officer.

Units: P1 (province) with district D1, P2 (province).
Posts: P1-DIR (director, P1), P2-DIR (director, P2), D1-CH (chief, D1).
A took P1-DIR in 2024 and is weak (merit 40); B is a strong newcomer (merit 90). Term 2026.
"""

import numpy as np
import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit
from pydantic import ValidationError

from planner import check_plan, solve
from planner.model.instance import Instance
from planner.model.pairs import pair_table

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"), unit("P2", "province")]
POSTS = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director"),
         post("D1-CH", "D1", "chief")]
RULE = {"rule": "min_tenure", "years": 3}


def fresh(since=2024, now="P1-DIR", merit=40, **kw):
    return cand("A", home="P2", current_post=now, since=since, merit=merit, **kw)


STRONG = cand("B", home="P2", merit=90)


# -- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", [
    {"rule": "min_tenure"},                                   # years is required
    {"rule": "min_tenure", "years": 0},                       # >= 1
    {"rule": "min_tenure", "years": -2},
    {"rule": "min_tenure", "years": 10**7},                   # beyond the integer range
    {"rule": "min_tenure", "years": True},                    # a boolean is not an integer
    {"rule": "min_tenure", "years": 2.5},
    {"rule": "min_tenure", "years": 3, "months": 2},          # unknown parameter
    {"rule": "min_tenure", "years": 3, "hard": False},        # soft needs a weight
])
def test_parameters_refused(rule):
    with pytest.raises(ValidationError):
        policy([rule])


def test_parameters_accepted():
    rule = policy([{"rule": "min_tenure", "years": 1, "roles": ["chief"], "unit_kind": "district",
                    "hard": False, "weight": 4}]).rules[0]
    assert (rule.years, rule.roles, rule.unit_kind.value, rule.cost) == (1, ["chief"], "district", 4)
    assert rule.title == "min_tenure[roles=chief, unit_kind=district, years=1]"


# -- checker ---------------------------------------------------------------------------------

@pytest.mark.parametrize("since, years, bound", [
    (2024, 3, True),     # 2026 - 2024 = 2 < 3
    (2024, 2, False),    # 2 is not < 2
    (2026, 1, True),     # taken this very year
    (2025, 1, False),
    (2016, 11, True),
    (None, 8, False),    # since unknown: never bound
])
def test_checker_threshold(since, years, bound):
    scn = scenario(UNITS, POSTS, [fresh(since=since)])
    rule = policy([{"rule": "min_tenure", "years": years}])
    moved = check_plan(scn, {"P2-DIR": "A"}, rule)
    assert moved.valid is not bound
    assert moved.rules[0].violation == int(bound)
    assert moved.rules[0].figures == {"bound_officers": int(bound), "kept": 0}
    kept = check_plan(scn, {"P1-DIR": "A"}, rule)
    assert kept.valid and kept.rules[0].figures == {"bound_officers": int(bound), "kept": int(bound)}


def test_checker_breaches_in_words():
    scn = scenario(UNITS, POSTS, [fresh()])
    rep = check_plan(scn, {"P2-DIR": "A"}, policy([RULE]))
    assert rep.rules[0].breaches == [
        "A took P1-DIR in 2024, less than 3 years before 2026, but is moved to P2-DIR"]
    assert rep.violations == [f"hard rule min_tenure[years=3]: {rep.rules[0].breaches[0]}"]
    rep = check_plan(scn, {}, policy([RULE]))   # unassigned breaks it too
    assert rep.rules[0].breaches == [
        "A took P1-DIR in 2024, less than 3 years before 2026, but is left without a post"]


@pytest.mark.parametrize("rule, now, bound", [
    ({"roles": ["director"]}, "P1-DIR", True),
    ({"roles": ["chief"]}, "P1-DIR", False),         # the filter reads the current post
    ({"unit_kind": "province"}, "P1-DIR", True),
    ({"unit_kind": "district"}, "P1-DIR", False),
    ({"unit_kind": "district"}, "D1-CH", True),
    ({"roles": ["chief"], "unit_kind": "province"}, "D1-CH", False),
])
def test_checker_filters_on_the_current_post(rule, now, bound):
    scn = scenario(UNITS, POSTS, [fresh(now=now)])
    rep = check_plan(scn, {"P2-DIR": "A"}, policy([{**RULE, **rule}]))
    assert rep.rules[0].violation == int(bound)


def test_checker_a_closed_current_post_binds_no_one():
    posts = [post("P1-DIR", "P1", "director", closes=2026), POSTS[1]]
    scn = scenario(UNITS, posts, [fresh()])
    rep = check_plan(scn, {"P2-DIR": "A"}, policy([RULE]))
    assert rep.valid and rep.rules[0].figures == {"bound_officers": 0, "kept": 0}


def test_checker_soft_penalty_per_officer():
    cands = [fresh(), cand("C", home="P1", current_post="P2-DIR", since=2025)]
    scn = scenario(UNITS, POSTS, cands)
    soft = policy([{**RULE, "hard": False, "weight": 13}])
    rep = check_plan(scn, {"P1-DIR": "C", "P2-DIR": "A"}, soft)     # both moved
    assert rep.valid
    assert (rep.rules[0].violation, rep.rules[0].penalty) == (2, 26)
    free = check_plan(scn, {"P1-DIR": "C", "P2-DIR": "A"}, policy([]))
    assert free.objective - rep.objective == 26
    rep = check_plan(scn, {"P1-DIR": "A", "D1-CH": "C"}, soft)      # A kept, C moved
    assert (rep.rules[0].violation, rep.rules[0].penalty) == (1, 13)


# -- the pipeline ----------------------------------------------------------------------------

def test_hard_keeps_the_officer_on_the_post():
    scn = scenario(UNITS, [POSTS[0]], [fresh(), STRONG])
    assert optimal(scn).plan == {"P1-DIR": "B"}                      # without the rule
    result = optimal(scenario(UNITS, [POSTS[0]], [fresh(), STRONG], rules=[RULE]))
    assert result.plan == {"P1-DIR": "A"} and result.objective == 40
    assert result.check.rules[0].figures == {"bound_officers": 1, "kept": 1}


@pytest.mark.parametrize("since", [2023, 2020, None])    # 2026 - 2023 = 3 is not < 3
def test_hard_lets_an_old_or_unknown_tenure_go(since):
    cands = [fresh(since=since), STRONG]
    result = optimal(scenario(UNITS, [POSTS[0]], cands, rules=[RULE]))
    assert result.plan == {"P1-DIR": "B"} and result.objective == 90


def test_hard_infeasible_when_forbidden_to_stay():
    scn = scenario(UNITS, [POSTS[0]], [fresh(), STRONG], forbidden=[pin("P1-DIR", "A")],
                   rules=[RULE])
    result = solve(scn, workers=1, exact=True)
    assert result.status.value == "infeasible"
    assert any("min_tenure" in line and "P1-DIR" in line for line in result.explanation), \
        result.explanation


def test_hard_infeasible_when_the_stay_is_ineligible():
    # P1-DIR now asks age <= 40: A (51) has no variable on it at all
    posts = [post("P1-DIR", "P1", "director", max_age=40)]
    scn = scenario(UNITS, posts, [fresh(), cand("B", home="P2", merit=90, birth_year=1990)],
                   rules=[RULE])
    assert solve(scn, workers=1, exact=True).status.value == "infeasible"


@pytest.mark.parametrize("weight, holder, objective, violation", [
    (30, "B", 90 - 30, 1),    # paying 30 for B (90) beats keeping A (40)
    (60, "A", 40, 0),         # 90 - 60 = 30 < 40
])
def test_soft_per_officer(weight, holder, objective, violation):
    scn = scenario(UNITS, [POSTS[0]], [fresh(), STRONG],
                   rules=[{**RULE, "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan["P1-DIR"] == holder and result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_soft_officer_unassigned_pays_too():
    # A's own post goes to B; A may take nothing else: A is not kept, 90 - 30 = 60
    scn = scenario(UNITS, [POSTS[0]], [fresh(), STRONG], rules=[{**RULE, "hard": False, "weight": 30}])
    assert optimal(scn).plan == {"P1-DIR": "B"}
    assert optimal(scn).check.rules[0].breaches[0].endswith("is left without a post")


def test_shortlisted_solve_keeps_the_stay_pair():
    scn = scenario(UNITS, POSTS, [fresh(), STRONG, cand("C", home="P1", merit=80)], rules=[RULE])
    result = solve(scn, workers=1, exact=False)
    assert result.status.value == "optimal"
    assert result.plan["P1-DIR"] == "A" and result.check.valid


# -- the rule's parts for national scale -------------------------------------------------------

def _parts(rule):
    scn = scenario(UNITS, POSTS, [fresh(), STRONG], rules=[rule])
    inst = Instance(scn)
    table = pair_table(inst, scn.policy)
    stay = np.flatnonzero((table.cand == inst.cand_index["A"]) & (table.post == inst.post_index["P1-DIR"]))
    return scn.policy.rules[0], inst, table, stay


def test_lp_rows_helps_and_nudge():
    rule, inst, table, stay = _parts(RULE)
    rows = rule.lp_rows(inst, table)
    assert rows.a.toarray().tolist() == [[int(i in stay) for i in range(len(table))]]
    assert rows.lo.tolist() == [1] and rows.n_aux == 0
    assert np.flatnonzero(rule.helps(inst, table)).tolist() == stay.tolist()
    plan = np.full(inst.n_posts, -1, dtype=np.int64)
    favour, disfavour = rule.nudge(inst, table, plan)
    assert favour.tolist() == stay.tolist() and len(disfavour) == 0
    plan[inst.post_index["P1-DIR"]] = stay[0]
    assert rule.nudge(inst, table, plan) is None


def test_lp_rows_soft_have_a_shortfall_worth_the_weight():
    rule, inst, table, _ = _parts({**RULE, "hard": False, "weight": 9})
    rows = rule.lp_rows(inst, table)
    assert rows.n_aux == 1 and rows.d.tolist() == [-9] and rows.ub.tolist() == [1]


def test_only_static_copies_bind_counted_from_their_year():
    scn = scenario(UNITS, POSTS, [fresh(), STRONG], rules=[RULE])
    rule = scn.policy.rules[0]
    assert rule.bound(Instance(scn)) == [(0, 0)]
    inst = Instance(scn)
    inst.dynamic[0] = True          # a later period's copy: its tenure follows from the plan
    assert rule.bound(inst) == []
    later = Instance(scn)
    later.year = [2027, 2027]       # 2027 - 2024 = 3: no longer less than 3
    assert rule.bound(later) == []


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

def test_bare_model_forces_the_stay():
    held = assert_binding(scenario(UNITS, [POSTS[0]], [fresh(), STRONG]), RULE)
    assert held.plan == {"P1-DIR": "A"}


def test_bare_model_infeasible_when_forbidden_to_stay():
    scn = scenario(UNITS, [POSTS[0]], [fresh(), STRONG], forbidden=[pin("P1-DIR", "A")])
    held = assert_infeasible(scn, RULE)
    assert held.builder.impossible                  # no stay pair: recorded while building


def test_bare_model_soft_pays_the_weight_per_officer():
    scn = scenario(UNITS, [POSTS[0]], [fresh(), STRONG])
    soft = assert_soft_penalty(scn, {**RULE, "hard": False, "weight": 20})
    assert soft.plan == {"P1-DIR": "B"} and soft.objective == 70     # 90 - 20 > 40


def test_bare_model_soft_two_officers_moved_count_twice():
    cands = [fresh(merit=10), cand("C", home="P1", current_post="P2-DIR", since=2025, merit=10),
             cand("B", home="P2", merit=90), cand("D", home="P1", merit=90)]
    scn = scenario(UNITS, POSTS[:2], cands)
    soft = assert_soft_penalty(scn, {**RULE, "hard": False, "weight": 20})
    assert soft.objective == 180 - 40
