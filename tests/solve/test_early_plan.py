"""A shortlisted period solved to a gap below the default gets a first plan from the LP's early
vertex (planner/solver/bounds.py, `EARLY_GAP`), while the LP's rounds go on to the same bound as
without it; Ctrl-C in those rounds keeps the early plan."""

from __future__ import annotations

import numpy as np
import pytest

from planner import solve
from planner.generate.national import generate
from planner.model.core import assignment_core
from planner.model.instance import Instance
from planner.model.lagrangian import side_rows
from planner.model.lp import lp_bound
from planner.model.pairs import pair_table
from planner.solver import pipeline
from planner.solver.bounds import EARLY_GAP
from planner.solver.result import Clock, Progress


@pytest.fixture(scope="module")
def country():
    """Legacy x 0.05: its LP takes six rounds to gap 0 and three to `EARLY_GAP`."""
    return generate(structure="legacy", fraction=0.05, seed=1).to_scenario()


def _bound_without_early_stop(scn) -> int:
    """The bound of the pipeline's LP run straight to gap 0 from the core plan's pairs."""
    inst = Instance(scn)
    table = pair_table(inst, scn.policy)
    core = assignment_core(table, inst.n_posts, inst.n_candidates)
    seed = np.zeros(len(table), dtype=bool)
    seed[core.chosen] = True
    once = lp_bound(side_rows(inst, scn.policy, table), table, inst.n_posts, inst.n_candidates,
                    seed, budget=float("inf"))
    assert once.bound is not None
    return min(core.bound, once.bound)


def test_a_run_to_gap_0_has_an_early_plan_and_loses_no_bound(country):
    seen: list[Progress] = []
    result = solve(country, exact=False, gap=0.0, time_limit=4, workers=2, seed=1,
                   deterministic=True, progress=seen.append)
    early, lp = result.stats.early_plan, result.stats.lp
    assert result.has_plan and result.check is not None and result.check.valid
    assert early is not None and lp is not None
    assert early.lp_rounds < lp.rounds  # the plan came rounds before the LP's end
    assert (early.bound - early.objective) / early.objective <= EARLY_GAP
    assert early.objective <= result.objective <= result.bound <= early.bound
    assert result.bound == _bound_without_early_stop(country)
    told = [p for p in seen if p.objective is not None]
    assert any(p.objective == early.objective and p.bound == early.bound for p in told)
    # "best" never falls, though the final vertex's completion passes through worse plans
    assert [p.objective for p in told] == sorted(p.objective for p in told)
    assert [p.bound for p in told] == sorted((p.bound for p in told), reverse=True)


def test_the_default_gap_and_a_model_of_every_pair_have_no_early_plan(country):
    default = solve(country, exact=False, gap=1e-4, time_limit=4, workers=2, seed=1)
    every = solve(country, exact=True, gap=0.0, time_limit=4, workers=2, seed=1)
    assert default.has_plan and every.has_plan
    assert default.stats.early_plan is None and every.stats.early_plan is None


def test_ctrl_c_after_the_early_plan_keeps_it(country, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "refined", interrupted)
    result = solve(country, exact=False, gap=0.0, time_limit=4, workers=2, seed=1)
    assert result.has_plan and result.interrupted
    assert result.check is not None and result.check.valid
    assert result.stats.early_plan is not None
    assert result.objective == result.stats.early_plan.objective == result.check.objective
    assert result.bound == result.stats.early_plan.bound


def test_the_clock_tells_the_best_plan_and_bound_so_far():
    seen: list[Progress] = []
    clock = Clock(seen.append)
    clock.tell("building")
    clock.tell("building", 100, 120)
    clock.tell("building", 90, 125)  # a heuristic's worse plan, an older bound
    clock.tell("solving")
    clock.tell("solving", 110, 115)
    assert [(p.phase, p.objective, p.bound) for p in seen] == [
        ("building", None, None), ("building", 100, 120), ("building", 100, 120),
        ("solving", None, None), ("solving", 110, 115)]
