"""What `compare`, `price` and `sweep` show and write: a table on the terminal, then CSV,
Markdown and PNG files in the output folder.

Each ``render_*`` function works from stored rows alone, so a batch that has just solved and
``--from RESULTS`` show and write the same. Rows of several scenarios (or base policies, or
grids) in one results file are rendered group by group, each into its own numbered files. Every
file is written whole or not at all (:mod:`planner.io.atomic`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from planner.io.atomic import write_bytes_atomic
from planner.research import analysis, charts
from planner.research.tables import (
    Column,
    csv_text,
    markdown_table,
    metric_columns,
    pct,
    print_table,
    secs,
    signed,
    soft_markdown,
    status_style,
)


def slug(text: str) -> str:
    """`text` made safe as a file or folder name (a scenario's name may hold anything)."""
    return re.sub(r"[^\w.-]+", "_", text).strip("._") or "scenario"


def _write_text(path: Path, text: str) -> None:
    """A CSV or Markdown file, written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, text.encode("utf-8"))


def provenance(rows: list[dict[str, Any]]) -> str:
    """The closing paragraph of every Markdown file: what solved the rows, and how."""
    if not rows:
        return ""

    def values(field: str) -> str:
        return ", ".join(str(v) for v in dict.fromkeys(r.get(field) for r in rows))

    modes = values("deterministic").replace("True", "deterministic").replace("False", "wall-clock")
    return (f"Solved by rotation-planner {values('planner_version')} with OR-Tools "
            f"{values('ortools_version')}; seed {values('seed')}, CP-SAT workers "
            f"{values('workers')}, time limit {values('time_limit')} ({modes}). Hashes of every "
            "scenario and policy are in the CSV.\n")


# -- compare -----------------------------------------------------------------------------------

def render_compare(rows: list[dict[str, Any]], out: Path, title: str) -> list[Path]:
    """One table of every run (scenario x policy); compare.csv, .md and .png in `out`."""
    lead = [Column("scenario", lambda r: r["scenario_name"], str, right=False),
            Column("policy", lambda r: r["label"], str, right=False)]
    cols = lead + metric_columns(rows)
    print_table(title, cols, rows, status_style)
    csv_path, md_path, png_path = out / "compare.csv", out / "compare.md", out / "compare.png"
    _write_text(csv_path, csv_text(rows))
    _write_text(md_path, f"# {title}\n\n" + markdown_table(cols, rows)
                + soft_markdown(rows, lead) + "\n\n" + provenance(rows))
    charts.compare_chart(rows, png_path)
    return [csv_path, md_path, png_path]


# -- price -------------------------------------------------------------------------------------

PRICE_COLUMNS = [
    Column("change", lambda r: r["label"], str, right=False),
    Column("status", lambda r: r["status"], str, right=False),
    Column("objective", lambda r: r.get("objective")),
    Column("gap", lambda r: r.get("gap"), lambda x: pct(x, 2)),
    Column("Δ objective", lambda r: r.get("d_objective"), signed),
    Column("Δ moved", lambda r: r.get("d_moved"), signed),
    Column("Δ vacant", lambda r: r.get("d_vacant"), signed),
    Column("Δ km mean", lambda r: r.get("d_km_mean"), lambda x: "-" if x is None else f"{x:+.1f}"),
    Column("verdict", lambda r: r["verdict"], str, right=False),
    Column("time", lambda r: r.get("wall_seconds"), secs),
]
"""The price table: each change against the base, and what it tells about the rule."""

PRICE_CSV_LEAD = [
    ("change", lambda r: r["label"]), ("verdict", lambda r: r["verdict"]),
    ("d_objective", lambda r: r.get("d_objective")), ("d_moved", lambda r: r.get("d_moved")),
    ("d_vacant", lambda r: r.get("d_vacant")), ("d_km_mean", lambda r: r.get("d_km_mean")),
]
"""The price CSV's own columns, before every field of a results CSV."""


def _price_style(row: dict[str, Any]) -> str | None:
    """Slack rules dimmed, binding ones bold, causes of infeasibility green."""
    return {"slack": "dim", "binding": "bold",
            "cause of infeasibility": "green"}.get(row["verdict"], status_style(row))


def render_price(rows: list[dict[str, Any]], out: Path) -> list[Path]:
    """Per base run (scenario and policy): the table and its notes; price.csv, .md, .png."""
    written = []
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["scenario_hash"], r["variant"].get("base")), []).append(r)
    for n, group in enumerate(groups.values()):
        priced = analysis.price(group)
        name = priced[0]["scenario_name"]
        stem = "price" if len(groups) == 1 else f"price-{n + 1}-{slug(name)}"
        written += _render_priced(priced, out, stem)
    return written


def _render_priced(priced: list[dict[str, Any]], out: Path, stem: str) -> list[Path]:
    """One base run and its changes: the table and notes, then STEM.csv, .md and .png."""
    base = priced[0]
    title = f"Price of each rule: {base['scenario_name']} under {base['policy_name']}"
    print_table(title, PRICE_COLUMNS, priced, _price_style)
    notes = price_notes(priced)
    for line in notes:
        click.echo(line)
    paths = [out / f"{stem}.csv", out / f"{stem}.md", out / f"{stem}.png"]
    _write_text(paths[0], csv_text(priced, PRICE_CSV_LEAD))
    _write_text(paths[1], f"# {title}\n\n" + markdown_table(PRICE_COLUMNS, priced)
                + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n\n" + provenance(priced))
    charts.price_chart(priced[1:], paths[2])
    return paths


def price_notes(priced: list[dict[str, Any]]) -> list[str]:
    """What the price table says, in words: the slack and binding rules, or the causes of
    infeasibility when the base policy has no plan."""
    base = priced[0]
    notes = []
    if base["status"] == "infeasible":
        found = analysis.causes(priced)
        notes.append("the base policy has no plan; "
                     + (f"dropping or relaxing one of these makes a plan possible: {'; '.join(found)}"
                        if found else "no single rule's removal makes a plan possible"))
    elif base["status"] in analysis.PLAN:
        slack = analysis.slack(priced)
        notes.append("slack (dropping them changes nothing): " + ("; ".join(slack) if slack
                                                                  else "none"))
        binding = [r["label"] for r in priced if r["verdict"].startswith("binding")]
        if binding:
            notes.append("binding: " + "; ".join(binding))
    else:
        notes.append(f"the base policy found no plan ({base['status']}): try a longer --time-limit")
    return notes


# -- sweep -------------------------------------------------------------------------------------

def render_sweep(rows: list[dict[str, Any]], out: Path, pareto: tuple[str, str]) -> list[Path]:
    """Per grid (scenario, base policy and axes): the table with its Pareto front marked;
    sweep.csv, .md, the trade-off curves (.png) and the front (-pareto.png)."""
    written = []
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in rows:
        v = r["variant"]
        groups.setdefault((r["scenario_hash"], v.get("base"), tuple(v.get("axes", ()))), []).append(r)
    for n, ((_, _, axes), group) in enumerate(groups.items()):
        stem = "sweep" if len(groups) == 1 else f"sweep-{n + 1}"
        written += _render_grid(analysis.mark_pareto(group, pareto), list(axes), pareto, out, stem)
    return written


def _axis_value(axis: str) -> Callable[[dict[str, Any]], Any]:
    """A reader of the grid point's value on `axis`."""
    return lambda r: r["variant"]["values"][axis]


def _render_grid(marked: list[dict[str, Any]], axes: list[str], pareto: tuple[str, str],
                 out: Path, stem: str) -> list[Path]:
    """One grid: the table (no-plan points named below it), then STEM.csv, .md, .png and
    -pareto.png."""
    first = marked[0]
    title = (f"Sweep of {' x '.join(axes)} on {first['scenario_name']} "
             f"(Pareto front of {pareto[0]} and {pareto[1]}: *)")
    lead = [Column(a.rsplit(".", 1)[-1] if len(axes) == 1 else a, _axis_value(a), str)
            for a in axes]
    lead.append(Column("pareto", lambda r: "*" if r["pareto"] else "", str, right=False))
    cols = lead + metric_columns(marked)
    print_table(title, cols, marked, status_style)
    bad = [r for r in marked if r["status"] not in analysis.PLAN]
    if bad:
        click.echo(f"no plan at {len(bad)} point(s): "
                   + "; ".join(f"{r['label']} ({r['status']})" for r in bad))
    paths = [out / f"{stem}.csv", out / f"{stem}.md", out / f"{stem}.png",
             out / f"{stem}-pareto.png"]
    csv_lead = [(a, _axis_value(a)) for a in axes]
    csv_lead.append(("pareto", lambda r: r["pareto"]))
    _write_text(paths[0], csv_text(marked, csv_lead))
    _write_text(paths[1], f"# {title}\n\n" + markdown_table(cols, marked)
                + soft_markdown(marked, lead[:-1]) + "\n\n" + provenance(marked))
    charts.sweep_charts(marked, axes, pareto, paths[2], paths[3])
    return paths
