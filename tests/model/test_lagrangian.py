"""The side rules as rows (`Rule.lp_rows`), the Lagrangian bound and the LP on a shortlist.

Every rule's rows must hold for every valid plan, or the bound could fall below an optimum:
pricing at arbitrary multipliers, from none to huge, must never bound below the brute-force
optimum. On a generated scenario the rows must also bite: the bound they give is strictly
below the core's and still above the best plan the exact model finds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from bruteforce import brute_force, random_scenario

from planner import solve
from planner.generate.national import generate
from planner.model.core import assignment_core
from planner.model.instance import Instance
from planner.model.lagrangian import multiplier_cap, side_rows, subproblem
from planner.model.lp import ColumnGeneration, lp_bound
from planner.model.pairs import pair_table
from planner.scenario import effective_policy


def _priced(seed: int):
    scn = random_scenario(seed)
    inst = Instance(scn)
    policy = effective_policy(scn, None)
    table = pair_table(inst, policy)
    return inst, policy, table, side_rows(inst, policy, table)


@pytest.mark.parametrize("seed", range(150))
def test_lagrangian_bound_holds_at_any_multipliers(seed):
    _, best = brute_force(seed)
    inst, _, table, rel = _priced(seed)
    rng = np.random.default_rng(seed)
    for top in (0, 1, 30, 1000, 10**6):
        lam = rng.integers(0, top + 1, rel.n_rows)
        priced = subproblem(rel, table, inst.n_posts, inst.n_candidates, lam)
        assert priced is not None  # small scores and multipliers: always priced exactly
        if best is not None:
            assert priced.bound >= best, f"multipliers up to {top}"


@pytest.mark.parametrize("seed", range(0, 150, 2))
def test_lp_duals_bound_the_optimum(seed):
    _, best = brute_force(seed)
    inst, _, table, rel = _priced(seed)
    if rel.n_rows == 0 or len(table) == 0:
        return
    # Start from a shortlist of every other pair: the bound must hold for the whole table.
    keep = np.arange(len(table)) % 2 == 0
    found = lp_bound(rel, table, inst.n_posts, inst.n_candidates, keep)
    if best is not None and found.bound is not None:
        assert found.bound >= best


@pytest.mark.parametrize("seed", range(1, 150, 2))
def test_an_lp_from_no_pair_at_all_still_bounds_the_optimum(seed):
    """A seed that meets no hard row (here: no pair) leaves the LP feasible through its
    elastic columns; pricing brings the pairs in and the bound holds."""
    _, best = brute_force(seed)
    inst, _, table, rel = _priced(seed)
    if rel.n_rows == 0 or len(table) == 0:
        return
    found = lp_bound(rel, table, inst.n_posts, inst.n_candidates, np.zeros(len(table), bool))
    assert found.lp is not None and found.bound is not None
    if best is not None:
        assert found.bound >= best


def test_an_empty_seed_needs_the_elastic_columns():
    """The case above is not vacuous: some scenarios' rows cannot hold without any pair."""
    hard = 0
    for seed in range(1, 150, 2):
        inst, _, table, rel = _priced(seed)
        if rel.n_rows and len(table):
            found = lp_bound(rel, table, inst.n_posts, inst.n_candidates,
                             np.zeros(len(table), bool), rounds=1)
            hard += found.lp.value < -1000 * (int(np.abs(table.coef).max()) + 1) + table.constant
    assert hard >= 5


@pytest.mark.parametrize("seed", range(0, 150, 3))
def test_multipliers_at_the_cap_are_priced_exactly(seed):
    inst, _, table, rel = _priced(seed)
    if rel.n_rows == 0 or len(table) == 0:
        return
    cap = multiplier_cap(rel, table, inst.n_posts)
    assert cap > 10**6
    assert subproblem(rel, table, inst.n_posts, inst.n_candidates, np.full(rel.n_rows, cap)) \
        is not None


def test_pricing_refuses_scores_too_large_to_match_exactly():
    inst, _, table, rel = next(x for x in map(_priced, range(150)) if x[3].n_rows and len(x[2]))
    assert subproblem(rel, table, inst.n_posts, inst.n_candidates, np.full(rel.n_rows, 2**52)) is None


def test_random_scenarios_exercise_the_rows():
    with_rows = [seed for seed in range(150) if _priced(seed)[3].n_rows > 0]
    with_aux = [seed for seed in range(150) if _priced(seed)[3].b.shape[1] > 0]
    assert len(with_rows) >= 40 and len(with_aux) >= 20


@pytest.fixture(scope="module")
def generated():
    return generate(structure="legacy", fraction=0.03, seed=3).to_scenario()


def test_rows_tighten_the_core_bound_and_stay_above_the_optimum(generated):
    inst = Instance(generated)
    policy = generated.policy
    table = pair_table(inst, policy)
    core = assignment_core(table, inst.n_posts, inst.n_candidates)
    rel = side_rows(inst, policy, table)
    found = lp_bound(rel, table, inst.n_posts, inst.n_candidates, np.ones(len(table), bool))
    exact = solve(generated, workers=2, time_limit=30, exact=True, seed=1)
    assert exact.has_plan
    assert exact.objective <= found.bound < core.bound
    assert found.lp.value >= exact.objective  # the LP over every pair bounds it too


def test_solve_reports_the_lp_bound_and_a_plan_from_its_skeleton(generated):
    result = solve(generated, workers=2, time_limit=20, exact=False, seed=1)
    stats = result.stats
    assert stats.lp.bound is not None and stats.skeleton.completed
    assert result.bound == min(stats.core_bound, stats.lp.bound)
    assert result.bound < stats.core_bound
    assert result.objective <= result.bound


def test_gap_ends_the_search_once_the_warm_start_is_close_enough(generated):
    loose = solve(generated, workers=2, time_limit=60, exact=False, seed=1, gap=0.05)
    assert loose.gap <= 0.05
    assert loose.stats.search_skipped and loose.stats.plan_source == "lp"
    assert loose.stats.skeleton.stop == "gap"  # the completion stopped at its first close plan
    tight = solve(generated, workers=2, time_limit=20, exact=False, seed=1)
    assert tight.stats.skeleton.stop in ("optimal", "limit")  # --gap 0: completed to the end
    assert not tight.stats.search_skipped or tight.objective >= \
        math.floor(tight.stats.lp.value + 1e-6)
    assert tight.objective >= loose.objective


def test_column_generation_resumed_ends_where_one_run_does(generated):
    """Stopped at 0.1% and run on to 0, the LP has the bound, rounds and columns of one run to
    0: a first plan from the early vertex costs the final bound nothing."""
    inst = Instance(generated)
    table = pair_table(inst, generated.policy)
    rel = side_rows(inst, generated.policy, table)
    seed = np.zeros(len(table), dtype=bool)
    seed[assignment_core(table, inst.n_posts, inst.n_candidates).chosen] = True
    once = lp_bound(rel, table, inst.n_posts, inst.n_candidates, seed, budget=math.inf)
    generation = ColumnGeneration(rel, table, inst.n_posts, inst.n_candidates, seed)
    early = generation.run(1e-3, math.inf)
    assert generation.resumable and early.rounds < once.rounds
    assert early.bound >= once.bound
    final = generation.run(0.0, math.inf)
    assert (final.bound, final.rounds) == (once.bound, once.rounds)
    assert np.array_equal(final.lp.pairs, once.lp.pairs)
    assert len(final.lams) == final.rounds
    assert generation.run(0.0, math.inf).rounds == final.rounds  # nothing left to price at 0
