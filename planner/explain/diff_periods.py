"""`planner diff A B` of two horizon runs: who moved, period by period.

A horizon's objective is the sum of its periods', each period scored with the officers' state
that the plan before it gives them; so a diff of two horizons lists, per period, the posts whose
holder changed and each moving officer's pair scores, each side with its own derived state (an
officer who keeps the same post in both may still score differently in a later period, when the
plans before it gave them other state; the per-period objectives say it). Plans over different
periods, or a horizon against a one-period plan, are not compared: the diff says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.check.horizon import derive_states
from planner.check.tree import Tree
from planner.check.verdict import CheckReport
from planner.errors import InputError, Problem
from planner.explain.periods import one_period
from planner.explain.plan import Run, score_terms

Plan = dict[str, str | None]


@dataclass
class PeriodDiff:
    """One period of two horizon plans: its objectives, who moved and the posts that changed."""

    year: int
    objective_a: int
    objective_b: int
    moved: list[Any] = field(default_factory=list)
    """:class:`planner.explain.diff.Moved`, scored with each side's state in this period."""
    posts: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "objective_a": self.objective_a,
                "objective_b": self.objective_b, "change": self.objective_b - self.objective_a,
                "moved": [{**vars(m), "change": m.change} for m in self.moved],
                "posts_changed": [{"post": p, "a": x, "b": y} for p, x, y in self.posts]}


def same_periods(ra: Run, rb: Run, label_a: str, label_b: str) -> None:
    """InputError (exit 2) unless A and B are plans of the same periods: a horizon against a
    one-period plan, or horizons of other years, have no period-by-period diff."""
    years_a, years_b = _years(ra), _years(rb)
    if years_a == years_b:
        return
    what = {True: "a horizon plan over the periods {}", False: "a plan of one period ({})"}
    words_a = what[ra.plans is not None].format(", ".join(map(str, years_a)))
    words_b = what[rb.plans is not None].format(", ".join(map(str, years_b)))
    raise InputError([Problem(f"{label_a} and {label_b}",
                              f"A is {words_a} and B is {words_b}: a diff compares plans of "
                              "the same periods")])


def _years(run: Run) -> list[int]:
    return sorted(run.plans) if run.plans is not None else [run.scenario.term_start]


def period_diffs(ra: Run, rb: Run, rep_a: CheckReport, rep_b: CheckReport,
                 moves: Callable[[PeriodDiff, Plan, Plan], None]) -> list[PeriodDiff]:
    """Per period of two horizon runs: the period objectives (of the checker's reports), and
    `moves(diff, plan_a, plan_b)` (diff.py's) with each pair scored in its side's state."""
    by_a = dict(getattr(rep_a, "periods", []))
    by_b = dict(getattr(rep_b, "periods", []))
    states_a = derive_states(ra.scenario, ra.plans or {})
    states_b = derive_states(rb.scenario, rb.plans or {})
    tree_a, tree_b = Tree(ra.scenario.units), Tree(rb.scenario.units)
    out = []
    for sa, sb in zip(states_a, states_b):
        year = sa.year
        d = PeriodDiff(year, by_a[year].objective, by_b[year].objective)
        moves(d, (ra.plans or {})[year], (rb.plans or {})[year])
        scn_a, scn_b = one_period(ra.scenario, sa), one_period(rb.scenario, sb)
        for m in d.moved:
            if m.before is not None:
                m.score_before = sum(score_terms(scn_a, ra.policy, tree_a, m.candidate,
                                                 m.before).values())
            if m.after is not None:
                m.score_after = sum(score_terms(scn_b, rb.policy, tree_b, m.candidate,
                                                m.after).values())
        out.append(d)
    return out


def periods_text(periods: list[PeriodDiff]) -> list[str]:
    """The per-period part of the diff's text."""
    lines = ["by period:"]
    for d in periods:
        n, k = len(d.moved), len(d.posts)
        lines.append(f"  {d.year}  objective {d.objective_a} -> {d.objective_b} "
                     f"({d.objective_b - d.objective_a:+d}): {n} officer{'s' if n != 1 else ''} "
                     f"moved, {k} post{'s' if k != 1 else ''} changed holder")
        for m in d.moved:
            sb = "-" if m.score_before is None else m.score_before
            sa = "-" if m.score_after is None else m.score_after
            change = f" ({m.change:+d})" if m.change is not None else ""
            lines.append(f"    {m.candidate:<10} {m.before or '(no post)':>14} -> "
                         f"{m.after or '(no post)':<14}   score {sb} -> {sa}{change}")
    return lines
