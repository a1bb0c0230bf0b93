"""Excel rosters beside a scenario: `{xlsx: relative/path.xlsx, sheet: name}` wherever a table goes.

A sheet is read like a CSV table (:mod:`planner.io.csvio`): its first row holds the field names,
each following row is one record, list cells are `;`-separated, an empty cell means "not given",
and rows are numbered as Excel shows them, so messages point at the sheet's own row numbers:
``roster.xlsx[candidates] row 7: merit: expected an integer from 0 to 100, got '120'``.

Cells are turned into the text a CSV cell would hold (a number 1970 is "1970", a whole float
12.0 is "12", TRUE is "true", a date is its ISO text) and then validated exactly as CSV rows are.
Without `sheet`, the sheet named like the table (`candidates`, ...) is read, else the only sheet.
Workbooks are read without running anything in them (formulas give their saved values) and
within the same size limit as other input files, compressed and uncompressed. openpyxl is
imported when a workbook is opened, not with the loader: most scenarios are YAML and CSV, and
the import took 0.1 s of every command's start-up.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from pathlib import Path
from typing import Any

from planner.errors import Problems
from planner.io.csvio import check_header, record_reader
from planner.io.yamlio import MAX_FILE_BYTES, within_size
from planner.schema import Row

MAX_UNCOMPRESSED_BYTES = 4 * MAX_FILE_BYTES
"""A workbook whose parts inflate beyond this is refused (a zip bomb, or far too large)."""


def cell_text(value: Any) -> str:
    """The text a CSV cell would hold for this Excel value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value).strip()


def _open(path: Path, label: str, problems: Problems) -> Any:
    if not within_size(path, problems, label=label):
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            inflated = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError):
        problems.add(label, "not an Excel workbook (.xlsx): the file is not a zip archive; "
                            "save it from Excel or LibreOffice as .xlsx, or use {csv: ...}")
        return None
    if inflated > MAX_UNCOMPRESSED_BYTES:
        problems.add(label, f"workbook too large: its parts hold {inflated} bytes uncompressed, "
                            f"the limit is {MAX_UNCOMPRESSED_BYTES} bytes")
        return None
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        problems.add(label, f"not a readable Excel workbook (.xlsx): {exc}")
        return None


def read_sheet(path: Path, label: str, sheet: str | None, table: str, model: type[Row],
               problems: Problems) -> tuple[str, list[tuple[int, dict[str, Any], set[str]]]] | None:
    """(label of the sheet for messages, rows as (row number, cells, fields whose column is missing)).

    None after recording the problem when the sheet cannot be read at all.
    """
    wb = _open(path, label, problems)
    if wb is None:
        return None
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            if table in names:
                sheet = table
            elif len(names) == 1:
                sheet = names[0]
            else:
                problems.add(label, f"which sheet holds the {table}? expected a sheet named "
                                    f"{table!r} or `sheet: name` beside `xlsx:`; the workbook has "
                                    f"{', '.join(repr(n) for n in names)}", field="sheet")
                return None
        elif sheet not in names:
            problems.add(label, f"no sheet named {sheet!r}; expected one of: "
                                f"{', '.join(repr(n) for n in names)}", field="sheet")
            return None
        where = f"{label}[{sheet}]"
        return where, _rows(wb[sheet], where, model, problems)
    finally:
        wb.close()


def _rows(ws: Any, label: str, model: type[Row],
          problems: Problems) -> list[tuple[int, dict[str, Any], set[str]]]:
    it = ws.iter_rows(values_only=True)
    first = next(it, None)
    header = [cell_text(v) for v in (first or ())]
    while header and header[-1] == "":
        header.pop()
    if not header:
        problems.add(label, "empty sheet: expected a header row of field names in row 1", row=1)
        return []
    absent = check_header(header, label, model, problems)
    record = record_reader(header, model)
    rows = []
    for number, values in enumerate(it, start=2):
        cells = [cell_text(v) for v in values]
        if not any(cells):
            continue
        extra = [c for c in cells[len(header):] if c]
        if extra:
            problems.add(label, f"expected at most {len(header)} cells, one per header column, "
                                f"got a value beyond them", row=number)
        rows.append((number, record(cells), absent))
    return rows


def write_sheet(path: Path, tables: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    """Write sheets of rows (name -> (header, rows)) to a new workbook: for tests and examples."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in tables.items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append(row)
    wb.save(path)
