"""A horizon run, explained: `planner explain OUTDIR [--period Y] [--post P | --candidate C]`.

A horizon plan is judged period by period, each period with the officers' state that the plan
of the periods before gives them (horizon contract, section 3). So is it explained: a period is
the single-period scenario of :func:`planner.check.horizon.period_scenario` (its posts, its
officers, their derived state in their rows), explained by :class:`PlanExplainer` in the same
words as a one-period run. One thing more is said: a local re-plan of one period changes the
state of the periods after it, so each priced placement also says what it does to the whole
horizon when the later periods are kept as planned (the change in the horizon's objective, or
the later periods it breaks: in a horizon that is often why the next best officer is not
chosen). An officer's path follows them period by period: the post held, moved or stayed, and
the state that changed.
"""

from __future__ import annotations

from typing import Any

from planner.check.checker import check_plan
from planner.check.horizon import (
    OfficerState,
    PeriodState,
    derive_states,
    period_scenario,
)
from planner.check.view import PlanView
from planner.errors import InputError, Problem
from planner.explain.fit import Placement
from planner.explain.plan import PlanExplainer, Run
from planner.output.careers import period_views
from planner.scenario import Scenario
from planner.schema import Candidate, Post

Plan = dict[str, str | None]
STATE_FIELDS = ("current_post", "consecutive_terms", "since", "serves_at", "served_local",
                "served_difficult", "ministry_origin")
"""The state a path shows, as the rules read it in each period (age goes without saying)."""


def horizon_effect(run: Run, year: int, plan: Plan, objective: int) -> dict[str, Any]:
    """What period `year` re-planned as `plan` does to the horizon of `run` whose objective is
    `objective`, the other periods kept as planned: the change in objective and what breaks in
    the later periods (their officers' state follows from the new plan)."""
    plans = dict(run.plans or {})
    plans[year] = {pid: plan.get(pid) for pid in plans.get(year, plan)}
    report = check_plan(run.scenario, plans, run.policy)
    return {"objective": report.objective, "delta": report.objective - objective,
            "valid": report.valid, "breaks": report.violations[:3]}


def one_period(scenario: Scenario, period: PeriodState) -> Scenario:
    """Period `period` of `scenario` as a one-period scenario with the officers' state in their
    rows (:func:`period_scenario`) that keeps every post of the scenario: those that do not
    exist in the period are left out of its plan, as in any one-period scenario, yet a current
    post closed in the period (its holder must go elsewhere) is still known by id."""
    return period_scenario(scenario, period).model_copy(update={"posts": list(scenario.posts)})


class PeriodExplainer(PlanExplainer):
    """One period of a horizon run as a one-period plan on its derived state; each priced
    placement with its effect on the whole horizon."""

    def __init__(self, horizon: Run, period: PeriodState, objective: int, time_limit: float = 5.0):
        self.horizon, self.year, self.horizon_objective = horizon, period.year, objective
        plans = horizon.plans or {}  # no summary: its status and bound are the horizon's
        super().__init__(Run(one_period(horizon.scenario, period), horizon.policy,
                             plans.get(period.year, {}), horizon.plan_path, {},
                             horizon.notes), time_limit)

    def priced(self, x: Placement) -> dict[str, Any]:
        out = x.to_json()
        if x.plan is not None:
            out["horizon"] = horizon_effect(self.horizon, self.year, x.plan, self.horizon_objective)
        return out

    def envy_view(self, cid: str) -> PlanView:
        """The period as the envy count reads it for `cid`: only the posts that exist in it
        (this explainer's scenario keeps every post, for current posts that closed)."""
        views = period_views(self.horizon.scenario, self.horizon.plans or {}, cid)
        return next(view for year, view in views if year == self.year)


class HorizonExplainer:
    """Explanations of a horizon run: the whole, one period, one post in a period, one
    officer's path."""

    def __init__(self, run: Run, time_limit: float = 5.0):
        if run.plans is None:
            raise ValueError("not a horizon run")
        self.run, self.time_limit = run, time_limit
        self.years = list(run.scenario.years)
        self.states = derive_states(run.scenario, run.plans)
        self.whole = PlanExplainer(run, time_limit)
        self._periods: dict[int, PeriodExplainer] = {}

    def period(self, year: int) -> PeriodExplainer:
        """Period `year` explained as a one-period plan; InputError for a year not in it."""
        if year not in self.years:
            raise InputError([Problem("--period", f"{year} is not one of the periods "
                                      f"({', '.join(str(y) for y in self.years)})")])
        if year not in self._periods:
            state = self.states[self.years.index(year)]
            self._periods[year] = PeriodExplainer(self.run, state, self.whole.report.objective,
                                                  self.time_limit)
        return self._periods[year]

    # -- the whole horizon -------------------------------------------------------------------
    def overview(self) -> dict[str, Any]:
        data = self.whole.overview()
        data["periods"] = [{"year": year, "objective": rep.objective, "filled": rep.filled,
                            "vacant": rep.vacant, "moved": rep.moved, "valid": rep.valid,
                            "terms": rep.terms}
                           for year, rep in getattr(self.whole.report, "periods", [])]
        return data

    def overview_text(self) -> str:
        lines = [self.whole.overview_text(), "by period:"]
        for x in self.overview()["periods"]:
            lines.append(f"  {x['year']}  objective {x['objective']:>8}   {x['filled']} filled, "
                         f"{x['vacant']} vacant; {x['moved']} moved"
                         + ("" if x["valid"] else "   INVALID"))
        return "\n".join(lines)

    # -- one post in one period --------------------------------------------------------------
    def _existing(self, pid: str, year: int) -> None:
        """InputError unless post `pid` exists in period `year`."""
        post = next((p for p in self.run.scenario.posts if p.id == pid), None)
        if post is None:
            raise InputError([Problem("--post", f"unknown post {pid!r}")])
        if not post.exists_in(year):
            raise InputError([Problem("--post", f"post {pid} does not exist in {year} "
                                      f"({life_words(post)}); choose another --period")])

    def post(self, pid: str, year: int, top: int = 5) -> dict[str, Any]:
        explainer = self.period(year)
        self._existing(pid, year)
        return {"period": year, **explainer.post(pid, top)}

    def post_text(self, pid: str, year: int, top: int = 5) -> str:
        explainer = self.period(year)
        self._existing(pid, year)
        return f"{self.period_head(year)}\n{explainer.post_text(pid, top)}"

    def period_head(self, year: int) -> str:
        """The line that says which period is explained and whose state it reads."""
        t = self.years.index(year)
        origin = ("the scenario's own state" if t == 0 else
                  f"each officer's state as the plan of {self.years[t - 1]} leaves it")
        return (f"period     {year} (period {t + 1} of {len(self.years)}: "
                f"{', '.join(str(y) for y in self.years)}); read with {origin}")

    # -- one officer's path ------------------------------------------------------------------
    def candidate(self, cid: str, top: int = 5, year: int | None = None) -> dict[str, Any]:
        """The officer's path, period by period, and each period's explanation (`year`: that
        period's only)."""
        cand = next((c for c in self.run.scenario.candidates if c.id == cid), None)
        if cand is None:
            raise InputError([Problem("--candidate", f"unknown candidate {cid!r}")])
        if year is not None:
            self.period(year)
        path, before = [], None
        for period in self.states:
            step = self._step(cid, period, before)
            if step["available"] and year in (None, period.year):
                step["explanation"] = self.period(period.year).candidate(cid, top)
            path.append(step)
            before = period.state[cid]
        return {"candidate": cid, "joins": cand.joins, "leaves": cand.leaves, "path": path}

    def _step(self, cid: str, period: PeriodState, before: OfficerState | None) -> dict[str, Any]:
        """One period of the path: the post held, moved or stayed, the state that changed."""
        state = period.state[cid]
        available = any(c.id == cid for c in period.officers)
        held = next((p for p, c in (self.run.plans or {}).get(period.year, {}).items()
                     if c == cid), None)
        now = {k: getattr(state, k) for k in STATE_FIELDS}
        changed = {k: [getattr(before, k), v] for k, v in now.items()
                   if before is not None and getattr(before, k) != v}
        return {"year": period.year, "available": available, "post": held,
                "moved": held is not None and held != state.current_post,
                "state": now, "changed": changed}

    def candidate_text(self, cid: str, top: int = 5, year: int | None = None) -> str:
        data = self.candidate(cid, top, year)
        cand = next(c for c in self.run.scenario.candidates if c.id == cid)
        life = life_words(cand)
        lines = [f"candidate  {cand.id} {cand.name} (home {cand.home}, merit {cand.merit}"
                 + (f"; {life}" if life else "") + ")",
                 f"path over the periods {', '.join(str(y) for y in self.years)} (the state each "
                 "period's rules read, and what changed since the period before):"]
        lines += [_step_text(step) for step in data["path"]]
        for step in data["path"]:
            if "explanation" in step:
                lines.append(f"in {step['year']}:")
                text = self.period(step["year"]).candidate_text(cid, top)
                lines += ["  " + line for line in text.splitlines()]
        return "\n".join(lines)


def life_words(row: Post | Candidate) -> str:
    """`opens 2031, closes 2036` of a post, `joins 2031, leaves 2034` of an officer (the
    years given; "" when none is)."""
    if isinstance(row, Post):
        years = (("opens", row.opens), ("closes", row.closes))
    else:
        years = (("joins", row.joins), ("leaves", row.leaves))
    return ", ".join(f"{word} {year}" for word, year in years if year is not None)


def _step_text(step: dict[str, Any]) -> str:
    """`2031  HG-DIR  moved from HG-DEP; serves at HG (was MOHA), ...` for one period."""
    if not step["available"]:
        return f"  {step['year']}  not available"
    state, post = step["state"], step["post"]
    if post is None:
        move = "no post" + (f" (leaves {state['current_post']})" if state["current_post"] else "")
    elif step["moved"]:
        move = f"moved to {post}" + (f" from {state['current_post']}" if state["current_post"]
                                     else " (had no post)")
    else:
        move = f"stays on {post} (term {state['consecutive_terms'] + 1} in a row)"
    now = (f"serves at {state['serves_at']}, served local {_yes(state['served_local'])}, served "
           f"difficult {_yes(state['served_difficult'])}, ministry-origin "
           f"{_yes(state['ministry_origin'])}, terms {state['consecutive_terms']}"
           + (f" since {state['since']}" if state["since"] is not None else ""))
    changed = ", ".join(f"{k} {_value(a)} -> {_value(b)}" for k, (a, b) in step["changed"].items())
    return f"  {step['year']}  {move}\n        state: {now}" + \
        (f"\n        changed: {changed}" if changed else "")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _value(x: object) -> str:
    if isinstance(x, bool):
        return _yes(x)
    return "none" if x is None else str(x)
