"""Planning one period at a time (`planner solve --myopic`), to measure what looking ahead is
worth (docs/horizon.md, "Myopic against horizon").

Each period is solved on its own, optimal for itself given the plan of the period before: its
scenario is the horizon's, with `term_start` the period's year and every officer's row holding
the state that the plans so far give it (derived by the checker's rules, contract section 3),
and the pins of that period. The periods' plans together are then verified as one horizon plan.
No bound for the horizon comes of it (each period's bound holds for that period given the ones
before, not for the horizon), so a myopic run is `feasible`, never `optimal`; it is
`infeasible` when some period has no plan given the ones before, though the horizon may have
one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from planner.check.horizon import check_horizon, derive_states, state_fields
from planner.scenario import Policy, Scenario, effective_policy
from planner.solver.result import Result, RunStats, Status, VerificationError, since

Plan = dict[str, str | None]


def period_input(scenario: Scenario, plans: dict[int, Plan], t: int) -> Scenario:
    """Period t of `scenario` as a one-period scenario, the officers in the state the plans of
    the periods before t leave them in. Posts keep `opens`/`closes` (a current post closed in
    the period is still its holder's current post, as the contract has it)."""
    years = scenario.years
    year = years[t]
    state = derive_states(scenario, {y: plans[y] for y in years[:t]})[t].state
    officers = [c.model_copy(update=state_fields(state[c.id])) for c in scenario.candidates]

    def binds(pin, first_only: bool) -> bool:
        return pin.period == year or (pin.period is None and (t == 0 or not first_only))

    return scenario.model_copy(update={
        "term_start": year, "periods": None, "candidates": officers,
        "fixed": [p.model_copy(update={"period": None}) for p in scenario.fixed if binds(p, True)],
        "forbidden": [p.model_copy(update={"period": None}) for p in scenario.forbidden
                      if binds(p, False)]})


def by_period(solve: Callable[..., Result], scenario: Scenario, policy: Policy | None = None, *,
              time_limit: float = 60.0, **options: Any) -> Result:
    """Solve each period in turn with `solve` (:func:`planner.solver.pipeline.solve`; the time
    limit shared evenly) and verify the whole. `planner.solver.pipeline.solve_myopic` is this
    with the planner's own solve."""
    policy = effective_policy(scenario, policy)
    years = scenario.years
    tick = time.perf_counter()
    plans: dict[int, Plan] = {}
    stats = RunStats(mode="myopic", time_limit=time_limit)
    for t, year in enumerate(years):
        part = solve(period_input(scenario, plans, t), policy,
                     time_limit=time_limit / len(years), **options)
        if not part.has_plan:
            stats.solve_seconds = since(tick)
            stats.interrupted = part.stats.interrupted
            why = [f"planned one period at a time, {year} has no plan given the periods before"
                   if part.status is Status.infeasible else
                   f"planned one period at a time, no plan for {year} within the time limit"]
            return Result(part.status, None, None, {}, None, why + part.explanation, stats,
                          part.diagnosis)
        plans[year] = part.plan
        if part.interrupted:
            stats.interrupted = True
            break
    if len(plans) < len(years):  # Ctrl-C: the periods planned so far are no horizon plan
        return Result(Status.unknown, None, None, {}, None, [], stats)
    report = check_horizon(scenario, plans, policy)
    if not report.valid:  # each period was verified: the whole must hold too
        raise VerificationError("the myopic plan failed the independent check: "
                                + "; ".join(report.violations[:10]))
    stats.solve_seconds = since(tick)
    stats.plan_source = "myopic"
    return Result(Status.feasible, report.objective, None, plans[years[0]], report, [], stats,
                  plans=plans)
