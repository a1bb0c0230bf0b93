"""The CP-SAT search: solver parameters, the warm start's hint, the progress callback with the
early stop at `--gap`, and the search thread that Ctrl-C stops without stopping the process."""

from __future__ import annotations

import math
import os
import signal
import threading
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from planner.model.builder import ModelBuilder
from planner.model.cpsat import new_solver
from planner.solver.result import Clock, Status, relative_gap

DEFAULT_WORKERS = min(8, os.cpu_count() or 1)
"""One CP-SAT worker per core (at most 8). Where every pair is modelled, the `max_lp` subsolver
is added to the portfolio: measured on 2 cores, it proves scenarios/small.yaml optimal in 0.1 s
and scenarios/medium in 44 s, where the default portfolio proves neither in a minute (not even
with 8 time-shared workers)."""

STATUS = {
    cp_model.OPTIMAL: Status.optimal,
    cp_model.FEASIBLE: Status.feasible,
    cp_model.INFEASIBLE: Status.infeasible,
    cp_model.UNKNOWN: Status.unknown,
}
"""CP-SAT's status codes as the planner's statuses (any other code: unknown)."""

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""The signals that stop the search and keep its best plan (Ctrl-C, and `kill`'s default)."""


CLI_GAP = 1e-4
"""`planner solve`'s default `--gap` (0.01%), as HiGHS's, Gurobi's and CPLEX's default relative
MIP gap: a national plan that close to its proven bound is the answer a planner wants, and the
last hundredth of a percent can take most of the time limit. `--gap 0` asks for proven
optimality; the Python API's `solve` keeps 0 (research runs and the brute-force tests compare
optima)."""


@dataclass(frozen=True)
class SearchOptions:
    """How the caller asked `solve` to search (see :func:`planner.solver.pipeline.solve`)."""

    time_limit: float
    workers: int
    seed: int
    deterministic: bool
    log: bool
    gap: float

    def budget(self, parts: int) -> float:
        """Wall seconds for a heuristic stage: 1/`parts` of the limit, unbounded when
        deterministic (a stage cut by the clock would make runs differ)."""
        return float("inf") if self.deterministic else self.time_limit / parts

    def deadline(self, start: float) -> float | None:
        """The `time.perf_counter()` reading at which the limit is up for a run that started
        at `start` (None when deterministic, as for :meth:`out_of_time`)."""
        return None if self.deterministic else start + self.time_limit

    def out_of_time(self, elapsed: float) -> bool:
        """Whether `elapsed` wall seconds have used up the limit (never when deterministic:
        the deterministic limit is CP-SAT's own)."""
        return not self.deterministic and elapsed >= self.time_limit

    def solver(self, limit: float, log: bool = False) -> cp_model.CpSolver:
        """A CP-SAT solver stopping after `limit` (deterministic units when deterministic)."""
        solver = new_solver()
        params = solver.parameters
        params.num_workers = max(1, self.workers)
        params.random_seed = self.seed
        params.log_search_progress = log
        if self.workers <= 1:
            # One worker searches alone, deterministic by itself: give it the full LP relaxation
            # (a portfolio's max_lp worker) rather than interleaving a portfolio in one thread.
            # Measured (deterministic, 1 worker, to proven optimality): small.yaml 2.4 s -> 0.2 s,
            # medium 122 s -> 38 s; the research batches run one worker per solve.
            params.linearization_level = 2
        elif self.deterministic:
            params.interleave_search = True
        if self.deterministic:
            params.max_deterministic_time = limit
        else:
            params.max_time_in_seconds = limit
        return solver

    def search_solver(self, elapsed: float, shortlisted: bool) -> cp_model.CpSolver:
        """The solver of the main search, with what is left of the time limit after `elapsed`
        seconds of building (in wall-clock mode; at least one second)."""
        solver = self.solver(self.time_limit if self.deterministic
                             else max(1.0, self.time_limit - elapsed), self.log)
        if shortlisted:  # measured: probing and symmetry detection dominate presolve at this size
            solver.parameters.cp_model_probing_level = 0
            solver.parameters.symmetry_level = 0
        else:  # a worker on the full LP relaxation closes the bound (see DEFAULT_WORKERS)
            solver.parameters.extra_subsolvers.append("max_lp")
            solver.parameters.relative_gap_limit = self.gap
        return solver


class Watch(cp_model.CpSolverSolutionCallback):
    """Passes each improving plan's objective and bound to the progress hook (as `phase`), and
    stops the search once a plan is within `gap` of the valid bound."""

    def __init__(self, clock: Clock, bound: int, solver_bound_valid: bool, gap: float,
                 phase: str = "solving", enough: int | None = None):
        super().__init__()
        self.clock, self.bound, self.phase = clock, bound, phase
        self.solver_bound_valid, self.gap, self.enough = solver_bound_valid, gap, enough
        self.within_gap = False
        """Set when the search was stopped at `gap` or at `enough` (a bound on the model's
        plans: no better plan is left to find)."""

    def on_solution_callback(self) -> None:
        bound = self.bound
        if self.solver_bound_valid:
            bound = min(bound, math.floor(self.best_objective_bound + 1e-6))
        objective = int(round(self.objective_value))
        self.clock.tell(self.phase, objective, bound)
        if (self.gap > 0 and relative_gap(objective, bound) <= self.gap) or \
                (self.enough is not None and objective >= self.enough):
            self.within_gap = True
            self.stop_search()


def needs_no_search(objective: int, bound: int, gap: float, model_bound: int | None,
                    lp_value: float | None = None) -> bool:
    """True when searching cannot pay: the plan is within `gap` of the valid bound, or it
    reaches `model_bound`, a bound on every plan of the model the search would run on
    (:meth:`planner.solver.bounds.Bounds.over`): no plan there is better; or, where the LP's
    columns are the model's pairs, it reaches the LP's value (`lp_value`), which no plan of the
    model exceeds up to the LP's tolerance (a heuristic, not a claim: the Lagrangian bound at
    the LP's rounded duals can stand a point or two above it, and proving those last points
    can take a solve at gap 0 the rest of its time limit)."""
    return relative_gap(objective, bound) <= gap or \
        (model_bound is not None and objective >= model_bound) or \
        (lp_value is not None and objective >= math.floor(lp_value + 1e-6))


def _with_pairs_fixed(mb: ModelBuilder, plan: dict[str, str | None],
                      seconds: float) -> cp_model.CpSolver | None:
    """The model solved with its pair variables fixed to `plan` (the auxiliaries free, each
    at its best), or None where the plan breaks a hard rule. Leaves `plan` hinted."""
    mb.hint(plan)
    solver = new_solver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    if solver.solve(mb.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def complete_hint(mb: ModelBuilder, plan: dict[str, str | None], seconds: float = 10.0) -> bool:
    """Hint `plan`; where it keeps every hard rule, hint every variable (rules' auxiliaries too).

    CP-SAT starts from a complete feasible hint at once; from a partial one it often loses it
    in presolve. The auxiliaries are found by a solve with the pair variables fixed.
    """
    solver = _with_pairs_fixed(mb, plan, seconds)
    if solver is None:
        return False
    mb.hint_values(solver.response_proto.solution)
    return True


def model_value(mb: ModelBuilder, plan: dict[str, str | None], seconds: float = 60.0) -> int | None:
    """The model's objective of `plan` with every auxiliary at its best (None: the plan breaks a
    hard rule of the model). A feasible CP-SAT solution may leave a soft rule's penalty literal
    at 1 where the plan does not need it (nothing forces it down before optimality), so its
    objective can fall short of its plan's: this is the plan's own value in the model."""
    solver = _with_pairs_fixed(mb, plan, seconds)
    return None if solver is None else int(round(solver.objective_value))


def search(solver: cp_model.CpSolver, model: cp_model.CpModel,
           callback: cp_model.CpSolverSolutionCallback | None) -> tuple[int, bool]:
    """Run the search: CP-SAT's status code, and whether Ctrl-C or SIGTERM stopped it (keeping
    the best plan found) instead of the process.

    OR-Tools would catch SIGINT itself, and Python runs signal handlers only on the main
    thread, which `solve` blocks: so the search runs in a worker thread while the main thread
    waits, and the main thread's handler asks the solver to stop. SIGTERM (a service manager's
    or `kill`'s stop) gets the same handler: the best plan is kept and written, as on Ctrl-C.
    """
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback), False
    solver.parameters.catch_sigint_signal = False  # `solver` may be a caller's own
    outcome: dict[str, Any] = {"interrupted": False}

    def work() -> None:
        try:
            outcome["code"] = solver.solve(model, callback)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    def handler(signum: int, frame: object) -> None:
        outcome["interrupted"] = True
        solver.stop_search()

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        worker = threading.Thread(target=work, name="cp-sat", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["code"], outcome["interrupted"]

