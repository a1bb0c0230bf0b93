"""The run folder of `planner solve`: plan.csv, report.html, plan.xlsx and summary.json, one set
replaced as a unit (see :func:`planner.output.summary.write_outputs`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from planner.io.atomic import write_bytes_atomic
from planner.output.excel import workbook_bytes
from planner.output.forked import ChildFailed, Forked
from planner.output.html import write_html
from planner.output.planrows import PlanRow, plan_rows
from planner.output.summary import RunRecord, write_outputs
from planner.scenario import Policy, Scenario
from planner.solver.result import Result

@dataclass(frozen=True)
class Written:
    files: list[str]
    """The names written into the folder, in order."""
    notes: list[str]
    """What was replaced, kept or could not be written."""


def write_run(out: Path, result: Result, scenario: Scenario, policy: Policy | None,
              record: RunRecord | None = None, *, html: bool = True, excel: bool = True,
              tell: Callable[[str], None] | None = None) -> Written:
    """Replace the run folder `out`'s set by this run's: plan.csv (when there is a plan), the
    reports asked for, and summary.json with the sha256 of each, as one unit (a kill leaves the
    earlier set or this one). Notes on what is replaced go to `tell` before anything is.

    The workbook is built in a forked child from the start (planner/output/forked.py), while
    this process writes the summary, plan.csv and report.html."""
    rows = plan_rows(result.plan, scenario) if result.has_plan and (html or excel) else None
    workbook = Forked(lambda: workbook_bytes(result, scenario, policy, rows)) \
        if result.has_plan and excel else None

    def reports(staging: Path, notes: list[str]) -> list[str]:
        return write_reports(staging, result, scenario, policy, html=html, workbook=workbook,
                             rows=rows, notes=notes)

    try:
        files, notes = write_outputs(out, result, scenario, policy, record, reports=reports,
                                     tell=tell)
    finally:
        if workbook is not None:
            workbook.cancel()
    return Written(files, notes)


def write_reports(out: Path, result: Result, scenario: Scenario, policy: Policy | None, *,
                  html: bool, workbook: Forked | None, rows: list[PlanRow] | None,
                  notes: list[str]) -> list[str]:
    """Write report.html and plan.xlsx (the bytes `workbook` computes; none without one) into
    `out` (the staging folder of the set); the names written. A report that cannot be written
    is a note, not a failure: the plan still is."""
    done: list[str] = []
    if not result.has_plan:
        return done
    if html:
        _report(done, notes, "report.html",
                lambda: write_html(out / "report.html", result, scenario, policy, rows))
    if workbook is not None:
        _report(done, notes, "plan.xlsx",
                lambda: write_bytes_atomic(out / "plan.xlsx", workbook.result()))
    return done


def _report(done: list[str], notes: list[str], name: str, write: Callable[[], None]) -> None:
    """`write()` the report `name`: its name into `done`, or what went wrong into `notes`."""
    try:
        write()
        done.append(name)
    except ChildFailed as exc:  # the child's own words: the exception's type and text
        notes.append(f"could not write {name}: {exc}")
    except Exception as exc:  # the plan is written: a report failure must not hide it
        notes.append(f"could not write {name}: {type(exc).__name__}: {exc}")
