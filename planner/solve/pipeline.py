"""Solving a scenario: build the model, run CP-SAT, read the plan, verify it independently."""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from planner.check.checker import CheckReport, check_plan
from planner.explain.infeasible import explain
from planner.model.builder import ModelBuilder
from planner.model.core import assignment_core
from planner.model.instance import Instance
from planner.model.lagrangian import side_rows
from planner.model.lp import LpBound, lp_bound
from planner.model.pairs import PairTable, pair_table
from planner.model.repair import repair
from planner.model.shortlist import shortlist
from planner.scenario import Policy, Scenario, effective_policy


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
    """Passes each improving plan's objective and bound to the progress hook, and stops the
    search once a plan is within `gap` of the valid bound."""

    def __init__(self, hook: ProgressHook, start: float, bound: int, solver_bound_valid: bool,
                 gap: float):
        super().__init__()
        self.hook, self.start, self.bound = hook, start, bound
        self.solver_bound_valid, self.gap = solver_bound_valid, gap

    def on_solution_callback(self) -> None:
        bound = self.bound
        if self.solver_bound_valid:
            bound = min(bound, math.floor(self.best_objective_bound + 1e-6))
        objective = int(round(self.objective_value))
        self.hook(Progress("solving", time.perf_counter() - self.start, objective, bound))
        if self.gap > 0 and _within(objective, bound, self.gap):
            self.stop_search()


def _within(objective: int, bound: int, gap: float) -> bool:
    """Is `objective` within the fraction `gap` of `bound` (as `Result.gap` measures it)?"""
    return bound - objective <= gap * max(1, abs(objective))


def _needs_no_search(objective: int, bound: int, gap: float, lpb: LpBound | None,
                     lp_covers_model: bool) -> bool:
    """True when searching cannot pay: the plan meets the valid bound (or is within `gap`
    of it), or, on a shortlist that the LP covered, it reaches the LP's own value there, which
    no plan on the shortlist exceeds (up to the LP's tolerance: a heuristic, not a claim)."""
    if _within(objective, bound, gap):
        return True
    return lp_covers_model and lpb is not None and lpb.lp is not None \
        and objective >= math.floor(lpb.lp.value + 1e-6)


def _search(solver: cp_model.CpSolver, model: cp_model.CpModel,
            callback: cp_model.CpSolverSolutionCallback | None, flag: dict[str, bool]) -> int:
    """Run the search; Ctrl-C stops it (keeping the best plan found) instead of the process.

    OR-Tools would catch SIGINT itself, and Python runs signal handlers only on the main
    thread, which `solve` blocks: so the search runs in a worker thread while the main thread
    waits, and the main thread's handler asks the solver to stop.
    """
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback)
    solver.parameters.catch_sigint_signal = False
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["code"] = solver.solve(model, callback)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    def handler(signum: int, frame: object) -> None:
        flag["interrupted"] = True
        solver.stop_search()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        worker = threading.Thread(target=work, name="cp-sat", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
    finally:
        signal.signal(signal.SIGINT, previous)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["code"]


DEFAULT_WORKERS = min(8, os.cpu_count() or 1)
"""One CP-SAT worker per core (at most 8). Where every pair is modelled, the `max_lp` subsolver
is added to the portfolio: measured on 2 cores, it proves scenarios/small.yaml optimal in 0.1 s
and scenarios/medium in 44 s, where the default portfolio proves neither in a minute (not even
with 8 time-shared workers)."""

LARGE_PAIRS = 400_000
"""Above this many eligible pairs, the model is built on a shortlist (see model/shortlist.py)."""


def _solver(workers: int, seed: int, log: bool, deterministic: bool,
            limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.log_search_progress = log
    if deterministic:
        params.interleave_search = True
        params.max_deterministic_time = limit
    else:
        params.max_time_in_seconds = limit
    return solver


def _complete_hint(mb: ModelBuilder, plan: dict[str, str | None], seconds: float = 10.0) -> bool:
    """Hint `plan`; where it keeps every hard rule, hint every variable (rules' auxiliaries too).

    CP-SAT starts from a complete feasible hint at once; from a partial one it often loses it
    in presolve. The auxiliaries are found by a solve with the pair variables fixed.
    """
    mb.hint(plan)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    if solver.solve(mb.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    mb.hint_values(solver.response_proto.solution)
    return True


def _complete(inst: Instance, policy: Policy, table: PairTable, keep: np.ndarray,
              lpb: LpBound | None, workers: int, seed: int, deterministic: bool,
              limit: float) -> tuple[dict[str, str | None] | None, int]:
    """A plan that keeps every pair the LP sets to 1 (its skeleton), or None; and the
    skeleton's size.

    With the skeleton fixed only the LP's fractional corner is left to decide (2025 country:
    14 fractional pairs of 44,000). CP-SAT decides it on a model of the skeleton's pairs and
    the shortlisted pairs (`keep`) of the posts and officers the skeleton leaves free: the
    same plans as the whole model with the skeleton fixed, without presolving 190,000 pair
    variables to learn that most are zero (legacy country, measured in one process: 2.3 s with
    this model's build, against 3.4 s plus 1.1 s for building the whole model)."""
    if lpb is None or lpb.lp is None:
        return None, 0
    skeleton = lpb.lp.pairs[lpb.lp.x > 1 - 1e-6]
    post_taken = np.zeros(inst.n_posts, dtype=bool)
    post_taken[table.post[skeleton]] = True
    cand_taken = np.zeros(inst.n_candidates, dtype=bool)
    cand_taken[table.cand[skeleton]] = True
    free = keep & ~post_taken[table.post] & ~cand_taken[table.cand]
    free[skeleton] = True
    mb = ModelBuilder(inst, policy, table=table.subset(free)).build()
    for v in (np.cumsum(free)[skeleton] - 1).tolist():
        domain = mb.model.proto.variables[v].domain
        domain.clear()
        domain.extend([1, 1])
    solver = _solver(workers, seed, False, deterministic, limit)
    solver.parameters.extra_subsolvers.append("max_lp")
    if solver.solve(mb.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, len(skeleton)
    return mb.plan_from(solver.response_proto.solution), len(skeleton)


def _plan_of(inst: Instance, table: PairTable, chosen) -> dict[str, str | None]:
    plan: dict[str, str | None] = {p.id: None for p in inst.posts}
    for i in chosen:
        plan[inst.posts[table.post[i]].id] = inst.candidates[table.cand[i]].id
    return plan


def solve(scenario: Scenario, policy: Policy | None = None, *, time_limit: float = 60.0,
          workers: int = DEFAULT_WORKERS, seed: int = 0, deterministic: bool = False,
          log: bool = False, progress: ProgressHook | None = None,
          hint: dict[str, str | None] | None = None, exact: bool | None = None,
          gap: float = 0.0) -> Result:
    """Solve `scenario` under `policy` (default: the scenario's own) and verify the plan.

    With `deterministic`, CP-SAT runs its workers interleaved and stops on deterministic time
    (`time_limit` in its deterministic units), so that the same inputs give the same plan.
    Otherwise `time_limit` is wall seconds for the whole call, building included.
    `progress` is called at each phase and each improving plan; `hint` (post id -> candidate
    id) warm-starts the search (default: the assignment core's plan). Ctrl-C stops the search;
    the best plan found is returned, with `stats["interrupted"]` set.

    `exact`: True models every eligible pair; False always solves on a shortlist; None (the
    default) shortlists above `LARGE_PAIRS` pairs. The reported bound is always valid for the
    whole scenario, and `optimal` is claimed only when the plan meets it.

    `gap`: stop as soon as a plan is within this fraction of the valid bound (0.001: 0.1%);
    the default 0 searches until optimal or out of time.
    """
    policy = effective_policy(scenario, policy)
    t0 = time.perf_counter()
    tell = progress or (lambda _: None)
    tell(Progress("building", 0.0))
    inst = Instance(scenario)
    stats: dict[str, Any] = {"index_seconds": round(time.perf_counter() - t0, 3), "seed": seed,
                             "time_limit": time_limit, "deterministic": deterministic,
                             "workers": max(1, workers)}
    tick = time.perf_counter()
    table = pair_table(inst, policy)
    stats["pairs_seconds"] = round(time.perf_counter() - tick, 3)
    tick = time.perf_counter()
    core = assignment_core(table, inst.n_posts, inst.n_candidates)
    stats["core_seconds"] = round(time.perf_counter() - tick, 3)
    stats["core_bound"] = core.bound
    shortlisted = len(table) > (LARGE_PAIRS if exact is None else (len(table) if exact else 0))
    stats["mode"] = "shortlist" if shortlisted else "full"
    keep = np.ones(len(table), dtype=bool)
    if shortlisted:  # large: CP-SAT on a shortlist around the core plan
        tick = time.perf_counter()
        keep = shortlist(inst, policy, table, core.chosen)
        stats["shortlist_seconds"] = round(time.perf_counter() - tick, 3)
    # The LP on the shortlist: its duals price every pair (a bound for the whole scenario),
    # its integral posts are a plan's skeleton (model/lp.py).
    tick = time.perf_counter()
    rel = side_rows(inst, policy, table)
    lpb = lp_bound(rel, table, inst.n_posts, inst.n_candidates, keep,
                   budget=float("inf") if deterministic else time_limit / 4) if rel.n_rows else None
    bound = core.bound
    if lpb is not None:
        if lpb.lp is not None:
            keep[lpb.lp.pairs] = True
        if lpb.bound is not None:
            bound = min(bound, lpb.bound)
        stats["lp"] = {"rows": rel.n_rows, "rounds": lpb.rounds, "seconds": round(lpb.seconds, 3),
                       "value": None if lpb.lp is None else round(lpb.lp.value, 3),
                       "bound": lpb.bound}
    stats["relaxation_seconds"] = round(time.perf_counter() - tick, 3)
    model_table = table.subset(keep) if shortlisted else table
    if shortlisted:
        stats["shortlist_pairs"] = len(model_table)
    # A first plan that keeps every rule: the LP's skeleton completed by CP-SAT, else the
    # rule-driven repair of the core plan (checked independently). It warm-starts the search
    # and is the answer if the search finds nothing better in time.
    start_plan, fallback = hint, None
    if hint is None:
        tick = time.perf_counter()
        completed, size = _complete(inst, policy, table, keep, lpb, workers, seed,
                                    deterministic, time_limit / 4)
        if size:
            stats["skeleton"] = {"posts": size, "completed": completed is not None,
                                 "seconds": round(time.perf_counter() - tick, 3)}
        if completed is not None:
            start_plan = completed
            checked = check_plan(scenario, completed, policy)
            fallback = (completed, checked, "lp") if checked.valid else None
            if fallback is not None:
                tell(Progress("building", time.perf_counter() - t0, checked.objective, bound))
    mb = ModelBuilder(inst, policy, table=model_table).build()
    if fallback is None:
        fixed = repair(inst, policy, table, core.chosen,
                       budget=float("inf") if deterministic else time_limit / 3)
        stats["repair"] = {"rounds": fixed.rounds, "still_broken": fixed.broken,
                           "seconds": round(fixed.seconds, 3)}
        repaired = _plan_of(inst, table, fixed.chosen)
        if not fixed.broken:
            checked = check_plan(scenario, repaired, policy)
            fallback = (repaired, checked, "repair") if checked.valid else None
            if fallback is not None:
                tell(Progress("building", time.perf_counter() - t0, checked.objective, bound))
        # Posts the repair left vacant get all their pairs, so the search can fill them.
        vacant = np.setdiff1d(np.arange(inst.n_posts), table.post[fixed.chosen])
        more = np.isin(table.post, vacant)
        more[fixed.chosen] = True
        if shortlisted and not keep[more].all():
            keep |= more
            model_table = table.subset(keep)
            stats["shortlist_pairs"] = len(model_table)
            mb = ModelBuilder(inst, policy, table=model_table).build()
        start_plan = start_plan or repaired
    lp_covers_model = lpb is not None and lpb.lp is not None \
        and len(lpb.lp.pairs) == len(model_table)  # model pairs include the LP's: equal sets
    skip = fallback is not None and _needs_no_search(fallback[1].objective, bound, gap, lpb,
                                                     lp_covers_model)
    if not skip:
        stats["hint_complete"] = _complete_hint(mb, start_plan)
    stats["bound"] = bound
    stats["build_seconds"] = round(time.perf_counter() - t0, 3)
    stats["model"] = mb.size()
    stats["build_breakdown"] = {k: round(v, 3) for k, v in mb.timings.items()}

    solver = _solver(workers, seed, log, deterministic,
                     time_limit if deterministic else max(1.0, time_limit - (time.perf_counter() - t0)))
    if shortlisted:  # measured: probing and symmetry detection dominate presolve at this size
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
    else:  # a worker on the full LP relaxation closes the bound (see DEFAULT_WORKERS)
        solver.parameters.extra_subsolvers.append("max_lp")
        solver.parameters.relative_gap_limit = gap
    t1 = time.perf_counter()
    tell(Progress("solving", t1 - t0))
    flag = {"interrupted": False}
    if skip:
        code = cp_model.UNKNOWN  # the warm start is the answer: see _needs_no_search
        stats["search_skipped"] = True
    else:
        code = _search(solver, mb.model, _Watch(tell, t0, bound, not shortlisted, gap), flag)
    status = _STATUS.get(code, Status.unknown)
    if shortlisted and status is Status.infeasible and not flag["interrupted"]:
        # The shortlist proves nothing about the full scenario: solve the full model.
        stats["shortlist_infeasible"] = True
        mb = ModelBuilder(inst, policy, table=table).build()
        stats["model"] = mb.size()
        shortlisted = False
        code = _search(solver, mb.model, None, flag)
        status = _STATUS.get(code, Status.unknown)
    stats.update({"solve_seconds": round(time.perf_counter() - t1, 3),
                  "solver_wall_seconds": 0.0 if stats.get("search_skipped")
                  else round(solver.wall_time, 3),
                  "interrupted": flag["interrupted"]})
    if status is Status.infeasible:
        tell(Progress("explaining", time.perf_counter() - t0))
        t2 = time.perf_counter()
        reasons = explain(inst, mb, policy, time_limit=time_limit)
        stats["explain_seconds"] = round(time.perf_counter() - t2, 3)
        return Result(status, None, None, {}, None, reasons, stats)
    if status is not Status.optimal and status is not Status.feasible:
        if fallback is None:
            return Result(status, None, None, {}, None, [], stats)
        # No better plan in time (or none sought): the warm start, verified by the checker.
        plan, report, stats["plan_source"] = fallback
        if report.objective > bound:
            raise VerificationError(f"the plan's objective {report.objective} exceeds the "
                                    f"proven bound {bound}")
        final = Status.optimal if report.objective == bound else Status.feasible
        return Result(final, report.objective, bound, plan, report, [], stats)

    plan = mb.plan_from(solver.response_proto.solution)
    objective = int(round(solver.objective_value))
    stats["plan_source"] = "cp-sat"
    # CP-SAT's bound holds for the model it solved; on a shortlist only the core's and the
    # LP duals' bounds hold for the whole scenario. The plan is optimal when it meets one.
    if not shortlisted:
        bound = min(bound, objective if status is Status.optimal
                    else math.floor(solver.best_objective_bound + 1e-6))
    if objective > bound:
        raise VerificationError(f"the plan's objective {objective} exceeds the proven bound {bound}")
    status = Status.optimal if objective == bound else Status.feasible

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
