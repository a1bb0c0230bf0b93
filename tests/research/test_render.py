"""What the research commands show, from stored rows alone: notes, provenance, tables."""

from __future__ import annotations

from planner.research import analysis
from planner.research.render import price_notes, provenance, slug
from planner.research.tables import Column, csv_text, markdown_table, metric_columns


def _row(key: str, kind: str, status: str, objective: int | None, rule: str | None = None
         ) -> dict:
    variant = {"kind": kind} | ({"rule": rule} if rule else {})
    return {"key": key, "label": key, "status": status, "objective": objective, "moved": 0,
            "vacant": 0, "km_mean": 0.0, "variant": variant}


def test_price_notes_name_slack_and_binding_rules():
    priced = analysis.price([_row("base", "base", "optimal", 160),
                             _row("drop a", "drop", "optimal", 160, "a"),
                             _row("drop b", "drop", "optimal", 170, "b")])
    assert price_notes(priced) == ["slack (dropping them changes nothing): a", "binding: drop b"]


def test_price_notes_name_the_causes_of_infeasibility():
    priced = analysis.price([_row("base", "base", "infeasible", None),
                             _row("drop a", "drop", "optimal", 160, "a"),
                             _row("drop b", "drop", "infeasible", None, "b")])
    assert price_notes(priced) == ["the base policy has no plan; dropping or relaxing one of "
                                   "these makes a plan possible: a"]
    unknown = analysis.price([_row("base", "base", "unknown", None)])
    assert "try a longer --time-limit" in price_notes(unknown)[0]


def test_provenance_lists_each_setting_once():
    rows = [{"planner_version": "0.1.0", "ortools_version": "9.10", "seed": 0, "workers": 1,
             "time_limit": 30.0, "deterministic": True}] * 2
    text = provenance(rows)
    assert text.startswith("Solved by rotation-planner 0.1.0 with OR-Tools 9.10; seed 0, "
                           "CP-SAT workers 1, time limit 30.0 (deterministic).")
    assert provenance([]) == ""


def test_slug_keeps_names_usable_as_files():
    assert slug("Hà Nội / 2025") == "Hà_Nội_2025"
    assert slug("...") == "scenario"


def test_tables_show_unknowns_as_dashes_and_csv_as_empty_cells():
    rows = [{"status": "infeasible", "objective": None, "label": "x|y", "violations": {"r": 2}}]
    cols = [Column("label", lambda r: r["label"], str, right=False)] + metric_columns(rows)
    md = markdown_table(cols, rows).splitlines()
    assert md[0].startswith("| label | status | objective |")
    assert md[2].startswith("| x\\|y | infeasible | - |")
    header, line = csv_text(rows).splitlines()
    assert header.endswith(",soft:r") and line.startswith(",x|y,,infeasible,") and line.endswith(",2")
