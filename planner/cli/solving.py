"""`planner solve`: solve a scenario, write the run folder, and say what was found."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from planner.cli.common import (
    EXIT,
    INT32_MAX,
    INT32_MIN,
    SECONDS,
    FiniteFloat,
    default_outdir,
    fail_input,
)
from planner.errors import InputError, Problem
from planner.explain.soften import RELAX_WEIGHT, Softened, solve_softened
from planner.explain.whatif import DEFAULT_CHANGE_WEIGHT
from planner.explain.whatif import prepare as prepare_whatif
from planner.io.atomic import settle_set
from planner.io.loader import load_scenario
from planner.output.careers import Preferences, changed_groups, group_words, preferences
from planner.output.folder import Written, write_run
from planner.output.progress import ProgressDisplay
from planner.output.summary import RunRecord, write_softened
from planner.solver.memory import MemoryRefused, check_fits
from planner.solver.pipeline import Prepared, solve, solve_myopic
from planner.solver.result import Result, RunStats, Status, VerificationError, relative_gap
from planner.solver.search import CLI_GAP, DEFAULT_WORKERS

MAX_WEIGHT = 10**9
"""The largest `--change-weight` / `--relax-weight`: the objective's coefficients are int64,
and a weight times a violation or a post count summed over a national scenario (10^5 posts,
violations up to 10^5) must stay well inside it (10^9 * 10^5 * 10^3 < 2^63)."""


GAP = FiniteFloat(min=0)
"""A relative gap: finite and >= 0."""


@click.command("solve")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file replacing the scenario's own.")
@click.option("-o", "--out", "outdir", type=click.Path(file_okay=False),
              help="Output folder [default: ./out/<scenario name>].")
@click.option("--time-limit", type=SECONDS, default=60.0,
              show_default=True, help="Seconds (deterministic units with --deterministic).")
@click.option("--workers", type=click.IntRange(min=1, max=INT32_MAX), default=DEFAULT_WORKERS,
              show_default=True, help="CP-SAT search workers.")
@click.option("--seed", type=click.IntRange(min=INT32_MIN, max=INT32_MAX), default=0,
              show_default=True)
@click.option("--deterministic", is_flag=True, help="Same scenario, policy and seed give the same plan.")
@click.option("--log", is_flag=True, help="Print CP-SAT's search log.")
@click.option("--exact/--shortlist", "exact", default=None,
              help="Model every eligible pair, or solve on a shortlist with the assignment "
                   "core's bound [default: shortlist above 400,000 eligible pairs].")
@click.option("--gap", type=GAP, default=CLI_GAP, show_default=True,
              help="Stop once the plan is within this fraction of the proven bound "
                   "(0.0001: 0.01%); 0 searches until optimal (proven) or out of time.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems (no progress line).")
@click.option("--no-report", is_flag=True, help="Do not write report.html.")
@click.option("--no-excel", is_flag=True, help="Do not write plan.xlsx.")
@click.option("--fix", multiple=True, metavar="POST=CANDIDATE",
              help="Pin a pair into the plan (added to the scenario's fixed pairs); repeatable.")
@click.option("--forbid", multiple=True, metavar="POST=CANDIDATE",
              help="Keep a pair out of the plan (added to the forbidden pairs); repeatable.")
@click.option("--stay-close-to", type=click.Path(dir_okay=False), metavar="PLAN.csv",
              help="Re-plan with few changes: each post whose holder differs from this earlier "
                   "plan costs --change-weight (it also warm-starts the search).")
@click.option("--change-weight", type=click.IntRange(min=1, max=MAX_WEIGHT),
              default=DEFAULT_CHANGE_WEIGHT,
              show_default=True, help="Objective cost of each changed post with --stay-close-to.")
@click.option("--relax", is_flag=True,
              help="If infeasible: make the conflicting hard rules soft, solve again, report what "
                   "the best plan then breaks (written to OUT/relaxed/).")
@click.option("--myopic", is_flag=True,
              help="Plan one period at a time, each optimal for itself given the one before "
                   "(a horizon's look-ahead measured against it; docs/horizon.md).")
@click.option("--relax-weight", type=click.IntRange(min=1, max=MAX_WEIGHT), default=RELAX_WEIGHT,
              show_default=True,
              help="Cost per unit of violation of a relaxed rule without a weight of its own.")
@click.option("--memory-limit", type=FiniteFloat(min=0, min_open=True), metavar="GIB",
              help="Refuse (exit 5) when the estimated peak memory passes this many GiB "
                   "[default: the physical memory, or the cgroup's limit if lower].")
def solve_cmd(scenario: str, policy: str | None, outdir: str | None, time_limit: float,
              workers: int, seed: int, deterministic: bool, log: bool, exact: bool | None,
              gap: float, quiet: bool, no_report: bool, no_excel: bool, fix: tuple[str, ...] = (),
              forbid: tuple[str, ...] = (), stay_close_to: str | None = None,
              change_weight: int = DEFAULT_CHANGE_WEIGHT, relax: bool = False,
              myopic: bool = False, relax_weight: int = RELAX_WEIGHT,
              memory_limit: float | None = None) -> None:
    """Solve SCENARIO and write plan.csv, summary.json, report.html and plan.xlsx.

    While it works, a status line on standard error shows the phase, the elapsed time, the best
    plan's objective, the bound and the gap (plain lines when standard error is not a terminal).
    Ctrl-C (or SIGTERM) stops the search and writes the best plan found so far, marked as
    interrupted. The run folder's files are replaced as one set: a kill at any instant leaves
    the earlier set or this run's.
    """
    display = ProgressDisplay(quiet=quiet, mode="plain" if log and not quiet else None)
    limits = dict(time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic)
    main_thread = threading.current_thread() is threading.main_thread()
    try:
        if main_thread:
            signal.signal(signal.SIGTERM, _terminate)
        with display:
            run = _run(display, scenario, policy, outdir,
                       what_if=dict(fix=fix, forbid=forbid, stay_close_to=stay_close_to,
                                    change_weight=change_weight),
                       search=dict(limits, log=log, exact=exact, gap=gap),
                       soften=dict(limits, weight=relax_weight) if relax else None,
                       html=not no_report, excel=not no_excel, myopic=myopic,
                       memory_limit=memory_limit)
    except MemoryRefused as exc:
        display.close()
        click.echo(f"error: {exc}", err=True)
        sys.exit(5)
    except VerificationError as exc:
        display.close()
        click.echo(f"internal error: {exc}", err=True)
        sys.exit(4)
    except KeyboardInterrupt:
        display.close()
        click.echo(f"interrupted during {display.phase}: " + _settled(outdir, scenario)
                   if display.phase == "writing" else
                   f"interrupted during {display.phase}: nothing written", err=True)
        sys.exit(130)
    with _closing():
        if isinstance(run, InputError):
            fail_input(run)
        _tell(display, run, quiet)
        # stopped before any plan: interrupted (130), not "no plan within the time limit" (3)
        sys.exit(130 if run.result.interrupted and not run.result.has_plan
                 else EXIT[run.result.status])


@contextmanager
def _stops_handled(handler: Any) -> Iterator[None]:
    """Ctrl-C and SIGTERM go to `handler` inside the block (in the main thread only: signal
    handlers cannot be set elsewhere), and back to their own handlers after it."""
    stops = (signal.SIGINT, signal.SIGTERM) \
        if threading.current_thread() is threading.main_thread() else ()
    before = [signal.getsignal(s) for s in stops]
    for s in stops:
        signal.signal(s, handler)
    try:
        yield
    finally:
        for s, old in zip(stops, before):
            signal.signal(s, old)


def _closing() -> contextlib.AbstractContextManager[None]:
    """Ctrl-C and SIGTERM are ignored while the closing lines print: the run's files are in
    place, and a stop would only cut the lines short (and exit 1 through click's "Aborted!",
    which here means "proven infeasible")."""
    return _stops_handled(signal.SIG_IGN)


@contextmanager
def _held() -> Iterator[None]:
    """Ctrl-C and SIGTERM while the run's files are written are held until the set is in
    place, then taken (KeyboardInterrupt: "interrupted during writing", exit 130). Taken at
    once, a stop that lands inside a C extension comes out as that library's own error and a
    traceback (pydantic's serializer turns it into a PydanticSerializationError); and the set
    is replaced as a unit either way (planner/io/atomic.py)."""
    asked: list[int] = []
    with _stops_handled(lambda signum, frame: asked.append(signum)):
        yield
    if asked:
        raise KeyboardInterrupt


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM outside the search: stop as Ctrl-C does (the search installs its own handler
    for both, which keeps the best plan)."""
    raise KeyboardInterrupt


def writable_folder(out: Path) -> InputError | None:
    """Make the output folder now, before solving, so that one that cannot be made (under a
    regular file, in /proc, a name too long, no permission) is found in a second, not after
    the solve: the problem as an InputError (exit 2), else None."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError("not writable")
        probe = out / f".planner-probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return InputError([Problem(str(out), f"--out: cannot write the output folder: {reason}")])
    return None


def _settled(outdir: str | None, scenario: str) -> str:
    """After an interrupt while writing: finish (or undo) the set's move into place."""
    out = Path(outdir) if outdir else None
    if out is None or not out.is_dir():
        return "nothing written"
    settle_set(out)
    return f"{out} holds one complete set (the earlier run's or this one's)"


@dataclass(frozen=True)
class _Run:
    """What `planner solve` did, for the lines it prints."""

    result: Result
    out: Path
    written: Written
    notes: list[str]
    softened: Softened | None
    preferences: Preferences | None = None
    """The choice counts and envious pairs, when some officer has preferences."""


def _run(display: ProgressDisplay, scenario: str, policy: str | None, outdir: str | None, *,
         what_if: dict[str, Any], search: dict[str, Any], soften: dict[str, Any] | None,
         html: bool, excel: bool, myopic: bool = False,
         memory_limit: float | None = None) -> _Run | InputError:
    """Load, apply the what-if options, refuse what would not fit in memory (before the out
    folder is made), solve, soften when asked and infeasible, write."""
    display.set_phase("loading")
    try:
        scn = load_scenario(scenario, policy=policy) if policy else load_scenario(scenario)
        what = prepare_whatif(scenario, policy, scn, **what_if)
    except InputError as exc:
        return exc
    prepared = None if myopic else Prepared(what.scenario)  # indexed once: estimate and solve
    check_fits(what.scenario, what.policy, memory_limit,
               inst=None if prepared is None else prepared.instance())
    out = Path(outdir) if outdir else default_outdir(what.scenario.name)
    unusable = writable_folder(out)
    if unusable is not None:
        return unusable
    if prepared is None:
        result = solve_myopic(what.scenario, what.policy, progress=display, **search)
    else:
        result = solve(what.scenario, what.policy, progress=display, hint=what.hint,
                       prepared=prepared, **search)
    softened = None
    if soften is not None and result.status is Status.infeasible:
        display.set_phase("relaxing")
        softened = solve_softened(what.scenario, what.policy, result.diagnosis, **soften)
        softened = write_softened(out, softened, what.scenario, what.inputs)
    display.set_phase("writing")
    with _held():
        written = write_run(out, result, what.scenario, what.policy,
                            RunRecord(what.inputs, softened), html=html, excel=excel,
                            tell=lambda note: click.echo(f"note: {note}", err=True))
    return _Run(result, out, written, what.notes + written.notes, softened,
                preferences(result, what.scenario))


def _tell(display: ProgressDisplay, run: _Run, quiet: bool) -> None:
    """The closing lines: the progress line's last, notes, what was found and written."""
    result, out = run.result, run.out
    display.done("interrupted" if result.interrupted else None)
    for note in run.notes:
        click.echo(f"note: {note}", err=True)
    if result.interrupted:
        click.echo("interrupted: best plan so far" + (
            f" (status {result.status.value}, gap {result.gap:.2%}) written to {out}"
            if result.has_plan and result.gap is not None else
            f" written to {out}" if result.has_plan else ": none found before the stop"), err=True)
    if not quiet or result.status is Status.infeasible:
        click.echo(_describe(result, out, run.written.files, run.preferences))
    if run.softened is not None:
        click.echo("\n".join(run.softened.lines()))


def _gap_words(result: Result) -> str:
    """Why a plan short of proven optimal was accepted: it met the `--gap` limit."""
    limit, gap = result.stats.gap_limit, result.gap
    if result.status is not Status.feasible or result.interrupted or not limit or gap is None \
            or gap > limit:
        return ""
    return f"  (within --gap {limit:.2%}; --gap 0 to prove optimality)"


def _times(stats: RunStats) -> str:
    """The build and search times; a search skipped because the stages before it used up the
    time limit has no time of its own, and the line says so. A run with an early plan
    (below the default gap, planner/solver/start.py) says when it came."""
    search = (f"solve {stats.solve_seconds}s" if stats.solve_seconds is not None else
              "no search: the time limit was used up before it" if stats.skipped_because == "time"
              else "no search")
    early = stats.early_plan
    first = "" if early is None else \
        f"; first plan at {early.at_seconds}s, " \
        f"{relative_gap(early.objective, early.bound):.2%} from the bound then"
    return f"time       build {stats.build_seconds}s, {search}{first}"


def _describe(result: Result, out: Path, files: list[str] | None = None,
              prefs: Preferences | None = None) -> str:
    lines = [f"status     {result.status.value}"
             + ("  (interrupted: the best plan found so far)" if result.interrupted else "")]
    if result.has_plan and result.check is not None:
        chk = result.check
        gap = f"{result.gap:.4%}" if result.gap is not None else "-"
        lines += [f"objective  {result.objective}   bound {result.bound}   gap {gap}"
                  + _gap_words(result),
                  f"posts      {chk.filled} filled, {chk.vacant} vacant; {chk.moved} moved",
                  *([prefs.line()] if prefs is not None else []),
                  _times(result.stats),
                  "rules:"]
        periods = getattr(chk, "periods", [])
        for rep in chk.rules:
            mark = "ok " if rep.holds else ("BROKEN" if rep.hard else f"-{rep.penalty}")
            lines.append(f"  {mark:<6} {rep.rule}" + _figure(rep.figures))
            lines += [] if periods else _group_lines(rep.figures)
        for year, part in periods:
            broken = sum(1 for r in part.rules if not r.holds)
            lines.append(f"period {year}  objective {part.objective}; {part.filled} filled, "
                         f"{part.vacant} vacant, {part.moved} moved"
                         + (f"; {broken} rule(s) short" if broken else ""))
            for rep in part.rules:
                lines += _group_lines(rep.figures, f"  {rep.rule} group ")
        names = files or ["plan.csv", "summary.json"]
        lines.append("written    " + ", ".join(str(out / n) for n in names))
    elif result.status is Status.infeasible:
        lines.append("no plan satisfies every hard rule.")
        lines += [f"  - {why}" for why in result.explanation] or \
                 ["  (no single cause found; try turning hard rules soft to see which give way)"]
    else:
        lines.append("no plan found within the time limit; try a longer --time-limit.")
    return "\n".join(lines)


MAX_GROUPS_SHOWN = 5
"""Groups at or over their share of changed posts named under their rule, then a count."""


def _group_lines(fig: dict[str, Any], lead: str = "         group ") -> list[str]:
    """`         group HG: 3 of 5 posts changed (at most 2)` for the first groups a rule names
    (`continuity`: those that reach or break their share); a horizon's periods name theirs
    under the period's line, since the horizon's summed verdict keeps no list."""
    groups = changed_groups(fig)
    lines = [lead + group_words(g) for g in groups[:MAX_GROUPS_SHOWN]]
    if len(groups) > MAX_GROUPS_SHOWN:
        lines.append(f"{lead}... and {len(groups) - MAX_GROUPS_SHOWN:,} more")
    return lines


def _figure(fig: dict[str, Any]) -> str:
    if "achieved_share" in fig and fig.get("required_share") is not None:
        got = fig["achieved_share"]
        got_txt = "-" if got is None else f"{got:.1%}"
        return f"  (achieved {got_txt}, required {fig['required_share']:.1%})"
    return ""
