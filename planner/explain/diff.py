"""`planner diff A/plan.csv B/plan.csv`: who moved between two plans, and why the objective changed.

Each side is read with its own run (the scenario, policy and what-if options recorded in the
`summary.json` beside the plan; `--scenario` / `--policy` override both) and recomputed by the
independent checker. The objective change is then broken down by term (merit, move, distance,
vacancy, each soft rule's penalty), per officer who moved (the score of the pair left and of the
pair taken) and per rule whose figures changed. Without any scenario (no summary beside either
plan, none given) the plans are compared by their ids alone. Two horizon runs are compared
period by period (:mod:`planner.explain.diff_periods`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.check.checker import check_plan
from planner.check.tree import Tree
from planner.check.verdict import CheckReport
from planner.errors import InputError
from planner.explain.diff_periods import (
    PeriodDiff,
    period_diffs,
    periods_text,
    same_periods,
)
from planner.explain.plan import Run, load_run, score_terms
from planner.io.plan_file import raw_plan, read_horizon_plan


@dataclass
class Moved:
    candidate: str
    before: str | None
    after: str | None
    score_before: int | None = None
    score_after: int | None = None

    @property
    def change(self) -> int | None:
        if self.score_before is None and self.score_after is None:
            return None
        return (self.score_after or 0) - (self.score_before or 0)


@dataclass
class Diff:
    a: str
    b: str
    objective_a: int | None
    objective_b: int | None
    terms: dict[str, tuple[int, int]] = field(default_factory=dict)
    rules: list[dict[str, Any]] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    posts: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    periods: list[PeriodDiff] = field(default_factory=list)
    """Two horizon plans: who moved, period by period (`moved` and `posts` stay empty)."""

    @property
    def change(self) -> int | None:
        if self.objective_a is None or self.objective_b is None:
            return None
        return self.objective_b - self.objective_a

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "objective_a": self.objective_a,
                "objective_b": self.objective_b, "change": self.change,
                "terms": {k: {"a": a, "b": b, "change": b - a} for k, (a, b) in self.terms.items()},
                "rules": self.rules,
                "moved": [{**vars(m), "change": m.change} for m in self.moved],
                "posts_changed": [{"post": p, "a": x, "b": y} for p, x, y in self.posts],
                **({"periods": [x.to_json() for x in self.periods]} if self.periods else {}),
                "notes": self.notes}

    def text(self) -> str:
        ch = self.change
        lines = [f"A  {self.a}   objective {self.objective_a}",
                 f"B  {self.b}   objective {self.objective_b}"
                 + (f"   change {ch:+d}" if ch is not None else "")]
        if self.terms:
            lines.append("why the objective changed, by term:")
            width = min(48, max(len(t) for t in self.terms) + 2)
            lines.append(f"  {'term':<{width}} {'A':>10} {'B':>10} {'change':>8}")
            for term, (a, b) in self.terms.items():
                if a or b:
                    lines.append(f"  {term:<{width}} {a:>10} {b:>10} {b - a:>+8d}")
        if self.rules:
            lines.append("rules whose figures changed:")
            for r in self.rules:
                lines.append(f"  {r['rule']}: violation {r['violation_a']} -> {r['violation_b']}"
                             + (f", penalty {r['penalty_a']} -> {r['penalty_b']}"
                                if r["penalty_a"] or r["penalty_b"] else "")
                             + (f" ({r['changed']})" if r.get("changed") else ""))
        if self.periods:
            return "\n".join(lines + periods_text(self.periods) + [f"note: {n}" for n in self.notes])
        lines.append(f"who moved: {len(self.moved)} officer{'s' if len(self.moved) != 1 else ''}, "
                     f"{len(self.posts)} post{'s' if len(self.posts) != 1 else ''} changed holder")
        for m in self.moved:
            score = ""
            if m.change is not None:
                sb = "-" if m.score_before is None else m.score_before
                sa = "-" if m.score_after is None else m.score_after
                score = f"   score {sb} -> {sa} ({m.change:+d})"
            lines.append(f"  {m.candidate:<10} {m.before or '(no post)':>14} -> "
                         f"{m.after or '(no post)':<14}{score}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def _summary_objective(path: Path) -> int | None:
    return _summary_field(path, "objective")


def _summary_field(path: Path, key: str) -> Any:
    """`key` of the summary.json beside plan `path` (None when unreadable or not an object)."""
    try:
        data = json.loads((path.parent / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get(key) if isinstance(data, dict) else None


def _unrelated(posts_a: set[str], posts_b: set[str], name_a: str | None,
               name_b: str | None) -> list[str]:
    """A warning when A and B are plans of different scenarios: a diff of them is a list of
    differences in ids, not of moves (other names, or other posts)."""
    if name_a and name_b and name_a != name_b:
        return [f"A and B are plans of different scenarios ({name_a!r} and "
                f"{name_b!r}): the diff compares unrelated plans"]
    if posts_a != posts_b:
        shared = len(posts_a & posts_b)
        return [f"A and B are plans of different posts ({shared} of "
                f"{len(posts_a | posts_b)} shared): they may be of unrelated scenarios"]
    return []


def _plan_path(x: str | Path) -> Path:
    x = Path(x)
    return x / "plan.csv" if x.is_dir() else x


def diff_plans(a: str | Path, b: str | Path, scenario: str | None = None,
               policy: str | None = None) -> Diff:
    """Compare plan files `a` and `b` (or their output folders)."""
    pa, pb = _plan_path(a), _plan_path(b)
    runs: list[Run | None] = []
    notes: list[str] = []
    for path in (pa, pb):
        try:
            runs.append(load_run(path, scenario, policy))
        except InputError as exc:
            if not path.exists():
                raise
            if any("does not say which scenario" in p.message for p in exc.problems):
                runs.append(None)
            else:
                raise
    ra, rb = runs
    if ra is None and rb is not None:  # one side's run serves both
        ra = _borrowed(pa, rb)
    if rb is None and ra is not None:
        rb = _borrowed(pb, ra)
    if ra is None or rb is None:
        plan_a, plan_b = raw_plan(pa), raw_plan(pb)
        d = Diff(str(pa), str(pb), _summary_objective(pa), _summary_objective(pb))
        d.notes.append("no scenario known (no summary.json with the run's inputs, no "
                       "--scenario): compared by ids only")
        d.notes += _unrelated(set(plan_a), set(plan_b), _summary_field(pa, "scenario"),
                              _summary_field(pb, "scenario"))
        _moves(d, plan_a, plan_b)
        return d
    same_periods(ra, rb, str(pa), str(pb))
    return _checked_diff(ra, rb, pa, pb, notes)


def _borrowed(path: Path, run: Run) -> Run:
    """The plan at `path`, whose own run is not known, read with the other side's `run`."""
    if run.plans is None:
        return Run(run.scenario, run.policy, raw_plan(path), path)
    plans, _ = read_horizon_plan(path, run.scenario)  # an invalid plan is noted by the diff
    return Run(run.scenario, run.policy, plans[run.scenario.years[0]], path, plans=plans)


def _checked_diff(ra: Run, rb: Run, pa: Path, pb: Path, notes: list[str]) -> Diff:
    """The diff of two runs both recomputed by the checker (horizons period by period)."""
    rep_a = check_plan(ra.scenario, ra.plan if ra.plans is None else ra.plans, ra.policy)
    rep_b = check_plan(rb.scenario, rb.plan if rb.plans is None else rb.plans, rb.policy)
    d = Diff(str(pa), str(pb), rep_a.objective, rep_b.objective, notes=notes + ra.notes + rb.notes)
    d.notes += _unrelated({p.id for p in ra.scenario.posts}, {p.id for p in rb.scenario.posts},
                          ra.scenario.name, rb.scenario.name)
    for label, rep in (("A", rep_a), ("B", rep_b)):
        if not rep.valid:
            d.notes.append(f"plan {label} is invalid: " + "; ".join(rep.violations[:3]))
    keys = list(dict.fromkeys([*rep_a.terms, *rep_b.terms]))
    d.terms = {k: (rep_a.terms.get(k, 0), rep_b.terms.get(k, 0)) for k in keys}
    d.rules = _rule_changes(rep_a, rep_b)
    if ra.plans is not None:
        d.periods = period_diffs(ra, rb, rep_a, rep_b, _moves)
        return d
    _moves(d, ra.plan, rb.plan)
    tree_a, tree_b = Tree(ra.scenario.units), Tree(rb.scenario.units)
    for m in d.moved:
        if m.before is not None:
            m.score_before = sum(score_terms(ra.scenario, ra.policy, tree_a, m.candidate,
                                             m.before).values())
        if m.after is not None:
            m.score_after = sum(score_terms(rb.scenario, rb.policy, tree_b, m.candidate,
                                            m.after).values())
    return d


def _moves(d: Diff, plan_a: dict[str, str | None], plan_b: dict[str, str | None]) -> None:
    where_a = {c: p for p, c in plan_a.items() if c is not None}
    where_b = {c: p for p, c in plan_b.items() if c is not None}
    order = list(dict.fromkeys([*where_a, *where_b]))
    d.moved = [Moved(c, where_a.get(c), where_b.get(c)) for c in order
               if where_a.get(c) != where_b.get(c)]
    posts = list(dict.fromkeys([*plan_a, *plan_b]))
    d.posts = [(p, plan_a.get(p), plan_b.get(p)) for p in posts if plan_a.get(p) != plan_b.get(p)]


def _rule_changes(a: CheckReport, b: CheckReport) -> list[dict[str, Any]]:
    by_a = {r.rule: r for r in a.rules}
    out = []
    for rb in b.rules:
        ra = by_a.get(rb.rule)
        if ra is None:
            out.append({"rule": rb.rule, "violation_a": None, "violation_b": rb.violation,
                        "penalty_a": 0, "penalty_b": rb.penalty, "changed": "only in B"})
            continue
        figs = [k for k in rb.figures if ra.figures.get(k) != rb.figures.get(k)
                and not isinstance(rb.figures.get(k), (list, dict))]
        if ra.violation != rb.violation or figs:
            out.append({"rule": rb.rule, "violation_a": ra.violation, "violation_b": rb.violation,
                        "penalty_a": ra.penalty, "penalty_b": rb.penalty,
                        "changed": ", ".join(f"{k} {ra.figures.get(k)} -> {rb.figures.get(k)}"
                                             for k in figs)})
    names_b = {r.rule for r in b.rules}
    for ra in a.rules:
        if ra.rule not in names_b:
            out.append({"rule": ra.rule, "violation_a": ra.violation, "violation_b": None,
                        "penalty_a": ra.penalty, "penalty_b": 0, "changed": "only in A"})
    return out
