"""One period on a shortlist: the LP starts from the core plan's pairs, and the shortlist is
built only when a search is to run (planner/solver/bounds.py: `widened`)."""

from __future__ import annotations

import numpy as np
from reporting import SMALL

from planner.generate.national import generate
from planner.io.loader import load_scenario
from planner.model.core import assignment_core
from planner.model.horizon import index
from planner.model.pairs import pair_table
from planner.model.shortlist import shortlist
from planner.scenario import effective_policy
from planner.solver.pipeline import solve

FAST = {"time_limit": 20, "workers": 1, "seed": 0, "deterministic": True}


def test_a_first_plan_within_the_gap_needs_no_shortlist():
    """Legacy x 0.05: the LP's skeleton, completed, is within 0.1% of the bound."""
    scn = generate("legacy", 0.05, seed=2).to_scenario()
    result = solve(scn, exact=False, gap=0.001, **FAST)
    assert result.has_plan and result.check.valid and result.gap <= 0.001
    assert result.stats.mode == "shortlist" and result.stats.shortlist_seconds is None
    assert result.stats.search_skipped and result.stats.plan_source == "lp"
    searched = solve(scn, exact=False, gap=0.0, **FAST)  # gap 0: a search, on the shortlist
    assert searched.stats.shortlist_seconds is not None
    assert result.stats.model is None  # nor a model: the first plan is the answer
    assert searched.stats.model["pairs"] == searched.stats.shortlist_pairs
    assert searched.objective >= result.objective and searched.bound >= searched.objective


def test_a_search_models_the_shortlist_and_finds_the_optimum():
    scn = load_scenario(SMALL)
    policy = effective_policy(scn)
    result = solve(scn, exact=False, gap=0.0, **FAST)
    assert result.stats.shortlist_seconds is not None
    inst = index(scn)
    table = pair_table(inst, policy)
    core = assignment_core(table, inst.n_posts, inst.n_candidates)
    listed = int(shortlist(inst, policy, table, core.chosen).keep.sum())
    assert result.stats.shortlist_pairs >= listed
    assert result.objective == solve(scn, exact=True, gap=0.0, **FAST).objective
    assert np.isfinite(result.bound) and result.bound >= result.objective
