"""CSV tables beside a scenario: one row per record, list cells `;`-separated, empty = not given.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from planner.errors import Problems
from planner.io.yamlio import read_text
from planner.schema import Row, list_fields


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


def record_of(header: list[str], cells: list[str], model: type[Row]) -> dict[str, Any]:
    """One row's cells as field values: empty cells left out, list cells split at `;`."""
    known, lists = model.model_fields, list_fields(model)
    record: dict[str, Any] = {}
    for col, cell in zip(header, cells):
        cell = cell.strip()
        if cell == "" or col not in known:
            continue
        record[col] = [x.strip() for x in cell.split(";") if x.strip()] if col in lists else cell
    return record


def read_table(path: Path, label: str, model: type[Row],
               problems: Problems) -> list[tuple[int, dict[str, Any], set[str]]] | None:
    """Rows of a CSV table as (row number, cells, fields whose column is missing)."""
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
    absent = check_header(header, label, model, problems)
    rows = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.add(label, f"expected at most {len(header)} cells, one per header "
                                    f"column, got {len(cells)}", row=number)
            rows.append((number, record_of(header, cells, model), absent))
    except csv.Error as exc:
        problems.add(label, f"not valid CSV: {exc}", row=reader.line_num)
        return None
    return rows
