"""`planner compare`, `planner price` and `planner sweep`: policy research from the command line.

Each command plans its jobs, runs them (a local process pool by default, Dask with
``--scheduler``), stores every row in a SQLite results file as it arrives, then prints a table
and writes CSV, Markdown and PNG charts. ``--from RESULTS`` renders a results file again
without solving; ``--resume`` skips the runs a results file already holds. What is solved comes
from :mod:`planner.research.batches`, what is shown from :mod:`planner.research.render`: this
module parses the options, reports progress and sets the exit status.

Exit status: 0 done; 2 invalid input or usage (also: the research extra is not installed, or
the Dask scheduler cannot be reached or is not an address, or an option's value is beyond what a
solve can take: NaN, infinity, a seed or a worker count outside CP-SAT's 32-bit integers); 4 a
run failed with an error (a bug: see the ``error`` column); 130 interrupted (the finished runs
are stored: run again with ``--resume``).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from planner.cli.common import (
    INT32_MAX,
    FiniteFloat,
    default_outdir,
    fail_input,
)
from planner.errors import InputError
from planner.research import INSTALL_HINT, missing_modules
from planner.research.analysis import base_run, parse_pareto
from planner.research.batches import (
    Batch,
    BatchError,
    compare_batch,
    price_batch,
    sweep_batch,
)
from planner.research.render import render_compare, render_price, render_sweep
from planner.research.runner import (
    Outcome,
    SchedulerError,
    SolveOptions,
    check_scheduler_address,
    run_batch,
)
from planner.research.store import Store, StoreError
from planner.research.variants import VaryError

RESULTS_NAME = "results.sqlite"

MAX_JOBS = 1024
"""More solves at once than any machine this runs on has cores (--scheduler local starts that
many Dask worker processes)."""
MAX_AGE = 150
"""The oldest --young-age: an age in years."""


# -- shared plumbing ---------------------------------------------------------------------------

def _need(command: str, scheduler: str | None = None) -> None:
    """Exit 2 naming the extra to install when the research dependencies are missing."""
    wanted = ["matplotlib", "rich"] + (["distributed"] if scheduler else [])
    missing = missing_modules(*wanted)
    if missing:
        names = ", ".join("dask[distributed]" if m == "distributed" else m for m in missing)
        click.echo(f"planner {command} needs the optional 'research' dependencies "
                   f"(missing: {names}); install them with: {INSTALL_HINT}", err=True)
        sys.exit(2)


def _usage(message: str) -> NoReturn:
    """A usage problem: said on standard error, exit 2."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def batch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every batch command takes."""
    options = [
        click.option("-o", "--out", "outdir", type=click.Path(file_okay=False),
                     help="Folder for the table, CSV, Markdown and charts "
                          "[default: ./out/<command>[/<scenario name>]]."),
        click.option("--results", type=click.Path(dir_okay=False),
                     help=f"SQLite results file, one row per run [default: OUT/{RESULTS_NAME}]."),
        click.option("--resume", is_flag=True,
                     help="Skip the runs already in the results file (same scenario, policy, "
                          "label and options)."),
        click.option("--from", "from_results", type=click.Path(dir_okay=False),
                     help="Render this results file again, without solving."),
        click.option("-j", "--jobs", type=click.IntRange(min=1, max=MAX_JOBS),
                     default=min(os.cpu_count() or 1, MAX_JOBS), show_default=True,
                     help="Solves run at once (processes, or Dask workers of --scheduler "
                          "local)."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Run on a Dask cluster: tcp://HOST:PORT, or 'local' for an embedded "
                          "LocalCluster of --jobs workers."),
        click.option("--scheduler-timeout", type=FiniteFloat(min=0, min_open=True),
                     default=20.0, show_default=True,
                     help="Seconds to wait for the Dask scheduler."),
        click.option("--time-limit", type=FiniteFloat(min=0, min_open=True), default=30.0,
                     show_default=True, help="Per solve, in CP-SAT's deterministic units "
                                             "(roughly seconds; wall seconds with "
                                             "--no-deterministic)."),
        click.option("--gap", type=FiniteFloat(min=0), default=0.0, show_default=True,
                     help="Stop each solve once its plan is within this fraction of the proven "
                          "bound (0.0001: 0.01%); 0 solves to proven optimality, so that "
                          "prices and trade-offs compare optima."),
        click.option("--seed", type=click.IntRange(min=-INT32_MAX - 1, max=INT32_MAX), default=0,
                     show_default=True, help="CP-SAT's random seed (a 32-bit integer)."),
        click.option("--solver-workers", type=click.IntRange(min=1, max=INT32_MAX), default=1,
                     show_default=True, help="CP-SAT search workers inside each solve."),
        click.option("--deterministic/--no-deterministic", default=True, show_default=True,
                     help="Deterministic solves: the same inputs give the same rows anywhere."),
        click.option("--young-age", type=click.IntRange(min=0, max=MAX_AGE), default=None,
                     help="Age limit of the young-cadre share metric [default: max_age of the "
                          "first young_cadres rule, else 45]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Research commands: dependencies and the --scheduler address first (before anything is
    planned or written), and `--vary`/`--pareto` problems as exit 2."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _need(func.__name__.removesuffix("_cmd"), kwargs.get("scheduler"))
        if kwargs.get("scheduler"):
            try:
                check_scheduler_address(kwargs["scheduler"])
            except SchedulerError as exc:
                _usage(str(exc))
        try:
            return func(*args, **kwargs)
        except (VaryError, BatchError) as exc:
            _usage(str(exc))
    return wrapper


def _planned(plan: Callable[..., Batch], *args: Any, **kwargs: Any) -> Batch:
    """The batch `plan` makes; every problem of the input files reported at once, exit 2."""
    try:
        return plan(*args, **kwargs)
    except InputError as exc:
        fail_input(exc)


def _solve_options(kwargs: dict[str, Any]) -> SolveOptions:
    """The solve options of every job, from the --time-limit, --gap, --seed, --solver-workers
    and --deterministic options."""
    return SolveOptions(time_limit=kwargs["time_limit"], seed=kwargs["seed"],
                        workers=kwargs["solver_workers"], deterministic=kwargs["deterministic"],
                        gap=kwargs["gap"])


def _open_store(path: Path, create: bool = True) -> Store:
    """The results file; exit 2 when it is not one (or cannot be created)."""
    try:
        return Store(path, create=create)
    except StoreError as exc:
        _usage(str(exc))


def _stored(from_results: str, command: str | None) -> list[dict[str, Any]]:
    """The rows of a results file to render again (of `command` only, when given); exit 2
    when there are none."""
    with _open_store(Path(from_results), create=False) as store:
        rows = store.rows() if command is None else store.rows_of(command)
    if not rows:
        _usage(f"{from_results} holds no runs" + (f" of planner {command}" if command else ""))
    return rows


def _progress(row: dict[str, Any], n: int, total: int) -> None:
    """One line on standard error per finished run, so a long batch shows it is moving."""
    obj = row.get("objective")
    what = f"objective {obj}" if obj is not None else (row.get("error") or "")
    click.echo(f"[{n:>{len(str(total))}}/{total}] {row['scenario_name']} | {row['label']}: "
               f"{row['status']} {what} ({row.get('wall_seconds', 0):.1f}s)", err=True)


def _run(jobs: list[dict[str, Any]], results: Path, opts: dict[str, Any]
         ) -> tuple[list[dict[str, Any]], Outcome]:
    """Run the batch, storing into `results`: (its stored rows in job order, the outcome)."""
    jobs_n, scheduler, resume = opts["jobs"], opts["scheduler"], opts["resume"]
    with _open_store(results) as store:
        keys = list(dict.fromkeys(j["key"] for j in jobs))
        done = store.done_keys() & set(keys) if resume else set()
        todo = len(keys) - len(done)
        where = f"Dask scheduler {scheduler}" if scheduler else \
            (f"{min(jobs_n, todo)} local processes" if jobs_n > 1 and todo > 1 else "this process")
        click.echo(f"{len(keys)} runs" + (f", {len(done)} already stored (--resume)" if resume
                                          else "")
                   + (f": {todo} on {where}" if todo else ": nothing to solve")
                   + f"; results in {results}", err=True)
        try:
            outcome = run_batch(jobs, store, parallel=jobs_n, scheduler=scheduler, resume=resume,
                                on_row=_progress, scheduler_timeout=opts["scheduler_timeout"])
        except SchedulerError as exc:
            _usage(str(exc))
        return store.rows(outcome.keys), outcome


def _finish(rows: list[dict[str, Any]], outcome: Outcome, results: Path) -> None:
    """Exit status after rendering: 130 interrupted, 4 a run failed, else 0."""
    if outcome.interrupted:
        missing = len(outcome.keys) - len(rows)
        click.echo(f"interrupted: {len(rows)} of {len(outcome.keys)} runs are stored in {results}"
                   f" ({missing} to go); run the same command again with --resume", err=True)
        sys.exit(130)
    if outcome.crashed:
        click.echo(f"error: {outcome.crashed}; {len(rows)} of {len(outcome.keys)} runs are "
                   f"stored in {results}: run the same command again with --resume", err=True)
        sys.exit(4)
    errors = [r for r in rows if r.get("status") == "error"]
    if errors:
        for r in errors[:10]:
            click.echo(f"error in {r['scenario_name']} | {r['label']}: {r.get('error')}", err=True)
        sys.exit(4)


def _outdir(outdir: str | None, default: Path) -> Path:
    """The output folder (--out, else `default`), created."""
    out = Path(outdir) if outdir else default
    out.mkdir(parents=True, exist_ok=True)
    return out


def _written(*paths: Path) -> None:
    """Name the files written, on standard output after the tables."""
    click.echo("written    " + ", ".join(str(p) for p in paths))


def _results(results: str | None, out: Path) -> Path:
    """The results file: --results, else results.sqlite in the output folder."""
    return Path(results) if results else out / RESULTS_NAME


# -- compare -----------------------------------------------------------------------------------

@click.command("compare")
@click.argument("scenarios", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--policy", "policies", multiple=True, type=click.Path(dir_okay=False),
              help="A policy file; repeat for each rule set [default: each scenario's own].")
@click.option("--myopic", is_flag=True,
              help="Also plan each pair one period at a time (rows '<label> (myopic)'), beside "
                   "the horizon plan: what looking ahead is worth (docs/horizon.md).")
@batch_options
@_guard
def compare_cmd(scenarios: tuple[str, ...], policies: tuple[str, ...], outdir: str | None,
                results: str | None, from_results: str | None, young_age: int | None,
                myopic: bool = False, **opts: Any) -> None:
    """Solve every SCENARIO under every --policy; one row per pair, with the main metrics.

    Prints a table and writes compare.csv, compare.md and compare.png into OUT.
    """
    if from_results:
        rows = _stored(from_results, None)
        out = _outdir(outdir, Path("out") / "compare")
        _written(*render_compare(rows, out, f"{len(rows)} runs from {from_results}"))
        return
    if not scenarios:
        _usage("give at least one SCENARIO (or --from RESULTS)")
    batch = _planned(compare_batch, list(scenarios), list(policies), _solve_options(opts),
                     young_age, myopic)
    out = _outdir(outdir, Path("out") / "compare")
    res = _results(results, out)
    rows, outcome = _run(batch.jobs, res, opts)
    if rows:
        _written(*render_compare(rows, out, batch.title), res)
    _finish(rows, outcome, res)


# -- price -------------------------------------------------------------------------------------

@click.command("price")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Policy file [default: the scenario's own].")
@click.option("--step", type=FiniteFloat(min=0, min_open=True, max=1), default=0.05,
              show_default=True, help="How far a share rule is relaxed (min_share, "
                                      "min_share_of_units).")
@click.option("--no-relax", is_flag=True, help="Only drop rules; do not relax shares.")
@batch_options
@_guard
def price_cmd(scenario: str | None, policy: str | None, step: float, no_relax: bool,
              outdir: str | None, results: str | None, from_results: str | None,
              young_age: int | None, **opts: Any) -> None:
    """The price of each rule of the policy on SCENARIO.

    Solves the policy, then the policy without each rule (and each share rule relaxed one
    --step), and reports the change in objective, moves and vacancies. Rules whose removal
    changes nothing are named as slack; when the policy has no plan, the rules whose removal
    gives one are named as its causes.
    """
    if from_results:
        rows = _stored(from_results, "price")
        out = _outdir(outdir, Path("out") / "price")
        _written(*render_price(rows, out))
        return
    if not scenario:
        _usage("give a SCENARIO (or --from RESULTS)")
    batch = _planned(price_batch, scenario, policy, _solve_options(opts), young_age,
                     step=step, relax=not no_relax)
    out = _outdir(outdir, default_outdir(batch.name, under="price"))
    res = _results(results, out)
    rows, outcome = _run(batch.jobs, res, opts)
    if rows and base_run(rows) is not None:
        _written(*render_price(rows, out), res)
    _finish(rows, outcome, res)


# -- sweep -------------------------------------------------------------------------------------

@click.command("sweep")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Policy file [default: the scenario's own].")
@click.option("--vary", "varies", multiple=True, metavar="SPEC",
              help="RULE[PARAM=VALUE,...].PARAM=START:STOP:STEP (or =V1,V2,...), or "
                   "weights.NAME=...; twice for a 2-D grid. "
                   "E.g. 'non_local[unit_kind=commune].min_share=0.8:1.0:0.02'.")
@click.option("--pareto", default="moved,objective", show_default=True, metavar="X,Y",
              help="Two metrics for the Pareto front, e.g. moved,non_local_commune.")
@batch_options
@_guard
def sweep_cmd(scenario: str | None, policy: str | None, varies: tuple[str, ...], pareto: str,
              outdir: str | None, results: str | None, from_results: str | None,
              young_age: int | None, **opts: Any) -> None:
    """Solve SCENARIO over a grid of one or two policy parameters.

    Prints a table and writes sweep.csv, sweep.md, the trade-off curves (sweep.png) and the
    Pareto front of the two --pareto metrics (sweep-pareto.png); points without a plan are
    shown as such.
    """
    try:
        pareto_metrics = parse_pareto(pareto)
    except ValueError as exc:
        _usage(str(exc))
    if from_results:
        rows = _stored(from_results, "sweep")
        out = _outdir(outdir, Path("out") / "sweep")
        _written(*render_sweep(rows, out, pareto_metrics))
        return
    if not scenario:
        _usage("give a SCENARIO (or --from RESULTS)")
    if not varies:
        _usage("give one or two --vary options, e.g. --vary "
               "'non_local[unit_kind=commune].min_share=0.8:1.0:0.02'")
    batch = _planned(sweep_batch, scenario, policy, list(varies), _solve_options(opts),
                     young_age)
    out = _outdir(outdir, default_outdir(batch.name, under="sweep"))
    res = _results(results, out)
    rows, outcome = _run(batch.jobs, res, opts)
    if rows:
        _written(*render_sweep(rows, out, pareto_metrics), res)
    _finish(rows, outcome, res)
