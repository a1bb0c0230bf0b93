"""`no_envy` pinned to the contract (docs/careers.md, section 2 "Envy", clarifications 3, 4):
the model's optimum against a brute force judged by the independent checker, hard and soft,
one period and a horizon, and the checker's verdict against :mod:`planner.check.envy`.

Units: P1 (province) with districts D1 and D2; P2 (province) with district D3. Term 2026.
Posts: D1-C (D1), D2-C (D2, priority 3: the free optimum puts the best officer there), D3-C.
A (merit 80) wants D1 only; B (merit 60) wants D2 then P1; E (merit 70) states nothing. The
free optimum puts A on D2-C and E on D1-C, which A envies.
"""

import numpy as np
import pytest
from bruteforce import all_plans
from builders import cand, optimal, pin, policy, post, scenario, unit
from horizon_bruteforce import horizon_optimum
from pydantic import ValidationError

from planner import Scenario, check_plan, load_scenario, solve
from planner.check.envy import envious_pairs, meets_requirements, post_rank
from planner.check.horizon import check_horizon, derive_states, period_scenario
from planner.check.view import PlanView
from planner.generate import generate, write_scenario
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.model.pairs import pair_table
from planner.solver.bounds import find_bounds
from planner.solver.result import RunStats
from planner.solver.search import SearchOptions

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"),
         unit("D2", "district", parent="P1"), unit("P2", "province"),
         unit("D3", "district", parent="P2")]
POSTS = [post("D1-C", "D1"), post("D2-C", "D2", priority=3), post("D3-C", "D3")]
A = cand("A", home="D3", merit=80, preferences=["D1"])
B = cand("B", home="D3", merit=60, preferences=["D2", "P1"])
E = cand("E", home="D3", merit=70)
RULE = {"rule": "no_envy"}


def soft(weight: int) -> dict:
    return {**RULE, "hard": False, "weight": weight}


def brute(scn: Scenario) -> int | None:
    """The best objective over every valid plan, judged by the checker."""
    reps = [check_plan(scn, plan) for plan in all_plans(scn)]
    return max((r.objective for r in reps if r.valid), default=None)


def envy_count(scn: Scenario, plan: dict) -> int:
    """The envious pairs of a one-period plan, counted by planner/check/envy.py."""
    posts = {p.id: i for i, p in enumerate(scn.posts)}
    cands = {c.id: i for i, c in enumerate(scn.candidates)}
    return len(envious_pairs(PlanView(scn, {posts[p]: cands[c] for p, c in plan.items() if c})))


# -- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", [
    {"rule": "no_envy", "years": 1},                  # unknown parameter
    {"rule": "no_envy", "hard": False},                # soft needs a weight
    {"rule": "no_envy", "unit_kind": "village"},
])
def test_parameters_refused(rule):
    with pytest.raises(ValidationError):
        policy([rule])


def test_parameters_accepted():
    rule = policy([{"rule": "no_envy", "roles": ["chief"], "unit_kind": "district"}]).rules[0]
    assert (rule.title, rule.hard) == ("no_envy[roles=chief, unit_kind=district]", True)


# -- checker ---------------------------------------------------------------------------------

def test_checker_words_and_counts():
    scn = scenario(UNITS, POSTS, [A, B, E])
    rep = check_plan(scn, {"D1-C": "E", "D2-C": "A", "D3-C": "B"}, policy([RULE]))
    assert rep.rules[0].breaches == [
        "A (merit 80) envies D1-C (choice 1; own post: none ranked), held by E (merit 70)"]
    assert rep.rules[0].figures == {"envious_pairs": 1, "envious_officers": 1}
    assert rep.violations == [f"hard rule no_envy: {rep.rules[0].breaches[0]}"]
    vacant = check_plan(scn, {"D2-C": "A", "D3-C": "B"}, policy([soft(7)]))
    assert vacant.rules[0].breaches == [
        "A (merit 80) envies D1-C (choice 1; own post: none ranked), vacant",
        "B (merit 60) envies D1-C (choice 2; own post: none ranked), vacant"]
    assert (vacant.valid, vacant.rules[0].penalty) == (True, 14)


def test_checker_filter_applies_to_the_envied_post():
    scn = scenario(UNITS, POSTS, [A, B, E])
    plan = {"D1-C": "E", "D2-C": "A", "D3-C": "B"}
    assert check_plan(scn, plan, policy([{**RULE, "roles": ["director"]}])).valid
    assert not check_plan(scn, plan, policy([{**RULE, "roles": ["chief"]}])).valid


# -- the pipeline, one period ----------------------------------------------------------------

def test_hard_places_the_envious_officer_where_it_wants():
    free = optimal(scenario(UNITS, POSTS, [A, B, E]))
    assert free.plan == {"D1-C": "E", "D2-C": "A", "D3-C": "B"} and free.objective == 370
    scn = scenario(UNITS, POSTS, [A, B, E], rules=[RULE])
    held = optimal(scn)
    assert held.plan == {"D1-C": "A", "D2-C": "E", "D3-C": "B"}
    assert held.objective == brute(scn) == 350
    assert held.check.rules[0].violation == 0


def test_equal_merit_is_no_envy_in_the_model():
    tie = cand("E", home="D3", merit=80)
    scn = scenario(UNITS, POSTS, [A, B, tie], rules=[RULE])
    assert optimal(scn).objective == brute(scn) == 80 + 240 + 60


@pytest.mark.parametrize("excuse", [
    {"posts": [post("D1-C", "D1", min_education="master"), *POSTS[1:]]},   # E1
    {"posts": [post("D1-C", "D1", max_age=50), *POSTS[1:]]},               # A is 51
    {"forbidden": [pin("D1-C", "A")]},
])
def test_e1_and_forbidden_excuse_envy_in_the_model(excuse):
    kw = {"posts": POSTS, **excuse}
    scn = scenario(UNITS, candidates=[A, B, E], rules=[RULE], **kw)
    result = optimal(scn)
    assert result.plan["D2-C"] == "A" and result.objective == brute(scn)


@pytest.mark.parametrize("weight, objective, violation", [
    (10, 370 - 10, 1),    # envy is cheaper than placing A on D1-C
    (30, 350, 0),
])
def test_soft_one_unit_per_envious_pair(weight, objective, violation):
    scn = scenario(UNITS, POSTS, [A, B, E], rules=[soft(weight)])
    result = optimal(scn)
    assert result.objective == brute(scn) == objective
    assert result.check.rules[0].violation == envy_count(scn, result.plan) == violation


def test_soft_counts_every_pair_of_an_officer():
    """Two posts vacant in A's preferred district: two envious pairs, twice the weight."""
    posts = [post("D1-C", "D1"), post("D1-B", "D1"), post("D3-C", "D3", priority=9)]
    scn = scenario(UNITS, posts, [A], rules=[soft(25)], weights={"vacancy": 0})
    result = optimal(scn)
    assert result.plan == {"D1-C": None, "D1-B": None, "D3-C": "A"}
    assert result.objective == brute(scn) == 9 * 80 - 2 * 25
    assert result.check.rules[0].violation == envy_count(scn, result.plan) == 2


def test_hard_infeasible_with_non_local_which_does_not_excuse():
    """A (home D1) may not hold D1-C under non_local, yet envies it held by anyone below 80."""
    local_a = cand("A", home="D1", merit=80, preferences=["D1"])
    rules = [RULE, {"rule": "non_local", "roles": ["chief"]}]
    scn = scenario(UNITS, POSTS[:1], [local_a, B], rules=rules)
    assert brute(scn) is None
    result = solve(scn, workers=1, exact=True)
    assert result.status.value == "infeasible"
    assert any("no_envy: post D1-C must not be envied by A (merit 80), B (merit 60)" in line
               for line in result.explanation), result.explanation
    for alone in rules:
        assert optimal(scenario(UNITS, POSTS[:1], [local_a, B], rules=[alone])).objective == \
            brute(scenario(UNITS, POSTS[:1], [local_a, B], rules=[alone]))


def test_shortlist_keeps_the_ranked_pairs():
    scn = scenario(UNITS, POSTS, [A, B, E], rules=[RULE])
    inst = Instance(scn)
    table = pair_table(inst, scn.policy)
    kept = scn.policy.rules[0].helps(inst, table)
    assert {(scn.candidates[c].id, scn.posts[p].id)
            for c, p in zip(table.cand[kept], table.post[kept])} == \
        {("A", "D1-C"), ("B", "D1-C"), ("B", "D2-C")}
    shortlisted = solve(scn, workers=1, exact=False)
    assert (shortlisted.objective, shortlisted.check.valid) == (350, True)


# -- horizons ---------------------------------------------------------------------------------

def horizon(rule: dict) -> Scenario:
    """Two periods: E leaves after the first; C (merit 90, wants D1) joins in the second, when
    the free optimum (A on D1-C, C on D2-C, 410) has C envy A."""
    late = cand("C", home="D3", merit=90, preferences=["D1"], joins=2031)
    leaving = cand("E", home="D3", merit=70, leaves=2031)
    scn = scenario(UNITS, POSTS, [A, B, leaving, late], rules=[rule])
    return scn.model_copy(update={"periods": [2026, 2031]})


def horizon_envy(scn: Scenario, plans: dict) -> int:
    """Envious pairs over the periods, counted by planner/check/envy.py on each period."""
    total = 0
    for period in derive_states(scn, plans):
        one = period_scenario(scn, period)
        total += envy_count(one, plans[period.year])
    return total


@pytest.mark.parametrize("rule, objective, violation", [
    (RULE, 350 + 390, 0),          # each period places its envious officer on D1-C
    (soft(15), 780 - 2 * 15, 2),   # each period keeps its free optimum and pays once
    (soft(100), 740, 0),
])
def test_horizon_optimum_matches_the_brute_force(rule, objective, violation):
    scn = horizon(rule)
    result = solve(scn, workers=1)
    _, best, _ = horizon_optimum(scn)
    assert result.status.value == "optimal" and result.objective == best == objective
    rep = check_horizon(scn, result.plans)
    assert rep.valid and rep.objective == best
    (verdict,) = rep.rules
    assert verdict.violation == horizon_envy(scn, result.plans) == violation
    assert result.plans[2031]["D1-C"] == ("A" if violation else "C")


# -- model size on a generated province ----------------------------------------------------------

def home_preferences(scn: Scenario) -> Scenario:
    """Each officer ranks its home commune, district and province (about 3 units; the province
    holds most posts: the heaviest case for the rule's size)."""
    units = {u.id: u for u in scn.units}

    def chain(uid: str | None) -> list[str]:
        return [] if uid is None else [uid, *chain(units[uid].parent)]
    cands = [c.model_copy(update={"preferences": [u for u in chain(c.home) if units[u].kind.value
                                                  in ("commune", "district", "province")][:3]})
             for c in scn.candidates]
    return scn.model_copy(update={"candidates": cands})


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Scenario:
    out = tmp_path_factory.mktemp("gen")
    write_scenario(generate("legacy", fraction=0.02, seed=5), out)
    return home_preferences(load_scenario(out / "scenario.yaml"))


def test_model_size_is_one_clause_per_constrained_pair(province):
    """Every E1-eligible (officer, ranked post) pair, counted here through the checker's rank
    and E1, gets one clause (or shares a z(c, r) >= 1 where no pair of the post reaches the
    officer's merit); one z per (officer, rank) and one h per (post, merit) reached."""
    view = PlanView(province, {})
    pairs = [(c, p, rank) for c, cand in enumerate(province.candidates)
             for p, pst in enumerate(province.posts)
             if (rank := post_rank(view, cand, pst)) is not None
             and meets_requirements(cand, pst, province.term_start)]
    merit = [c.merit for c in province.candidates]
    top = [max((merit[c] for c, cand in enumerate(province.candidates)
                if meets_requirements(cand, pst, province.term_start)), default=-1)
           for pst in province.posts]
    zs = {(c, r) for c, _, r in pairs}
    hs = {(p, merit[c]) for c, p, _ in pairs if merit[c] <= top[p]}
    clauses = len([1 for c, p, _ in pairs if merit[c] <= top[p]]) + \
        len({(c, r) for c, p, r in pairs if merit[c] > top[p]})
    inst = Instance(province)
    without = ModelBuilder(inst, policy([])).build().size()
    rule = policy([RULE])
    with_rule = ModelBuilder(Instance(province), rule).build().size()
    assert int(rule.rules[0].ranked(inst).envy.sum()) == len(pairs) > 10_000
    assert with_rule["variables"] - without["variables"] == len(zs) + len(hs)
    assert with_rule["constraints"] - without["constraints"] == len(zs) + len(hs) + clauses


# -- the bound's rows ----------------------------------------------------------------------------

LOCAL_A = cand("A", home="D1", merit=80, preferences=["D1"])
"""Merit 80, wants D1, whose chief's post non_local keeps from A: A envies D1-C in every plan
that does not give it to an officer of merit 80 or more (here: none)."""
NON_LOCAL = {"rule": "non_local", "roles": ["chief"]}


def _stuck_envy(scn: Scenario, plan: dict, table) -> int:
    """The plan's envious pairs (planner/check/envy.py) whose officer has no eligible pair on
    a post it ranks as well: the part of the envy `lp_rows` states."""
    posts = {p.id: i for i, p in enumerate(scn.posts)}
    cands = {c.id: i for i, c in enumerate(scn.candidates)}
    view = PlanView(scn, {posts[p]: cands[c] for p, c in plan.items() if c})
    ranks: dict[int, list[int]] = {}
    for c, p in zip(table.cand.tolist(), table.post.tolist()):
        rank = post_rank(view, scn.candidates[c], scn.posts[p])
        if rank is not None:
            ranks.setdefault(c, []).append(rank)
    return sum(1 for e in envious_pairs(view)
               if min(ranks.get(cands[e.officer], [99])) > e.rank)


def _x(table, scn: Scenario, plan: dict) -> np.ndarray | None:
    """The plan as 0/1 over the table's pairs; None if it uses a pair the table lacks (a pair
    a hard rule removed: no plan the model considers)."""
    x = np.array([plan.get(scn.posts[p].id) == scn.candidates[c].id
                  for c, p in zip(table.cand, table.post)], dtype=np.int64)
    return x if x.sum() == sum(1 for c in plan.values() if c) else None


@pytest.mark.parametrize("people, stuck_counts", [
    ([LOCAL_A, B, E], {1}),                                        # no one may lift it
    ([LOCAL_A, B, E, cand("F", home="D3", merit=85)], {0, 1}),     # F on D1-C lifts it
])
def test_soft_row_is_the_stuck_envy_of_every_plan(people, stuck_counts):
    """Soft: n - a @ x is the number of envious pairs whose officer cannot be placed as well,
    on every plan (so its auxiliary, worth minus the weight, prices that envy exactly)."""
    scn = scenario(UNITS, POSTS, people, rules=[soft(7), NON_LOCAL])
    inst = Instance(scn)
    table = pair_table(inst, scn.policy)
    rows = scn.policy.rules[0].lp_rows(inst, table)
    assert rows.a.shape[0] == 1 and rows.d.tolist() == [-7]
    counts = set()
    for plan in all_plans(scn):
        x = _x(table, scn, plan)
        if x is None:
            continue
        stuck = _stuck_envy(scn, plan, table)
        assert int(rows.lo[0] - (rows.a @ x)[0]) == stuck, plan
        counts.add(stuck)
    assert counts == stuck_counts


def test_hard_rows_hold_on_every_plan_that_keeps_the_rule():
    """Hard: each post envied by an officer who cannot be placed as well needs a holder of at
    least that merit; every valid plan meets the rows, and they are not empty."""
    people = [LOCAL_A, B, E, cand("F", home="D3", merit=85)]
    scn = scenario(UNITS, POSTS, people, rules=[RULE, NON_LOCAL])
    inst = Instance(scn)
    table = pair_table(inst, scn.policy)
    rows = scn.policy.rules[0].lp_rows(inst, table)
    assert rows.a.shape[0] == 1 and rows.lo.tolist() == [1]
    valid = [plan for plan in all_plans(scn) if check_plan(scn, plan).valid]
    assert valid and all(plan.get("D1-C") == "F" for plan in valid)
    for plan in valid:
        assert (rows.a @ _x(table, scn, plan) >= rows.lo).all()


def test_the_bound_prices_envy_no_plan_escapes():
    """A envies D1-C in every plan (no one of merit 80 or more may hold it, and A may not):
    the bound counts that pair's weight, and still holds the optimum."""
    scn = scenario(UNITS, POSTS, [LOCAL_A, B, E], rules=[soft(50), NON_LOCAL])
    free = scn.model_copy(update={"policy": policy([NON_LOCAL])})
    best = brute(scn)
    assert best == brute(free) - 50
    assert _lp_bound(scn) == best < _lp_bound(free)


def _lp_bound(scn: Scenario) -> int:
    """The bound the pipeline computes before any search (core and LP)."""
    inst = Instance(scn)
    table = pair_table(inst, scn.policy)
    options = SearchOptions(30, 1, 0, True, False, 0.0)
    return find_bounds(inst, scn.policy, table, None, options, RunStats()).bound
