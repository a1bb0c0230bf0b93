"""Showing batch results: terminal tables (rich), CSV, Markdown and PNG charts (matplotlib).

Everything here works from stored rows alone (plain dicts, see :mod:`planner.research.runner`),
so ``--from RESULTS`` renders the same tables and charts as the batch that solved them.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.research.metrics import LEVELS, METRICS, pareto_front
from planner.research.variants import numeric

PLAN = ("optimal", "feasible")

# -- formatting --------------------------------------------------------------------------------


def _pct(x: Any, digits: int = 1) -> str:
    return "-" if x is None else f"{x * 100:.{digits}f}%"


def _num(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.1f}"
    return str(x)


def _signed(x: Any) -> str:
    return "-" if x is None else f"{x:+d}"


def _secs(x: Any) -> str:
    return "-" if x is None else f"{x:.1f}s"


@dataclass(frozen=True)
class Column:
    header: str
    get: Callable[[dict[str, Any]], Any]
    show: Callable[[Any], str] = _num
    right: bool = True


def _field(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name)


def _quota(row: dict[str, Any]) -> str:
    if row.get("quota_met") is None or not row.get("quota_groups"):
        return "-"
    return f"{row['quota_met']}/{row['quota_groups']}"


def _levels(rows: list[dict[str, Any]]) -> list[str]:
    """Unit kinds whose non-local share is known in some row."""
    return [k for k in LEVELS if any(r.get(f"non_local_{k}") is not None for r in rows)]


def metric_columns(rows: list[dict[str, Any]]) -> list[Column]:
    """The columns every batch table shows after its own leading ones."""
    cols = [
        Column("status", _field("status"), str, right=False),
        Column("objective", _field("objective")),
        Column("gap", _field("gap"), lambda x: _pct(x, 2)),
        Column("vacant", _field("vacant")),
        Column("moved", _field("moved")),
        Column("km mean", _field("km_mean")),
        Column("km max", _field("km_max")),
    ]
    cols += [Column(f"non-local {k[:4]}.", _field(f"non_local_{k}"), _pct) for k in _levels(rows)]
    cols += [
        Column("quota", lambda r: r, _quota),
        Column("women", _field("female_share"), _pct),
        Column("young", _field("young_share"), _pct),
        Column("soft viol.", _field("soft_violations")),
        Column("time", _field("wall_seconds"), _secs),
    ]
    return cols


CSV_FIELDS = (
    "scenario_name", "label", "policy_name", "status", "objective", "bound", "gap", "posts",
    "filled", "vacant", "moved", "km_mean", "km_max", "km_total",
    *(f"non_local_{k}" for k in LEVELS), "quota_met", "quota_groups", "female_share",
    "young_share", "young_age", "merit_total", "merit_mean", "soft_violations", "soft_penalty",
    "solve_seconds", "build_seconds", "wall_seconds", "cpu_seconds", "seed", "workers",
    "time_limit",
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


# -- files -------------------------------------------------------------------------------------


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    if x is None:
        return ""
    if isinstance(x, bool):
        return str(x).lower()
    return str(x)


def markdown_table(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    lines = ["| " + " | ".join(esc(c.header) for c in columns) + " |",
             "|" + "|".join("---:" if c.right else ":---" for c in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(esc(c.show(c.get(row))) for c in columns) + " |")
    return "\n".join(lines)


def soft_markdown(rows: list[dict[str, Any]], lead: list[Column]) -> str:
    soft = soft_rules(rows)
    if not soft:
        return ""
    cols = lead + [Column(t, (lambda t: lambda r: (r.get("violations") or {}).get(t))(t))
                   for t in soft]
    return "\n\n## Soft violations by rule\n\n" + markdown_table(cols, rows)


def print_table(title: str, columns: list[Column], rows: list[dict[str, Any]],
                styles: Callable[[dict[str, Any]], str | None] | None = None) -> None:
    """A rich table on standard output (plain text when it is not a terminal)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

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
    return {"infeasible": "red", "unknown": "yellow", "error": "bold red"}.get(row.get("status"))


# -- charts ------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".png")
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=110, bbox_inches="tight")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


COMPARE_CHARTS = (
    ("objective", "objective (higher is better)"),
    ("moved", "officers moved"),
    ("vacant", "vacant posts"),
    ("km_mean", "mean relocation km (moved officers)"),
    ("non_local", "non-local share by level"),
    ("quota_met", "provinces meeting the ministry quota"),
    ("shares", "women and young cadres (share of filled posts)"),
    ("soft_violations", "soft violations"),
)


def compare_chart(rows: list[dict[str, Any]], path: Path) -> None:
    """One PNG: a panel per main metric, policies along x, one bar per scenario."""
    plt = _pyplot()
    scenarios = list(dict.fromkeys(r["scenario_name"] for r in rows))
    policies = list(dict.fromkeys(r["label"] for r in rows))
    by = {(r["scenario_name"], r["label"]): r for r in rows}
    fig, axes = plt.subplots(2, 4, figsize=(min(40, 4 * max(4, 0.45 * len(policies)
                                                              * max(1, len(scenarios)))), 8.5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    xs = range(len(policies))
    for ax, (metric, title) in zip(axes.flat, COMPARE_CHARTS):
        ax.set_title(title, fontsize=10)
        series: list[tuple[str, Callable[[dict], Any]]]
        if metric == "non_local":
            series = [(k, _field(f"non_local_{k}")) for k in _levels(rows)]
        elif metric == "shares":
            series = [("women", _field("female_share")), ("young", _field("young_share"))]
        else:
            series = [("", _field(metric))]
        groups = [(s, name, get) for s in scenarios for name, get in series
                  if any(get(by[(s, p)]) is not None for p in policies if (s, p) in by)
                  or len(series) == 1]
        width = 0.8 / max(1, len(groups))
        all_heights: list[float] = []
        for g, (scn, name, get) in enumerate(groups):
            label = " ".join(x for x in (scn if len(scenarios) > 1 else "", name) if x)
            heights, marks = [], []
            for i, pol in enumerate(policies):
                row = by.get((scn, pol))
                value = get(row) if row else None
                heights.append(value if value is not None else 0)
                if row is not None and row.get("status") not in PLAN:
                    marks.append(i)
            all_heights += heights
            offs = [x - 0.4 + width * (g + 0.5) for x in xs]
            ax.bar(offs, heights, width, label=label or None, color=colors[g % len(colors)])
            for i in marks:
                ax.text(offs[i], 0, by[(scn, policies[i])]["status"], rotation=90, ha="center",
                        va="bottom", fontsize=8, color="red")
        if min(all_heights, default=0) >= 0:
            top = ax.get_ylim()[1]
            ax.set_ylim(0, top if max(all_heights, default=0) > 0 else 1)
        ax.set_xticks(list(xs))
        ax.set_xticklabels(policies, rotation=30, ha="right", fontsize=8)
        if ax.get_legend_handles_labels()[1]:
            ax.legend(fontsize=7)
    fig.suptitle("Policies compared" + (f" on {scenarios[0]}" if len(scenarios) == 1 else ""))
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)


def sweep_charts(rows: list[dict[str, Any]], axes_names: list[str], pareto: tuple[str, str],
                 curve_path: Path, pareto_path: Path) -> None:
    """The trade-off curve along the first axis (a line per value of the second, if any), and
    the Pareto front of the two `pareto` metrics; infeasible points are marked as such."""
    plt = _pyplot()
    metrics = list(dict.fromkeys(["objective", "moved", "vacant", "km_mean", *pareto]))
    ncols = 3 if len(metrics) > 4 else 2
    nrows = -(-len(metrics) // ncols)
    fig, axs = plt.subplots(nrows, ncols, figsize=(5.5 * ncols, 3.8 * nrows), squeeze=False)
    first = axes_names[0]
    second = axes_names[1] if len(axes_names) > 1 else None
    xvals = list(dict.fromkeys(r["variant"]["values"][first] for r in rows))
    numeric_x = all(isinstance(numeric(v), float) for v in xvals)
    pos = {v: (numeric(v) if numeric_x else i) for i, v in enumerate(xvals)}
    lines = list(dict.fromkeys(r["variant"]["values"][second] for r in rows)) if second else [None]
    for ax, metric in zip(axs.flat, metrics):
        ax.set_title(METRICS.get(metric, (metric,))[0], fontsize=10)
        bad_x: list[float] = []
        for line in lines:
            pts = [r for r in rows if second is None or r["variant"]["values"][second] == line]
            good = [(pos[r["variant"]["values"][first]], r.get(metric)) for r in pts
                    if r.get("status") in PLAN and r.get(metric) is not None]
            bad_x += [pos[r["variant"]["values"][first]] for r in pts if r.get("status") not in PLAN]
            if good:
                ax.plot([x for x, _ in good], [y for _, y in good], marker="o", markersize=4,
                        label=f"{second.rsplit('.', 1)[-1]}={line}" if second else None)
        if bad_x:
            ax.scatter(bad_x, [0.04] * len(bad_x), marker="x", color="red", s=60, zorder=5,
                       transform=ax.get_xaxis_transform(), label="no plan (infeasible / timeout)")
        allx = list(pos.values())
        if numeric_x and len(allx) > 1:
            pad = (max(allx) - min(allx)) * 0.05
            ax.set_xlim(min(allx) - pad, max(allx) + pad)
        if not numeric_x:
            ax.set_xticks(list(pos.values()))
            ax.set_xticklabels(xvals)
        ax.set_xlabel(first, fontsize=8)
        if ax.get_legend_handles_labels()[1]:
            ax.legend(fontsize=7)
    for ax in list(axs.flat)[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle(f"Trade-offs along {first}" + (f" and {second}" if second else ""))
    fig.tight_layout()
    _save(fig, curve_path)
    plt.close(fig)

    # Pareto front
    mx, my = pareto
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    pts = [r for r in rows if r.get("status") in PLAN and r.get(mx) is not None
           and r.get(my) is not None]
    coords = [(float(r[mx]), float(r[my])) for r in pts]
    front = pareto_front(coords, (METRICS[mx][1], METRICS[my][1])) if coords else []
    if coords:
        ax.scatter([x for x, _ in coords], [y for _, y in coords], color="grey", s=25,
                   label="feasible variants")
        fx = [coords[i][0] for i in front]
        fy = [coords[i][1] for i in front]
        ax.plot(fx, fy, color="tab:red", marker="o", label="Pareto front")
        same: dict[tuple[float, float], list[str]] = {}
        for i in front:
            same.setdefault(coords[i], []).append(_short_label(pts[i]))
        for xy, names in same.items():
            text = "; ".join(names[:4]) + (f"; +{len(names) - 4}" if len(names) > 4 else "")
            ax.annotate(text, xy, fontsize=7, xytext=(4, 4), textcoords="offset points")
    bad = [r for r in rows if r.get("status") not in PLAN]
    if bad:
        ax.text(0.01, 0.01, "no plan: " + ", ".join(f"{_short_label(r)} ({r['status']})"
                                                    for r in bad[:12])
                + (" ..." if len(bad) > 12 else ""),
                transform=ax.transAxes, fontsize=7, color="red", va="bottom", wrap=True)
    ax.set_xlabel(f"{METRICS[mx][0]} ({'more' if METRICS[mx][1] > 0 else 'less'} is better)")
    ax.set_ylabel(f"{METRICS[my][0]} ({'more' if METRICS[my][1] > 0 else 'less'} is better)")
    ax.set_title(f"Pareto front: {mx} vs {my}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save(fig, pareto_path)
    plt.close(fig)


def _short_label(row: dict[str, Any]) -> str:
    values = (row.get("variant") or {}).get("values")
    if values:
        return ", ".join(str(v) for v in values.values())
    return str(row.get("label"))


def price_chart(rows: list[dict[str, Any]], path: Path) -> None:
    """Horizontal bars: the objective gained by dropping (or relaxing) each rule."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(4, len(rows)) + 1.5))
    labels = [r["label"] for r in rows]
    values = [r.get("d_objective") or 0 for r in rows]
    colors = ["tab:blue" if (r.get("variant") or {}).get("kind") == "drop" else "tab:orange"
              for r in rows]
    ys = range(len(rows))
    ax.barh(list(ys), values, color=colors)
    for y, r in zip(ys, rows):
        note = r.get("verdict") or ""
        ax.text(max(values + [0]) * 0.01 if values else 0, y, f"  {note}", va="center", fontsize=7)
    ax.set_yticks(list(ys))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("objective gained without the rule (blue) / relaxed one step (orange)")
    ax.set_title("Price of each rule")
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)
