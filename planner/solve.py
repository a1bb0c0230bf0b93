"""Solving a scenario: build the model, run CP-SAT, read the plan, verify it independently."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ortools.sat.python import cp_model

from planner.check import CheckReport, check_plan
from planner.explain import explain
from planner.instance import Instance
from planner.model.builder import ModelBuilder
from planner.scenario import Policy, Scenario


class Status(str, Enum):
    optimal = "optimal"
    feasible = "feasible"
    infeasible = "infeasible"
    unknown = "unknown"


_STATUS = {
    cp_model.OPTIMAL: Status.optimal,
    cp_model.FEASIBLE: Status.feasible,
    cp_model.INFEASIBLE: Status.infeasible,
    cp_model.UNKNOWN: Status.unknown,
}


class VerificationError(RuntimeError):
    """The solver's plan failed the independent check: a bug in the planner, never ignored."""


@dataclass
class Result:
    """What one solve found, with the checker's verdict and the figures of every rule."""

    status: Status
    objective: int | None
    bound: int | None
    plan: dict[str, str | None]
    """Post id -> candidate id (None for vacant), in scenario post order; empty without a plan."""
    check: CheckReport | None
    explanation: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def has_plan(self) -> bool:
        return self.status in (Status.optimal, Status.feasible)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return (self.bound - self.objective) / max(1, abs(self.objective))


def _effective(scenario: Scenario, policy: Policy | None) -> Policy:
    chosen = policy if policy is not None else scenario.policy
    return chosen if chosen is not None else Policy(name="(eligibility only)")


def solve(scenario: Scenario, policy: Policy | None = None, *, time_limit: float = 60.0,
          workers: int = 2, seed: int = 0, deterministic: bool = False,
          log: bool = False) -> Result:
    """Solve `scenario` under `policy` (default: the scenario's own) and verify the plan.

    With `deterministic`, CP-SAT runs its workers interleaved and stops on deterministic time
    (`time_limit` in its deterministic units), so that the same inputs give the same plan.
    """
    policy = _effective(scenario, policy)
    t0 = time.perf_counter()
    inst = Instance(scenario)
    t_index = time.perf_counter() - t0
    mb = ModelBuilder(inst, policy).build()
    t_build = time.perf_counter() - t0

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.log_search_progress = log
    if deterministic:
        params.interleave_search = True
        params.max_deterministic_time = time_limit
    else:
        params.max_time_in_seconds = time_limit
    t1 = time.perf_counter()
    code = solver.solve(mb.model)
    solve_seconds = time.perf_counter() - t1
    status = _STATUS.get(code, Status.unknown)

    stats: dict[str, Any] = {
        "model": mb.size(), "index_seconds": round(t_index, 3),
        "build_seconds": round(t_build, 3),
        "build_breakdown": {k: round(v, 3) for k, v in mb.timings.items()},
        "solve_seconds": round(solve_seconds, 3), "workers": params.num_workers, "seed": seed,
        "time_limit": time_limit, "deterministic": deterministic,
        "solver_wall_seconds": round(solver.wall_time, 3),
    }
    if status is Status.infeasible:
        t2 = time.perf_counter()
        reasons = explain(inst, mb, policy, time_limit=time_limit)
        stats["explain_seconds"] = round(time.perf_counter() - t2, 3)
        return Result(status, None, None, {}, None, reasons, stats)
    if status is not Status.optimal and status is not Status.feasible:
        return Result(status, None, None, {}, None, [], stats)

    values = solver.response_proto.solution
    plan: dict[str, str | None] = {}
    for p, pairs in enumerate(mb.pairs_of_post):
        chosen = [c for c, var in pairs if values[var.index]]
        plan[inst.posts[p].id] = inst.candidates[chosen[0]].id if chosen else None
    objective = int(round(solver.objective_value))
    bound = math.floor(solver.best_objective_bound + 1e-6)
    if status is Status.optimal:
        bound = objective

    t2 = time.perf_counter()
    report = check_plan(scenario, plan, policy)
    stats["check_seconds"] = round(time.perf_counter() - t2, 3)
    if not report.valid or report.objective != objective:
        raise VerificationError(
            "the solver's plan failed the independent check: "
            + (f"objective {objective} from the solver, {report.objective} recomputed; "
               if report.objective != objective else "")
            + "; ".join(report.violations[:10]))
    return Result(status, objective, bound, plan, report, [], stats)
