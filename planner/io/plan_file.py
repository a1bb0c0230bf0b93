"""Reading `plan.csv`: the one reader of plan files, for `check`, `explain`, `diff` and what-if.

The file's first two columns are `post_id,candidate_id` (contract section 5); an empty
candidate is a vacant post, blank lines are skipped and any further columns are the reader's
convenience (`planner solve` writes unit, role, name, ...) and are ignored here. The writer is
:func:`planner.output.summary.plan_csv`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from planner.errors import InputError, Problem
from planner.io.yamlio import MAX_FILE_BYTES
from planner.scenario import Scenario

HEADER = ["post_id", "candidate_id"]


def plan_lines(path: str | Path) -> list[tuple[int, str, str | None]]:
    """(row number, post id, candidate id or None) of every non-blank row, as written.

    Raises :class:`InputError` when the file cannot be read as a plan at all (exit 2)."""
    path = Path(path)
    label = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError([Problem(label, "file is too large for a plan")])
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError([Problem(label, f"cannot read file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(label, f"expected UTF-8 text, found the byte "
                                         f"0x{exc.object[exc.start]:02x} (byte {exc.start})")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError([Problem(label, f"not valid CSV: {exc}", row=reader.line_num)]) from None
    head = [h.strip() for h in rows[0][:2]] if rows else []
    if head != HEADER:
        got = repr(",".join(rows[0])) if rows else "an empty file"
        raise InputError([Problem(label, "expected a header starting post_id,candidate_id, "
                                         f"got {got}", row=1, field="header")])
    return [(number, cells[0].strip(), (cells[1].strip() if len(cells) > 1 else "") or None)
            for number, cells in enumerate(rows[1:], start=2) if any(cell.strip() for cell in cells)]


def raw_plan(path: str | Path) -> dict[str, str | None]:
    """Post id -> candidate id as the file says, without a scenario to hold it to (for `diff`
    when neither run's inputs are known); a post listed twice keeps its last row."""
    return {pid: cid for _, pid, cid in plan_lines(path) if pid}


def read_plan(path: str | Path, scenario: Scenario) -> tuple[dict[str, str | None], list[str]]:
    """Read a plan.csv: (post -> candidate, plan-level problems that make it invalid).

    Raises :class:`InputError` when the file cannot be read as a plan at all (exit 2).
    """
    known = {p.id for p in scenario.posts}
    plan: dict[str, str | None] = {}
    problems = []
    for number, pid, cid in plan_lines(path):
        if pid not in known:
            problems.append(f"row {number}: unknown post {pid!r}")
            continue
        if pid in plan:
            problems.append(f"row {number}: post {pid} is listed twice")
            continue
        plan[pid] = cid
    for p in scenario.posts:
        if p.id not in plan:
            problems.append(f"post {p.id} is missing from the plan")
    return plan, problems
