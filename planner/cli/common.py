"""What every command shares: loading inputs, failing on bad input (exit 2), exit codes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from planner.errors import InputError
from planner.io.loader import load_scenario
from planner.solve.pipeline import Status

EXIT = {Status.optimal: 0, Status.feasible: 0, Status.infeasible: 1, Status.unknown: 3}


def fail_input(exc: InputError) -> None:
    click.echo(exc.report(), err=True)
    sys.exit(2)


def load_inputs(scenario: str, policy: str | None):
    """The scenario and its effective policy; every problem in either file, then exit 2."""
    try:
        scn = load_scenario(scenario, policy=policy) if policy else load_scenario(scenario)
    except InputError as exc:
        fail_input(exc)
    return scn, scn.policy


def default_outdir(name: str) -> Path:
    return Path("out") / (re.sub(r"[^\w.-]+", "_", name).strip("._") or "scenario")
