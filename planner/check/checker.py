"""Independent verification of a plan: validity under every hard rule, and its objective.

Nothing here touches the CP-SAT model or its builder: the plan is read as post -> candidate,
the unit tree is walked through parent pointers (:mod:`planner.check.tree`), every hard rule and E1/E2
is re-checked (:mod:`planner.check.period`), and the objective is recomputed from the contract's
formula. `planner solve` runs this on every plan it returns; `planner check` runs it on a plan
file. A horizon of several periods is checked by :func:`planner.check.horizon.check_horizon`.
"""

from __future__ import annotations

from planner.check.horizon import (
    check_horizon,
    derive_states,
    holders_before,
    period_problems,
    period_scenario,
)
from planner.check.period import check_period
from planner.check.verdict import CheckReport
from planner.scenario import Policy, Scenario


def check_plan(scenario: Scenario, plan: dict[str, str | None] | dict[int, dict[str, str | None]],
               policy: Policy | None = None) -> CheckReport:
    """Verify `plan` (post id -> candidate id or None; posts not listed are vacant).

    `policy` defaults to the scenario's own. Structural problems (a candidate on two posts,
    unknown ids) make the plan invalid; so does any breach of E1, E2 or a hard rule. In a
    scenario whose one period some posts do not exist in, listing such a post is invalid, and
    so is assigning an officer not available in it (horizon contract, clarification 6.1); a
    scenario of several periods takes a horizon plan (year -> post -> candidate) and is checked
    by :func:`check_horizon`, whose report is a :class:`CheckReport` too.
    """
    if len(scenario.years) > 1:
        return check_horizon(scenario, plan, policy)  # type: ignore[arg-type]
    year = scenario.term_start
    if all(p.exists_in(year) for p in scenario.posts) and \
            all(c.available_in(year) for c in scenario.candidates):
        return check_period(scenario, plan, policy)  # type: ignore[arg-type]
    (period,) = derive_states(scenario, {})
    problems, kept = period_problems(scenario, period, plan)  # type: ignore[arg-type]
    report = check_period(period_scenario(scenario, period), kept, policy, scenario.posts,
                          holders_before(period))
    report.violations = problems + report.violations
    report.valid = not report.violations
    return report
