"""`planner compare`, `planner price` and `planner sweep`: policy research from the command line.

Each command plans its jobs, runs them (a local process pool by default, Dask with
``--scheduler``), stores every row in a SQLite results file as it arrives, then prints a table
and writes CSV, Markdown and PNG charts. ``--from RESULTS`` renders a results file again
without solving; ``--resume`` skips the runs a results file already holds.

Exit status: 0 done; 2 invalid input or usage (also: the research extra is not installed, or
the Dask scheduler cannot be reached); 4 a run failed with an error (a bug: see the ``error``
column); 130 interrupted (the finished runs are stored: run again with ``--resume``).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from planner.errors import InputError, Problem
from planner.research import INSTALL_HINT, missing_modules
from planner.scenario import effective_policy

RESULTS_NAME = "results.sqlite"


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


def _usage(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("._") or "scenario"


def batch_options(func):
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
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
                     show_default=True, help="Solves run at once (processes, or Dask workers "
                                             "of --scheduler local)."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Run on a Dask cluster: tcp://HOST:PORT, or 'local' for an embedded "
                          "LocalCluster of --jobs workers."),
        click.option("--scheduler-timeout", type=click.FloatRange(min=0, min_open=True),
                     default=20.0, show_default=True,
                     help="Seconds to wait for the Dask scheduler."),
        click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=30.0,
                     show_default=True, help="Per solve, in CP-SAT's deterministic units "
                                             "(roughly seconds; wall seconds with "
                                             "--no-deterministic)."),
        click.option("--seed", type=int, default=0, show_default=True),
        click.option("--solver-workers", type=click.IntRange(min=1), default=1, show_default=True,
                     help="CP-SAT search workers inside each solve."),
        click.option("--deterministic/--no-deterministic", default=True, show_default=True,
                     help="Deterministic solves: the same inputs give the same rows anywhere."),
        click.option("--young-age", type=click.IntRange(min=0), default=None,
                     help="Age limit of the young-cadre share metric [default: max_age of the "
                          "first young_cadres rule, else 45]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _options(time_limit: float, seed: int, solver_workers: int, deterministic: bool):
    from planner.research.runner import SolveOptions

    return SolveOptions(time_limit=time_limit, seed=seed, workers=solver_workers,
                        deterministic=deterministic)


def _load_inputs(scenarios: list[str], policies: list[str]):
    """Scenarios (each with its content hash) and policies; every problem at once, exit 2."""
    from planner.io.loader import load_policy, load_scenario
    from planner.research.runner import scenario_hash

    problems: list[Problem] = []
    pols = []
    for path in policies:
        try:
            pols.append(load_policy(path))
        except InputError as exc:
            problems += exc.problems
    loaded = []
    for path in scenarios:
        try:
            scn = load_scenario(path, policy=pols[0]) if pols else load_scenario(path)
        except InputError as exc:
            problems += exc.problems
            continue
        loaded.append((path, scn, scenario_hash(scn)))
    if problems:
        click.echo(InputError(problems).report(), err=True)
        sys.exit(2)
    return loaded, pols


def _open_store(path: Path, create: bool = True):
    from planner.research.store import Store, StoreError

    try:
        return Store(path, create=create)
    except StoreError as exc:
        _usage(str(exc))


def _progress(row: dict[str, Any], n: int, total: int) -> None:
    obj = row.get("objective")
    what = f"objective {obj}" if obj is not None else (row.get("error") or "")
    click.echo(f"[{n:>{len(str(total))}}/{total}] {row['scenario_name']} | {row['label']}: "
               f"{row['status']} {what} ({row.get('wall_seconds', 0):.1f}s)", err=True)


def _run(jobs: list[dict[str, Any]], store, *, jobs_n: int, scheduler: str | None,
         resume: bool, results: Path, timeout: float):
    """Run the batch: (its stored rows in job order, the outcome)."""
    from planner.research.runner import SchedulerError, run_batch

    keys = list(dict.fromkeys(j["key"] for j in jobs))
    done = store.done_keys() & set(keys) if resume else set()
    todo = len(keys) - len(done)
    where = f"Dask scheduler {scheduler}" if scheduler else \
        (f"{min(jobs_n, todo)} local processes" if jobs_n > 1 and todo > 1 else "this process")
    click.echo(f"{len(keys)} runs" + (f", {len(done)} already stored (--resume)" if resume else "")
               + (f": {todo} on {where}" if todo else ": nothing to solve")
               + f"; results in {results}", err=True)
    try:
        outcome = run_batch(jobs, store, parallel=jobs_n, scheduler=scheduler, resume=resume,
                            on_row=_progress, scheduler_timeout=timeout)
    except SchedulerError as exc:
        _usage(str(exc))
    return store.rows(outcome.keys), outcome


def _finish(rows: list[dict[str, Any]], outcome, results: Path) -> None:
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
    out = Path(outdir) if outdir else default
    out.mkdir(parents=True, exist_ok=True)
    return out


def _written(*paths: Path) -> None:
    click.echo("written    " + ", ".join(str(p) for p in paths))


def _guard(func):
    """Research commands: dependencies first, and `--vary`/`--pareto` problems as exit 2."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from planner.research.variants import VaryError

        _need(func.__name__.removesuffix("_cmd"), kwargs.get("scheduler"))
        try:
            return func(*args, **kwargs)
        except VaryError as exc:
            _usage(str(exc))
    return wrapper


# -- compare -----------------------------------------------------------------------------------

def _labels(policies, paths: list[str]) -> list[str]:
    names = [p.name for p in policies]
    labels = [n if names.count(n) == 1 else f"{n} ({Path(path).stem})"
              for n, path in zip(names, paths)]
    return [lbl if labels.count(lbl) == 1 else f"{lbl} #{i + 1}" for i, lbl in enumerate(labels)]


def render_compare(rows: list[dict[str, Any]], out: Path, title: str) -> list[Path]:
    from planner.research import render

    lead = [render.Column("scenario", lambda r: r["scenario_name"], str, right=False),
            render.Column("policy", lambda r: r["label"], str, right=False)]
    cols = lead + render.metric_columns(rows)
    render.print_table(title, cols, rows, render.status_style)
    csv_path, md_path, png_path = out / "compare.csv", out / "compare.md", out / "compare.png"
    render.atomic_write(csv_path, render.csv_text(rows))
    render.atomic_write(md_path, f"# {title}\n\n" + render.markdown_table(cols, rows)
                        + render.soft_markdown(rows, lead) + "\n\n" + _provenance(rows))
    render.compare_chart(rows, png_path)
    return [csv_path, md_path, png_path]


def _provenance(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""

    def values(field: str) -> str:
        return ", ".join(str(v) for v in dict.fromkeys(r.get(field) for r in rows))

    modes = values("deterministic").replace("True", "deterministic").replace("False", "wall-clock")
    return (f"Solved by rotation-planner {values('planner_version')} with OR-Tools "
            f"{values('ortools_version')}; seed {values('seed')}, CP-SAT workers "
            f"{values('workers')}, time limit {values('time_limit')} ({modes}). Hashes of every "
            "scenario and policy are in the CSV.\n")


@click.command("compare")
@click.argument("scenarios", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--policy", "policies", multiple=True, type=click.Path(dir_okay=False),
              help="A policy file; repeat for each rule set [default: each scenario's own].")
@batch_options
@_guard
def compare_cmd(scenarios, policies, outdir, results, resume, from_results, jobs, scheduler,
                scheduler_timeout, time_limit, seed, solver_workers, deterministic, young_age):
    """Solve every SCENARIO under every --policy; one row per pair, with the main metrics.

    Prints a table and writes compare.csv, compare.md and compare.png into OUT.
    """
    if from_results:
        store = _open_store(Path(from_results), create=False)
        rows = store.rows()
        if not rows:
            _usage(f"{from_results} holds no runs")
        out = _outdir(outdir, Path("out") / "compare")
        _written(*render_compare(rows, out, f"{len(rows)} runs from {from_results}"))
        return
    if not scenarios:
        _usage("give at least one SCENARIO (or --from RESULTS)")
    loaded, pols = _load_inputs(list(scenarios), list(policies))
    from planner.research.runner import batch_jobs
    from planner.research.variants import Variant

    labels = _labels(pols, list(policies)) if pols else []

    def variants(scn):
        if not pols:
            pol = effective_policy(scn)
            return [Variant(pol.name, pol, {"kind": "policy"})]
        return [Variant(lbl, p, {"kind": "policy", "file": str(f)})
                for lbl, p, f in zip(labels, pols, policies)]

    jobs_list = batch_jobs("compare", loaded, variants,
                           _options(time_limit, seed, solver_workers, deterministic), young_age)
    out = _outdir(outdir, Path("out") / "compare")
    res = Path(results) if results else out / RESULTS_NAME
    store = _open_store(res)
    rows, outcome = _run(jobs_list, store, jobs_n=jobs, scheduler=scheduler, resume=resume,
                         results=res, timeout=scheduler_timeout)
    if rows:
        _written(*render_compare(rows, out, f"{len(loaded)} scenario(s) x "
                                            f"{len(pols) or 1} policy(ies)"), res)
    _finish(rows, outcome, res)


# -- price -------------------------------------------------------------------------------------

def render_price(rows: list[dict[str, Any]], out: Path) -> list[Path]:
    from planner.research import analysis, render

    written = []
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["scenario_hash"], r["variant"].get("base")), []).append(r)
    for n, group in enumerate(groups.values()):
        priced = analysis.price(group)
        base = priced[0]
        title = f"Price of each rule: {base['scenario_name']} under {base['policy_name']}"
        cols = [render.Column("change", lambda r: r["label"], str, right=False),
                render.Column("status", lambda r: r["status"], str, right=False),
                render.Column("objective", lambda r: r.get("objective")),
                render.Column("gap", lambda r: r.get("gap"), lambda x: render._pct(x, 2)),
                render.Column("Δ objective", lambda r: r.get("d_objective"), render._signed),
                render.Column("Δ moved", lambda r: r.get("d_moved"), render._signed),
                render.Column("Δ vacant", lambda r: r.get("d_vacant"), render._signed),
                render.Column("Δ km mean", lambda r: r.get("d_km_mean"),
                              lambda x: "-" if x is None else f"{x:+.1f}"),
                render.Column("verdict", lambda r: r["verdict"], str, right=False),
                render.Column("time", lambda r: r.get("wall_seconds"), render._secs)]
        render.print_table(title, cols, priced, lambda r: {"slack": "dim", "binding": "bold",
                                                           "cause of infeasibility": "green"}
                           .get(r["verdict"], render.status_style(r)))
        notes = _price_notes(priced)
        for line in notes:
            click.echo(line)
        stem = "price" if len(groups) == 1 else f"price-{n + 1}-{_slug(base['scenario_name'])}"
        lead = [("change", lambda r: r["label"]), ("verdict", lambda r: r["verdict"]),
                ("d_objective", lambda r: r.get("d_objective")),
                ("d_moved", lambda r: r.get("d_moved")), ("d_vacant", lambda r: r.get("d_vacant")),
                ("d_km_mean", lambda r: r.get("d_km_mean"))]
        paths = [out / f"{stem}.csv", out / f"{stem}.md", out / f"{stem}.png"]
        render.atomic_write(paths[0], render.csv_text(priced, lead))
        render.atomic_write(paths[1], f"# {title}\n\n" + render.markdown_table(cols, priced)
                            + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n\n"
                            + _provenance(priced))
        render.price_chart(priced[1:], paths[2])
        written += paths
    return written


def _price_notes(priced: list[dict[str, Any]]) -> list[str]:
    from planner.research import analysis

    base = priced[0]
    notes = []
    if base["status"] == "infeasible":
        found = analysis.causes(priced)
        notes.append("the base policy has no plan; "
                     + (f"dropping or relaxing one of these makes a plan possible: {'; '.join(found)}"
                        if found else "no single rule's removal makes a plan possible"))
    elif base["status"] in analysis.PLAN:
        slack = analysis.slack(priced)
        notes.append("slack (dropping them changes nothing): " + ("; ".join(slack) if slack
                                                                  else "none"))
        binding = [r["label"] for r in priced if r["verdict"].startswith("binding")]
        if binding:
            notes.append("binding: " + "; ".join(binding))
    else:
        notes.append(f"the base policy found no plan ({base['status']}): try a longer --time-limit")
    return notes


@click.command("price")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Policy file [default: the scenario's own].")
@click.option("--step", type=click.FloatRange(min=0, min_open=True, max=1), default=0.05,
              show_default=True, help="How far a share rule is relaxed (min_share, "
                                      "min_share_of_units).")
@click.option("--no-relax", is_flag=True, help="Only drop rules; do not relax shares.")
@batch_options
@_guard
def price_cmd(scenario, policy, step, no_relax, outdir, results, resume, from_results, jobs,
              scheduler, scheduler_timeout, time_limit, seed, solver_workers, deterministic,
              young_age):
    """The price of each rule of the policy on SCENARIO.

    Solves the policy, then the policy without each rule (and each share rule relaxed one
    --step), and reports the change in objective, moves and vacancies. Rules whose removal
    changes nothing are named as slack; when the policy has no plan, the rules whose removal
    gives one are named as its causes.
    """
    if from_results:
        store = _open_store(Path(from_results), create=False)
        rows = [r for r in store.rows() if r.get("command") == "price"]
        if not rows:
            _usage(f"{from_results} holds no runs of planner price")
        out = _outdir(outdir, Path("out") / "price")
        _written(*render_price(rows, out))
        return
    if not scenario:
        _usage("give a SCENARIO (or --from RESULTS)")
    loaded, pols = _load_inputs([scenario], [policy] if policy else [])
    from planner.research.runner import batch_jobs, policy_hash
    from planner.research.variants import Variant, price_variants

    path, scn, _ = loaded[0]
    base = effective_policy(scn, pols[0] if pols else None)
    if not base.rules:
        _usage(f"the policy {base.name!r} has no rules to price")
    b_hash = policy_hash(base)
    variants = [Variant(v.label, v.policy, {**v.info, "base": b_hash})
                for v in price_variants(base, step=step, relax=not no_relax)]
    jobs_list = batch_jobs("price", loaded, lambda _: variants,
                           _options(time_limit, seed, solver_workers, deterministic), young_age)
    out = _outdir(outdir, Path("out") / "price" / _slug(scn.name))
    res = Path(results) if results else out / RESULTS_NAME
    store = _open_store(res)
    rows, outcome = _run(jobs_list, store, jobs_n=jobs, scheduler=scheduler, resume=resume,
                         results=res, timeout=scheduler_timeout)
    if rows and any(r["variant"].get("kind") == "base" for r in rows):
        _written(*render_price(rows, out), res)
    _finish(rows, outcome, res)


# -- sweep -------------------------------------------------------------------------------------

def render_sweep(rows: list[dict[str, Any]], out: Path, pareto: tuple[str, str]) -> list[Path]:
    from planner.research import analysis, render

    written = []
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        v = r["variant"]
        groups.setdefault((r["scenario_hash"], v.get("base"), tuple(v.get("axes", ()))), []).append(r)
    for n, ((_, _, axes), group) in enumerate(groups.items()):
        marked = analysis.mark_pareto(group, pareto)
        first = marked[0]
        title = (f"Sweep of {' x '.join(axes)} on {first['scenario_name']} "
                 f"(Pareto front of {pareto[0]} and {pareto[1]}: *)")
        lead = [render.Column(a.rsplit(".", 1)[-1] if len(axes) == 1 else a,
                              (lambda a: lambda r: r["variant"]["values"][a])(a), str)
                for a in axes]
        lead.append(render.Column("pareto", lambda r: "*" if r["pareto"] else "", str,
                                  right=False))
        cols = lead + render.metric_columns(marked)
        render.print_table(title, cols, marked, render.status_style)
        bad = [r for r in marked if r["status"] not in analysis.PLAN]
        if bad:
            click.echo(f"no plan at {len(bad)} point(s): "
                       + "; ".join(f"{r['label']} ({r['status']})" for r in bad))
        stem = "sweep" if len(groups) == 1 else f"sweep-{n + 1}"
        paths = [out / f"{stem}.csv", out / f"{stem}.md", out / f"{stem}.png",
                 out / f"{stem}-pareto.png"]
        csv_lead = [(a, (lambda a: lambda r: r["variant"]["values"][a])(a)) for a in axes]
        csv_lead.append(("pareto", lambda r: r["pareto"]))
        render.atomic_write(paths[0], render.csv_text(marked, csv_lead))
        render.atomic_write(paths[1], f"# {title}\n\n" + render.markdown_table(cols, marked)
                            + render.soft_markdown(marked, lead[:-1]) + "\n\n"
                            + _provenance(marked))
        render.sweep_charts(marked, list(axes), pareto, paths[2], paths[3])
        written += paths
    return written


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
def sweep_cmd(scenario, policy, varies, pareto, outdir, results, resume, from_results, jobs,
              scheduler, scheduler_timeout, time_limit, seed, solver_workers, deterministic,
              young_age):
    """Solve SCENARIO over a grid of one or two policy parameters.

    Prints a table and writes sweep.csv, sweep.md, the trade-off curves (sweep.png) and the
    Pareto front of the two --pareto metrics (sweep-pareto.png); points without a plan are
    shown as such.
    """
    from planner.research import analysis
    from planner.research.variants import VaryError, grid, parse_vary

    try:
        pareto_metrics = analysis.parse_pareto(pareto)
    except ValueError as exc:
        _usage(str(exc))
    if from_results:
        store = _open_store(Path(from_results), create=False)
        rows = [r for r in store.rows() if r.get("command") == "sweep"]
        if not rows:
            _usage(f"{from_results} holds no runs of planner sweep")
        out = _outdir(outdir, Path("out") / "sweep")
        _written(*render_sweep(rows, out, pareto_metrics))
        return
    if not scenario:
        _usage("give a SCENARIO (or --from RESULTS)")
    if not varies:
        _usage("give one or two --vary options, e.g. --vary "
               "'non_local[unit_kind=commune].min_share=0.8:1.0:0.02'")
    if len(varies) > 2:
        raise VaryError(f"give one or two --vary options (a 1-D or 2-D grid), got {len(varies)}")
    specs = [parse_vary(v) for v in varies]
    loaded, pols = _load_inputs([scenario], [policy] if policy else [])
    from planner.research.runner import batch_jobs, policy_hash
    from planner.research.variants import Variant

    path, scn, _ = loaded[0]
    base = effective_policy(scn, pols[0] if pols else None)
    points = grid(base, specs)
    b_hash = policy_hash(base)
    variants = [Variant(v.label, v.policy, {**v.info, "base": b_hash}) for v in points]
    jobs_list = batch_jobs("sweep", loaded, lambda _: variants,
                           _options(time_limit, seed, solver_workers, deterministic), young_age)
    out = _outdir(outdir, Path("out") / "sweep" / _slug(scn.name))
    res = Path(results) if results else out / RESULTS_NAME
    store = _open_store(res)
    rows, outcome = _run(jobs_list, store, jobs_n=jobs, scheduler=scheduler, resume=resume,
                         results=res, timeout=scheduler_timeout)
    if rows:
        _written(*render_sweep(rows, out, pareto_metrics), res)
    _finish(rows, outcome, res)


COMMANDS = (compare_cmd, price_cmd, sweep_cmd)
