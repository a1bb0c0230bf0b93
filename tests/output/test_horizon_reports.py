"""report.html and plan.xlsx of a horizon: one section per period behind one period selector,
the whole horizon's totals, the officers' paths; one-period outputs keep their old form.

The scenarios are the bundled horizon examples (scenarios/horizon/), whose optimal plans their
comments derive by hand: lookahead (3 periods, and cut to 2) and retire (3 periods, posts that
close and open, officers who leave and join).
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reporting import ROOT, chromium

from planner.io.loader import load_scenario
from planner.output.excel import EXTRA_COLUMNS, NOT_AVAILABLE, PLAN_COLUMNS, write_xlsx
from planner.output.html import render_html, write_html
from planner.output.planrows import officer_paths, period_rows
from planner.output.summary import plan_csv
from planner.scenario import Scenario
from planner.solver.pipeline import solve
from planner.solver.result import Result

HORIZON = ROOT / "scenarios" / "horizon"
READY = re.compile(r'<html[^>]*\bdata-report="([^"]*)"')


@cache
def solved(name: str, periods: tuple[int, ...] | None = None) -> tuple[Result, Scenario]:
    """A bundled horizon scenario solved to optimality, its periods optionally cut."""
    scn = load_scenario(HORIZON / f"{name}.yaml")
    if periods is not None:
        scn = scn.model_copy(update={"periods": list(periods)})
    result = solve(scn, time_limit=30, workers=2, seed=0)
    assert result.status.value == "optimal", result.status
    return result, scn


CASES = {"lookahead-2": ("lookahead", (2026, 2031)), "lookahead-3": ("lookahead", None),
         "retire-3": ("retire", None)}


@pytest.fixture(scope="module", params=sorted(CASES))
def page(request, tmp_path_factory) -> tuple[Path, Result, Scenario]:
    result, scn = solved(*CASES[request.param])
    path = tmp_path_factory.mktemp(request.param) / "report.html"
    write_html(path, result, scn, scn.policy)
    return path, result, scn


def _dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    proc = chromium(tmp_path, page.as_uri() + fragment, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = READY.search(proc.stdout)
    assert found and found.group(1) == "ready", (found and found.group(1)) or proc.stdout[:500]
    return proc.stdout


def _blocks(html: str) -> dict[str, bool]:
    """Year -> is its period's block shown?"""
    return {y: not hidden for y, hidden in
            re.findall(r'<div class="period" data-period="(\d+)"( hidden(?:="")?)?>', html)}


def test_a_horizon_report_has_a_selector_and_a_block_per_period(page, tmp_path: Path):
    path, result, scn = page
    text = path.read_text(encoding="utf-8")
    years = [str(y) for y in scn.years]
    select = re.search(r'<select id="f-period">(.*?)</select>', text).group(1)
    assert re.findall(r'<option value="(\d+)">', select) == years
    assert _blocks(text) == {y: y == years[0] for y in years}
    for y in years:
        for sec in ("headline", "rules", "vacancies", "charts", "moves", "map", "chart-nonlocal"):
            assert f'id="{sec}-{y}"' in text, (sec, y)
    for sec in ("horizon", "plan", "paths", "paths-table"):
        assert text.count(f'id="{sec}"') == 1, sec
    # the whole horizon's totals: its objective and every period's part
    totals = text[text.index('id="horizon"'):text.index('<div class="period"')]
    assert f"{result.objective:,}" in totals
    for year, rep in result.check.periods:
        assert f'<a href="#period={year}">{year}</a>' in totals
        assert f"{rep.objective:,}" in totals

    dom = _dom(tmp_path, path)
    first = period_rows(result, scn)[0]
    assert f"posts 1–{len(first.rows)} of {len(first.rows)}" in dom
    paths = officer_paths(period_rows(result, scn), scn)
    assert f"officers 1–{len(paths)} of {len(paths)}" in dom


def test_the_address_chooses_the_period_and_every_table_follows(page, tmp_path: Path):
    path, result, scn = page
    last = scn.years[-1]
    dom = _dom(tmp_path, path, f"#period={last}&show=moved")
    assert _blocks(dom) == {str(y): y == last for y in scn.years}
    rows = next(p for p in period_rows(result, scn) if p.year == last).rows
    moved = [r for r in rows if r.moved]
    total = f" (filtered from {len(rows)})" if len(moved) < len(rows) else ""
    assert (f"posts 1–{len(moved)} of {len(moved)}{total}" if moved else "no posts") in dom
    body = dom[dom.index('id="plan-body"'):dom.index("</tbody>", dom.index('id="plan-body"'))]
    for r in moved:
        assert f"<td>{r.post_id}</td>" in body
    # the nav links point at the chosen period's sections
    assert f'href="#rules-{last}"' in dom and f'href="#rules-{scn.years[0]}"' not in dom


def test_paths_of_officers_who_move():
    result, scn = solved("lookahead")
    paths = {p.candidate_id: p for p in officer_paths(period_rows(result, scn), scn)}
    assert list(paths) == ["n", "m", "l"]
    held = {c: [(r.post_id, r.moved) if r else None for r in p.held] for c, p in paths.items()}
    assert held == {"n": [("HG-DIR", True), None, None],
                    "m": [("HG-DEP", True), ("HG-DIR", True), ("HG-DIR", False)],
                    "l": [None, ("HG-DEP", True), ("HG-DEP", False)]}
    assert paths["n"].available == [True, False, False]
    assert [p.moves for p in paths.values()] == [1, 2, 1]

    result, scn = solved("retire")
    paths = {p.candidate_id: p for p in officer_paths(period_rows(result, scn), scn)}
    assert [r and r.post_id for r in paths["w"].held] == ["HT-B-CH", "HT-AB-CH", None]
    assert paths["w"].available == [True, True, False]
    assert [r and r.post_id for r in paths["a"].held] == ["HT-A-CH", "HT-DEP", "HT-DEP"]
    assert [r and r.moved for r in paths["a"].held] == [False, True, False]
    assert "b" not in paths  # Bình holds no post in any period


def test_later_periods_read_the_derived_state():
    """Moved, ministry origin and where an officer comes from follow the plan, not the fields."""
    result, scn = solved("lookahead")
    by_year = {p.year: {r.post_id: r for r in p.rows} for p in period_rows(result, scn)}
    minh_2026, minh_2031 = by_year[2026]["HG-DEP"], by_year[2031]["HG-DIR"]
    assert (minh_2026.serves_at, minh_2026.ministry_origin) == ("MOHA", True)
    assert (minh_2031.serves_at, minh_2031.ministry_origin, minh_2031.moved) == ("HG", False, True)
    assert by_year[2036]["HG-DIR"].moved is False

    result, scn = solved("retire")
    rows = {p.year: {r.post_id: r for r in p.rows} for p in period_rows(result, scn)}
    assert set(rows[2031]) == {"HT-DEP", "HT-AB-CH"}  # A and B closed, C not yet open
    assert rows[2031]["HT-DEP"].serves_at == "HT-A"  # An served Thạch Hạ in 2026
    assert rows[2031]["HT-DEP"].from_area == "HT"


def test_the_paths_filter_box(page, tmp_path: Path):
    path, result, scn = page
    paths = officer_paths(period_rows(result, scn), scn)
    target = max(paths, key=lambda p: p.moves)
    dom = _dom(tmp_path, path, f"#who={target.name}")
    body = dom[dom.index('id="paths-body"'):dom.index("</tbody>", dom.index('id="paths-body"'))]
    assert re.findall(r'<tr><td>[^<]*<span class="sm">([^<]+)</span>', body) == [target.candidate_id]
    assert f"officers 1–1 of 1 (filtered from {len(paths)})" in dom
    # a cell per period: the post held (moved or not), no post, or not available
    cells = re.findall(r"<td(?: class=\"sm\")?>([^<]*)", body)[1:1 + len(scn.years)]
    assert [c.strip() for c in cells] == [
        r.post_id if r else ("—" if here else "not available")
        for r, here in zip(target.held, target.available)]
    dom = _dom(tmp_path, path, "#paths=stayed&who=no-such-officer")
    assert "No officer matches these filters." in dom


def test_the_horizon_workbook(tmp_path: Path):
    result, scn = solved("retire")
    path = tmp_path / "plan.xlsx"
    write_xlsx(path, result, scn, scn.policy)
    wb = load_workbook(path)
    years = [str(y) for y in scn.years]
    assert wb.sheetnames == ["Summary", "Periods", "Rules", *years, "Paths", "Violations"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    # the period sheets, one after the other, are plan.csv (its columns first, same values)
    expected = list(csv.reader(io.StringIO(plan_csv(result, scn))))
    header = ["period", *PLAN_COLUMNS]
    assert expected[0] == header
    got = []
    for year in years:
        rows = list(wb[year].iter_rows(values_only=True))
        assert list(rows[0]) == [*header, *EXTRA_COLUMNS]
        got += [[_cell(v) for v in row[:len(header)]] for row in rows[1:]]
        assert {row[0] for row in rows[1:]} == {int(year)}
    assert got == expected[1:]
    paths = list(wb["Paths"].iter_rows(values_only=True))
    assert paths[0] == ("candidate_id", "candidate_name", *years, "moves")
    assert paths[1:] == [("a", "Trần Văn An", "HT-A-CH", "HT-DEP", "HT-DEP", 1),
                         ("p", "Lê Quang Phúc", "HT-DEP", NOT_AVAILABLE, NOT_AVAILABLE, 0),
                         ("w", "Nguyễn Thị Hoa", "HT-B-CH", "HT-AB-CH", NOT_AVAILABLE, 2),
                         ("y", "Võ Thị Yến", NOT_AVAILABLE, None, "HT-C-CH", 1),
                         ("z", "Hồ Văn Dũng", NOT_AVAILABLE, NOT_AVAILABLE, "HT-AB-CH", 1)]
    rules = list(wb["Rules"].iter_rows(min_row=2, values_only=True))
    per = [(year, rep.rule, rep.violation) for year, chk in result.check.periods for rep in chk.rules]
    summed = [("all", rep.rule, rep.violation) for rep in result.check.rules]
    assert [(r[0], r[1], r[5]) for r in rules] == per + summed
    periods = list(wb["Periods"].iter_rows(min_row=2, values_only=True))
    assert [(p[0], p[1], p[2], p[5]) for p in periods] == [
        (2026, 3, 3, 408), (2031, 2, 2, 384), (2036, 3, 3, 429), ("all", 8, 8, 1221)]
    summary = dict(wb["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["periods"] == "2026, 2031, 2036" and summary["objective"] == 1221


def _cell(value) -> str:
    return "" if value is None else ("true" if value is True else "false" if value is False else str(value))


def test_a_one_period_scenario_keeps_the_one_period_outputs(tmp_path: Path):
    """`periods: [term_start]` is a one-period run: no selector, no paths, the level sheets."""
    result, scn = solved("lookahead", (2026,))
    text = render_html(result, scn, scn.policy)
    for horizon_only in ('id="f-period"', "data-period=", 'id="paths"', 'id="horizon"',
                         'id="rules-2026"'):
        assert horizon_only not in text, horizon_only
    for section in ("headline", "rules", "vacancies", "charts", "moves", "map", "plan-table"):
        assert f'id="{section}"' in text, section
    data = json.loads(re.search(r'<script id="plan-data" type="application/json">(.*?)</script>',
                                text).group(1))
    assert "periods" not in data and "paths" not in data
    assert [r[0] for r in data["rows"]] == ["HG-DIR", "HG-DEP"]
    path = tmp_path / "plan.xlsx"
    write_xlsx(path, result, scn, scn.policy)
    assert load_workbook(path).sheetnames == ["Summary", "Rules", "Province", "Violations"]
