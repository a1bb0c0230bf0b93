"""CSV tables beside a scenario: one row per record, list cells `;`-separated, empty = not given.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Callable

from planner.errors import Problems
from planner.io.yamlio import read_text
from planner.schema import Cell, Row, list_fields


def check_header(header: list[str], label: str, model: type[Row], problems: Problems) -> set[str]:
    """Report unknown, repeated and missing columns of a table's header row (row 1).

    Returns the required fields whose column is missing: reported here once, not per row."""
    known = set(model.model_fields)
    for col in header:
        if col not in known:
            problems.add(label, f"unknown column; expected columns among: {', '.join(model.model_fields)}",
                         row=1, field=col or "(empty header)")
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.add(label, "column appears twice", row=1, field=col)
        seen.add(col)
    absent = {name for name, info in model.model_fields.items()
              if info.is_required() and name not in header}
    for name in sorted(absent):
        problems.add(label, f"required column is missing; expected a {name!r} column in the "
                            "header (reported once for all rows)", row=1, field=name)
    return absent


def record_reader(header: list[str], model: type[Row]) -> Callable[[list[str]], dict[str, Any]]:
    """A row's cells as field values (empty cells left out, list cells split at `;`), with the
    header's columns looked up once, not once per row and cell (that lookup was most of the
    1.2 s a national roster's 44,000 rows took to read)."""
    lists = list_fields(model)
    columns = [(i, col, col in lists) for i, col in enumerate(header) if col in model.model_fields]

    def record(cells: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        n = len(cells)
        for i, col, split in columns:
            if i < n:
                cell = cells[i].strip()
                if cell:
                    out[col] = [Cell(x) for x in map(str.strip, cell.split(";")) if x] \
                        if split else Cell(cell)
        return out

    return record


def cells_of(header: list[str], cells: list[str], lists: set[str]) -> dict[str, Any]:
    """Every non-empty cell of a row by its column, `lists` split at `;`: for rows whose
    schema is known only from a cell of the row itself (a rule's `rule` column), so that
    a column the row's schema lacks is reported by that schema."""
    record: dict[str, Any] = {}
    for col, cell in zip(header, cells):
        cell = cell.strip()
        if cell and col:
            record[col] = [Cell(x.strip()) for x in cell.split(";") if x.strip()] \
                if col in lists else Cell(cell)
    return record


def read_table(path: Path, label: str, model: type[Row],
               problems: Problems) -> list[tuple[int, dict[str, Any], set[str]]] | None:
    """Rows of a CSV table as (row number, cells, fields whose column is missing)."""
    absent: set[str] = set()
    got = read_csv(path, label, problems,
                   lambda header: absent.update(check_header(header, label, model, problems)))
    if got is None:
        return None
    header, rows = got
    record = record_reader(header, model)
    return [(number, record(cells), absent) for number, cells in rows]


def read_csv(path: Path, label: str, problems: Problems,
             on_header: Callable[[list[str]], Any] | None = None
             ) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """(header, non-empty rows as (row number, cells)) of a CSV file, or None after recording
    why it cannot be read. Used for tables of one schema and for a policy's rules, whose rows
    each take the parameters of their own rule type. `on_header` checks the header as soon as
    it is read, so its problems come first and stand even if a later row is not valid CSV."""
    text = read_text(path, problems, label=label, rows=True)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.add(label, f"not valid CSV: {exc}", row=1)
        return None
    if not header:
        problems.add(label, "empty file: expected a header row", row=1)
        return None
    header = [h.strip() for h in header]
    if on_header is not None:
        on_header(header)
    rows = []
    lines = io.StringIO(text, newline="").readlines()  # split where csv counts lines
    try:
        start = reader.line_num
        for number, cells in enumerate(reader, start=2):
            if reader.line_num == len(lines) and _unclosed("".join(lines[start:])):
                _report_unclosed(label, header, cells, number, problems)
                return None
            start = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.add(label, f"expected at most {len(header)} cells, one per header "
                                    f"column, got {len(cells)}", row=number)
            rows.append((number, cells))
    except csv.Error as exc:
        problems.add(label, f"not valid CSV: {exc}", row=reader.line_num)
        return None
    return header, rows


def _unclosed(raw: str) -> bool:
    """Does the raw text of the file's last record open a quote it never closes? A closed
    quoted cell holds an even number of `"` (doubled quotes inside it included)."""
    return raw.count('"') % 2 == 1


def _report_unclosed(label: str, header: list[str], cells: list[str], number: int,
                     problems: Problems) -> None:
    """One problem for an unterminated quote, at the row where it opens, instead of the
    dozens of misleading ones the rest of the file would give read as one cell."""
    at = next((i for i, cell in enumerate(cells) if "\n" in cell or "\r" in cell), len(cells) - 1)
    column = header[at] if 0 <= at < len(header) else None
    problems.add(label, "unterminated quote: the '\"' that opens this cell is never closed, "
                        "so the rest of the file would be read as one cell; expected a "
                        "closing '\"' (write a quote inside a quoted cell as '\"\"')",
                 row=number, field=column)
