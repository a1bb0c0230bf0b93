"""`planner fit SCENARIO --candidate C` from start to finish: the base plan (a plan file, or the
scenario solved first), the ranking of the posts C could take (:func:`planner.explain.fit.fit`)
and its text. It sits apart from the local re-plan itself, which needs no solve pipeline, so
that the command only parses its options and prints what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.errors import InputError, Problem
from planner.explain.fit import Fit, Replanner, fit
from planner.io.plan_file import read_plan
from planner.scenario import Scenario, effective_policy
from planner.solve.pipeline import solve
from planner.solve.result import Status


@dataclass
class FitRun:
    """The ranking for one officer against a base plan, or why there is no base plan."""

    candidate: str
    source: str
    """Where the base plan comes from: the plan file, or `solved (optimal, 10s limit)`."""
    fit: Fit | None = None
    """None when there is no base plan (`no_plan` says why)."""
    no_plan: str | None = None
    infeasible: bool = False
    """No base plan because the scenario has none (`explanation` says why)."""
    explanation: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"base": self.source, **(self.fit.to_json() if self.fit is not None else {})}

    def text(self) -> str:
        """The ranking as `planner fit` prints it."""
        f, cid = self.fit, self.candidate
        if f is None:
            return self.no_plan or ""
        lines = [f"base plan  {self.source}: objective {f.base_objective}; {cid} "
                 + (f"holds {f.base_post}" if f.base_post else "has no post"),
                 f"posts {cid} could take, priced by a local re-plan (change in objective; who "
                 f"else moves):"]
        for x in f.placements:
            if x.delta is None:
                lines.append(f"  {x.post:<14} blocked: {'; '.join(x.why_not)}")
                continue
            moves = [str(m) for m in x.moves] + [f"{p} left vacant" for p in x.vacated]
            lines.append(f"  {x.post:<14} {x.delta:>+8d}   " + ("; ".join(moves) or "no one else moves"))
        if f.not_priced:
            lines.append(f"  ... and {len(f.not_priced)} more open posts not priced (--top): "
                         + ", ".join(x.post for x in f.not_priced[:8])
                         + (" ..." if len(f.not_priced) > 8 else ""))
        if f.closed:
            lines.append(f"closed to {cid}: " + "; ".join(f"{n} posts by {k}" for k, n in f.closed.items()))
        lines.append(f"({f.seconds:.2f}s)")
        return "\n".join(lines)


def run_fit(scenario: Scenario, cand_id: str, plan_path: str | None = None, *, top: int = 10,
            time_limit: float = 10.0, workers: int = 1) -> FitRun:
    """Rank the posts `cand_id` could take in `scenario`, under its own policy, against the
    plan in `plan_path` or, without one, the best plan a solve finds within `time_limit`.
    InputError for an unknown candidate, an unreadable plan or one that breaks hard rules."""
    if cand_id not in {c.id for c in scenario.candidates}:
        raise InputError([Problem("--candidate", f"unknown candidate {cand_id!r}")])
    policy = effective_policy(scenario)
    if plan_path:
        base, problems = read_plan(plan_path, scenario)
        if problems:
            raise InputError([Problem(str(plan_path), p) for p in problems])
        source = plan_path
    else:
        result = solve(scenario, policy, time_limit=time_limit, workers=workers)
        if not result.has_plan:
            if result.status is Status.infeasible:
                return FitRun(cand_id, "", no_plan="no base plan: the scenario is infeasible",
                              infeasible=True, explanation=list(result.explanation))
            return FitRun(cand_id, "", no_plan=f"no base plan found within {time_limit:g}s: give "
                                               "--plan PLAN.csv or a longer --time-limit")
        base, source = result.plan, f"solved ({result.status.value}, {time_limit:g}s limit)"
    replanner = Replanner(scenario, policy, base)
    return FitRun(cand_id, source, fit(replanner, cand_id, top))
