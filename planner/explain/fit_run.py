"""`planner fit SCENARIO --candidate C` from start to finish: the base plan (a plan file, or the
scenario solved first), the ranking of the posts C could take (:func:`planner.explain.fit.fit`)
and its text. It sits apart from the local re-plan itself, which needs no solve pipeline, so
that the command only parses its options and prints what comes back.

A horizon is fitted one period at a time (`--period`, default the first): the period as a
one-period scenario with the officers' state that the base plan's earlier periods give them,
each placement also priced over the whole horizon, the later periods kept as planned
(:func:`planner.explain.periods.horizon_effect`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.check.checker import check_plan
from planner.check.horizon import derive_states
from planner.errors import InputError, Problem
from planner.explain.fit import Fit, Replanner, fit
from planner.explain.periods import horizon_effect, life_words, one_period
from planner.explain.plan import Run
from planner.io.plan_file import read_horizon_plan, read_plan
from planner.scenario import Policy, Scenario, effective_policy
from planner.solver.pipeline import solve
from planner.solver.result import Result, Status


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
    period: int | None = None
    """A horizon: the period fitted (its year); None for a one-period scenario."""
    horizon: dict[str, dict[str, Any]] = field(default_factory=dict)
    """A horizon: per priced post, what the placement does to the whole horizon."""

    def to_json(self) -> dict[str, Any]:
        out = {"base": self.source, **(self.fit.to_json() if self.fit is not None else {})}
        if self.period is not None:
            out["period"] = self.period
            for x in out.get("placements", []):
                x["horizon"] = self.horizon.get(x["post"])
        return out

    def text(self) -> str:
        """The ranking as `planner fit` prints it."""
        f, cid = self.fit, self.candidate
        if f is None:
            return self.no_plan or ""
        lines = ([f"period     {self.period}: the base plan's state in that period; each "
                  "change is the period's, then the horizon's (later periods as planned)"]
                 if self.period is not None else [])
        lines += [f"base plan  {self.source}: objective {f.base_objective}; {cid} "
                  + (f"holds {f.base_post}" if f.base_post else "has no post"),
                 f"posts {cid} could take, priced by a local re-plan (change in objective; who "
                 f"else moves):"]
        for x in f.placements:
            if x.delta is None:
                lines.append(f"  {x.post:<14} blocked: {'; '.join(x.why_not)}")
                continue
            moves = [str(m) for m in x.moves] + [f"{p} left vacant" for p in x.vacated]
            lines.append(f"  {x.post:<14} {x.delta:>+8d}   " + ("; ".join(moves) or "no one else moves")
                         + _horizon_words(self.horizon.get(x.post)))
        if f.not_priced:
            lines.append(f"  ... and {len(f.not_priced)} more open posts not priced (--top): "
                         + ", ".join(x.post for x in f.not_priced[:8])
                         + (" ..." if len(f.not_priced) > 8 else ""))
        if f.closed:
            lines.append(f"closed to {cid}: " + "; ".join(f"{n} posts by {k}" for k, n in f.closed.items()))
        lines.append(f"({f.seconds:.2f}s)")
        return "\n".join(lines)


def _horizon_words(effect: dict[str, Any] | None) -> str:
    """`; horizon -3` or `; horizon: breaks 2031: ...` after a placement of a horizon fit."""
    if effect is None:
        return ""
    if effect["breaks"]:
        return "; over the horizon it breaks " + "; ".join(effect["breaks"])
    return f"; over the horizon {effect['delta']:+d}"


def run_fit(scenario: Scenario, cand_id: str, plan_path: str | None = None, *, top: int = 10,
            time_limit: float = 10.0, workers: int = 1, period: int | None = None) -> FitRun:
    """Rank the posts `cand_id` could take in `scenario`, under its own policy, against the
    plan in `plan_path` or, without one, the best plan a solve finds within `time_limit`; a
    horizon in period `period` (default: the first). InputError for an unknown candidate, a
    period not in the scenario, an unreadable plan or one that breaks hard rules."""
    if cand_id not in {c.id for c in scenario.candidates}:
        raise InputError([Problem("--candidate", f"unknown candidate {cand_id!r}")])
    if period is not None and period not in scenario.years:
        raise InputError([Problem("--period", f"{period} is not one of the periods "
                                  f"({', '.join(str(y) for y in scenario.years)})")])
    policy = effective_policy(scenario)
    if len(scenario.years) > 1:
        return _fit_period(scenario, policy, cand_id, plan_path, period or scenario.years[0],
                           top, time_limit, workers)
    found = _base_plans(scenario, policy, cand_id, plan_path, time_limit, workers)
    if isinstance(found, FitRun):
        return found
    plans, source = found
    replanner = Replanner(scenario, policy, plans[scenario.term_start])
    return FitRun(cand_id, source, fit(replanner, cand_id, top))


def _base_plans(scenario: Scenario, policy: Policy, cand_id: str, plan_path: str | None,
                time_limit: float, workers: int
                ) -> tuple[dict[int, dict[str, str | None]], str] | FitRun:
    """The base plan of every period (year -> plan), read from `plan_path` or solved, and
    where it came from; the answer itself when a solve finds none."""
    if plan_path:
        if len(scenario.years) > 1:
            plans, problems = read_horizon_plan(plan_path, scenario)
        else:
            plan, problems = read_plan(plan_path, scenario)
            plans = {scenario.term_start: plan}
        if problems:
            raise InputError([Problem(str(plan_path), p) for p in problems])
        return plans, plan_path
    result = solve(scenario, policy, time_limit=time_limit, workers=workers)
    if not result.has_plan:
        return _no_base(cand_id, result, time_limit)
    return result.plans, f"solved ({result.status.value}, {time_limit:g}s limit)"


def _no_base(cand_id: str, result: Result, time_limit: float) -> FitRun:
    """The answer when the solve of the base plan found none: infeasible (with why), or none
    in time."""
    if result.status is Status.infeasible:
        return FitRun(cand_id, "", no_plan="no base plan: the scenario is infeasible",
                      infeasible=True, explanation=list(result.explanation))
    return FitRun(cand_id, "", no_plan=f"no base plan found within {time_limit:g}s: give "
                                       "--plan PLAN.csv or a longer --time-limit")


def _fit_period(scenario: Scenario, policy: Policy, cand_id: str, plan_path: str | None,
                year: int, top: int, time_limit: float, workers: int) -> FitRun:
    """`run_fit` on period `year` of a horizon: the base plan of every period (read or solved),
    the period's own scenario with its derived state, each placement priced over the horizon."""
    found = _base_plans(scenario, policy, cand_id, plan_path, time_limit, workers)
    if isinstance(found, FitRun):
        return found
    plans, source = found
    state = derive_states(scenario, plans)[scenario.years.index(year)]
    cand = next(c for c in scenario.candidates if c.id == cand_id)
    if not cand.available_in(year):
        raise InputError([Problem("--candidate", f"{cand_id} is not available in {year} "
                                  f"({life_words(cand)})")])
    run = Run(scenario, policy, plans[scenario.years[0]], Path(source), plans=plans)
    whole = check_plan(scenario, plans, policy).objective
    ranked = fit(Replanner(one_period(scenario, state), policy, plans[year]), cand_id, top)
    effects = {x.post: horizon_effect(run, year, x.plan, whole)
               for x in ranked.placements if x.plan is not None}
    return FitRun(cand_id, source, ranked, period=year, horizon=effects)
