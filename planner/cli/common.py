"""What every command shares: loading inputs, failing on bad input (exit 2), exit codes."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from planner.errors import InputError
from planner.io.loader import load_scenario
from planner.research.render import slug
from planner.scenario import Policy, Scenario
from planner.solver.result import Status

EXIT = {Status.optimal: 0, Status.feasible: 0, Status.infeasible: 1, Status.unknown: 3}
"""Exit status by solver status: 0 a plan, 1 proven infeasible, 3 no plan in time."""


def fail_input(exc: InputError) -> NoReturn:
    """Every problem of the input files on standard error, then exit 2."""
    click.echo(exc.report(), err=True)
    sys.exit(2)


def load_inputs(scenario: str, policy: str | None) -> tuple[Scenario, Policy | None]:
    """The scenario and its effective policy; every problem in either file, then exit 2."""
    try:
        scn = load_scenario(scenario, policy=policy) if policy else load_scenario(scenario)
    except InputError as exc:
        fail_input(exc)
    return scn, scn.policy


def default_outdir(name: str, under: str | None = None) -> Path:
    """``out/<name>`` (``out/<under>/<name>``), `name` made safe as a folder name."""
    return Path("out", *([under] if under else []), slug(name))


INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
"""CP-SAT's `num_workers` and `random_seed` are 32-bit integers."""


class FiniteFloat(click.FloatRange):
    """A float range that also refuses nan and inf (which every comparison of the range lets
    through, and which CP-SAT then takes as "no limit" or refuses, or summary.json could not
    hold as JSON)."""

    name = "finite float range"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


SECONDS = FiniteFloat(min=0, min_open=True)
"""A time limit: finite and > 0."""
