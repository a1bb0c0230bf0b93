"""Solving a scenario, stage by stage: index it, bound it, find a first plan, build the search
model once (none when the first plan meets the gap), search, then verify the answer
independently (or diagnose why there is none).

Each stage is a function with typed inputs and outputs, in its own module where it is more than
a few lines: :mod:`planner.solver.bounds`, :mod:`planner.solver.start`, :mod:`planner.solver.search`;
the run's figures go into one :class:`~planner.solver.result.RunStats`.
"""

from __future__ import annotations

import copy
import json
import math
import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from planner.explain.infeasible import diagnose
from planner.model.builder import ModelBuilder, OutOfTime
from planner.model.horizon import index
from planner.model.instance import Instance
from planner.model.pairs import PairTable, pair_table
from planner.scenario import Policy, Scenario, effective_policy
from planner.solver.bounds import Bounds, find_bounds, is_shortlisted, refined
from planner.solver.judge import Judge
from planner.solver.myopic import by_period
from planner.solver.result import (
    Clock,
    ProgressHook,
    Result,
    RunStats,
    Status,
    since,
    verify,
)
from planner.solver.search import (
    DEFAULT_WORKERS,
    STATUS,
    SearchOptions,
    Watch,
    complete_hint,
    model_value,
    needs_no_search,
    search,
)
from planner.solver.start import (
    Checked,
    Plan,
    Start,
    early_plan,
    first_plan,
    pairs_of,
    within_gap,
)


def eligibility_key(policy: Policy) -> str:
    """What a policy's pair table depends on: its weights (the coefficients) and its rules that
    remove pairs (`filters_pairs`: hard pair rules, a hard share rule at 1, ...). Soft rules,
    share rules below 1 and every other hard rule add terms or constraints, never pairs."""
    data = {"weights": policy.weights.model_dump(mode="json"),
            "filters": [r.model_dump(mode="json") for r in policy.rules if r.filters_pairs]}
    return json.dumps(data, sort_keys=True, default=str)


class Prepared:
    """A scenario indexed once, with its pair tables: many solves of one scenario under
    different policies (research batches) pay for the index and the eligibility pass once per
    eligibility (:func:`eligibility_key`), not once per policy.

    The tables are read-only (a solve that wrote into a shared one would change the others').
    Each solve gets its own shallow copy of the index with an empty memo: rules memoise
    per-table figures under their own object id, which must not outlive the solve."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self._inst = index(scenario)
        self._tables: dict[str, PairTable] = {}

    def instance(self) -> Instance:
        """The index, for one solve."""
        inst = copy.copy(self._inst)
        inst.cache = {}
        return inst

    def table(self, policy: Policy) -> PairTable:
        """The pair table of `policy`, built on first use by any policy of its eligibility."""
        key = eligibility_key(policy)
        table = self._tables.get(key)
        if table is None:
            table = pair_table(self.instance(), policy)
            for array in (table.post, table.cand, table.coef, table.may_stay):
                if array is not None:
                    array.setflags(write=False)
            self._tables[key] = table
        return table


def solve(scenario: Scenario, policy: Policy | None = None, *, time_limit: float = 60.0,
          workers: int = DEFAULT_WORKERS, seed: int = 0, deterministic: bool = False,
          log: bool = False, progress: ProgressHook | None = None, hint: Plan | None = None,
          exact: bool | None = None, gap: float = 0.0,
          prepared: Prepared | None = None, explain: bool = True) -> Result:
    """Solve `scenario` under `policy` (default: the scenario's own) and verify the plan.

    With `deterministic`, CP-SAT runs its workers interleaved and stops on deterministic time
    (`time_limit` in its deterministic units), so that the same inputs give the same plan.
    Otherwise `time_limit` is wall seconds for the whole call, building included.
    `progress` (a :data:`~planner.solver.result.ProgressHook`) is called at each phase and each
    improving plan; `hint` (post id -> candidate id) warm-starts the search (default: the LP's
    skeleton or the repaired core plan), and is a first plan when it keeps every rule (see
    :func:`~planner.solver.start.first_plan`). Ctrl-C stops the search; the best plan found is
    returned, with `result.interrupted` set.

    `exact`: True models every eligible pair; False always solves on a shortlist; None (the
    default) shortlists above `LARGE_PAIRS` pairs. The reported bound is always valid for the
    whole scenario, and `optimal` is claimed only when the plan meets it.

    `gap`: stop as soon as a plan is within this fraction of the valid bound (0.001: 0.1%);
    the default 0 searches until optimal or out of time.

    `prepared`: the scenario already indexed, with its pair tables (:class:`Prepared`), for a
    caller that solves it under many policies.

    `explain`: work out why a scenario without a plan has none (`result.explanation`); a caller
    that only wants a plan (a horizon's myopic start) saves that time.
    """
    policy = effective_policy(scenario, policy)
    prepared = prepared or Prepared(scenario)
    assert prepared.scenario is scenario, "a Prepared of another scenario"

    options = SearchOptions(time_limit, workers, seed, deterministic, log, gap)
    clock = Clock(progress)
    clock.tell("building")
    stats = RunStats(seed=seed, time_limit=time_limit, gap_limit=gap, deterministic=deterministic,
                     workers=max(1, workers))
    inst = prepared.instance()
    judge = Judge(scenario, inst, policy)
    stats.index_seconds = since(clock.start)
    tick = time.perf_counter()
    table = prepared.table(policy)
    stats.pairs_seconds = since(tick)
    hz = inst.horizon  # a large horizon's myopic plan comes before the bounds: it seeds the LP
    mine = _myopic_plan(scenario, policy, judge, options, stats) if hz is not None \
        and hz.n_periods > 1 and hint is None and is_shortlisted(len(table), exact, hz.n_periods) \
        else None
    hinted = None if hint is None else judge.instance_plan(hint)
    begin = mine.plan if mine is not None else hinted  # its pairs are the LP's first columns
    found = find_bounds(inst, policy, table, exact, options, stats,
                        None if begin is None else pairs_of(inst, table, begin))
    start = None if mine is None else _myopic_start(inst, table, found, mine, clock)
    if start is None:
        found, start = _heuristic_start(judge, inst, policy, table, found, hinted, options,
                                        clock, stats)
        if stats.interrupted:  # Ctrl-C in the first plan's heuristics: what they found
            return _interrupted(judge, start, found, clock, stats)
    if within_gap(start.answer, found, options):  # no model to build: at national size
        return _without_search(judge, start, found, clock, stats)  # that took 0.4 s
    try:
        if start.answer is not None and options.out_of_time(clock.elapsed()):
            raise OutOfTime("the stages before the search used up the time limit")
        model = search_model(inst, policy, table, found, start, options, clock, stats)
    except KeyboardInterrupt:
        if start.answer is None:
            raise
        stats.interrupted = True  # Ctrl-C while building: the verified first plan is kept
        return _interrupted(judge, start, found, clock, stats)
    except OutOfTime:  # only with a verified first plan (before or while building): the answer
        return _without_search(judge, start, found, clock, stats, "time")
    searched = run_search(inst, policy, table, model, found, options, clock, stats)
    if searched.status is Status.infeasible:
        return _infeasible(inst, policy, searched, explain, time_limit, clock, stats)
    if searched.plan is None:
        return _first_plan_answer(judge, searched.status, start, found.bound, stats)
    return _search_answer(judge, searched, clock, stats)


def _infeasible(inst: Instance, policy: Policy, searched: "Searched", explain: bool,
                time_limit: float, clock: Clock, stats: RunStats) -> Result:
    """No plan keeps every hard rule: why (unless `explain` is false)."""
    if not explain:
        return Result(Status.infeasible, None, None, {}, None, [], stats)
    clock.tell("explaining")
    tick = time.perf_counter()
    diagnosis = diagnose(inst, searched.mb, policy, time_limit=time_limit)
    stats.explain_seconds = since(tick)
    return Result(Status.infeasible, None, None, {}, None, diagnosis.lines(), stats, diagnosis)


def solve_myopic(scenario: Scenario, policy: Policy | None = None, **options: Any) -> Result:
    """Plan one period at a time, each optimal for itself given the one before
    (planner/solver/myopic.py): `planner solve --myopic`."""
    return by_period(solve, scenario, policy, **options)


MYOPIC_GAP = 0.001
"""How close to its own bound each period of a horizon's myopic first plan is taken."""


def _myopic_plan(scenario: Scenario, policy: Policy, judge: Judge, options: SearchOptions,
                 stats: RunStats) -> Checked | None:
    """A horizon on a shortlist starts from its myopic plan (each period stopped within 0.1% of
    its own bound), verified, in place of the skeleton and the repair: those plan the
    relaxation, which knows no state (who is still ministry-origin, whose terms are up), and
    at national size cost more than the myopic plan (legacy, three periods: 120 s against
    55 s). It comes before the bounds: its pairs are the LP's first columns, so the LP starts
    from a plan that keeps every hard row (seeded with the shortlist's best pairs alone, the
    national horizon's LP began far from one, with elastic columns, and two rounds left its
    bound above the core's), and they join the shortlist with every stay of a shortlisted
    pair, so the look-ahead costs nothing against planning one period at a time. None when
    planning one period at a time finds no plan (some period has none given the ones before,
    or none in time): the heuristics then try the relaxation.

    It gets half the time limit: without a plan there is nothing to return, and a national
    period needs ~20 s for one."""
    hz = judge.inst.horizon
    assert hz is not None
    tick = time.perf_counter()
    mine = by_period(solve, scenario, policy, time_limit=options.time_limit / 2,
                     workers=options.workers, seed=options.seed,
                     deterministic=options.deterministic, gap=max(options.gap, MYOPIC_GAP),
                     explain=False)
    stats.myopic_seconds = since(tick)
    if not mine.has_plan:
        return None
    plan = hz.expanded_plan(mine.plans)
    report = judge(plan)
    return Checked(plan, report, "myopic") if report.valid else None


def _heuristic_start(judge: Judge, inst: Instance, policy: Policy, table: PairTable,
                     found: Bounds, hinted: Plan | None, options: SearchOptions, clock: Clock,
                     stats: RunStats) -> tuple[Bounds, Start]:
    """The first plan from the heuristics, and the bounds to measure it against. Where the LP
    stopped at `EARLY_GAP` (`found.generation`, planner/solver/bounds.py), a plan from its early
    vertex comes first, then the LP's rounds go on to the gap asked and the final vertex's
    skeleton competes with it; Ctrl-C in between keeps the early plan (`stats.interrupted`)."""
    early = None if found.generation is None else \
        early_plan(judge, inst, policy, table, found, options, clock, stats)
    if stats.interrupted:  # Ctrl-C in the early plan's completion: what it found is the answer
        return found, Start(None if early is None else early.plan, early, found.keep)
    try:
        if not within_gap(early, found, options):
            found = refined(found, options, stats)
        start = first_plan(judge, inst, policy, table, found, hinted, options, clock, stats,
                           early)
    except KeyboardInterrupt:
        if early is None:
            raise
        stats.interrupted = True
        return found, Start(early.plan, early, found.keep)
    if inst.horizon is not None and found.shortlisted:  # a stay may join any shortlisted pair
        start = Start(start.hint, start.answer,
                      inst.horizon.with_stays(table.post, table.cand, start.keep))
    return found, start


def _without_search(judge: Judge, start: Start, found: Bounds, clock: Clock, stats: RunStats,
                    because: str | None = None) -> Result:
    """The first plan as the answer, no search run: it is within the gap (a search of no
    time, `stats.model` left empty), or `because` says why not (`time`)."""
    stats.bound, stats.build_seconds = found.bound, since(clock.start)
    stats.search_skipped, stats.skipped_because = True, because
    if because is None:
        stats.solve_seconds = stats.solver_wall_seconds = 0.0
    return _first_plan_answer(judge, Status.unknown, start, found.bound, stats)


def _interrupted(judge: Judge, start: Start, found: Bounds, clock: Clock,
                 stats: RunStats) -> Result:
    """Ctrl-C or SIGTERM before the search: the first plan, if one was found, is the answer;
    no search ran (0 s)."""
    stats.bound, stats.build_seconds = found.bound, since(clock.start)
    stats.solve_seconds = stats.solver_wall_seconds = 0.0
    return _first_plan_answer(judge, Status.unknown, start, found.bound, stats)


def _myopic_start(inst: Instance, table: PairTable, found: Bounds, mine: Checked,
                  clock: Clock) -> Start:
    """The search's start from the myopic plan: every stay of a shortlisted pair joins the
    shortlist (which holds the plan's pairs: they were passed to the bounds)."""
    assert inst.horizon is not None
    keep = inst.horizon.with_stays(table.post, table.cand, found.keep)
    clock.tell("building", mine.report.objective, found.bound)
    return Start(mine.plan, mine, keep)


@dataclass(frozen=True)
class SearchModel:
    mb: ModelBuilder
    skip: bool
    """True when the first plan is the answer and the search need not run (see
    :func:`~planner.solver.search.needs_no_search`)."""
    enough: int
    """A bound on every plan of the model: the search stops at a plan that reaches it."""


def search_model(inst: Instance, policy: Policy, table: PairTable, found: Bounds, start: Start,
                 options: SearchOptions, clock: Clock, stats: RunStats) -> SearchModel:
    """The model the search runs on, built once on the final pairs, with the first plan hinted
    unless the search is skipped."""
    model_table = table.subset(start.keep) if found.shortlisted else table
    if found.shortlisted:
        stats.shortlist_pairs = len(model_table)
    # with a verified first plan in hand the time limit holds while building (OutOfTime)
    deadline = None if start.answer is None else options.deadline(clock.start)
    mb = ModelBuilder(inst, policy, table=model_table, deadline=deadline).build()
    first = None if start.answer is None else start.answer.report.objective
    enough = found.bound  # a first plan within the gap of it never gets here (within_gap)
    if found.shortlisted:  # the bound on the model's own plans
        enough = found.over(table, start.keep, inst.n_posts, inst.n_candidates)
    covered = found.lp is not None and found.lp.lp is not None \
        and found.lp_pairs == len(model_table)  # the LP's columns are the model's pairs
    skip = first is not None and needs_no_search(
        first, found.bound, options.gap, enough, found.lp.lp.value if covered else None)
    if not skip:
        mb.check_time()
        stats.hint_complete = complete_hint(mb, start.hint)
    stats.bound = found.bound
    stats.build_seconds = since(clock.start)
    stats.model = mb.size()
    stats.build_breakdown = {k: round(v, 3) for k, v in mb.timings.items()}
    return SearchModel(mb, skip, enough)


@dataclass(frozen=True)
class Searched:
    """What the search found."""

    status: Status
    mb: ModelBuilder
    """The model searched last (the whole one when the shortlist had no plan)."""
    plan: Plan | None = None
    """CP-SAT's plan (None: none found, or no search ran)."""
    objective: int | None = None
    bound: int | None = None
    """The bound valid for the whole scenario, CP-SAT's included where it holds there."""


def run_search(inst: Instance, policy: Policy, table: PairTable, model: SearchModel,
               found: Bounds, options: SearchOptions, clock: Clock, stats: RunStats) -> Searched:
    """Search the model from its hint (unless skipped). A shortlist without a plan proves
    nothing about the whole scenario: then the whole model is searched."""
    solver = options.search_solver(clock.elapsed(), found.shortlisted)
    tick = time.perf_counter()
    clock.tell("solving")
    mb = model.mb
    if model.skip:
        code, interrupted = cp_model.UNKNOWN, False  # the warm start is the answer
        stats.search_skipped = True
    else:
        code, interrupted = search(solver, mb.model, Watch(clock, found.bound,
                                                           not found.shortlisted, options.gap,
                                                           enough=model.enough))
    status, shortlisted = STATUS.get(code, Status.unknown), found.shortlisted
    if shortlisted and status is Status.infeasible and not interrupted:
        stats.shortlist_infeasible = True
        mb = ModelBuilder(inst, policy, table=table).build()
        stats.model = mb.size()
        shortlisted = False
        code, interrupted = search(solver, mb.model, None)
        status = STATUS.get(code, Status.unknown)
    stats.solve_seconds = since(tick)
    stats.solver_wall_seconds = 0.0 if model.skip else round(solver.wall_time, 3)
    stats.interrupted = interrupted
    if status is not Status.optimal and status is not Status.feasible:
        return Searched(status, mb)
    objective = int(round(solver.objective_value))
    # CP-SAT's bound holds for the model it solved; on a shortlist only the core's and the
    # LP duals' bounds hold for the whole scenario. The plan is optimal when it meets one.
    bound = found.bound if shortlisted else min(
        found.bound, objective if status is Status.optimal
        else math.floor(solver.best_objective_bound + 1e-6))
    return Searched(status, mb, mb.plan_from(solver.response_proto.solution), objective, bound)


def _first_plan_answer(judge: Judge, status: Status, start: Start, bound: int,
                       stats: RunStats) -> Result:
    """No better plan in time (or none sought): the first plan, already checked, if any."""
    if start.answer is None:
        return Result(status, None, None, {}, None, [], stats)
    answer = start.answer
    objective = answer.report.objective
    verify(answer.report, objective, bound)
    stats.plan_source = answer.source
    final = Status.optimal if objective == bound else Status.feasible
    return Result(final, objective, bound, judge.first(answer.plan), answer.report, [], stats,
                  plans=judge.plans(answer.plan))


def _search_answer(judge: Judge, searched: Searched, clock: Clock, stats: RunStats) -> Result:
    """CP-SAT's plan, verified by the independent checker."""
    assert searched.plan is not None and searched.objective is not None \
        and searched.bound is not None
    objective, bound = searched.objective, searched.bound
    stats.plan_source = "cp-sat"
    clock.tell("verifying", objective, bound)
    tick = time.perf_counter()
    report = judge(searched.plan)
    if report.valid and report.objective > objective:  # penalties left above what the plan needs
        tight = model_value(searched.mb, searched.plan)
        objective = objective if tight is None else tight
    stats.check_seconds = since(tick)
    verify(report, objective, bound)
    status = Status.optimal if objective == bound else Status.feasible
    return Result(status, objective, bound, judge.first(searched.plan), report, [], stats,
                  plans=judge.plans(searched.plan))
