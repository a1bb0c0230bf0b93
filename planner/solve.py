"""Solving a scenario: build the model, run CP-SAT, read the plan, verify it independently."""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


@dataclass(frozen=True)
class Progress:
    """What `solve` reports as it goes: the phase, and once plans come, the best one so far."""

    phase: str
    """`building`, `solving`, `verifying` or `explaining`."""
    elapsed: float
    objective: int | None = None
    bound: int | None = None


ProgressHook = Callable[[Progress], None]


class _Watch(cp_model.CpSolverSolutionCallback):
    """Passes each improving plan's objective and bound to the progress hook."""

    def __init__(self, hook: ProgressHook, start: float):
        super().__init__()
        self.hook, self.start = hook, start

    def on_solution_callback(self) -> None:
        self.hook(Progress("solving", time.perf_counter() - self.start,
                           int(round(self.objective_value)),
                           math.floor(self.best_objective_bound + 1e-6)))


@contextmanager
def _stop_on_interrupt(solver: cp_model.CpSolver, flag: dict[str, bool]) -> Iterator[None]:
    """Ctrl-C stops the search (keeping the best plan found) instead of killing the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        flag["interrupted"] = True
        solver.stop_search()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def solve(scenario: Scenario, policy: Policy | None = None, *, time_limit: float = 60.0,
          workers: int = 2, seed: int = 0, deterministic: bool = False,
          log: bool = False, progress: ProgressHook | None = None,
          hint: dict[str, str | None] | None = None) -> Result:
    """Solve `scenario` under `policy` (default: the scenario's own) and verify the plan.

    With `deterministic`, CP-SAT runs its workers interleaved and stops on deterministic time
    (`time_limit` in its deterministic units), so that the same inputs give the same plan.
    `progress` is called at each phase and each improving plan; `hint` (post id -> candidate
    id) warm-starts the search. Ctrl-C stops the search; the best plan found is returned, with
    `stats["interrupted"]` set.
    """
    policy = _effective(scenario, policy)
    t0 = time.perf_counter()
    tell = progress or (lambda _: None)
    tell(Progress("building", 0.0))
    inst = Instance(scenario)
    t_index = time.perf_counter() - t0
    mb = ModelBuilder(inst, policy).build()
    if hint:
        mb.hint(hint)
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
    tell(Progress("solving", t1 - t0))
    flag = {"interrupted": False}
    with _stop_on_interrupt(solver, flag):
        code = solver.solve(mb.model, _Watch(tell, t0) if progress else None)
    solve_seconds = time.perf_counter() - t1
    status = _STATUS.get(code, Status.unknown)

    stats: dict[str, Any] = {
        "model": mb.size(), "index_seconds": round(t_index, 3),
        "build_seconds": round(t_build, 3),
        "build_breakdown": {k: round(v, 3) for k, v in mb.timings.items()},
        "solve_seconds": round(solve_seconds, 3), "workers": params.num_workers, "seed": seed,
        "time_limit": time_limit, "deterministic": deterministic,
        "solver_wall_seconds": round(solver.wall_time, 3),
        "interrupted": flag["interrupted"],
    }
    if status is Status.infeasible:
        tell(Progress("explaining", time.perf_counter() - t0))
        t2 = time.perf_counter()
        reasons = explain(inst, mb, policy, time_limit=time_limit)
        stats["explain_seconds"] = round(time.perf_counter() - t2, 3)
        return Result(status, None, None, {}, None, reasons, stats)
    if status is not Status.optimal and status is not Status.feasible:
        return Result(status, None, None, {}, None, [], stats)

    plan = mb.plan_from(solver.response_proto.solution)
    objective = int(round(solver.objective_value))
    bound = math.floor(solver.best_objective_bound + 1e-6)
    if status is Status.optimal:
        bound = objective

    tell(Progress("verifying", time.perf_counter() - t0, objective, bound))
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
