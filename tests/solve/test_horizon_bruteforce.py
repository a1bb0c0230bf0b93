"""Cross-check of the horizon model against brute force on random tiny horizon scenarios.

Each random scenario (tests/horizon_bruteforce.py: 1-3 periods, at most 3 posts and 4
officers) is small enough that every horizon plan -- per period, every partial matching of the
posts that exist to the officers available, over all periods -- can be enumerated and judged by
the independent horizon checker (`planner.check.horizon.check_horizon`), which derives each
period's state (current post, terms, since, serves_at, served_local, served_difficult) from the
plan itself. The solver, which models that state with links between period copies, must agree:

* `infeasible` exactly when no horizon plan is valid;
* otherwise `optimal`, with the brute-force optimum as its objective, a plan that the checker
  finds valid with that same objective, listing per period exactly the posts that exist, and
  bounds before the search (the core's and the LP's) no lower than the optimum.

The hand-worked cases at the end pin the enumeration itself down (which posts and officers each
period offers) and a horizon optimum that depends on state carried from period 1 to period 2,
with the answers computed by hand from docs/horizon.md.
"""

from __future__ import annotations

from typing import Any

import pytest
from builders import assert_loads_back, cand, post, scenario, unit
from horizon_bruteforce import (
    N_RANDOM,
    all_horizon_plans,
    available,
    existing_posts,
    horizon_brute_force,
    horizon_optimum,
    plan_count,
    random_horizon_scenario,
)

from planner import Scenario, check_plan, solve
from planner.check.horizon import check_horizon
from planner.rules import REGISTRY

TIME_LIMIT = 60
"""Deterministic time units per solve: far above what a tiny horizon needs to be proven."""


def solved_like_brute_force(scn: Scenario, best: int | None) -> None:
    """The solver's status, objective and plan against the brute-force optimum `best`."""
    result = solve(scn, exact=True, deterministic=True, workers=1, time_limit=TIME_LIMIT)
    if best is None:
        assert result.status.value == "infeasible", (
            f"no horizon plan is valid, yet the solver says {result.status.value} "
            f"with {result.plan} ({result.objective})")
        return
    assert result.status.value == "optimal", result.explanation
    assert result.objective == best
    # the bounds before the search (core and LP, on the stays priced per post) hold
    assert result.stats.core_bound >= best and result.stats.bound >= best, result.stats
    assert result.check.valid, result.check.violations
    assert result.check.objective == best
    plans = result.plans
    assert list(plans) == scn.years
    assert result.plan == plans[scn.years[0]]  # `plan` is the first period's
    for year, plan in plans.items():
        assert list(plan) == existing_posts(scn, year), year
    rep = check_horizon(scn, plans, scn.policy)
    assert rep.valid, rep.violations
    assert rep.objective == best
    if len(scn.years) == 1:  # clarification 6.1: the single-period checker agrees
        single = check_plan(scn, result.plan)
        assert single.valid and single.objective == best, single.violations


@pytest.mark.parametrize("seed", range(N_RANDOM))
def test_solver_matches_brute_force(seed):
    scn = random_horizon_scenario(seed)
    count, best = horizon_brute_force(seed)
    assert count == plan_count(scn)
    solved_like_brute_force(scn, best)


def _features(scn: Scenario) -> dict[str, Any]:
    """What a random scenario exercises, for the coverage test below."""
    first = scn.years[0]
    posts = {p.id: p for p in scn.posts}
    return {
        "periods": len(scn.years),
        "opens_later": any(p.opens is not None and p.opens > first for p in scn.posts),
        "closes": any(p.closes is not None and p.closes <= scn.years[-1] for p in scn.posts),
        "closed_current": any(c.current_post and not posts[c.current_post].exists_in(first)
                              for c in scn.candidates),
        "joins_later": any(c.joins is not None and c.joins > first for c in scn.candidates),
        "leaves": any(c.leaves is not None and c.leaves <= scn.years[-1] for c in scn.candidates),
        "since": any(c.since is not None for c in scn.candidates),
        "served_difficult": any(c.served_difficult for c in scn.candidates),
        "difficult_unit": any(u.difficult for u in scn.units),
        "pin_period": any(p.period is not None for p in [*scn.fixed, *scn.forbidden]),
        "fixed": bool(scn.fixed),
        "move_distance": bool(scn.policy.weights.move and scn.policy.weights.distance),
    }


def test_random_instances_cover_the_contract():
    """The generator exercises every rule type hard and soft, every horizon field, both outcomes."""
    seen: dict[str, set] = {}
    rules: set[tuple[str, bool]] = set()
    outcomes = {"infeasible": 0, "feasible": 0}
    for seed in range(N_RANDOM):
        scn = random_horizon_scenario(seed)
        rules |= {(r.rule, r.hard) for r in scn.policy.rules}
        for key, value in _features(scn).items():
            seen.setdefault(key, set()).add(value)
        outcomes["infeasible" if horizon_brute_force(seed)[1] is None else "feasible"] += 1
    assert rules == {(k, h) for k in REGISTRY for h in (True, False)}
    assert seen.pop("periods") == {1, 2, 3}
    assert all(values == {True, False} for values in seen.values()), seen
    assert outcomes["infeasible"] >= 50 and outcomes["feasible"] >= 300, outcomes


def test_random_scenarios_are_valid_input(tmp_path):
    """The generator writes only what the contract allows: a YAML dump loads back unchanged."""
    for seed in range(0, N_RANDOM, 4):
        assert_loads_back(random_horizon_scenario(seed), tmp_path / f"horizon-{seed}.yaml")


# -- hand-worked cases -------------------------------------------------------------------------
# Defaults from builders.cand: male, born 1975, merit 50, rating good; default weights: merit 1,
# vacancy 1000, everything else 0; every post has priority 1.

def _with_periods(scn: Scenario, years: list[int]) -> Scenario:
    return scn.model_copy(update={"periods": years})


def test_enumeration_offers_per_period_the_posts_that_exist_and_the_officers_available():
    # Periods 2026 and 2031. A exists in both; B closes 2031 (only 2026); C opens 2031.
    # c0 is there throughout; c1 leaves 2031 (only 2026); c2 joins 2031.
    #   2026: posts A, B; officers c0, c1: 1 + 2 + 2 (one post filled) + 2 (both) = 7 plans
    #   2031: posts A, C; officers c0, c2: 7 plans, none naming B or c1   -> 49 horizon plans
    units = [unit("P1", "province")]
    scn = _with_periods(scenario(
        units, [post("A", "P1", "director"), post("B", "P1", "deputy_director", closes=2031),
                post("C", "P1", "chief", opens=2031)],
        [cand("c0", home="P1"), cand("c1", home="P1", leaves=2031),
         cand("c2", home="P1", joins=2031)]), [2026, 2031])
    assert existing_posts(scn, 2026) == ["A", "B"] and available(scn, 2026) == ["c0", "c1"]
    assert existing_posts(scn, 2031) == ["A", "C"] and available(scn, 2031) == ["c0", "c2"]
    plans = list(all_horizon_plans(scn))
    assert len(plans) == plan_count(scn) == 49

    def matchings_of(a: str, b: str) -> list[tuple]:
        return [(None, None), (a, None), (b, None), (None, a), (None, b), (a, b), (b, a)]

    firsts = {(p[2026]["A"], p[2026]["B"]) for p in plans}
    seconds = {(p[2031]["A"], p[2031]["C"]) for p in plans}
    assert firsts == set(matchings_of("c0", "c1"))
    assert seconds == set(matchings_of("c0", "c2"))
    assert len({tuple(sorted((y, tuple(pl.items())) for y, pl in p.items())) for p in plans}) == 49
    assert all(list(p) == [2026, 2031] and list(p[2031]) == ["A", "C"] for p in plans)


def _term_limit_case() -> Scenario:
    # One post X; A (merit 60) holds it for 1 term, B (merit 50) is elsewhere. term_limit
    # max_consecutive_terms 2 (hard), move 20, vacancy 1000; periods 2026, 2031.
    units = [unit("P1", "province"), unit("P2", "province")]
    return _with_periods(scenario(
        units, [post("X", "P1", "director")],
        [cand("A", home="P2", serves_at="P1", merit=60, current_post="X", consecutive_terms=1),
         cand("B", home="P2", merit=50)],
        rules=[{"rule": "term_limit", "max_consecutive_terms": 2}],
        weights={"merit": 1, "move": 20, "vacancy": 1000}), [2026, 2031])


def test_term_limit_binds_in_period_2_because_of_period_1():
    # A stays in 2026 (60, terms 1 < 2): in 2031 A has held X for 2 terms and may not stay.
    #   A, then B: 60 + (50 - 20) = 90                         <- optimum
    #   B, then B: (50 - 20) + 50 (B now holds X) = 80
    #   B, then A: (50 - 20) + (60 - 20) = 70 (A was unassigned: a newcomer again)
    #   A, then A: invalid (3 terms); A, then vacant: 60 - 1000
    scn = _term_limit_case()
    count, best, best_plans = horizon_optimum(scn)
    assert (count, best) == (9, 90)
    assert best_plans == {2026: {"X": "A"}, 2031: {"X": "B"}}
    assert check_horizon(scn, {2026: {"X": "B"}, 2031: {"X": "B"}}).objective == 80
    assert check_horizon(scn, {2026: {"X": "B"}, 2031: {"X": "A"}}).objective == 70
    assert not check_horizon(scn, {2026: {"X": "A"}, 2031: {"X": "A"}}).valid
    solved_like_brute_force(scn, best)


def test_tenure_and_difficult_experience_carry_over():
    # X is a chief post in the difficult district P1D; Y, director of P1, opens in 2031.
    # A (merit 60) took X in 2024 (since), B (merit 90) serves at the ministry, no difficult
    # experience. min_tenure 6 years (hard), difficult_experience for directors (hard); move 10.
    #   2026: 2026 - 2024 = 2 < 6, so A must stay on X; B cannot replace A: A on X = 60.
    #   2031: since stays 2024 (A kept X): 7 >= 6, A is free. A served in P1D (difficult), so A
    #         may take Y; B may not. A -> Y, B -> X: (60 - 10) + (90 - 10) = 130
    #   total 190. (Without carried experience Y would stay vacant: at best 60 + 60 - 1000.)
    units = [unit("M", "ministry"), unit("P1", "province"),
             unit("P1D", "district", parent="P1", difficult=True)]
    scn = _with_periods(scenario(
        units, [post("X", "P1D", "chief"), post("Y", "P1", "director", opens=2031)],
        [cand("A", home="P1", serves_at="P1D", merit=60, current_post="X", since=2024),
         cand("B", home="M", merit=90)],
        rules=[{"rule": "min_tenure", "years": 6},
               {"rule": "difficult_experience", "roles": ["director"]}],
        weights={"merit": 1, "move": 10, "vacancy": 1000}), [2026, 2031])
    count, best, best_plans = horizon_optimum(scn)
    assert (count, best) == (3 * 7, 190)
    assert best_plans == {2026: {"X": "A"}, 2031: {"X": "B", "Y": "A"}}
    assert not check_horizon(scn, {2026: {"X": "B"}, 2031: {"X": "B", "Y": "A"}}).valid
    solved_like_brute_force(scn, best)
