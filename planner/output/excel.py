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
  included) and per hard violation the checker found;
* **Preferences** (only when some officer has `preferences`) — the officers placed at their
  first, second and third choice and the number of envious pairs (a row each), then the first
  50 envious pairs (docs/reports.md, "Preferences and envy").

A horizon of several periods (docs/reports.md, "Horizons") has instead of the level sheets one
plan sheet per period, named by its year, whose first nine columns are plan.csv's (``period``
first) with the same values; a **Periods** sheet (the figures of each period); the **Rules**
sheet with a leading ``period`` column (each period's verdicts, then the horizon's, ``all``);
and a **Paths** sheet: per officer who holds a post in some period, the post held in each.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from planner.check.verdict import CheckReport, HorizonReport, RuleVerdict
from planner.io.atomic import write_bytes_atomic
from planner.output.careers import CHOICES, PeriodPreferences, Preferences, preferences
from planner.output.planrows import (
    LEVELS,
    PeriodRows,
    PlanRow,
    officer_paths,
    period_rows,
    plan_rows,
)
from planner.scenario import ELIGIBILITY_ONLY, Policy, Scenario
from planner.solver.result import Result

PLAN_COLUMNS = ["post_id", "candidate_id", "unit", "role", "candidate_name", "moved", "local",
                "ministry_origin"]
"""The columns of plan.csv, first in every level sheet."""
EXTRA_COLUMNS = ["unit_name", "level", "area", "area_name", "priority", "serves_at",
                 "serves_at_name", "km", "merit", "gender"]
LEVEL_SHEETS = {level: level.capitalize() for level in LEVELS}
PREFERENCE_COLUMNS = ["period", "item", "count", "officer", "officer_merit", "post", "rank",
                      "own_rank", "holder", "holder_merit"]
"""The Preferences sheet: count rows (`item` first choice, ..., envious pairs) and envy rows
(`item` envy: officer, post, ranks and holder)."""
RULE_COLUMNS = ["rule", "kind", "weight", "holds", "violation", "penalty", "required_share",
                "achieved_share", "figures"]
NOT_AVAILABLE = "(not available)"
"""A Paths cell for a period the officer has not joined yet or has left; empty: no post."""

WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False,
                    "strings_to_numbers": False, "strings_to_urls": False}
"""xlsxwriter streams each sheet's rows to disk as they come (constant_memory: rows in order,
strings inline) and never guesses a type from a string's look; cells are written with the
typed calls (`write_string`, `write_number`, `write_boolean`) anyway."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read typed text as a formula (or a command, in DDE)."""
MAX_CELL_TEXT = 32767
"""The longest text a cell holds (Excel's limit). Text is cut here before it is written:
xlsxwriter cuts a plain string too, but drops a too-long rich string (see :func:`write_text`)."""
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters an .xlsx cell cannot hold: all but tab, line feed and carriage return."""
RUN_ENDS = re.compile(r"(?<=_)(?!$)")
"""After each underscore but the last character: where :func:`write_text` splits rich runs."""
HEADER_FORMAT = {"bold": True, "pattern": 1, "bg_color": "#E5E7EB", "valign": "vcenter"}


def cell_text(text: str) -> str:
    """`text` as a cell can hold it: cut at Excel's limit, and the characters a workbook cannot
    hold replaced by U+FFFD, rather than failing the whole export."""
    return ILLEGAL_CHARACTERS.sub("\ufffd", text[:MAX_CELL_TEXT])


def write_text(ws: Worksheet, row: int, col: int, text: str, quoted: Format) -> None:
    """Write `text` as text, whatever it looks like.

    An officer named ``=HYPERLINK(...)`` must not run in the planner's spreadsheet, nor
    ``#N/A`` become an error value: the cell is a string cell, and text that starts like a
    formula gets the `quoted` format (Excel's quote prefix), so that editing the cell keeps it
    text. xlsxwriter's constant_memory mode would copy a string that starts with ``<r>`` and
    ends with ``</r>`` into the sheet's XML unescaped (it takes it for its own rich-text
    markup); such text goes through `write_rich_string` as plain runs instead, which are
    escaped and show the same characters. The runs end at each underscore: that path escapes
    a literal ``_xHHHH_`` twice (Excel would decode it once), and no run then holds one.
    """
    text = cell_text(text)
    if text.startswith("<r>") and text.endswith("</r>"):
        ws.write_rich_string(row, col, text[0], text[1], *RUN_ENDS.split(text[2:]))
    else:
        ws.write_string(row, col, text, quoted if text.startswith(FORMULA_STARTS) else None)


def write_value(ws: Worksheet, row: int, col: int, value: Any, quoted: Format) -> None:
    """Write one value with the call of its type: booleans as true/false cells, numbers as
    numbers, strings as text (:func:`write_text`); None leaves the cell empty."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value)
    elif isinstance(value, str):
        write_text(ws, row, col, value, quoted)
    else:
        raise TypeError(f"no cell type for {type(value).__name__}: {value!r}")


class _Sheet:
    """A sheet with a bold frozen header, an autofilter and fitted column widths.

    The rows are kept until :meth:`close`, which fits the widths to the first 300 of them and
    then writes the header and the rows in order (as constant_memory mode requires)."""

    def __init__(self, wb: Workbook, title: str, header: list[str],
                 widths: dict[int, int] | None = None):
        self.ws = wb.add_worksheet(title)
        self.header = header
        self.rows: list[list[Any]] = []
        self._head = wb.add_format(HEADER_FORMAT)
        self._quoted = wb.add_format({"quote_prefix": True})
        self.widths = widths or {}

    def add(self, row: list[Any]) -> None:
        self.rows.append(row)

    def close(self) -> None:
        ws = self.ws
        for i, name in enumerate(self.header):
            sample = [len(str(r[i])) for r in self.rows[:300] if r[i] is not None]
            width = self.widths.get(i + 1) or min(60, max([len(name) + 3, *(s + 2 for s in sample)]))
            ws.set_column(i, i, width)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(self.rows), len(self.header) - 1)
        for col, name in enumerate(self.header):
            ws.write_string(0, col, name, self._head)
        plain, quoted = ws.write_string, self._quoted
        for r, row in enumerate(self.rows, start=1):
            for col, value in enumerate(row):
                if type(value) is str and _plain(value):
                    plain(r, col, value)  # the national plan's 130,000 text cells: most are
                else:                     # plain, and a regex per cell was a tenth of the sheet
                    write_value(ws, r, col, value, quoted)


def _plain(text: str) -> bool:
    """Whether `text` goes into a cell as it is (:func:`write_text` would change nothing and
    add no quote prefix): short, no control character, nothing read as a formula or markup."""
    return (len(text) <= MAX_CELL_TEXT and text.isprintable()
            and not text.startswith(FORMULA_STARTS) and not text.startswith("<r>"))


def workbook_bytes(result: Result, scenario: Scenario, policy: Policy | None,
                   rows: list[PlanRow] | None = None) -> bytes:
    """The workbook of a result that has a plan, as the bytes of an .xlsx file. `rows` (as
    :func:`plan_rows` gives them) serve a one-period run; a horizon derives each period's."""
    if not result.has_plan or result.check is None:
        raise ValueError("no plan to export: the workbook describes a plan")
    buf = io.BytesIO()
    with Workbook(buf, WORKBOOK_OPTIONS) as wb:  # closed on a failure too: no open temp files
        _sheets(wb, result, result.check, scenario, policy, rows)
    return buf.getvalue()


def _sheets(wb: Workbook, result: Result, chk: CheckReport, scenario: Scenario,
            policy: Policy | None, rows: list[PlanRow] | None) -> None:
    """Every sheet of the workbook, in order (see the module's docstring)."""
    _summary_sheet(wb, result, chk, scenario, policy)
    if isinstance(chk, HorizonReport) and len(scenario.years) > 1:
        periods = period_rows(result, scenario)
        _periods_sheet(wb, chk, periods)
        _horizon_rules_sheet(wb, chk)
        _period_sheets(wb, periods)
        _paths_sheet(wb, periods, scenario)
    else:
        _rules_sheet(wb, chk)
        _level_sheets(wb, rows if rows is not None else plan_rows(result.plan, scenario))
    _violations_sheet(wb, chk)
    prefs = preferences(result, scenario)
    if prefs is not None:
        _preferences_sheet(wb, prefs, scenario)


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
        *([] if result.stats.early_plan is None else
          [("first plan seconds (early plan)", result.stats.early_plan.at_seconds)]),
    ]
    if len(scenario.years) > 1:
        facts.insert(9, ("periods", ", ".join(str(y) for y in scenario.years)))
    facts += [(f"objective term: {k}", v) for k, v in chk.terms.items()]
    for key, value in facts:
        summary.add([key, value])
    summary.close()


def _rule_cells(rep: RuleVerdict) -> list[Any]:
    """A rule's row of the Rules sheet (the columns of :data:`RULE_COLUMNS`)."""
    fig = rep.figures
    other = "; ".join(f"{k}: {v}" for k, v in fig.items()
                      if k not in ("required_share", "achieved_share") and not isinstance(v, list))
    return [rep.rule, "hard" if rep.hard else "soft", None if rep.hard else rep.weight,
            rep.holds, rep.violation, rep.penalty, fig.get("required_share"),
            fig.get("achieved_share"), other]


def _rules_sheet(wb: Workbook, chk: CheckReport) -> None:
    rules = _Sheet(wb, "Rules", RULE_COLUMNS, {1: 60, 9: 80})
    for rep in chk.rules:
        rules.add(_rule_cells(rep))
    rules.close()


def _horizon_rules_sheet(wb: Workbook, chk: HorizonReport) -> None:
    """The Rules sheet of a horizon: each period's verdicts, then the horizon's (`all`: the
    violations and counts summed over the periods)."""
    rules = _Sheet(wb, "Rules", ["period", *RULE_COLUMNS], {2: 60, 10: 80})
    for year, rep in chk.periods:
        for verdict in rep.rules:
            rules.add([year, *_rule_cells(verdict)])
    for verdict in chk.rules:
        rules.add(["all", *_rule_cells(verdict)])
    rules.close()


def _periods_sheet(wb: Workbook, chk: HorizonReport, periods: list[PeriodRows]) -> None:
    """Per period: posts that exist, filled, vacant, moved, its part of the objective, the
    rules holding and the soft penalty; then the horizon's totals."""
    sheet = _Sheet(wb, "Periods", ["period", "posts", "filled", "vacant", "moved", "objective",
                                   "hard_rules_holding", "soft_rules_holding", "soft_penalty"])
    posts = {p.year: len(p.rows) for p in periods}
    for year, rep in [*chk.periods, ("all", chk)]:
        hard = [r for r in rep.rules if r.hard]
        soft = [r for r in rep.rules if not r.hard]
        sheet.add([year, posts.get(year, sum(posts.values())), rep.filled, rep.vacant, rep.moved,
                   rep.objective, f"{sum(r.holds for r in hard)} of {len(hard)}",
                   f"{sum(r.holds for r in soft)} of {len(soft)}", sum(r.penalty for r in soft)])
    sheet.close()


def _period_sheets(wb: Workbook, periods: list[PeriodRows]) -> None:
    """One plan sheet per period, named by its year: plan.csv's rows of that period (`period`
    first), then the columns that the level sheets add."""
    header = ["period", *PLAN_COLUMNS, *EXTRA_COLUMNS]
    for period in periods:
        sheet = _Sheet(wb, str(period.year), header)
        for r in period.rows:
            sheet.add([period.year, *(getattr(r, name) for name in header[1:])])
        sheet.close()


def _paths_sheet(wb: Workbook, periods: list[PeriodRows], scenario: Scenario) -> None:
    """Officer x period -> the post held: one row per officer who holds a post in some period,
    in scenario order; an empty cell is no post, `(not available)` not joined or left."""
    sheet = _Sheet(wb, "Paths", ["candidate_id", "candidate_name",
                                 *(str(p.year) for p in periods), "moves"])
    for path in officer_paths(periods, scenario):
        cells = [None if r is None and here else NOT_AVAILABLE if r is None else r.post_id
                 for r, here in zip(path.held, path.available)]
        sheet.add([path.candidate_id, path.name, *cells, path.moves])
    sheet.close()


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


def _preferences_sheet(wb: Workbook, prefs: Preferences, scenario: Scenario) -> None:
    """The choice counts and the envious pairs: per period and `all` for a horizon."""
    sheet = _Sheet(wb, "Preferences", PREFERENCE_COLUMNS)
    counted: list[tuple[int | str, PeriodPreferences]] = [(p.year, p) for p in prefs.periods]
    if prefs.several:
        counted.append(("all", prefs.total))
    for year, part in counted:
        for rank, word in CHOICES:
            sheet.add([year, f"{word} choice", part.choices[rank], *[None] * 7])
        sheet.add([year, "envious pairs", len(part.envy), *[None] * 7])
    merit = {c.id: c.merit for c in scenario.candidates}
    for year, e in prefs.envy_rows():
        sheet.add([year, "envy", None, e.officer, merit[e.officer], e.post, e.rank, e.own_rank,
                   e.holder, None if e.holder is None else merit[e.holder]])
    sheet.close()


def write_xlsx(path: Path, result: Result, scenario: Scenario, policy: Policy | None,
               rows: list[PlanRow] | None = None) -> None:
    """Write plan.xlsx to `path` whole or not at all."""
    write_bytes_atomic(Path(path), workbook_bytes(result, scenario, policy, rows))
