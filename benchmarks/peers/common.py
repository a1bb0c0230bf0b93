"""What every peer reports, and the timeline of plans and bounds it is timed from."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any


def rel_gap(objective: float | None, bound: float | None) -> float | None:
    """(bound - objective) / max(1, |objective|), as :attr:`planner.solver.pipeline.Result.gap` has it."""
    if objective is None or bound is None:
        return None
    return max(0.0, (bound - objective) / max(1.0, abs(objective)))


class Timeline:
    """Improving plans and bounds of one maximisation, in seconds since the method started.

    `offset` is time charged before the clock started (work done elsewhere on the method's
    behalf, e.g. deriving the pairs). Thread-safe: solvers call back from their own threads.
    """

    def __init__(self, offset: float = 0.0):
        self.start = time.perf_counter()
        self.offset = offset
        self.events: list[tuple[float, str, float]] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds on the method's clock (the offset included)."""
        return self.offset + time.perf_counter() - self.start

    def solution(self, objective: float, bound: float | None = None) -> None:
        """An improving plan, with the solver's bound at that moment when it gives one."""
        t = self.now()
        with self._lock:
            self.events.append((t, "plan", float(objective)))
            if bound is not None and math.isfinite(bound):
                self.events.append((t, "bound", float(bound)))

    def bound(self, value: float | None) -> None:
        """A new bound (none or an infinite one, as solvers report before they have one, is
        ignored)."""
        if value is None or not math.isfinite(value):
            return
        t = self.now()
        with self._lock:
            self.events.append((t, "bound", float(value)))

    def first_plan(self) -> float | None:
        """When the first plan came (None: none)."""
        return next((t for t, kind, _ in self.events if kind == "plan"), None)

    def time_to_gap(self, gap: float = 0.01, final: tuple[float, float | None, float | None] | None = None
                    ) -> float | None:
        """First time the best plan is within `gap` of the best bound; `final` = (t, obj, bound)
        adds the end-of-search figures (a bound proven after the last event is seen there)."""
        events = sorted(self.events, key=lambda e: e[0])
        if final is not None:
            t, obj, bnd = final
            if obj is not None:
                events.append((t, "plan", float(obj)))
            if bnd is not None:
                events.append((t, "bound", float(bnd)))
        best, upper = -math.inf, math.inf
        for t, kind, value in events:
            if kind == "plan":
                best = max(best, value)
            else:
                upper = min(upper, value)
            if best > -math.inf and upper < math.inf and rel_gap(best, upper) <= gap + 1e-12:
                return t
        return None


@dataclass
class PeerResult:
    """One method's run on one scenario. Times are seconds since the method was handed the
    scenario: `prep` (planner-side work done on its behalf), then `build` (its own model), then
    `solve`; `first_plan` and `gap1` are on that same clock."""

    method: str
    status: str
    """`optimal`, `feasible`, `infeasible`, `unknown`, `bound` (flow), `skipped` or `failed`."""
    objective: int | None = None
    bound: int | None = None
    plan: dict[str, str | None] | None = None
    prep_seconds: float = 0.0
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    first_plan_seconds: float | None = None
    gap1_seconds: float | None = None
    note: str = ""
    valid: bool | None = None
    """The independent checker's verdict on the plan (None: not checked / no plan)."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """The proven gap, against the method's own final bound."""
        return rel_gap(self.objective, self.bound)

    @property
    def total_seconds(self) -> float:
        """From being handed the scenario to the end of the solve."""
        return self.prep_seconds + self.build_seconds + self.solve_seconds

    def to_json(self) -> dict[str, Any]:
        """Every figure, for the benchmark's JSON; not the plan (the checker has judged it)."""
        out = {k: v for k, v in self.__dict__.items() if k != "plan"}
        out["gap"] = self.gap
        out["total_seconds"] = self.total_seconds
        return out
