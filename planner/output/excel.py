"""`plan.xlsx`: the plan as a workbook for planners who work in Excel or LibreOffice.

Sheets, each with its header row frozen and an autofilter over its table:

* **Summary** — the headline figures (status, objective, bound, gap, filled, vacant, moved, ...)
  and the objective by term;
* **Rules** — every rule: hard or soft, holds, violation, penalty, required and achieved share;
* one sheet per level present (**Ministry**, **Province**, **District**, **Commune**, by the kind
  of the post's unit), a row per post in scenario order: first the columns of ``plan.csv`` with
  the same values (``moved``, ``local``, ``ministry_origin`` as true/false cells, empty for a
  vacant post), then the post's unit name, area, priority, the holder's serving unit, km, merit
  and gender;
* **Violations** — one row per breach of a rule that does not hold (soft rules that give way
  included) and per hard violation the checker found.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from planner.check.verdict import CheckReport
from planner.io.atomic import write_bytes_atomic
from planner.output.planrows import LEVELS, PlanRow, plan_rows
from planner.scenario import ELIGIBILITY_ONLY, Policy, Scenario
from planner.solve.result import Result

PLAN_COLUMNS = ["post_id", "candidate_id", "unit", "role", "candidate_name", "moved", "local",
                "ministry_origin"]
"""The columns of plan.csv, first in every level sheet."""
EXTRA_COLUMNS = ["unit_name", "level", "area", "area_name", "priority", "serves_at",
                 "serves_at_name", "km", "merit", "gender"]
LEVEL_SHEETS = {level: level.capitalize() for level in LEVELS}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read typed text as a formula (or a command, in DDE)."""
MAX_CELL_TEXT = 32767
"""The longest text a cell holds (Excel's limit); openpyxl cuts there too."""


def text_cell(ws: Any, text: str) -> WriteOnlyCell:
    """A cell that holds `text` as text, whatever it looks like.

    openpyxl makes any string starting with ``=`` a live formula and ``#N/A`` an error value:
    an officer named ``=HYPERLINK(...)`` would run in the planner's spreadsheet. The cell's type
    is set to string (stored inline, shown verbatim), and text that starts like a formula gets
    Excel's quote prefix, so that editing the cell keeps it text. Characters a workbook cannot
    hold (control characters other than tab, line feed and carriage return) become U+FFFD,
    rather than failing the whole export.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text[:MAX_CELL_TEXT])
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _col(n: int) -> str:
    """Excel column letters of the 1-based column n."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class _Sheet:
    """A write-only sheet with a bold frozen header, an autofilter and fitted column widths."""

    def __init__(self, wb: Workbook, title: str, header: list[str],
                 widths: dict[int, int] | None = None):
        self.ws = wb.create_sheet(title)
        self.header = header
        self.rows: list[list[Any]] = []
        self._font, self._fill = Font(bold=True), PatternFill("solid", fgColor="E5E7EB")
        self._align = Alignment(vertical="center")
        self.widths = widths or {}

    def add(self, row: list[Any]) -> None:
        self.rows.append(row)

    def close(self) -> None:
        ws = self.ws
        n_cols = len(self.header)
        for i, name in enumerate(self.header, start=1):
            sample = [len(str(r[i - 1])) for r in self.rows[:300] if r[i - 1] is not None]
            width = self.widths.get(i) or min(60, max([len(name) + 3, *(s + 2 for s in sample)]))
            ws.column_dimensions[_col(i)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{_col(n_cols)}{len(self.rows) + 1}"
        head = []
        for name in self.header:
            cell = text_cell(ws, name)
            cell.font, cell.fill, cell.alignment = self._font, self._fill, self._align
            head.append(cell)
        ws.append(head)
        for row in self.rows:
            ws.append([text_cell(ws, v) if isinstance(v, str) else v for v in row])


def workbook_bytes(result: Result, scenario: Scenario, policy: Policy | None,
                   rows: list[PlanRow] | None = None) -> bytes:
    """The workbook of a result that has a plan, as the bytes of an .xlsx file."""
    if not result.has_plan or result.check is None:
        raise ValueError("no plan to export: the workbook describes a plan")
    chk = result.check
    rows = rows if rows is not None else plan_rows(result.plan, scenario)
    wb = Workbook(write_only=True)
    _summary_sheet(wb, result, chk, scenario, policy)
    _rules_sheet(wb, chk)
    _level_sheets(wb, rows)
    _violations_sheet(wb, chk)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _summary_sheet(wb: Workbook, result: Result, chk: CheckReport, scenario: Scenario,
                   policy: Policy | None) -> None:
    summary = _Sheet(wb, "Summary", ["item", "value"], {1: 28, 2: 60})
    gap = result.gap
    facts: list[tuple[str, Any]] = [
        ("scenario", scenario.name),
        ("policy", policy.name if policy is not None else ELIGIBILITY_ONLY),
        ("status", result.status.value),
        ("interrupted", result.interrupted),
        ("objective", result.objective),
        ("bound", result.bound),
        ("gap", None if gap is None else round(gap, 6)),
        ("posts", len(scenario.posts)),
        ("candidates", len(scenario.candidates)),
        ("filled", chk.filled),
        ("vacant", chk.vacant),
        ("moved", chk.moved),
        ("verified", chk.valid),
        ("hard rules holding", f"{sum(r.holds for r in chk.rules if r.hard)} of "
                               f"{sum(1 for r in chk.rules if r.hard)}"),
        ("soft rules holding", f"{sum(r.holds for r in chk.rules if not r.hard)} of "
                               f"{sum(1 for r in chk.rules if not r.hard)}"),
        ("solve seconds", result.stats.solve_seconds),
        ("build seconds", result.stats.build_seconds),
    ]
    facts += [(f"objective term: {k}", v) for k, v in chk.terms.items()]
    for key, value in facts:
        summary.add([key, value])
    summary.close()


def _rules_sheet(wb: Workbook, chk: CheckReport) -> None:
    rules = _Sheet(wb, "Rules", ["rule", "kind", "weight", "holds", "violation", "penalty",
                                 "required_share", "achieved_share", "figures"], {1: 60, 9: 80})
    for rep in chk.rules:
        fig = rep.figures
        other = "; ".join(f"{k}: {v}" for k, v in fig.items()
                          if k not in ("required_share", "achieved_share") and not isinstance(v, list))
        rules.add([rep.rule, "hard" if rep.hard else "soft", None if rep.hard else rep.weight,
                   rep.holds, rep.violation, rep.penalty, fig.get("required_share"),
                   fig.get("achieved_share"), other])
    rules.close()


def _level_sheets(wb: Workbook, rows: list[PlanRow]) -> None:
    header = PLAN_COLUMNS + EXTRA_COLUMNS
    for level in LEVELS:
        mine = [r for r in rows if r.level == level]
        if not mine:
            continue
        sheet = _Sheet(wb, LEVEL_SHEETS[level], header)
        for r in mine:
            sheet.add([getattr(r, name) for name in header])
        sheet.close()


def _violations_sheet(wb: Workbook, chk: CheckReport) -> None:
    viol = _Sheet(wb, "Violations", ["rule", "kind", "holds", "violation", "penalty", "breach"],
                  {1: 60, 6: 100})
    count = 0
    for v in chk.violations:
        if v.startswith("hard rule "):
            continue  # listed below with its rule
        viol.add(["(plan check)", "hard", False, None, None, v])
        count += 1
    for rep in chk.rules:
        if rep.holds:
            continue
        kind = "hard" if rep.hard else "soft"
        for b in rep.breaches or [f"violation {rep.violation}"]:
            viol.add([rep.rule, kind, False, rep.violation, rep.penalty, b])
            count += 1
    if not count:
        viol.add(["(none)", None, True, 0, 0, "every rule holds"])
    viol.close()


def write_xlsx(path: Path, result: Result, scenario: Scenario, policy: Policy | None,
               rows: list[PlanRow] | None = None) -> None:
    """Write plan.xlsx to `path` whole or not at all."""
    write_bytes_atomic(Path(path), workbook_bytes(result, scenario, policy, rows))
