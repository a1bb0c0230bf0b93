"""rotation-planner: plan the rotation of leaders across posts under policy rules.

The Python API in three calls::

    from planner import load_scenario, solve, check_plan
    scenario = load_scenario("scenarios/small.yaml")
    result = solve(scenario, time_limit=30, workers=2, seed=0)
    report = check_plan(scenario, result.plan)   # independent of the solver
"""

from planner.check.checker import check_plan
from planner.check.verdict import CheckReport
from planner.errors import InputError, Problem
from planner.io.loader import load_policy, load_scenario
from planner.scenario import Policy, Scenario
from planner.solve.pipeline import solve
from planner.solve.result import Result, Status

__all__ = ["CheckReport", "InputError", "Policy", "Problem", "Result", "Scenario", "Status",
           "check_plan", "load_policy", "load_scenario", "solve"]
