"""Batch rows as tables: on the terminal (rich), as CSV and as Markdown.

Everything here works from stored rows alone (plain dicts, see :mod:`planner.research.runner`),
so ``--from RESULTS`` shows the same tables as the batch that solved them. A table is a list of
:class:`Column`: how to read a cell from a row and how to show it, so the terminal and the
Markdown file show the same columns with the same text.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.research.metrics import LEVELS

# -- formatting --------------------------------------------------------------------------------


def pct(x: Any, digits: int = 1) -> str:
    """A share as a percentage; ``-`` where it is unknown (no plan)."""
    return "-" if x is None else f"{x * 100:.{digits}f}%"


def num(x: Any) -> str:
    """A count as is, a float to one decimal; ``-`` where it is unknown."""
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.1f}"
    return str(x)


def signed(x: Any) -> str:
    """A change against the base with its sign, so that gains and losses read apart."""
    return "-" if x is None else f"{x:+d}"


def secs(x: Any) -> str:
    """Seconds to one decimal."""
    return "-" if x is None else f"{x:.1f}s"


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, how to read a cell from a row, how to show it."""

    header: str
    get: Callable[[dict[str, Any]], Any]
    show: Callable[[Any], str] = num
    right: bool = True


def field(name: str) -> Callable[[dict[str, Any]], Any]:
    """A reader of the row's value `name` (None where the row has none)."""
    return lambda row: row.get(name)


def _quota(row: dict[str, Any]) -> str:
    """Provinces meeting the ministry quota out of those it applies to."""
    if row.get("quota_met") is None or not row.get("quota_groups"):
        return "-"
    return f"{row['quota_met']}/{row['quota_groups']}"


def levels(rows: list[dict[str, Any]]) -> list[str]:
    """Unit kinds whose non-local share is known in some row (the others get no column)."""
    return [k for k in LEVELS if any(r.get(f"non_local_{k}") is not None for r in rows)]


def metric_columns(rows: list[dict[str, Any]]) -> list[Column]:
    """The columns every batch table shows after its own leading ones."""
    cols = [
        Column("status", field("status"), str, right=False),
        Column("objective", field("objective")),
        Column("gap", field("gap"), lambda x: pct(x, 2)),
        Column("vacant", field("vacant")),
        Column("moved", field("moved")),
        Column("km mean", field("km_mean")),
        Column("km max", field("km_max")),
    ]
    cols += [Column(f"non-local {k[:4]}.", field(f"non_local_{k}"), pct) for k in levels(rows)]
    cols += [
        Column("quota", lambda r: r, _quota),
        Column("women", field("female_share"), pct),
        Column("young", field("young_share"), pct),
        Column("soft viol.", field("soft_violations")),
        Column("time", field("wall_seconds"), secs),
    ]
    return cols


CSV_FIELDS = (
    "scenario_name", "label", "policy_name", "status", "objective", "bound", "gap", "posts",
    "filled", "vacant", "moved", "km_mean", "km_max", "km_total",
    *(f"non_local_{k}" for k in LEVELS), "quota_met", "quota_groups", "female_share",
    "young_share", "young_age", "merit_total", "merit_mean", "soft_violations", "soft_penalty",
    "solve_seconds", "build_seconds", "wall_seconds", "cpu_seconds", "seed", "workers",
    "time_limit", "gap_limit",
    "deterministic", "scenario_hash", "policy_hash", "planner_version", "code_hash",
    "ortools_version",
    "python_version", "scenario", "key", "plan_hash", "error",
)
"""Columns of every results CSV (then one ``soft:<rule>`` column per soft rule)."""


def soft_rules(rows: list[dict[str, Any]]) -> list[str]:
    """Titles of the soft rules met in the rows, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        for title in row.get("violations") or {}:
            seen.setdefault(title, None)
    return list(seen)


# -- CSV and Markdown --------------------------------------------------------------------------


def csv_text(rows: list[dict[str, Any]], lead: Sequence[tuple[str, Callable[[dict], Any]]] = ()
             ) -> str:
    """Every row with every field of :data:`CSV_FIELDS`, after `lead` columns, then soft rules."""
    soft = soft_rules(rows)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([name for name, _ in lead] + list(CSV_FIELDS) + [f"soft:{t}" for t in soft])
    for row in rows:
        viol = row.get("violations") or {}
        w.writerow([_cell(get(row)) for _, get in lead]
                   + [_cell(row.get(f)) for f in CSV_FIELDS]
                   + [_cell(viol.get(t)) for t in soft])
    return out.getvalue()


def _cell(x: Any) -> str:
    """A CSV cell: empty for unknown, booleans as true/false (as the scenario files write them)."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return str(x).lower()
    return str(x)


def markdown_table(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    """The table as Markdown, numbers right-aligned as on the terminal."""
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    lines = ["| " + " | ".join(esc(c.header) for c in columns) + " |",
             "|" + "|".join("---:" if c.right else ":---" for c in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(esc(c.show(c.get(row))) for c in columns) + " |")
    return "\n".join(lines)


def soft_markdown(rows: list[dict[str, Any]], lead: list[Column]) -> str:
    """A second Markdown table, the violations of each soft rule; empty without soft rules."""
    soft = soft_rules(rows)
    if not soft:
        return ""
    cols = lead + [Column(t, (lambda t: lambda r: (r.get("violations") or {}).get(t))(t))
                   for t in soft]
    return "\n\n## Soft violations by rule\n\n" + markdown_table(cols, rows)


# -- the terminal ------------------------------------------------------------------------------


def print_table(title: str, columns: list[Column], rows: list[dict[str, Any]],
                styles: Callable[[dict[str, Any]], str | None] | None = None) -> None:
    """A rich table on standard output (plain text when it is not a terminal)."""
    tty = sys.stdout.isatty()
    console = Console(width=None if tty else 200, highlight=False, soft_wrap=False)
    table = Table(title=Text(title), title_justify="left", show_lines=False)
    for col in columns:
        table.add_column(Text(col.header), justify="right" if col.right else "left", overflow="fold")
    for row in rows:
        style = styles(row) if styles else None
        table.add_row(*(Text(col.show(col.get(row))) for col in columns), style=style)
    console.print(table)


def status_style(row: dict[str, Any]) -> str | None:
    """Rows without a plan stand out: red when infeasible, yellow when out of time."""
    return {"infeasible": "red", "unknown": "yellow", "error": "bold red"}.get(row.get("status"))
