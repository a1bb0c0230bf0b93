"""Batch rows as PNG charts (matplotlib, an optional dependency imported where it is used).

Like the tables, the charts are drawn from stored rows alone, so ``--from RESULTS`` draws them
again without solving. Each PNG is written whole or not at all (:mod:`planner.io.atomic`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.io.atomic import write_bytes_atomic
from planner.research.analysis import PLAN
from planner.research.metrics import METRICS, pareto_front
from planner.research.tables import field, levels
from planner.research.variants import numeric


def _pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend: charts are files, never windows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(plt: Any, fig: Any, path: Path) -> None:
    """Write the figure as a PNG at `path`, then close it (figures are not kept)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, buf.getvalue())
    plt.close(fig)


# -- compare -----------------------------------------------------------------------------------

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
"""The panels of the compare chart: a metric (or a family of them) and its title."""


def _series(metric: str, rows: list[dict[str, Any]]) -> list[tuple[str, Callable[[dict], Any]]]:
    """The bars of one compare panel: (name, reader); one unnamed bar for a plain metric."""
    if metric == "non_local":
        return [(k, field(f"non_local_{k}")) for k in levels(rows)]
    if metric == "shares":
        return [("women", field("female_share")), ("young", field("young_share"))]
    return [("", field(metric))]


def _compare_panel(ax: Any, colors: list[str], metric: str, rows: list[dict[str, Any]],
                   scenarios: list[str], policies: list[str]) -> None:
    """One panel: policies along x, a bar per scenario (and series); runs without a plan
    are marked with their status."""
    by = {(r["scenario_name"], r["label"]): r for r in rows}
    series = _series(metric, rows)
    groups = [(s, name, get) for s in scenarios for name, get in series
              if any(get(by[(s, p)]) is not None for p in policies if (s, p) in by)
              or len(series) == 1]
    width = 0.8 / max(1, len(groups))
    xs = range(len(policies))
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


def compare_chart(rows: list[dict[str, Any]], path: Path) -> None:
    """One PNG: a panel per main metric, policies along x, one bar per scenario."""
    plt = _pyplot()
    scenarios = list(dict.fromkeys(r["scenario_name"] for r in rows))
    policies = list(dict.fromkeys(r["label"] for r in rows))
    fig, axes = plt.subplots(2, 4, figsize=(min(40, 4 * max(4, 0.45 * len(policies)
                                                              * max(1, len(scenarios)))), 8.5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (metric, title) in zip(axes.flat, COMPARE_CHARTS):
        ax.set_title(title, fontsize=10)
        _compare_panel(ax, colors, metric, rows, scenarios, policies)
    fig.suptitle("Policies compared" + (f" on {scenarios[0]}" if len(scenarios) == 1 else ""))
    fig.tight_layout()
    _save(plt, fig, path)


# -- sweep -------------------------------------------------------------------------------------

def sweep_charts(rows: list[dict[str, Any]], axes_names: list[str], pareto: tuple[str, str],
                 curve_path: Path, pareto_path: Path) -> None:
    """The trade-off curve along the first axis (a line per value of the second, if any), and
    the Pareto front of the two `pareto` metrics; infeasible points are marked as such."""
    plt = _pyplot()
    _curves(plt, rows, axes_names, pareto, curve_path)
    _pareto_chart(plt, rows, pareto, pareto_path)


def _curves(plt: Any, rows: list[dict[str, Any]], axes_names: list[str],
            pareto: tuple[str, str], path: Path) -> None:
    """A panel per metric along the first axis, a line per value of the second axis."""
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
    _save(plt, fig, path)


def _pareto_chart(plt: Any, rows: list[dict[str, Any]], pareto: tuple[str, str],
                  path: Path) -> None:
    """Every point with a plan in the plane of the two metrics, the front drawn and labelled."""
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
    _save(plt, fig, path)


def _short_label(row: dict[str, Any]) -> str:
    """A grid point by its values alone (the axes are on the chart)."""
    values = (row.get("variant") or {}).get("values")
    if values:
        return ", ".join(str(v) for v in values.values())
    return str(row.get("label"))


# -- price -------------------------------------------------------------------------------------

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
    _save(plt, fig, path)
