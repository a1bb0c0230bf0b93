"""`term_limit`'s LP rows over a horizon: the stays the relaxation credits, taken back where
the limit forbids them (`TermLimit.lp_rows`). A hand-worked case, then random tiny horizons
with a hard term limit against brute force: the bound holds and is tighter."""

from __future__ import annotations

import numpy as np
from builders import cand, post, scenario, unit
from horizon_bruteforce import N_RANDOM, horizon_optimum, random_horizon_scenario

from planner import solve
from planner.model.core import assignment_core
from planner.model.horizon import index
from planner.model.lagrangian import side_rows
from planner.model.lp import lp_bound
from planner.model.pairs import pair_table
from planner.rules.term_limit import TermLimit
from planner.scenario import Policy, Scenario, effective_policy


def _three_terms_one_post() -> Scenario:
    # X in P1 over 2026, 2031, 2036; A holds X (1 term), B waits; a move costs 20.
    #   A stays 2026 (2 terms), so in 2031 X needs another holder: B moves in, stays 2036:
    #   50 + (40 - 20) + 40 = 110, the optimum. The relaxation lets A stay all three terms
    #   for free (150); the rows charge one of A's two later stays (130): they take back the
    #   credit, while that A may not hold X three terms running is the links' (the model's).
    units = [unit("P1", "province"), unit("P2", "province")]
    return scenario(units, [post("X", "P1")],
                    [cand("A", home="P2", current_post="X", merit=50),
                     cand("B", home="P2", merit=40)],
                    rules=[{"rule": "term_limit"}], weights={"move": 20, "vacancy": 1000}
                    ).model_copy(update={"periods": [2026, 2031, 2036]})


def _bounds(scn: Scenario, policy: Policy) -> tuple[int, int | None]:
    """(the core bound, the LP bound with the policy's rows) of `scn`."""
    inst = index(scn)
    table = pair_table(inst, policy)
    core = assignment_core(table, inst.n_posts, inst.n_candidates).bound
    rows = side_rows(inst, policy, table)
    if rows.n_rows == 0:
        return core, None
    lp = lp_bound(rows, table, inst.n_posts, inst.n_candidates, np.ones(len(table), bool))
    return core, lp.bound


def test_the_rows_take_back_the_stays_the_limit_forbids():
    scn = _three_terms_one_post()
    policy = effective_policy(scn, None)
    inst = index(scn)
    table = pair_table(inst, policy)
    rows = policy.rules[0].lp_rows(inst, table)
    # windows 2026-2031 and 2031-2036, each at most one stay; a u for 2031 and 2036
    assert rows.a.shape[0] == 2 and rows.b.shape[1] == 2
    assert list(rows.lo) == [-1, -1] and list(rows.d) == [-20, -20]
    assert _bounds(scn, policy) == (150, 130)
    assert _optimum(scn, policy) == 110
    result = solve(scn, exact=True, deterministic=True, workers=1)
    assert result.status.value == "optimal" and result.objective == 110
    assert result.stats.bound == 130 and result.stats.core_bound == 150


def test_no_rows_for_one_period_a_soft_limit_or_no_move_weight():
    scn = _three_terms_one_post()
    policy = effective_policy(scn, None)
    inst = index(scn)
    soft = TermLimit(hard=False, weight=5)
    assert soft.lp_rows(inst, pair_table(inst, policy)) is None
    free = policy.model_copy(update={"weights": policy.weights.model_copy(update={"move": 0})})
    assert policy.rules[0].lp_rows(inst, pair_table(inst, free)) is None
    one = index(scn.model_copy(update={"periods": None}))
    assert policy.rules[0].lp_rows(one, pair_table(one, policy)) is None


def _with_term_limit(scn: Scenario) -> Policy:
    """The scenario's policy with a hard term limit of two or three terms on every post (same
    post or unit) and a move weight that a stay saves."""
    policy = effective_policy(scn, None)
    terms = 2 + len(scn.candidates) % 2
    rules = [r for r in policy.rules if r.rule != "term_limit"]
    rules.append(TermLimit(max_consecutive_terms=terms, same="post" if len(scn.posts) % 2 else "unit"))
    return policy.model_copy(update={"rules": rules,
                                     "weights": policy.weights.model_copy(update={"move": 20})})


def _optimum(scn: Scenario, policy: Policy) -> int | None:
    """The brute-force optimum of `scn` under `policy`."""
    return horizon_optimum(scn.model_copy(update={"policy": policy}))[1]


def test_on_tiny_horizons_the_bound_holds_and_the_rows_tighten_it():
    """A quarter of the random horizons, each with a hard term limit: the LP bound with the
    term limit's rows alone is no lower than the brute-force optimum, and lower than the core
    on some of them (a tenth at least, or this test would show nothing); the solver proves the optimum
    and its bound before the search holds."""
    checked = tighter = 0
    for seed in range(0, N_RANDOM, 4):
        scn = random_horizon_scenario(seed)
        if len(scn.years) < 2:
            continue
        policy = _with_term_limit(scn)
        best = _optimum(scn, policy)
        if best is None:
            continue
        only = policy.model_copy(update={"rules": [policy.rules[-1]]})
        core, lp = _bounds(scn, only)
        assert lp is None or best <= lp <= core, (seed, best, lp, core)
        result = solve(scn, policy, exact=True, deterministic=True, workers=1, time_limit=60)
        assert result.status.value == "optimal" and result.objective == best, seed
        assert result.stats.bound >= best, (seed, result.stats.bound, best)
        checked += 1
        tighter += lp is not None and lp < core
    assert checked >= 100 and tighter >= checked // 10, (checked, tighter)
