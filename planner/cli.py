"""The `planner` command: solve, check and validate scenarios (contract section 5).

Exit status: 0 a plan was found (or the checked plan is valid); 1 proven infeasible (or the
checked plan is invalid); 2 invalid input or usage; 3 no plan within the time limit;
4 the planner's own plan failed its independent check (a bug: please report it).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from planner.check import check_plan, read_plan
from planner.errors import InputError
from planner.loader import load_scenario
from planner.report import write_outputs
from planner.rules import REGISTRY
from planner.solve import Result, Status, VerificationError, solve

EXIT = {Status.optimal: 0, Status.feasible: 0, Status.infeasible: 1, Status.unknown: 3}


def _fail_input(exc: InputError) -> None:
    click.echo(exc.report(), err=True)
    sys.exit(2)


def _load(scenario: str, policy: str | None):
    """The scenario and its effective policy; every problem in either file, then exit 2."""
    try:
        scn = load_scenario(scenario, policy=policy) if policy else load_scenario(scenario)
    except InputError as exc:
        _fail_input(exc)
    return scn, scn.policy


def _default_outdir(name: str) -> Path:
    return Path("out") / (re.sub(r"[^\w.-]+", "_", name).strip("._") or "scenario")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rotation-planner")
def main() -> None:
    """Plan the rotation of leaders across posts under policy rules (CP-SAT)."""


@main.command("solve")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
@click.option("-o", "--out", "outdir", type=click.Path(file_okay=False),
              help="Output folder [default: ./out/<scenario name>].")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Seconds (deterministic units with --deterministic).")
@click.option("--workers", type=click.IntRange(min=1), default=min(8, os.cpu_count() or 1),
              show_default=True, help="CP-SAT search workers.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--deterministic", is_flag=True, help="Same scenario, policy and seed give the same plan.")
@click.option("--log", is_flag=True, help="Print CP-SAT's search log.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def solve_cmd(scenario, policy, outdir, time_limit, workers, seed, deterministic, log, quiet):
    """Solve SCENARIO and write plan.csv and summary.json."""
    scn, pol = _load(scenario, policy)
    try:
        result = solve(scn, pol, time_limit=time_limit, workers=workers, seed=seed,
                       deterministic=deterministic, log=log)
    except VerificationError as exc:
        click.echo(f"internal error: {exc}", err=True)
        sys.exit(4)
    out = Path(outdir) if outdir else _default_outdir(scn.name)
    written = write_outputs(out, result, scn, pol)
    for note in written.notes:
        click.echo(f"note: {note}", err=True)
    if not quiet or result.status is Status.infeasible:
        click.echo(_describe(result, out))
    sys.exit(EXIT[result.status])


def _describe(result: Result, out: Path) -> str:
    lines = [f"status     {result.status.value}"
             + ("  (interrupted: the best plan found so far)" if result.stats.get("interrupted") else "")]
    if result.has_plan and result.check is not None:
        chk = result.check
        gap = f"{result.gap:.4%}" if result.gap is not None else "-"
        lines += [f"objective  {result.objective}   bound {result.bound}   gap {gap}",
                  f"posts      {chk.filled} filled, {chk.vacant} vacant; {chk.moved} moved",
                  f"time       build {result.stats['build_seconds']}s, "
                  f"solve {result.stats['solve_seconds']}s",
                  "rules:"]
        for rep in chk.rules:
            mark = "ok " if rep.holds else ("BROKEN" if rep.hard else f"-{rep.penalty}")
            lines.append(f"  {mark:<6} {rep.rule}" + _figure(rep.figures))
        lines.append(f"written    {out / 'plan.csv'}, {out / 'summary.json'}")
    elif result.status is Status.infeasible:
        lines.append("no plan satisfies every hard rule.")
        lines += [f"  - {why}" for why in result.explanation] or \
                 ["  (no single cause found; try turning hard rules soft to see which give way)"]
    else:
        lines.append("no plan found within the time limit; try a longer --time-limit.")
    return "\n".join(lines)


def _figure(fig: dict) -> str:
    if "achieved_share" in fig and fig.get("required_share") is not None:
        got = fig["achieved_share"]
        got_txt = "-" if got is None else f"{got:.1%}"
        return f"  (achieved {got_txt}, required {fig['required_share']:.1%})"
    return ""


@main.command("check")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
def check_cmd(scenario, plan, policy):
    """Re-verify PLAN (a plan.csv) against SCENARIO without the solver."""
    scn, pol = _load(scenario, policy)
    try:
        assignment, problems = read_plan(plan, scn)
    except InputError as exc:
        _fail_input(exc)
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


@main.command("validate")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
def validate_cmd(scenario, policy):
    """Check SCENARIO (and its policy) for input problems, without solving."""
    scn, pol = _load(scenario, policy)
    click.echo(f"{scenario}: valid ({len(scn.units)} units, {len(scn.posts)} posts, "
               f"{len(scn.candidates)} candidates, {len(pol.rules) if pol else 0} rules)")


@main.command("rules")
def rules_cmd():
    """List the rule types a policy may use."""
    for name, cls in sorted(REGISTRY.items()):
        click.echo(f"{name:<18} {cls.summary}")


if __name__ == "__main__":
    main()
