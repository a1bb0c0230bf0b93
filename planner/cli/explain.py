"""`planner explain`, `planner diff` and `planner fit`: plans a planner can defend.

Exit status: 0 done; 2 invalid input or usage (unknown post or candidate, unreadable plan or
scenario, a run folder that does not say which scenario it solved, a base plan that breaks hard
rules); 1 no plan to explain or start from (the scenario is infeasible: `explain` prints why);
3 `fit` found no base plan within its time limit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from planner.cli.common import (
    INT32_MAX,
    SECONDS,
    fail_input,
    load_inputs,
)
from planner.errors import InputError, Problem
from planner.explain.diff import diff_plans
from planner.explain.fit_run import run_fit
from planner.explain.periods import HorizonExplainer
from planner.explain.plan import PlanExplainer, Run, load_run
from planner.io.atomic import settle_set
from planner.solver.search import DEFAULT_WORKERS


@click.command("explain")
@click.argument("outdir", type=click.Path(exists=True))
@click.option("--post", "post_id", metavar="POST", help="Who got POST, and why not the next best.")
@click.option("--candidate", "cand_id", metavar="CANDIDATE",
              help="Where CANDIDATE went, and why not elsewhere.")
@click.option("--period", "year", type=int, metavar="YEAR",
              help="A horizon run: the period (its year) to explain; default: the first for "
                   "--post, every period for --candidate, the whole horizon otherwise.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many alternatives to show (and price).")
@click.option("--scenario", type=click.Path(dir_okay=False),
              help="The scenario file, if summary.json does not record it (or to override it).")
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file overriding the recorded one.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def explain_cmd(outdir, post_id, cand_id, year, top, scenario, policy, as_json):
    """Explain the plan in OUTDIR (a `planner solve` output folder, or its plan.csv).

    With no option: the objective broken down by term and every rule's compliance. With --post
    or --candidate: the person or post, the score terms, and the alternatives with what excludes
    each (which requirement or rule) or what placing them would cost (a local re-plan: the
    change in objective and who else would move). A horizon run is explained period by period
    (--period), each period with the officers' state that the plan of the periods before gives.
    """
    if post_id and cand_id:
        click.echo("give --post or --candidate, not both", err=True)
        sys.exit(2)
    _explain_infeasible_run(outdir)
    try:
        run = load_run(outdir, scenario, policy)
        for note in run.notes:
            click.echo(f"note: {note}", err=True)
        if run.plans is not None:
            data, text = _explain_horizon(run, post_id, cand_id, year, top, as_json)
            click.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)
            return
        if year is not None and year != run.scenario.term_start:
            raise click.BadParameter(f"{year}: the run has one period, {run.scenario.term_start}",
                                     param_hint="--period")
        ex = PlanExplainer(run)
        if post_id:
            data = ex.post(post_id, top)
            text = None if as_json else ex.post_text(post_id, top)
        elif cand_id:
            data = ex.candidate(cand_id, top)
            text = None if as_json else ex.candidate_text(cand_id, top)
        else:
            data = ex.overview()
            text = None if as_json else ex.overview_text()
    except InputError as exc:
        fail_input(exc)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)


def _explain_horizon(run: Run, post_id: str | None, cand_id: str | None, year: int | None,
                     top: int, as_json: bool) -> tuple[object, str | None]:
    """(JSON data, text or None) of a horizon run: a post in one period (the first by
    default), an officer's path, one period's plan or the whole horizon's."""
    hx = HorizonExplainer(run)
    if year is not None and year not in hx.years:
        raise click.BadParameter(f"{year} is not one of the periods "
                                 f"({', '.join(str(y) for y in hx.years)})", param_hint="--period")
    if post_id:
        at = year if year is not None else hx.years[0]
        return hx.post(post_id, at, top), None if as_json else hx.post_text(post_id, at, top)
    if cand_id:
        return hx.candidate(cand_id, top, year), None if as_json else hx.candidate_text(
            cand_id, top, year)
    if year is not None:
        period = hx.period(year)
        return {"period": year, **period.overview()}, None if as_json else (
            f"{hx.period_head(year)}\n{period.overview_text()}")
    return hx.overview(), None if as_json else hx.overview_text()


def _explain_infeasible_run(outdir: str) -> None:
    """An output folder of an infeasible run has no plan: print its explanation, exit 1."""
    folder = Path(outdir)
    if not folder.is_dir():
        return
    try:
        settled = settle_set(folder)  # an interrupted write: its set, whole, or the earlier one
    except OSError:
        settled = None  # load_run says so
    if settled:
        click.echo(f"note: {settled}", err=True)
    if (folder / "plan.csv").exists():
        return
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(summary, dict):
        fail_input(InputError([Problem(str(folder / "summary.json"),
                                       "expected a JSON object (a planner run's summary), "
                                       f"found a {type(summary).__name__}")]))
    if summary.get("status") != "infeasible":
        return
    click.echo(f"{folder}: the scenario was infeasible, no plan to explain; why:")
    for line in summary.get("explanation") or []:
        click.echo(f"  - {line}")
    relaxed = summary.get("relaxed")
    if relaxed and relaxed.get("status") in ("optimal", "feasible"):
        click.echo(f"with {', '.join(relaxed['softened'])} made soft there is a plan: "
                   f"planner explain {folder / 'relaxed'}")
    sys.exit(1)


@click.command("diff")
@click.argument("a", type=click.Path(exists=True))
@click.argument("b", type=click.Path(exists=True))
@click.option("--scenario", type=click.Path(dir_okay=False),
              help="The scenario, if the plans' summary.json do not record it (or to override it).")
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file overriding the recorded ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def diff_cmd(a, b, scenario, policy, as_json):
    """List who moved between plan A and plan B (plan.csv files or output folders) and why the
    objective changed: by term, by rule, and the score of each officer's old and new pair."""
    try:
        d = diff_plans(a, b, scenario, policy)
    except InputError as exc:
        fail_input(exc)
    click.echo(json.dumps(d.to_json(), indent=2, ensure_ascii=False) if as_json else d.text())


@click.command("fit")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--candidate", "cand_id", required=True, metavar="CANDIDATE")
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False),
              help="The base plan (a plan.csv); default: solve SCENARIO first (--time-limit).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many posts to price (best estimates first).")
@click.option("--time-limit", type=SECONDS, default=10.0,
              show_default=True, help="Seconds for the base solve when no --plan is given.")
@click.option("--workers", type=click.IntRange(min=1, max=INT32_MAX), default=DEFAULT_WORKERS,
              show_default=True)
@click.option("--period", "year", type=int, metavar="YEAR",
              help="A horizon: the period (its year) to fit the officer into; default: the first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def fit_cmd(scenario, cand_id, policy, plan_path, top, time_limit, workers, year, as_json):
    """Rank the posts CANDIDATE could take in SCENARIO: for each, the change in objective
    against the base plan and what else would have to move (a local re-plan that keeps every
    hard rule), plus how many posts are closed to the officer and why."""
    scn, _ = load_inputs(scenario, policy)
    try:
        run = run_fit(scn, cand_id, plan_path, top=top, time_limit=time_limit, workers=workers,
                      period=year)
    except InputError as exc:
        fail_input(exc)
    if run.fit is None:
        click.echo(run.no_plan, err=True)
        for line in run.explanation:
            click.echo(f"  - {line}", err=True)
        sys.exit(1 if run.infeasible else 3)
    click.echo(json.dumps(run.to_json(), indent=2, ensure_ascii=False) if as_json else run.text())
