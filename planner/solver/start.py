"""The first plan: it warm-starts the search, and is the answer if the search finds nothing
better in time (or need not run at all).

Two heuristics, in turn: the LP's skeleton (the pairs it sets to 1) completed by CP-SAT on a
small model, else the rule-driven repair of the core plan (planner/model/repair.py). A plan
from either is kept as an answer only when the independent checker accepts it; a plan it
rejects (the repair may leave a pinned post vacant) may still warm-start the search.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from planner.check.verdict import CheckReport
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.model.pairs import PairTable
from planner.model.repair import repair
from planner.scenario import Policy
from planner.solver.bounds import EARLY_GAP, Bounds, widened
from planner.solver.judge import Judge
from planner.solver.result import (
    Clock,
    EarlyStats,
    RepairStats,
    RunStats,
    SkeletonStats,
    since,
)
from planner.solver.search import SearchOptions, Watch, needs_no_search, search

Plan = dict[str, str | None]


@dataclass(frozen=True)
class Checked:
    """A heuristic plan the independent checker accepted."""

    plan: Plan
    report: CheckReport
    source: str
    """`lp` (the completed skeleton) or `repair`."""


@dataclass(frozen=True)
class Start:
    hint: Plan | None
    """The plan that warm-starts the search (None only when Ctrl-C came before any)."""
    answer: Checked | None
    """A plan that keeps every rule, if a heuristic found one."""
    keep: np.ndarray
    """Mask over the pair table of the pairs to model: the bounds' shortlist, plus every pair of
    the posts the repair left vacant, so that the search can fill them."""


def early_plan(judge: Judge, inst: Instance, policy: Policy, table: PairTable, found: Bounds,
               options: SearchOptions, clock: Clock, stats: RunStats) -> Checked | None:
    """A plan from the skeleton of the LP's early vertex (`found.generation`: its rounds stopped
    at `EARLY_GAP`, planner/solver/bounds.py), completed only to within that gap of the bound
    and told to the progress hook: the first plan of a run to a tighter gap, while the LP's
    rounds go on (:func:`first_plan` later lets the final vertex's skeleton compete with it)."""
    tick = time.perf_counter()
    plan, _, stop = skeleton_plan(inst, policy, table, found, options, clock, EARLY_GAP)
    if stop == "interrupted":
        stats.interrupted = True
    checked = None if plan is None else _checked(judge, plan, "lp")
    if checked is not None:
        clock.tell("building", checked.report.objective, found.bound)
        lp = found.lp
        stats.early_plan = EarlyStats(objective=checked.report.objective, bound=found.bound,
                                      lp_rounds=0 if lp is None else lp.rounds,
                                      seconds=since(tick), at_seconds=round(clock.elapsed(), 3))
    return checked


def first_plan(judge: Judge, inst: Instance, policy: Policy, table: PairTable,
               found: Bounds, hint: Plan | None, options: SearchOptions, clock: Clock,
               stats: RunStats, early: Checked | None = None) -> Start:
    """The first plan; the heuristics' figures go into `stats`. `early` is a plan already
    found and checked (:func:`early_plan`): it is an answer, and the skeleton competes with it.
    It comes only without a hint: the LP stops early only then (planner/solver/bounds.py).

    A `hint` that keeps every rule (research runs hint each variant with the base's plan,
    which every dropped or relaxed rule keeps) is a plan, not only a warm start: it is an
    answer, and the skeleton still competes unless the hint already meets the gap. A hint
    that breaks a rule only warm-starts the search, in place of the skeleton. On one period
    the shortlist joins the pairs to model only when the first plan misses the gap (a search
    is to run: planner/solver/bounds.py, `widened`)."""
    assert early is None or hint is None
    answer, warm, keep = (None if hint is None else _checked(judge, hint, "hint")), hint, found.keep
    if early is not None:
        answer, warm = early, early.plan

    def meets(checked: Checked | None) -> bool:
        return within_gap(checked, found, options)

    tries = (hint is None and early is None) or (answer is not None and not meets(answer))
    if tries:
        warm, answer = _completed(judge, inst, policy, table, found, options, clock, stats,
                                  warm, answer)
        if stats.interrupted:  # Ctrl-C in the completion: its plan, if any, is the answer
            return Start(warm, answer, keep)
    if not found.listed and not meets(answer):  # a search is to run: on the shortlist too
        keep = widened(inst, policy, table, found, keep, stats)
        if tries:  # the skeleton completed over the shortlist's pairs may meet the gap (2025
            # country, stricter policy: over the core plan's and the LP's alone it missed it,
            # and the search took 52 s)
            warm, answer = _completed(judge, inst, policy, table, replace(found, keep=keep),
                                      options, clock, stats, warm, answer)
            if stats.interrupted:
                return Start(warm, answer, keep)
    if answer is None:
        fixed = repair(inst, policy, table, found.core.chosen, budget=options.budget(3))
        stats.repair = RepairStats(rounds=fixed.rounds, still_broken=fixed.broken,
                                   seconds=round(fixed.seconds, 3))
        repaired = _plan_of(inst, table, fixed.chosen)
        if not fixed.broken:
            answer = _checked(judge, repaired, "repair")
        if found.shortlisted:
            keep = keep | _vacant_pairs(inst, table, fixed.chosen)
        warm = warm or repaired
    if answer is not None:
        clock.tell("building", answer.report.objective, found.bound)
    return Start(warm, answer, keep)


def within_gap(checked: Checked | None, found: Bounds, options: SearchOptions) -> bool:
    """Whether `checked` is a plan within the gap of the bound for the whole scenario: no
    search is needed, and none is built (planner/solver/pipeline.py)."""
    return checked is not None and needs_no_search(checked.report.objective, found.bound,
                                                   options.gap, None)


def _completed(judge: Judge, inst: Instance, policy: Policy, table: PairTable, found: Bounds,
               options: SearchOptions, clock: Clock, stats: RunStats, warm: Plan | None,
               answer: Checked | None) -> tuple[Plan | None, Checked | None]:
    """The LP's skeleton completed over `found.keep` (:func:`skeleton_plan`), as the warm start
    and the answer where it is better than `answer`."""
    tick = time.perf_counter()
    completed, size, stop = skeleton_plan(inst, policy, table, found, options, clock)
    if stop == "interrupted":
        stats.interrupted = True
    if size:
        stats.skeleton = SkeletonStats(posts=size, completed=completed is not None, stop=stop,
                                       seconds=since(tick))
    better = None if completed is None else _checked(judge, completed, "lp")
    if completed is not None and (answer is None or better is not None
                                  and better.report.objective > answer.report.objective):
        return completed, better
    return warm, answer


def skeleton_plan(inst: Instance, policy: Policy, table: PairTable, found: Bounds,
                  options: SearchOptions, clock: Clock,
                  gap: float | None = None) -> tuple[Plan | None, int, str]:
    """A plan that keeps every pair the LP sets to 1 (its skeleton), or None; the skeleton's
    size; and why its completion stopped (:attr:`SkeletonStats.stop`).

    With the skeleton fixed only the LP's fractional corner is left to decide (2025 country:
    14 fractional pairs of 44,000). CP-SAT decides it on a model of the skeleton's pairs and
    the pairs the bounds keep (`found.keep`: on one period the core plan's and the LP's
    columns) of the posts and officers the skeleton leaves free: the same plans as the whole
    model with the skeleton fixed over those pairs, without presolving 190,000 pair
    variables to learn that most are zero (legacy country, measured in one process: 2.3 s with
    this model's build, against 3.4 s plus 1.1 s for building the whole model). The completion
    stops as soon as its plan is within `gap` (default `--gap`) of the valid bound: the skeleton
    of a national scenario leaves ~350 posts, whose completion CP-SAT improves by a few points for
    the rest of its quarter of the time limit (legacy seed 11: 14.7 s of 47 s, to end 0.017% from the
    bound, where 0.1% was asked)."""
    lpb = found.lp
    if lpb is None or lpb.lp is None:
        return None, 0, "none"
    skeleton = lpb.lp.pairs[lpb.lp.x > 1 - 1e-6]
    post_taken = np.zeros(inst.n_posts, dtype=bool)
    post_taken[table.post[skeleton]] = True
    cand_taken = np.zeros(inst.n_candidates, dtype=bool)
    cand_taken[table.cand[skeleton]] = True
    free = found.keep & ~post_taken[table.post] & ~cand_taken[table.cand]
    free[skeleton] = True
    mb = ModelBuilder(inst, policy, table=table.subset(free)).build()
    for v in (np.cumsum(free)[skeleton] - 1).tolist():
        domain = mb.model.proto.variables[v].domain
        domain.clear()
        domain.extend([1, 1])
    solver = options.solver(options.time_limit / 4)
    solver.parameters.extra_subsolvers.append("max_lp")
    watch = Watch(clock, found.bound, False, options.gap if gap is None else gap, "building")
    # the progress line shows the completion's plans as they come: Ctrl-C or SIGTERM then
    # stops it and keeps the best, as in the search
    code, interrupted = search(solver, mb.model, watch)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, len(skeleton), "interrupted" if interrupted else "none"
    stop = "interrupted" if interrupted else "gap" if watch.within_gap else \
        "optimal" if code == cp_model.OPTIMAL else "limit"
    return mb.plan_from(solver.response_proto.solution), len(skeleton), stop


def _checked(judge: Judge, plan: Plan, source: str) -> Checked | None:
    report = judge(plan)
    return Checked(plan, report, source) if report.valid else None


def _plan_of(inst: Instance, table: PairTable, chosen: np.ndarray) -> Plan:
    plan: Plan = {p.id: None for p in inst.posts}
    for i in chosen:
        plan[inst.posts[table.post[i]].id] = inst.candidates[table.cand[i]].id
    return plan


def pairs_of(inst: Instance, table: PairTable, plan: Plan) -> np.ndarray:
    """Mask over `table`: the pairs of `plan` (post id -> candidate id); a pair of the plan that
    is not eligible has none."""
    chosen = np.array([inst.cand_index.get(plan.get(p.id) or "", -1) for p in inst.posts])
    return table.cand == chosen[table.post]


def _vacant_pairs(inst: Instance, table: PairTable, chosen: np.ndarray) -> np.ndarray:
    """Mask over `table`: the pairs `chosen`, and every pair of the posts they leave vacant."""
    vacant = np.setdiff1d(np.arange(inst.n_posts), table.post[chosen])
    more = np.isin(table.post, vacant)
    more[chosen] = True
    return more
