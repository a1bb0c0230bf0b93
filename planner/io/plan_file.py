"""Reading `plan.csv`: the one reader of plan files, for `check`, `explain`, `diff` and what-if.

The file's first two columns are `post_id,candidate_id` (contract section 5); an empty
candidate is a vacant post, blank lines are skipped and any further columns are the reader's
convenience (`planner solve` writes unit, role, name, ...) and are ignored here. The writer is
:func:`planner.output.summary.plan_csv`. A horizon of several periods has a `period` column
first (horizon contract, section 5), read by :func:`read_horizon_plan`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from planner.errors import InputError, Problem
from planner.io.yamlio import MAX_FILE_BYTES
from planner.scenario import Scenario
from planner.schema import Post

HEADER = ["post_id", "candidate_id"]
HORIZON_HEADER = ["period", "post_id", "candidate_id"]
"""The header of a horizon plan of several periods (horizon contract, section 5)."""
_YEAR = re.compile(r"^[0-9]{1,6}$")
"""A period as the file gives it: a year, digits only."""


def plan_lines(path: str | Path) -> list[tuple[int, str, str | None]]:
    """(row number, post id, candidate id or None) of every non-blank row, as written.

    Raises :class:`InputError` when the file cannot be read as a plan at all (exit 2), a plan
    over several periods (`period,post_id,candidate_id`) included."""
    return [(number, cells[0].strip(), (cells[1].strip() if len(cells) > 1 else "") or None)
            for number, cells in _rows(path, HEADER)]


def _rows(path: str | Path, header: list[str]) -> list[tuple[int, list[str]]]:
    """(row number, cells) of every non-blank row under a header starting with `header`.

    Raises :class:`InputError` when the file cannot be read as such a plan (exit 2)."""
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
    head = [h.strip() for h in rows[0][:len(header)]] if rows else []
    if head != header:
        raise InputError([Problem(label, _header_words(header, rows[0] if rows else None),
                                  row=1, field="header")])
    return [(number, cells) for number, cells in enumerate(rows[1:], start=2)
            if any(cell.strip() for cell in cells)]


def _header_words(header: list[str], got: list[str] | None) -> str:
    """Why the header is wrong; a plan of the other shape (one period / several) says so."""
    words = (f"expected a header starting {','.join(header)}, "
             f"got {repr(','.join(got)) if got is not None else 'an empty file'}")
    cells = [c.strip() for c in got or []]
    if header == HEADER and cells[:3] == HORIZON_HEADER:
        return words + ": a plan over several periods, but the scenario has one period"
    if header == HORIZON_HEADER and cells[:2] == HEADER:
        return words + ": a plan of one period, but the scenario has several periods"
    return words


def raw_plan(path: str | Path) -> dict[str, str | None]:
    """Post id -> candidate id as the file says, without a scenario to hold it to (for `diff`
    when neither run's inputs are known); a post listed twice keeps its last row."""
    return {pid: cid for _, pid, cid in plan_lines(path) if pid}


def read_plan(path: str | Path, scenario: Scenario) -> tuple[dict[str, str | None], list[str]]:
    """Read a plan.csv: (post -> candidate, plan-level problems that make it invalid).

    The plan holds the posts that exist in the scenario's period (horizon contract,
    clarification 6.1): a row for a post closed or not yet open is a problem, and so is a
    missing row only for a post that exists. Raises :class:`InputError` when the file cannot be
    read as a plan at all (exit 2).
    """
    posts = {p.id: p for p in scenario.posts}
    plan: dict[str, str | None] = {}
    problems: list[str] = []
    for number, pid, cid in plan_lines(path):
        _take(posts, scenario.term_start, plan, problems, (number, pid, cid), "")
    problems += [f"post {p.id} is missing from the plan" for p in scenario.posts
                 if p.exists_in(scenario.term_start) and p.id not in plan]
    return plan, problems


def read_horizon_plan(path: str | Path, scenario: Scenario
                      ) -> tuple[dict[int, dict[str, str | None]], list[str]]:
    """Read the plan.csv of a horizon (`period,post_id,candidate_id`, the period a year of
    `periods`): (year -> post -> candidate for every period, problems that make it invalid).

    A row whose period is not an integer or not one of `periods`, whose post is unknown or does
    not exist in its period, or that repeats a (period, post) is a problem naming the row, and
    so is a (period, post) without a row. Raises :class:`InputError` when the file cannot be
    read as a horizon plan at all, a one-period plan included (exit 2)."""
    posts = {p.id: p for p in scenario.posts}
    plans: dict[int, dict[str, str | None]] = {year: {} for year in scenario.years}
    problems: list[str] = []
    for number, cells in _rows(path, HORIZON_HEADER):
        text, pid = cells[0].strip(), cells[1].strip() if len(cells) > 1 else ""
        cid = (cells[2].strip() if len(cells) > 2 else "") or None
        if not _YEAR.match(text):
            problems.append(f"row {number}: period {text!r} is not a year")
        elif int(text) not in plans:
            problems.append(f"row {number}: period {int(text)} is not one of the periods "
                            f"({', '.join(str(y) for y in scenario.years)})")
        else:
            year = int(text)
            _take(posts, year, plans[year], problems, (number, pid, cid), f" for period {year}")
    for year, plan in plans.items():
        problems += [f"period {year}: post {p.id} is missing from the plan" for p in scenario.posts
                     if p.exists_in(year) and p.id not in plan]
    return plans, problems


def _take(posts: dict[str, Post], year: int, plan: dict[str, str | None], problems: list[str],
          row: tuple[int, str, str | None], repeat: str) -> None:
    """Add one row (number, post, candidate) to the plan of the period `year`, or the problem
    that keeps it out; `repeat` ends the words for a post listed twice."""
    number, pid, cid = row
    post = posts.get(pid)
    if post is None:
        problems.append(f"row {number}: unknown post {pid!r}")
    elif not post.exists_in(year):
        life = ", ".join(w for w in (f"opens {post.opens}" if post.opens is not None else "",
                                     f"closes {post.closes}" if post.closes is not None else "") if w)
        problems.append(f"row {number}: post {pid} does not exist in {year} ({life})")
    elif pid in plan:
        problems.append(f"row {number}: post {pid} is listed twice{repeat}")
    else:
        plan[pid] = cid
