"""The run folder of `planner solve`: plan.csv and summary.json, then report.html and plan.xlsx
beside the plan, each whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.output.excel import write_xlsx
from planner.output.html import write_html
from planner.output.planrows import plan_rows
from planner.output.summary import RunRecord, write_outputs
from planner.scenario import Policy, Scenario
from planner.solve.result import Result

REPORTS = ("report.html", "plan.xlsx")


@dataclass(frozen=True)
class Written:
    files: list[str]
    """The names written into the folder, in order."""
    notes: list[str]
    """What was replaced, kept or could not be written."""


def write_run(out: Path, result: Result, scenario: Scenario, policy: Policy | None,
              record: RunRecord | None = None, *, html: bool = True,
              excel: bool = True) -> Written:
    """Write the run folder `out`: plan.csv (when there is a plan), summary.json, and the
    reports asked for."""
    notes = write_outputs(out, result, scenario, policy, record)
    files = ["plan.csv", "summary.json"] if result.has_plan else ["summary.json"]
    files += write_reports(out, result, scenario, policy, html=html, excel=excel, notes=notes)
    return Written(files, notes)


def write_reports(out: Path, result: Result, scenario: Scenario, policy: Policy | None, *,
                  html: bool = True, excel: bool = True, notes: list[str]) -> list[str]:
    """Write report.html and plan.xlsx beside the plan (when there is one); the names written.

    A report that cannot be written is a note, not a failure: plan.csv is already in place.
    """
    if not result.has_plan:
        kept = [n for n in REPORTS if (out / n).exists()]
        if kept:
            notes.append(f"no plan found: the earlier {' and '.join(kept)} in {out} are left as "
                         "they were")
        return []
    if not html and not excel:
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
            notes.append(f"could not write {out / name}: {type(exc).__name__}: {exc}")
    return done
