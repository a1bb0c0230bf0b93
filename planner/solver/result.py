"""What a solve tells: its progress as it goes, and at the end a `Result` with typed run figures.

`RunStats` is serialised in one place, :meth:`RunStats.to_json`, into the `stats` object of
summary.json; a `Result` is complete when `solve` returns, and nothing writes into it after.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any

from planner.check.verdict import CheckReport
from planner.explain.words import Diagnosis


class Status(str, Enum):
    optimal = "optimal"
    feasible = "feasible"
    infeasible = "infeasible"
    unknown = "unknown"


class VerificationError(RuntimeError):
    """The solver's plan failed the independent check: a bug in the planner, never ignored."""


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    """How far the plan may be from the best: (bound - objective) / max(1, |objective|).

    The one definition of the gap: `Result.gap`, the search's early stop at `--gap` and the
    progress line all use it. None until there are both a plan and a bound."""
    if objective is None or bound is None:
        return None
    return (bound - objective) / max(1, abs(objective))


@dataclass(frozen=True)
class Progress:
    """What `solve` reports as it goes: the phase, and once plans come, the best one so far."""

    phase: str
    """`building`, `solving`, `verifying` or `explaining`."""
    elapsed: float
    objective: int | None = None
    bound: int | None = None


ProgressHook = Callable[[Progress], None]


class Clock:
    """The time since `solve` was called, and the hook its progress is told to."""

    def __init__(self, hook: ProgressHook | None):
        self.start = time.perf_counter()
        self.hook: ProgressHook = hook or (lambda _: None)
        self.best: int | None = None
        self.bound: int | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def tell(self, phase: str, objective: int | None = None, bound: int | None = None) -> None:
        """Tell the hook; a plan's objective and a bound come as the best so far, so that a
        heuristic's plans that are worse than an earlier one (the skeleton's completion after an
        early plan, planner/solver/start.py) never show as "best"."""
        if objective is not None:
            objective = self.best = objective if self.best is None else max(self.best, objective)
        if bound is not None:
            bound = self.bound = bound if self.bound is None else min(self.bound, bound)
        self.hook(Progress(phase, self.elapsed(), objective, bound))


def since(tick: float) -> float:
    """Seconds since `tick` (a `time.perf_counter()` reading), to the millisecond, as the run
    figures keep them."""
    return round(time.perf_counter() - tick, 3)


@dataclass(frozen=True)
class LpStats:
    """The LP bound on the shortlist (planner/model/lp.py)."""

    rows: int
    rounds: int
    seconds: float
    value: float | None
    """The LP's optimum on its final columns (None: no optimum)."""
    bound: int | None
    """The bound its duals give for the whole scenario (None: none)."""


@dataclass(frozen=True)
class SkeletonStats:
    """The first plan from the LP's integral pairs (planner/solver/start.py)."""

    posts: int
    """Pairs the LP set to 1, kept in the plan."""
    completed: bool
    """Whether CP-SAT completed them into a plan."""
    stop: str
    """Why the completion stopped: `gap` (within `--gap` of the valid bound), `optimal` (the
    best completion), `limit` (its share of the time limit), `interrupted` (Ctrl-C or
    SIGTERM: its best plan is the run's answer), `none` (no completion)."""
    seconds: float


@dataclass(frozen=True)
class EarlyStats:
    """A first plan built while the LP's rounds still tighten the bound (planner/solver/start.py,
    `early_plan`): run to a gap below the default, a shortlisted period has one this soon."""

    objective: int
    bound: int
    """The bound when the plan came (the run's final bound is the same or lower)."""
    lp_rounds: int
    """The LP's rounds priced before it."""
    seconds: float
    """Completing and checking it."""
    at_seconds: float
    """From the call to `solve` to the plan in hand."""


@dataclass(frozen=True)
class RepairStats:
    """The rule-driven repair of the core plan (planner/model/repair.py)."""

    rounds: int
    still_broken: list[str]
    """Titles of the hard rules the repair could not mend."""
    seconds: float


@dataclass(kw_only=True)
class RunStats:
    """The figures of one solve, in the order summary.json lists them.

    Seconds are rounded to the millisecond when they are measured. A field left None was not
    reached on this run (no shortlist, no LP rows, no search, ...) and is left out of the JSON;
    a run built by hand (tests) has every field None.
    """

    index_seconds: float | None = None
    seed: int | None = None
    time_limit: float | None = None
    gap_limit: float | None = None
    """The relative gap at which the search stops (0: it runs until optimality is proven)."""
    deterministic: bool | None = None
    workers: int | None = None
    pairs_seconds: float | None = None
    core_seconds: float | None = None
    core_bound: int | None = None
    mode: str | None = None
    """`full` (every eligible pair modelled) or `shortlist`."""
    shortlist_seconds: float | None = None
    lp: LpStats | None = None
    relaxation_seconds: float | None = None
    """The side rows and the LP bound together."""
    shortlist_pairs: int | None = None
    """Pairs of the search model on a shortlist."""
    early_plan: EarlyStats | None = None
    skeleton: SkeletonStats | None = None
    repair: RepairStats | None = None
    myopic_seconds: float | None = None
    """A large horizon's myopic first plan (planner/solver/pipeline.py, `_myopic_start`)."""
    hint_complete: bool | None = None
    """Whether the warm start kept every hard rule, so that every variable was hinted."""
    bound: int | None = None
    """The bound valid for the whole scenario before the search (core and LP)."""
    build_seconds: float | None = None
    """From the call to the start of the search."""
    model: dict[str, int] | None = None
    """The size of the model searched (ModelBuilder.size); none when the first plan was
    within the gap, and no model was built."""
    build_breakdown: dict[str, float] | None = None
    search_skipped: bool | None = None
    """True when the first plan is the answer and no search ran (planner/solver/search.py)."""
    skipped_because: str | None = None
    """Why no search ran, where it is not that the first plan meets the bound or the gap:
    `time` (the stages before it used up the time limit)."""
    shortlist_infeasible: bool | None = None
    """True when the shortlist had no plan and the whole model was searched instead."""
    solve_seconds: float | None = None
    solver_wall_seconds: float | None = None
    interrupted: bool | None = None
    """True when Ctrl-C stopped the search."""
    explain_seconds: float | None = None
    plan_source: str | None = None
    """Where the plan came from: `cp-sat`, `lp` (the skeleton), `repair`, `hint` (a warm start
    that keeps every rule) or `myopic` (a large horizon's first plan)."""
    check_seconds: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The `stats` of summary.json: every field reached, in declaration order."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = asdict(value) if is_dataclass(value) else value
        return out


def verify(report: CheckReport, objective: int, bound: int) -> None:
    """The last test of an answer before `solve` returns it: its objective is within the proven
    bound, and the independent checker accepts the plan and recomputes that objective. A failure
    is a bug in the planner: :class:`VerificationError`, never ignored."""
    if objective > bound:
        raise VerificationError(f"the plan's objective {objective} exceeds the proven bound {bound}")
    if not report.valid or report.objective != objective:
        raise VerificationError(
            "the solver's plan failed the independent check: "
            + (f"objective {objective} from the solver, {report.objective} recomputed; "
               if report.objective != objective else "")
            + "; ".join(report.violations[:10]))


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
    """Why there is no plan (infeasible), most concrete first: the diagnosis in words."""
    stats: RunStats = field(default_factory=RunStats)
    diagnosis: Diagnosis | None = None
    """The structured reasons of an infeasible run (planner/explain/infeasible.py)."""
    plans: dict[int, dict[str, str | None]] = field(default_factory=dict)
    """Every period's plan (year -> post id -> candidate id); `plan` is the first period's.
    A single period: {term_start: plan}. Empty without a plan."""

    @property
    def has_plan(self) -> bool:
        return self.status in (Status.optimal, Status.feasible)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    @property
    def interrupted(self) -> bool:
        """Did Ctrl-C stop the search (the plan, if any, is the best found until then)?"""
        return bool(self.stats.interrupted)
