"""One rule on a bare model: the per-rule unit tests in tests/rules/ in the cpsat-primer's style.

A test builds the CP-SAT model of a micro scenario (see :mod:`builders`) under a policy that
holds only the rule under test, solves it with CP-SAT itself -- no pipeline, no bound, no
repair, no verification -- and compares what the model chose with the independent checker's
verdict on that plan. Three shapes, one helper each:

* :func:`assert_binding` -- the rule can hold: the model under it is optimal and its plan keeps
  the rule, while the optimum of the same model without the rule breaks it;
* :func:`assert_infeasible` -- hard, the rule cannot hold: the model under it is infeasible,
  the same model without it is not;
* :func:`assert_soft_penalty` -- soft, the optimum breaks the rule, and what the model charges
  for it (the checker's rule-free objective of the plan minus the model's objective) is the
  weight times the checker's violation count.

Each compares the rule's model against the model without it, so a test fails if the rule's
part of the model (its `build`, or the pairs it filters) were taken away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builders import policy
from ortools.sat.python import cp_model

from planner import check_plan
from planner.check.verdict import RuleVerdict
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.scenario import Scenario

Plan = dict[str, str | None]


@dataclass
class Bare:
    """What CP-SAT made of one bare model."""

    status: str
    """CP-SAT's status name: OPTIMAL, INFEASIBLE, ..."""
    plan: Plan | None
    objective: int | None
    """The model's objective of `plan` (maximised; rule penalties included)."""
    penalty: int
    """Sum of weight x value over the model's named penalty variables (0 where a rule pays
    through pair coefficients or constants instead)."""
    builder: ModelBuilder


def solve_bare(scn: Scenario, rules: list[dict[str, Any]] | None = None,
               weights: dict[str, int] | None = None) -> Bare:
    """Build `scn`'s model under `rules` and `weights` and solve it with one CP-SAT worker."""
    mb = ModelBuilder(Instance(scn), policy(rules, weights)).build()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(mb.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Bare(solver.status_name(status), None, None, 0, mb)
    values = list(solver.response_proto.solution)
    penalty = sum(pen.weight * values[pen.var] for pen in mb.penalties)
    return Bare(solver.status_name(status), mb.plan_from(values), round(solver.objective_value),
                penalty, mb)


def verdict(scn: Scenario, plan: Plan, rule: dict[str, Any],
            weights: dict[str, int] | None = None) -> RuleVerdict:
    """The checker's verdict of `rule` alone on `plan`."""
    return check_plan(scn, plan, policy([rule], weights)).rules[0]


def assert_binding(scn: Scenario, rule: dict[str, Any],
                   weights: dict[str, int] | None = None) -> Bare:
    """(a) The rule can hold and matters: kept under the rule, broken by the free optimum."""
    free = solve_bare(scn, [], weights)
    assert free.status == "OPTIMAL"
    assert not verdict(scn, free.plan, rule, weights).holds, \
        f"test setup: the optimum without the rule already keeps it: {free.plan}"
    held = solve_bare(scn, [rule], weights)
    assert held.status == "OPTIMAL"
    rep = verdict(scn, held.plan, rule, weights)
    assert rep.holds, (held.plan, rep.breaches)
    assert held.objective < free.objective
    assert check_plan(scn, held.plan, policy([rule], weights)).objective == held.objective
    return held


def assert_infeasible(scn: Scenario, rule: dict[str, Any],
                      weights: dict[str, int] | None = None) -> Bare:
    """(b) Hard and impossible: infeasible under the rule, feasible without it."""
    assert rule.get("hard", True), "test setup: only a hard rule makes a model infeasible"
    assert solve_bare(scn, [], weights).status == "OPTIMAL"
    held = solve_bare(scn, [rule], weights)
    assert held.status == "INFEASIBLE", held.plan
    return held


def assert_soft_penalty(scn: Scenario, rule: dict[str, Any],
                        weights: dict[str, int] | None = None) -> Bare:
    """(c) Soft: the optimum breaks the rule and the model charges weight x violation for it."""
    assert rule.get("hard") is False and rule.get("weight"), "test setup: a soft rule"
    soft = solve_bare(scn, [rule], weights)
    assert soft.status == "OPTIMAL"
    rep = verdict(scn, soft.plan, rule, weights)
    assert rep.violation >= 1, f"test setup: the soft optimum keeps the rule: {soft.plan}"
    rule_free = check_plan(scn, soft.plan, policy([], weights)).objective
    assert rule_free - soft.objective == rule["weight"] * rep.violation == rep.penalty
    if soft.builder.penalties:  # the rule pays through penalty variables: they say the same
        assert soft.penalty == rule["weight"] * rep.violation
    assert check_plan(scn, soft.plan, policy([rule], weights)).objective == soft.objective
    return soft
