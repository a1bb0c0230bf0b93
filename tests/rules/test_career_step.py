"""`career_step` pinned to the contract (/work/shared/spec/careers.md, section 2 and clarification
1): every officer *moved* onto a matching post (a post other than the current one; newcomers
included), where the post and the officer both have a grade, has
`-max_down <= post.grade - grade_t <= max_up`, and with `planned` a post above grade_t is in the
officer's `planned_for`; one unit per post whichever condition fails. Over a horizon grade_t is
the grade of the post held in t-1 where it has one, else grade_{t-1}.

Units: P1 (province) with district D1, P2 (province).
Posts: P1-DIR (director, grade 4), P1-DEP (deputy, grade 3), D1-CH (chief, grade 2), P2-X
(chief, no grade). Term 2026. Default weights: merit 1, vacancy 1000 (per vacant post).
"""

import numpy as np
import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit
from horizon_bruteforce import horizon_optimum
from ortools.sat.python import cp_model
from pydantic import ValidationError

from planner import check_plan, solve
from planner.check.horizon import check_horizon
from planner.check.view import PlanView
from planner.model.builder import ModelBuilder
from planner.model.horizon import horizon_instance
from planner.model.instance import Instance
from planner.model.pairs import pair_table
from planner.schema import Pin

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"), unit("P2", "province")]
DIR = post("P1-DIR", "P1", "director", grade=4)
DEP = post("P1-DEP", "P1", "deputy", grade=3)
CH = post("D1-CH", "D1", "chief", grade=2)
UNGRADED = post("P2-X", "P2", "chief")
POSTS = [DIR, DEP, CH, UNGRADED]
RULE = {"rule": "career_step"}
R = cand("R", home="P2", grade=2, merit=95)                          # strong, grade 2, no plan
B = cand("B", home="P2", grade=3, merit=50, planned_for=["P1-DIR"])  # one step below, planned


def figures(moved, up=0, down=0, unplanned=0, breaking=None):
    breaking = max(up, down, unplanned) if breaking is None else breaking
    return {"moved_checked": moved, "breaking_posts": breaking, "over_max_up": up,
            "over_max_down": down, "unplanned": unplanned}


# -- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", [
    {"rule": "career_step", "max_up": -1},
    {"rule": "career_step", "max_down": -1},
    {"rule": "career_step", "max_up": "1"},          # quoted text is not an integer
    {"rule": "career_step", "step": 1},              # unknown parameter
    {"rule": "career_step", "hard": False},          # soft needs a weight
])
def test_parameters_refused(rule):
    with pytest.raises(ValidationError):
        policy([rule])


def test_parameters_and_defaults():
    rule = policy([RULE]).rules[0]
    assert (rule.max_up, rule.max_down, rule.planned, rule.hard) == (1, 0, True, True)
    assert rule.title == "career_step"
    other = policy([{**RULE, "max_up": 2, "planned": False, "roles": ["director"]}]).rules[0]
    assert other.title == "career_step[roles=director, max_up=2, planned=False]"


# -- checker, one period -------------------------------------------------------------------------

@pytest.mark.parametrize("grade, planned_for, rule, target, expect", [
    (3, ["P1-DIR"], {}, "P1-DIR", figures(1)),                        # one up, planned
    (3, None, {}, "P1-DIR", figures(1, unplanned=1)),                 # one up, not planned
    (3, ["P1-DEP"], {}, "P1-DIR", figures(1, unplanned=1)),           # planned for another post
    (3, None, {"planned": False}, "P1-DIR", figures(1)),
    (2, ["P1-DIR"], {}, "P1-DIR", figures(1, up=1)),                  # two up
    (2, None, {}, "P1-DIR", figures(1, up=1, unplanned=1)),           # both fail: one unit
    (2, None, {"max_up": 2, "planned": False}, "P1-DIR", figures(1)),
    (1, None, {"max_up": 2, "planned": False}, "P1-DIR", figures(1, up=1)),
    (4, None, {}, "P1-DIR", figures(1)),                              # same grade
    (4, None, {}, "P1-DEP", figures(1, down=1)),                      # one down, max_down 0
    (4, None, {"max_down": 1}, "P1-DEP", figures(1)),
    (4, None, {"max_down": 1}, "D1-CH", figures(1, down=1)),          # two down
    (4, None, {"max_up": 0}, "D1-CH", figures(1, down=1)),
    (1, None, {"max_up": 0, "planned": False}, "D1-CH", figures(1, up=1)),
    (1, None, {}, "P2-X", figures(1)),                                # post without a grade
    (None, None, {}, "P1-DIR", figures(1)),                           # officer without a grade
])
def test_checker_conditions(grade, planned_for, rule, target, expect):
    officer = cand("N", home="P2", grade=grade, planned_for=planned_for)  # a newcomer: moved
    rep = check_plan(scenario(UNITS, POSTS, [officer]), {target: "N"}, policy([{**RULE, **rule}]))
    assert rep.rules[0].figures == expect
    assert rep.rules[0].violation == expect["breaking_posts"]
    assert rep.valid is (expect["breaking_posts"] == 0)


def test_checker_breaches_in_words():
    rep = check_plan(scenario(UNITS, POSTS, [R]), {"P1-DIR": "R"}, policy([RULE]))
    assert rep.rules[0].breaches == [(
        "post P1-DIR holds R: grade 2 to grade 4 is a step of 2 up, above max_up 1; not planned "
        "for P1-DIR (grade 4, above grade 2)")]
    down = check_plan(scenario(UNITS, POSTS, [cand("H", home="P2", grade=4)]), {"D1-CH": "H"},
                      policy([{**RULE, "max_down": 1}]))
    assert down.rules[0].breaches == [
        "post D1-CH holds H: grade 4 to grade 2 is a step of 2 down, above max_down 1"]


def test_checker_a_stay_never_breaks_a_move_does():
    # A holds grade 2 on a grade-4 current post (the data allows it): staying is no move
    a = cand("A", home="P2", grade=2, current_post="P1-DIR")
    scn = scenario(UNITS, POSTS, [a])
    stays = check_plan(scn, {"P1-DIR": "A"}, policy([RULE]))
    assert stays.valid and stays.rules[0].figures == figures(0)
    moves = check_plan(scn, {"P1-DEP": "A"}, policy([RULE]))
    assert moves.rules[0].figures == figures(1, unplanned=1)


@pytest.mark.parametrize("rule, target, breaks", [
    ({"roles": ["director"]}, "P1-DIR", True),
    ({"roles": ["deputy"]}, "P1-DIR", False),
    ({"unit_kind": "district"}, "D1-CH", True),
    ({"unit_kind": "district"}, "P1-DIR", False),
])
def test_checker_filters_on_the_assigned_post(rule, target, breaks):
    officer = cand("N", home="P2", grade=0)
    rep = check_plan(scenario(UNITS, POSTS, [officer]), {target: "N"}, policy([{**RULE, **rule}]))
    assert rep.rules[0].violation == int(breaks)


def test_checker_soft_penalty_per_post():
    scn = scenario(UNITS, POSTS, [R, B, cand("H", home="P2", grade=4)])
    soft = policy([{**RULE, "hard": False, "weight": 11}])
    plan = {"P1-DIR": "R", "P1-DEP": "H", "D1-CH": "B"}   # R: two up, H and B: one down
    rep = check_plan(scn, plan, soft)
    assert rep.valid
    assert (rep.rules[0].violation, rep.rules[0].penalty) == (3, 33)
    assert rep.rules[0].figures == figures(3, up=1, down=2, unplanned=1, breaking=3)
    assert check_plan(scn, plan, policy([])).objective - rep.objective == 33


# -- the model, one period -------------------------------------------------------------------------

def test_hard_keeps_an_unplanned_officer_off_a_post_above():
    assert optimal(scenario(UNITS, [DIR], [R, B])).plan == {"P1-DIR": "R"}       # without the rule
    result = optimal(scenario(UNITS, [DIR], [R, B], rules=[RULE]))
    assert result.plan == {"P1-DIR": "B"} and result.objective == 50


@pytest.mark.parametrize("rule, holder", [
    ({"max_up": 2}, "B"),                      # R still not planned
    ({"max_up": 2, "planned": False}, "R"),
    ({"planned": False}, "B"),                 # R: two up
])
def test_hard_parameters_in_the_model(rule, holder):
    result = optimal(scenario(UNITS, [DIR], [R, B], rules=[{**RULE, **rule}]))
    assert result.plan == {"P1-DIR": holder}


def test_hard_max_down_in_the_model():
    high = cand("H", home="P2", grade=4, merit=95)
    low = cand("L", home="P2", grade=3, merit=50)
    assert optimal(scenario(UNITS, [DEP], [high, low], rules=[RULE])).plan == {"P1-DEP": "L"}
    assert optimal(scenario(UNITS, [DEP], [high, low], rules=[{**RULE, "max_down": 1}])).plan \
        == {"P1-DEP": "H"}


def test_hard_lets_the_officer_stay_and_counts_a_newcomer_as_moved():
    # A (grade 2) holds the grade-4 P1-DIR and may keep it, but may not take P1-DEP (priority 3
    # tempts A there); the newcomer R, grade 2 too, may take neither
    posts = [DIR, post("P1-DEP", "P1", "deputy", grade=3, priority=3)]
    a = cand("A", home="P2", grade=2, current_post="P1-DIR", merit=70)
    result = optimal(scenario(UNITS, posts, [a, R, B], rules=[RULE]))
    assert result.plan == {"P1-DIR": "A", "P1-DEP": "B"}
    assert result.objective == 70 + 3 * 50
    assert optimal(scenario(UNITS, posts, [a, R, B])).plan == {"P1-DIR": "A", "P1-DEP": "R"}


def test_without_grades_everyone_passes_in_the_model():
    ungraded = cand("U", home="P2", merit=95)
    result = optimal(scenario(UNITS, [DIR, UNGRADED], [ungraded, R],
                              rules=[RULE]))
    assert result.plan == {"P1-DIR": "U", "P2-X": "R"}


@pytest.mark.parametrize("weight, holder, objective, violation", [
    (44, "R", 95 - 44, 1),    # 51 > 50: one unit although both conditions fail
    (46, "B", 50, 0),         # 49 < 50
])
def test_soft_per_post(weight, holder, objective, violation):
    result = optimal(scenario(UNITS, [DIR], [R, B], rules=[{**RULE, "hard": False, "weight": weight}]))
    assert result.plan == {"P1-DIR": holder} and result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_breaks_leaves_dynamic_copies_to_the_links():
    scn = scenario(UNITS, [DIR], [R, B], rules=[RULE])
    rule, both = scn.policy.rules[0], np.array([0, 1])
    inst = Instance(scn)
    assert rule.breaks(inst, 0, both).tolist() == [True, False]
    inst.dynamic[0] = True
    assert rule.breaks(inst, 0, both).tolist() == [False, False]


def test_bare_model_gives_no_variable_to_a_breaching_move():
    held = assert_binding(scenario(UNITS, [DIR], [R, B]), RULE)
    assert held.plan == {"P1-DIR": "B"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_the_unplanned_officer_is_fixed():
    assert_infeasible(scenario(UNITS, [DIR], [R, B], fixed=[pin("P1-DIR", "R")]), RULE)


def test_bare_model_soft_pays_the_weight_per_post():
    soft = assert_soft_penalty(scenario(UNITS, [DIR, DEP], [R, B]),
                               {**RULE, "hard": False, "weight": 20})
    # R on P1-DIR pays 20 (one unit); B on P1-DEP, of its own grade, pays nothing: 95 + 50 - 20
    assert soft.plan == {"P1-DIR": "R", "P1-DEP": "B"} and soft.objective == 125


# -- words --------------------------------------------------------------------------------------

@pytest.mark.parametrize("officer, rule, target, short, long", [
    (R, {}, "P1-DIR", "is not planned for P1-DIR",
     ("holds grade 2: grade 2 to grade 4 is a step of 2 up, above max_up 1; not planned for "
      "P1-DIR (grade 4, above grade 2)")),
    (R, {"planned": False}, "P1-DIR", "is more than 1 grade below post P1-DIR",
     "holds grade 2: grade 2 to grade 4 is a step of 2 up, above max_up 1"),
    (cand("H", home="P2", grade=4), {}, "D1-CH", "holds a higher grade than post D1-CH",
     "holds grade 4: grade 4 to grade 2 is a step of 2 down, above max_down 0"),
    (cand("H", home="P2", grade=4), {"max_down": 1}, "D1-CH", "is more than 1 grade above post D1-CH",
     "holds grade 4: grade 4 to grade 2 is a step of 2 down, above max_down 1"),
])
def test_excluded_words(officer, rule, target, short, long):
    scn = scenario(UNITS, POSTS, [officer], rules=[{**RULE, **rule}])
    inst, rule_ = Instance(scn), scn.policy.rules[0]
    view, p = PlanView(scn, {}), inst.post_index[target]
    assert rule_.excluded_words(inst, view, 0, p, short=True) == short
    assert rule_.excluded_words(inst, view, 0, p) == long


# -- horizons ---------------------------------------------------------------------------------------
# Periods 2026 and 2031. X (grade 2, merit 90, planned for P1-DEP and P1-DIR) holds D1-CH; Z has
# no grade (merit 30). P1-DIR (priority 3) opens in 2031. Over the horizon X may take P1-DIR in
# 2031 only after a step to P1-DEP in 2026: from grade 3 that is one step, from grade 2 two.

YEARS = [2026, 2031]
H_DIR = post("P1-DIR", "P1", "director", grade=4, priority=3, opens=2031)
X = cand("X", home="P2", grade=2, merit=90, current_post="D1-CH", planned_for=["P1-DEP", "P1-DIR"])
Z = cand("Z", home="P2", merit=30)


def horizon(posts, cands, rules, **kw):
    return scenario(UNITS, posts, cands, rules=rules, **kw).model_copy(update={"periods": YEARS})


def horizon_model(scn):
    """(objective, plans) of the horizon's own model solved by CP-SAT alone: no warm start or
    other plan of the pipeline can stand in for what the links allow."""
    inst = horizon_instance(scn)
    mb = ModelBuilder(inst, scn.policy).build()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(mb.model) == cp_model.OPTIMAL
    plan = mb.plan_from(solver.response_proto.solution)
    return round(solver.objective_value), inst.horizon.plans(plan, inst)


@pytest.mark.parametrize("first, second, breaches", [
    ({"P1-DEP": "X", "D1-CH": "Z"}, {"P1-DIR": "X", "P1-DEP": None, "D1-CH": "Z"}, []),
    ({"P1-DEP": "X", "D1-CH": "Z"}, {"P1-DIR": "X", "P1-DEP": "Z", "D1-CH": None},   # Z: grade 2 now
     ["post P1-DEP holds Z: not planned for P1-DEP (grade 3, above grade 2)"]),
    ({"P1-DEP": "Z", "D1-CH": "X"}, {"P1-DIR": "X", "P1-DEP": "Z", "D1-CH": None},
     ["post P1-DIR holds X: grade 2 to grade 4 is a step of 2 up, above max_up 1"]),
    ({"P1-DEP": "Z", "D1-CH": None}, {"P1-DIR": "X", "P1-DEP": "Z", "D1-CH": None},    # unassigned
     ["post P1-DIR holds X: grade 2 to grade 4 is a step of 2 up, above max_up 1"]),
    ({"P1-DEP": "X", "D1-CH": "Z"}, {"P1-DIR": None, "P1-DEP": None, "D1-CH": "X"},
     ["post D1-CH holds X: grade 3 to grade 2 is a step of 1 down, above max_down 0"]),
])
def test_check_horizon_reads_the_grade_of_the_post_before(first, second, breaches):
    scn = horizon([H_DIR, DEP, CH], [X, Z], [RULE])
    rep = check_horizon(scn, {2026: first, 2031: second})
    assert rep.periods[0][1].rules[0].breaches == []
    assert rep.periods[1][1].rules[0].breaches == breaches


def test_check_horizon_an_ungraded_post_keeps_the_grade():
    scn = horizon([H_DIR, DEP, UNGRADED], [X, Z], [RULE])
    first = {"P1-DEP": None, "P2-X": "X"}       # X holds the ungraded P2-X: still grade 2 in 2031
    ok = check_horizon(scn, {2026: first, 2031: {"P1-DIR": None, "P1-DEP": "X", "P2-X": None}})
    assert ok.valid
    bad = check_horizon(scn, {2026: first, 2031: {"P1-DIR": "X", "P1-DEP": None, "P2-X": None}})
    assert bad.periods[1][1].rules[0].figures == figures(1, up=1)


def test_horizon_hard_promotes_first_then_steps_again():
    # 2026: X on P1-DEP (90) and Z on D1-CH (30); 2031: X on P1-DIR (270), Z (30), one vacant
    scn = horizon([H_DIR, DEP, CH], [X, Z], [RULE])
    result = optimal(scn)
    assert result.plans == {2026: {"P1-DEP": "X", "D1-CH": "Z"},
                            2031: {"P1-DIR": "X", "P1-DEP": None, "D1-CH": "Z"}}
    assert result.objective == 120 + 300 - 1000
    assert horizon_optimum(scn)[1] == result.objective
    assert horizon_model(scn) == (result.objective, result.plans)


DIRECTORS = {**RULE, "roles": ["director"]}


@pytest.mark.parametrize("rule, holder, objective", [
    (DIRECTORS, "Z", 120 + 180 - 1000),                        # from grade 2 X may not step twice
    ({**DIRECTORS, "hard": False, "weight": 100}, "X", 120 + 200 - 1000),   # 300 - 100 > 180
    ({**DIRECTORS, "hard": False, "weight": 130}, "Z", 120 + 180 - 1000),   # 300 - 130 < 180
    ({**DIRECTORS, "max_up": 2}, "X", 120 + 300 - 1000),
])
def test_horizon_an_officer_kept_in_period_1_keeps_the_old_grade(rule, holder, objective):
    # X fixed to stay on D1-CH in 2026 holds grade 2 in 2031; Z (planned for P1-DIR) takes
    # P1-DEP in 2026 (120 in all) and so holds grade 3 in 2031. 2031: X on P1-DIR is 270 + 30,
    # Z there 90 + 90; one post stays vacant
    planned_z = Z.model_copy(update={"planned_for": ["P1-DIR"]})
    scn = horizon([H_DIR, DEP, CH], [X, planned_z], [rule],
                  fixed=[Pin(post="D1-CH", candidate="X", period=2026)])
    result = optimal(scn)
    assert result.plans[2031]["P1-DIR"] == holder
    assert result.objective == objective
    assert horizon_optimum(scn)[1] == objective
    model_objective, plans = horizon_model(scn)
    assert model_objective == objective and plans[2031]["P1-DIR"] == holder


@pytest.mark.parametrize("rule", [
    RULE, {**RULE, "planned": False}, {**RULE, "max_down": 1}, {**RULE, "max_up": 0, "max_down": 2},
    {**RULE, "hard": False, "weight": 40}, {**RULE, "hard": False, "weight": 7, "max_down": 1},
])
@pytest.mark.parametrize("posts", [[H_DIR, DEP, CH], [DIR, DEP, UNGRADED]])
def test_horizon_model_agrees_with_brute_force(rule, posts):
    # H (grade 4) holds P1-DIR where it exists; J joins in 2031 with grade 2 (its grade is the
    # scenario's: a certain breach on P1-DIR and P1-DEP unless planned)
    now = posts[0].id if posts[0].opens is None else None
    cands = [X, cand("H", home="P2", grade=4, merit=20, current_post=now),
             cand("J", home="P2", grade=2, merit=60, joins=2031, planned_for=["P1-DEP"])]
    scn = horizon(posts, cands, [rule])
    _, best, _ = horizon_optimum(scn)
    result = solve(scn, workers=1, exact=True)
    assert result.status.value == "optimal" and result.objective == best
    assert result.check.valid and result.check.objective == best
    assert horizon_model(scn)[0] == best


# -- infeasibility, explained ------------------------------------------------------------------------
# P07-DIR (grade 4) must be filled; every officer holds grade 3 or less and none is planned for it.

E_UNITS = [unit("P07", "province"), unit("D1", "district", parent="P07")]
E_CANDS = [cand("A", home="P07", grade=3, current_post="D1-CH"), cand("B", home="P07", grade=3),
           cand("C", home="P07", grade=2, planned_for=["D1-CH"])]
E_RULES = [RULE, {"rule": "fill", "roles": ["director"]}]


def test_explained_when_no_officer_is_planned_for_a_post_above_everyone():
    posts = [post("P07-DIR", "P07", "director", grade=4), post("D1-CH", "D1", "chief", grade=3)]
    result = solve(scenario(E_UNITS, posts, E_CANDS, rules=E_RULES), workers=1)
    assert result.status.value == "infeasible"
    assert result.explanation[0] == (
        "post P07-DIR must be filled (fill[roles=director]) but no candidate may take it: of the 3 "
        "candidates, 3 are not planned for P07-DIR (career_step)")
    assert {(m.name, m.place) for m in result.diagnosis.conflict} == {
        ("career_step", "P07-DIR"), ("fill[roles=director]", "P07-DIR")}
    assert any("no officer planned for P07-DIR is available in 2026" in line
               for line in result.explanation), result.explanation


def test_explained_in_a_later_period_of_a_horizon():
    posts = [post("P07-DIR", "P07", "director", grade=4, opens=2031),
             post("D1-CH", "D1", "chief", grade=3)]
    scn = scenario(E_UNITS, posts, E_CANDS, rules=E_RULES).model_copy(update={"periods": YEARS})
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert {(m.name, m.place) for m in result.diagnosis.conflict} == {
        ("career_step", "('grade', 1)"), ("fill[roles=director]", "P07-DIR@2031")}
    assert result.diagnosis.minimal
    line = next(x for x in result.explanation if x.startswith("these cannot all hold together"))
    assert ("career_step at post P07-DIR in 2031 (grade 4): an officer moved onto it must hold "
            "grade 3 to 4, and one below grade 4 must be planned for it (the grade held after the "
            "periods before); no officer planned for P07-DIR is available in 2031") in line


def test_guard_words_name_the_pool_where_it_is_not_empty():
    scn = scenario(UNITS, POSTS, [R, B], rules=[RULE, {**RULE, "planned": False, "max_up": 2}])
    planned, free = scn.policy.rules
    inst = Instance(scn)
    assert planned.post_words(inst, 0) is None      # B is planned for P1-DIR: the default words
    assert planned.guard_words(inst, ("grade", 0)) == (
        "career_step at post P1-DIR (grade 4): an officer moved onto it must hold grade 3 to 4, "
        "and one below grade 4 must be planned for it (the grade held after the periods before); "
        "the officers planned for P1-DIR in 2026: B")
    assert free.post_words(inst, 1) is None          # no plan asked
    assert free.guard_words(inst, ("grade", 1)) == (
        "career_step[max_up=2, planned=False] at post P1-DEP (grade 3): an officer moved onto it "
        "must hold grade 1 to 3 (the grade held after the periods before)")


def test_whole_words_carry_the_figures():
    rules = policy([RULE, {**RULE, "max_up": 2, "max_down": 1, "planned": False}]).rules
    inst = Instance(scenario(UNITS, POSTS, [R]))
    assert rules[0].whole_words(inst) == (
        "hard rule career_step: an officer moved onto a matching post steps at most 1 grade up "
        "and 0 grades down, and up only to a post the officer is planned for")
    assert rules[1].whole_words(inst) == (
        "hard rule career_step[max_up=2, max_down=1, planned=False]: an officer moved onto a "
        "matching post steps at most 2 grades up and 1 grade down")


def test_helps_keeps_the_pairs_that_keep_a_soft_rule():
    scn = scenario(UNITS, [DIR, UNGRADED], [R, B], rules=[{**RULE, "hard": False, "weight": 5}])
    inst, rule = Instance(scn), scn.policy.rules[0]
    table = pair_table(inst, scn.policy)
    pairs = [(inst.posts[p].id, inst.candidates[c].id) for p, c in zip(table.post, table.cand)]
    assert pairs == [("P1-DIR", "R"), ("P1-DIR", "B"), ("P2-X", "R"), ("P2-X", "B")]
    assert rule.helps(inst, table).tolist() == [False, True, False, False]   # ungraded: no help needed
    assert policy([RULE]).rules[0].helps(inst, table) is None
