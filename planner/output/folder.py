"""The run folder of `planner solve`: plan.csv, report.html, plan.xlsx and summary.json, one set
replaced as a unit (see :func:`planner.output.summary.write_outputs`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from planner.output.excel import write_xlsx
from planner.output.html import write_html
from planner.output.planrows import plan_rows
from planner.output.summary import RunRecord, write_outputs
from planner.scenario import Policy, Scenario
from planner.solver.result import Result

REPORTS = ("report.html", "plan.xlsx")


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
    earlier set or this one). Notes on what is replaced go to `tell` before anything is."""

    def reports(staging: Path, notes: list[str]) -> list[str]:
        return write_reports(staging, result, scenario, policy, html=html, excel=excel,
                             notes=notes)

    files, notes = write_outputs(out, result, scenario, policy, record, reports=reports,
                                 tell=tell)
    return Written(files, notes)


def write_reports(out: Path, result: Result, scenario: Scenario, policy: Policy | None, *,
                  html: bool = True, excel: bool = True, notes: list[str]) -> list[str]:
    """Write report.html and plan.xlsx into `out` (the staging folder of the set); the names
    written. A report that cannot be written is a note, not a failure: the plan still is."""
    if not result.has_plan or (not html and not excel):
        return []
    rows = plan_rows(result.plan, scenario)
    writers = {"report.html": write_html, "plan.xlsx": write_xlsx}
    done = []
    for name, wanted in zip(REPORTS, (html, excel)):
        if not wanted:
            continue
        try:
            writers[name](out / name, result, scenario, policy, rows)
            done.append(name)
        except Exception as exc:  # the plan is written: a report failure must not hide it
            notes.append(f"could not write {name}: {type(exc).__name__}: {exc}")
    return done
