"""`planner check`, `validate`, `schema` and `rules`: the commands about input files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.check.checker import check_plan
from planner.check.verdict import HorizonReport
from planner.cli.common import fail_input, load_inputs
from planner.errors import InputError
from planner.explain.plan import read_summary
from planner.io.atomic import write_bytes_atomic
from planner.io.json_schema import schema_text
from planner.io.plan_file import read_horizon_plan, read_plan
from planner.rules import REGISTRY


@click.command("check")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
def check_cmd(scenario: str, plan: str, policy: str | None) -> None:
    """Re-verify PLAN (a plan.csv) against SCENARIO without the solver.

    A scenario of several periods takes a horizon plan (`period,post_id,candidate_id`): every
    period is checked with the states the plan itself gives, and the objective is their sum.

    When PLAN is a run folder's plan.csv, the folder is settled first (an interrupted write
    finished or undone) and a note says if the plan is not the one its summary.json records.
    """
    scn, pol = load_inputs(scenario, policy)
    for note in _folder_notes(Path(plan)):
        click.echo(f"note: {note}", err=True)
    horizon = len(scn.years) > 1
    try:
        assignment, problems = read_horizon_plan(plan, scn) if horizon else read_plan(plan, scn)
    except InputError as exc:
        fail_input(exc)
    report = check_plan(scn, assignment, pol)
    if isinstance(report, HorizonReport):
        for year, part in report.periods:
            click.echo(f"period {year}: objective {part.objective}, filled {part.filled}, "
                       f"vacant {part.vacant}, moved {part.moved}")
            _terms(part.terms)
    click.echo(f"objective  {report.objective}")
    _terms(report.terms)
    violations = problems + report.violations
    if horizon:  # the reader and the checker both report a missing (period, post) row
        violations = list(dict.fromkeys(violations))
    if violations:
        click.echo(f"INVALID: {len(violations)} violation(s)")
        for v in violations:
            click.echo(f"  - {v}")
        sys.exit(1)
    click.echo("valid: every hard rule holds" + (f" in each of {len(scn.years)} periods" if horizon else ""))


def _terms(terms: dict[str, int]) -> None:
    for term, value in terms.items():
        click.echo(f"  {term:<12} {value}")


def _folder_notes(plan: Path) -> list[str]:
    """What `check` says of the run folder around `plan` (see :func:`read_summary`)."""
    if plan.name != "plan.csv" or not plan.parent.is_dir():
        return []
    notes: list[str] = []
    try:
        read_summary(plan.parent, notes)
    except InputError:
        pass  # the summary is not needed to check the plan
    return notes


@click.command("validate")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
def validate_cmd(scenario: str, policy: str | None) -> None:
    """Check SCENARIO (and its policy) for input problems, without solving."""
    scn, pol = load_inputs(scenario, policy)
    click.echo(f"{scenario}: valid ({len(scn.units)} units, {len(scn.posts)} posts, "
               f"{len(scn.candidates)} candidates, {len(pol.rules) if pol else 0} rules)")


@click.command("schema")
@click.argument("kind", type=click.Choice(["scenario", "policy"]), default="scenario")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the schema to this file instead of standard output.")
def schema_cmd(kind: str, output: str | None) -> None:
    """Print the JSON Schema of scenario (default) or policy files, for YAML editors.

    Point your editor at it for completion and validation as you type, e.g. with a first line
    `# yaml-language-server: $schema=scenario.schema.json` (see docs/reports.md).
    """
    text = schema_text(kind)
    if output is None:
        click.echo(text, nl=False)
        return
    path = Path(output)
    if path.parent and not path.parent.is_dir():
        click.echo(f"{output}: the folder {path.parent} does not exist", err=True)
        sys.exit(2)
    write_bytes_atomic(path, text.encode("utf-8"))
    click.echo(f"written    {path}", err=True)


@click.command("rules")
def rules_cmd() -> None:
    """List the rule types a policy may use."""
    for name, cls in sorted(REGISTRY.items()):
        click.echo(f"{name:<18} {cls.summary}")
