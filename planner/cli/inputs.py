"""`planner check`, `validate`, `schema` and `rules`: the commands about input files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.check.checker import check_plan
from planner.cli.common import fail_input, load_inputs
from planner.errors import InputError
from planner.explain.plan import read_summary
from planner.io.atomic import write_bytes_atomic
from planner.io.json_schema import schema_text
from planner.io.plan_file import read_plan
from planner.rules import REGISTRY


@click.command("check")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
def check_cmd(scenario: str, plan: str, policy: str | None) -> None:
    """Re-verify PLAN (a plan.csv) against SCENARIO without the solver.

    When PLAN is a run folder's plan.csv, the folder is settled first (an interrupted write
    finished or undone) and a note says if the plan is not the one its summary.json records.
    """
    scn, pol = load_inputs(scenario, policy)
    for note in _folder_notes(Path(plan)):
        click.echo(f"note: {note}", err=True)
    try:
        assignment, problems = read_plan(plan, scn)
    except InputError as exc:
        fail_input(exc)
    report = check_plan(scn, assignment, pol)
    violations = problems + report.violations
    click.echo(f"objective  {report.objective}")
    for term, value in report.terms.items():
        click.echo(f"  {term:<12} {value}")
    if violations:
        click.echo(f"INVALID: {len(violations)} violation(s)")
        for v in violations:
            click.echo(f"  - {v}")
        sys.exit(1)
    click.echo("valid: every hard rule holds")


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
