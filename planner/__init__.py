"""rotation-planner: plan the rotation of leaders across posts under policy rules.

The Python API in three calls::

    from planner import load_scenario, solve, check_plan
    scenario = load_scenario("scenarios/small.yaml")
    result = solve(scenario, time_limit=30, workers=2, seed=0)
    report = check_plan(scenario, result.plan)   # independent of the solver

The names are loaded on first use (PEP 562), so that importing a part of the package, such as
the command line's start-up (`planner --help`), does not pay for OR-Tools, pandas and the
rules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "check_plan": "planner.check.checker",
    "CheckReport": "planner.check.verdict",
    "InputError": "planner.errors",
    "Problem": "planner.errors",
    "load_policy": "planner.io.loader",
    "load_scenario": "planner.io.loader",
    "Policy": "planner.scenario",
    "Scenario": "planner.scenario",
    "solve": "planner.solver.pipeline",
    "Result": "planner.solver.result",
    "Status": "planner.solver.result",
}
"""Public name -> the module that defines it."""

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


if TYPE_CHECKING:  # the names for type checkers; at run time __getattr__ loads them
    from planner.check.checker import check_plan  # noqa: F401
    from planner.check.verdict import CheckReport  # noqa: F401
    from planner.errors import InputError, Problem  # noqa: F401
    from planner.io.loader import load_policy, load_scenario  # noqa: F401
    from planner.scenario import Policy, Scenario  # noqa: F401
    from planner.solver.pipeline import solve  # noqa: F401
    from planner.solver.result import Result, Status  # noqa: F401
