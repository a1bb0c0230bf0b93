"""plan.xlsx (the export) and Excel rosters as input tables."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from reporting import SMALL, small_result

from planner.errors import InputError
from planner.io.loader import load_scenario
from planner.io.xlsxio import cell_text, write_sheet
from planner.output.excel import LEVEL_SHEETS, PLAN_COLUMNS, workbook_bytes, write_xlsx
from planner.output.summary import plan_csv
from planner.schema import Candidate, Post, Unit
from planner.solver.result import EarlyStats


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    result, scn = small_result()
    path = tmp_path_factory.mktemp("xlsx") / "plan.xlsx"
    write_xlsx(path, result, scn, scn.policy)
    return load_workbook(path), result, scn


def test_sheets_have_frozen_headers_and_filters(workbook):
    wb, result, scn = workbook
    assert wb.sheetnames == ["Summary", "Rules", "Ministry", "Province", "District", "Commune",
                             "Violations", "Preferences"]  # small.yaml's officers have preferences
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        ref = ws.auto_filter.ref
        assert ref and ref.startswith("A1:"), ws.title
        last_row = int("".join(ch for ch in ref.split(":")[1] if ch.isdigit()))
        assert last_row == ws.max_row, ws.title
        assert ws["A1"].font.b, ws.title


def _width(ws, column: int) -> float:
    """The stored width of the 1-based `column` (adjacent columns of one width share an entry)."""
    return next(d.width for d in ws.column_dimensions.values() if d.min <= column <= d.max)


def _stored(chars: int) -> float:
    """The width an .xlsx stores for a column shown `chars` characters wide (ECMA-376
    CT_Col/@width: the characters at 7 pixels a digit, Calibri 11, plus 5 pixels of padding,
    truncated to 1/256)."""
    return math.floor((chars * 7 + 5) / 7 * 256) / 256


def test_headers_are_styled_and_columns_fitted(workbook):
    wb, _, scn = workbook
    for ws in wb.worksheets:
        head = ws["A1"]
        assert (head.fill.fill_type, head.fill.fgColor.rgb[2:]) == ("solid", "E5E7EB"), ws.title
        assert head.alignment.vertical == "center", ws.title
        assert not ws["A2"].font.b and ws["A2"].fill.fill_type is None, ws.title
    summary, rules = wb["Summary"], wb["Rules"]
    assert [_width(summary, 1), _width(summary, 2), _width(rules, 1), _width(rules, 9)] == \
        [_stored(28), _stored(60), _stored(60), _stored(80)]
    kinds = {u.id: u.kind.value for u in scn.units}
    commune = [p.id for p in scn.posts if kinds[p.unit] == "commune"]
    assert _width(wb["Commune"], 1) == _stored(max(len("post_id") + 3, *(len(p) + 2 for p in commune[:300])))


def test_numbers_and_booleans_keep_their_types(workbook):
    wb, _, scn = workbook
    merit = {c.id: c.merit for c in scn.candidates}
    header = [c.value for c in wb["Commune"][1]]
    rows = [dict(zip(header, row)) for row in wb["Commune"].iter_rows(min_row=2)]
    filled = [r for r in rows if r["candidate_id"].value is not None]
    assert filled and all(r["merit"].data_type == "n" and r["merit"].value == merit[r["candidate_id"].value]
                          for r in filled)
    assert all(r["moved"].data_type == "b" and r["priority"].data_type == "n" for r in filled)
    vacant = [r for r in rows if r["candidate_id"].value is None]
    assert all(r["moved"].value is None for r in vacant)


def test_long_text_is_cut_at_the_cell_limit(tmp_path: Path):
    result, scn = small_result()
    first = next(c for c in scn.candidates if c.id in set(result.plan.values()))
    long = "<r>" + "x" * 32000 + "y" * 8000 + "</r>"  # xlsxwriter drops a too-long rich string
    cands = [c.model_copy(update={"name": long}) if c is first else c for c in scn.candidates]
    data = workbook_bytes(result, scn.model_copy(update={"candidates": cands}), scn.policy)
    values = {c.value for ws in load_workbook(io.BytesIO(data)).worksheets for r in ws.iter_rows() for c in r}
    assert long[:32767] in values and long not in values


def test_a_value_without_a_cell_type_is_refused():
    result, scn = small_result()
    rules = result.check.rules
    odd = replace(rules[0], figures={**rules[0].figures, "required_share": {0.5}})
    with pytest.raises(TypeError, match="no cell type for set"):
        workbook_bytes(replace(result, check=replace(result.check, rules=[odd, *rules[1:]])), scn, scn.policy)


def _cell(value) -> str:
    return "" if value is None else ("true" if value is True else "false" if value is False else str(value))


def test_level_sheets_hold_plan_csv_values(workbook):
    wb, result, scn = workbook
    expected = list(csv.reader(io.StringIO(plan_csv(result, scn))))
    assert expected[0] == PLAN_COLUMNS
    got = []
    for ws in wb.worksheets:
        if ws.title not in LEVEL_SHEETS.values():
            continue
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0][:len(PLAN_COLUMNS)]) == PLAN_COLUMNS
        got += [[_cell(v) for v in row[:len(PLAN_COLUMNS)]] for row in rows[1:]]
    by_post = {row[0]: row for row in got}
    assert len(by_post) == len(got) == len(scn.posts)
    for row in expected[1:]:
        assert by_post[row[0]] == row
    # each post is on the sheet of its unit's level
    kinds = {u.id: u.kind.value for u in scn.units}
    commune = [r[0] for r in wb["Commune"].iter_rows(min_row=2, values_only=True)]
    assert commune == [p.id for p in scn.posts if kinds[p.unit] == "commune"]


def test_summary_rules_and_violations(workbook):
    wb, result, scn = workbook
    summary = dict(wb["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["scenario"] == scn.name
    assert summary["objective"] == result.objective
    assert summary["filled"] == result.check.filled
    assert summary["interrupted"] is False
    rules = list(wb["Rules"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rules] == [r.rule for r in result.check.rules]
    broken = [r for r in result.check.rules if not r.holds]
    viol = list(wb["Violations"].iter_rows(min_row=2, values_only=True))
    if broken:
        assert {v[0] for v in viol} == {r.rule for r in broken}
    else:
        assert viol == [("(none)", None, True, 0, 0, "every rule holds")]


def test_summary_says_when_an_early_plan_came():
    result, scn = small_result()
    assert "first plan seconds (early plan)" not in _summary_sheet(result, scn)
    early = EarlyStats(objective=result.objective, bound=result.bound, lp_rounds=4, seconds=0.2,
                       at_seconds=1.25)
    later = replace(result, stats=replace(result.stats, early_plan=early))
    assert _summary_sheet(later, scn)["first plan seconds (early plan)"] == 1.25


def _summary_sheet(result, scn) -> dict:
    data = workbook_bytes(result, scn, scn.policy)
    return dict(load_workbook(io.BytesIO(data))["Summary"].iter_rows(min_row=2, values_only=True))


def test_violations_sheet_lists_breaches(tmp_path: Path):
    result, scn = small_result()
    rules = result.check.rules
    broken = replace(rules[0], violation=2, breaches=["P: short by 1", "Q: short by 1"])
    check = replace(result.check, rules=[broken, *rules[1:]])
    path = tmp_path / "plan.xlsx"
    write_xlsx(path, replace(result, check=check), scn, scn.policy)
    viol = list(load_workbook(path)["Violations"].iter_rows(min_row=2, values_only=True))
    expected = [(r.rule, b) for r in check.rules if not r.holds for b in (r.breaches or [f"violation {r.violation}"])]
    assert expected[:2] == [(broken.rule, "P: short by 1"), (broken.rule, "Q: short by 1")]
    assert [(v[0], v[5]) for v in viol] == expected


# -- Excel rosters as input tables --------------------------------------------------------------
def _columns(model) -> list[str]:
    return list(model.model_fields)


def _row(record: dict, cols: list[str]) -> list:
    return [";".join(record[c]) if isinstance(record.get(c), list) else record.get(c) for c in cols]


@pytest.fixture
def roster(tmp_path: Path):
    """small.yaml with its units and candidates moved into a workbook beside it."""
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    ucols, ccols = _columns(Unit), _columns(Candidate)
    sheets = {"units": (ucols, [_row(u, ucols) for u in data["units"]]),
              "Officers 2026": (ccols, [_row(c, ccols) for c in data["candidates"]])}
    data["units"] = {"xlsx": "roster.xlsx"}
    data["candidates"] = {"xlsx": "roster.xlsx", "sheet": "Officers 2026"}

    def write(sheets=sheets, data=data) -> Path:
        write_sheet(tmp_path / "roster.xlsx", sheets)
        path = tmp_path / "scenario.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write, sheets, data


def test_excel_tables_load_like_yaml_tables(roster):
    write, _, _ = roster
    from_xlsx = load_scenario(write())
    from_yaml = load_scenario(SMALL)
    assert from_xlsx.units == from_yaml.units
    assert from_xlsx.candidates == from_yaml.candidates
    assert from_xlsx.posts == from_yaml.posts


def test_excel_rows_are_validated_with_sheet_row_numbers(roster):
    write, sheets, data = roster
    cols, rows = sheets["Officers 2026"]
    rows[2][cols.index("merit")] = 120          # sheet row 4
    rows[4][cols.index("gender")] = "x"         # sheet row 6
    rows[5][cols.index("home")] = "NOWHERE"     # sheet row 7
    with pytest.raises(InputError) as err:
        load_scenario(write())
    messages = [str(p) for p in err.value.problems]
    assert any("roster.xlsx[Officers 2026] row 4: merit:" in m and "120" in m for m in messages), messages
    assert any("roster.xlsx[Officers 2026] row 6: gender:" in m for m in messages), messages
    assert any("roster.xlsx[Officers 2026] row 7: home: unknown unit 'NOWHERE'" in m for m in messages)


def test_excel_sheet_problems(roster, tmp_path: Path):
    write, sheets, data = roster
    data["candidates"]["sheet"] = "nope"
    with pytest.raises(InputError) as err:
        load_scenario(write(data=data))
    assert "no sheet named 'nope'; expected one of: 'units', 'Officers 2026'" in str(err.value)
    data["candidates"] = {"xlsx": "roster.xlsx"}  # two sheets, none named candidates
    with pytest.raises(InputError) as err:
        load_scenario(write(data=data))
    assert "expected a sheet named 'candidates'" in str(err.value)
    (tmp_path / "fake.xlsx").write_text("id,name\n")
    data["candidates"] = {"xlsx": "fake.xlsx"}
    with pytest.raises(InputError) as err:
        load_scenario(write(data=data))
    assert "not an Excel workbook" in str(err.value)
    data["candidates"] = {"xlsx": "../roster.xlsx"}
    with pytest.raises(InputError) as err:
        load_scenario(write(data=data))
    assert "candidates.xlsx: path '../roster.xlsx'" in str(err.value)


def test_excel_header_problems(roster):
    write, sheets, data = roster
    cols, rows = sheets["Officers 2026"]
    cols = ["merits" if c == "merit" else c for c in cols]
    with pytest.raises(InputError) as err:
        load_scenario(write(sheets={**sheets, "Officers 2026": (cols, rows)}))
    text = str(err.value)
    assert "row 1: merits: unknown column" in text
    assert "row 1: merit: required column is missing" in text


def test_cell_text_matches_csv_text():
    import datetime as dt
    assert [cell_text(v) for v in (None, True, False, 1970, 12.0, 0.9, " a ", dt.date(2026, 1, 2))] == \
        ["", "true", "false", "1970", "12", "0.9", "a", "2026-01-02"]


def test_solve_writes_the_workbook_and_report_unless_told_not_to(tmp_path: Path):
    from click.testing import CliRunner

    from planner.cli import main

    base = ["solve", str(SMALL), "--time-limit", "1", "--workers", "2", "-q"]
    res = CliRunner().invoke(main, [*base, "-o", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a" / "plan.xlsx").is_file() and (tmp_path / "a" / "report.html").is_file()
    assert load_workbook(tmp_path / "a" / "plan.xlsx").sheetnames[0] == "Summary"
    res = CliRunner().invoke(main, [*base, "-o", str(tmp_path / "b"), "--no-excel", "--no-report"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["plan.csv", "summary.json"]


def test_posts_table_from_excel_too(roster, tmp_path: Path):
    write, sheets, data = roster
    raw = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    pcols = _columns(Post)
    sheets = {**sheets, "posts": (pcols, [_row(p, pcols) for p in raw["posts"]])}
    data["posts"] = {"xlsx": "roster.xlsx"}
    assert load_scenario(write(sheets=sheets, data=data)).posts == load_scenario(SMALL).posts


# -- text cells stay text (formula injection) ----------------------------------------------------
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-3-4", "@SUM(A1:A2)",
           "=1+1", "#N/A", "=cmd|' /C calc'!A0", "<img src=x onerror=alert(1)>"]
"""Officer names a spreadsheet would run (or show as an error) if they were written untyped."""


LOOKALIKES = ["12", "0.5", "TRUE", "http://evil.example/x", "<r><t>x</t></r>",
              "<r>_x0041_</r>", "<r></c><c r=\"Z9\"><v>1</v></c></r>"]
"""Text a writer could take for a number, a boolean, a link or its own rich-text markup."""


def _hostile(tmp_path: Path, hostile: list[str] = HOSTILE):
    """The small scenario's plan, its first officers renamed to formula-like text."""
    result, scn = small_result()
    placed = [c for c in scn.candidates if c.id in set(result.plan.values())][:len(hostile)]
    names = {c.id: name for c, name in zip(placed, hostile)}
    cands = [c.model_copy(update={"name": names[c.id]}) if c.id in names else c
             for c in scn.candidates]
    hostile = scn.model_copy(update={"candidates": cands, "name": "=2*3"})
    return result, hostile, names


def test_formula_like_text_is_written_as_text(tmp_path: Path):
    result, scn, names = _hostile(tmp_path, HOSTILE + LOOKALIKES)
    assert len(names) == len(HOSTILE + LOOKALIKES)
    path = tmp_path / "plan.xlsx"
    write_xlsx(path, result, scn, scn.policy)
    wb = load_workbook(path)
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if cell.value in names.values():
                    seen[cell.value] = cell
    assert set(seen) == set(HOSTILE + LOOKALIKES)
    assert all(ws["Z9"].value is None for ws in wb.worksheets)  # no cell smuggled in
    for name, cell in seen.items():
        assert cell.data_type == "s" and cell.value == name
        assert cell.quotePrefix == name.startswith(("=", "+", "-", "@")), name
    summary = {r[0].value: r[1] for r in wb["Summary"].iter_rows(min_row=2)}
    assert summary["scenario"].data_type == "s" and summary["scenario"].value == "=2*3"


def test_unwritable_characters_do_not_fail_the_workbook(tmp_path: Path):
    result, scn = small_result()
    first = next(c for c in scn.candidates if c.id in set(result.plan.values()))
    cands = [c.model_copy(update={"name": "a\x01b\x1fc"}) if c is first else c
             for c in scn.candidates]
    path = tmp_path / "plan.xlsx"
    write_xlsx(path, result, scn.model_copy(update={"candidates": cands}), scn.policy)
    values = {c.value for ws in load_workbook(path).worksheets for r in ws.iter_rows() for c in r}
    assert "a\ufffdb\ufffdc" in values


def test_html_report_escapes_formula_and_markup_names(tmp_path: Path):
    from planner.output.html import render_html

    result, scn, names = _hostile(tmp_path)
    text = render_html(result, scn, scn.policy)
    assert "<img src=x" not in text
    assert "\\u003cimg src=x onerror=alert(1)>" in text  # in the plan's data, inert
    for name in HOSTILE[:-1]:
        assert json.dumps(name, ensure_ascii=False)[1:-1] in text
