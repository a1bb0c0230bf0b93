"""The independent checker as the solve stages call it, on the instance they solve.

A stage holds a plan of its instance (post id -> candidate id). For a scenario of one plain
period that is the scenario's own plan; for a horizon (planner/model/horizon.py) it is a plan of
the expansion, which the judge maps back to the scenario's periods before the checker
(planner/check), which knows nothing of expansions, judges it.
"""

from __future__ import annotations

from planner.check.checker import check_plan
from planner.check.horizon import check_horizon
from planner.check.verdict import CheckReport
from planner.model.instance import Instance
from planner.scenario import Policy, Scenario

Plan = dict[str, str | None]


class Judge:
    def __init__(self, scenario: Scenario, inst: Instance, policy: Policy):
        self.scenario, self.inst, self.policy = scenario, inst, policy

    def plans(self, plan: Plan) -> dict[int, Plan]:
        """The plan of each period (year -> the scenario's post id -> candidate id)."""
        hz = self.inst.horizon
        if hz is None:
            return {self.scenario.term_start: plan}
        return hz.plans(plan, self.inst)

    def first(self, plan: Plan) -> Plan:
        """The first period's plan: the whole plan of a single period."""
        return self.plans(plan)[self.scenario.years[0]]

    def __call__(self, plan: Plan) -> CheckReport:
        plans = self.plans(plan)
        if len(plans) == 1:
            return check_plan(self.scenario, next(iter(plans.values())), self.policy)
        return check_horizon(self.scenario, plans, self.policy)

    def instance_plan(self, hint: Plan | dict[int, Plan]) -> Plan:
        """A caller's warm start (one period's plan, or a horizon's year -> plan) in the
        instance's ids."""
        hz = self.inst.horizon
        if hz is None:
            return hint  # type: ignore[return-value]
        by_year = hint if all(isinstance(k, int) for k in hint) else {self.scenario.years[0]: hint}
        return hz.expanded_plan(by_year)  # type: ignore[arg-type]
