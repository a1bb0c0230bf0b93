"""Preferences and envy in the reports (careers contract, section 3): summary.json, the
terminal, report.html and plan.xlsx count the officers placed at their first, second and third
choice and the envious pairs whenever some officer has preferences, whatever the policy; a run
where nobody has preferences has no such section anywhere. The groups a `continuity` verdict
names get a readable line in the terminal and in report.html.

The scenario pins its whole plan, so the figures are known by hand:

    posts X1..X5 in districts D1..D5 of province P1; merit in brackets
    2026: X1=B(60) X2=A(80) X3=C(70) X4=E(90) X5=G(10); F(95) and H (no preferences) unplaced
      A prefs D1,D2  holds its 2nd, envies X1 (1st, B 60 < 80)
      B prefs D1     holds its 1st
      C prefs D3,D1  holds its 1st
      E prefs P1     holds its 1st (P1 contains every post)
      F prefs D2,D3,D4  no post: envies X2 (A 80), X3 (C 70), X4 (E 90)
      G prefs D1,D2,D5  holds its 3rd; everyone above G's merit
      -> first 3 (B, C, E), second 1 (A), third 1 (G); 4 envious pairs
    2031 (horizon): X1=F X2=A X3=C X4=E X5=G; B unplaced
      F holds X1, unranked: envies X2, X3, X4; A no longer envies X1 (F 95 > 80)
      -> first 2 (C, E), second 1 (A), third 1 (G); 3 envious pairs
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from builders import cand, pin, post, scenario, unit, write_yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from planner.cli import main
from planner.output.careers import changed_groups, group_words
from planner.output.excel import PREFERENCE_COLUMNS
from planner.scenario import Scenario
from planner.schema import Pin

PREFS = {"A": ["D1", "D2"], "B": ["D1"], "C": ["D3", "D1"], "E": ["P1"], "F": ["D2", "D3", "D4"],
         "G": ["D1", "D2", "D5"], "H": None}
MERIT = {"A": 80, "B": 60, "C": 70, "E": 90, "F": 95, "G": 10, "H": 30}
PLAN_2026 = {"X1": "B", "X2": "A", "X3": "C", "X4": "E", "X5": "G"}
PLAN_2031 = {"X1": "F", "X2": "A", "X3": "C", "X4": "E", "X5": "G"}
ENVY_2026 = [{"officer": "A", "post": "X1", "holder": "B", "rank": 1, "own_rank": 2},
             {"officer": "F", "post": "X2", "holder": "A", "rank": 1, "own_rank": None},
             {"officer": "F", "post": "X3", "holder": "C", "rank": 2, "own_rank": None},
             {"officer": "F", "post": "X4", "holder": "E", "rank": 3, "own_rank": None}]
ENVY_2031 = [{"officer": "F", "post": "X2", "holder": "A", "rank": 1, "own_rank": None},
             {"officer": "F", "post": "X3", "holder": "C", "rank": 2, "own_rank": None},
             {"officer": "F", "post": "X4", "holder": "E", "rank": 3, "own_rank": None}]


CAREER_RULES = [{"rule": "continuity", "per": "province", "max_changed_share": 0.5, "hard": False,
                 "weight": 1}, {"rule": "no_envy", "hard": False, "weight": 1}]
"""Soft rules the pins override: nobody holds a post now, so in 2026 all 5 posts of P1 change
(at most 2 may); in 2031 only X1 does. The 4 envious pairs of 2026 break no_envy 4 times."""


def careers(with_preferences: bool = True, periods: list[int] | None = None,
            rules: list[dict] | None = None) -> Scenario:
    """The pinned scenario of the module's description (a horizon with `periods`)."""
    districts = [unit(f"D{i}", "district", parent="P1") for i in range(1, 6)]
    posts = [post(f"X{i}", f"D{i}") for i in range(1, 6)]
    cands = [cand(c, home="P1", merit=MERIT[c],
                  preferences=PREFS[c] if with_preferences else None) for c in MERIT]
    fixed = [pin(p, c) for p, c in PLAN_2026.items()]
    if periods:
        fixed += [Pin(post=p, candidate=c, period=periods[1]) for p, c in PLAN_2031.items()]
    scn = scenario([unit("P1", "province"), *districts], posts, cands, fixed=fixed,
                   rules=rules or [])
    return scn.model_copy(update={"periods": periods}) if periods else scn


def solve_cli(tmp_path: Path, scn: Scenario, *extra: str) -> tuple[str, dict, Path]:
    """`planner solve` on `scn`: its standard output, summary.json and the run folder."""
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["solve", write_yaml(scn, tmp_path / "s.yaml"), "-o", str(out),
                                    "--workers", "1", "--time-limit", "20", *extra])
    assert res.exit_code == 0, res.output
    return res.output, json.loads((out / "summary.json").read_text(encoding="utf-8")), out


@pytest.fixture(scope="module")
def one_period(tmp_path_factory) -> tuple[str, dict, Path]:
    return solve_cli(tmp_path_factory.mktemp("one"), careers())


@pytest.fixture(scope="module")
def horizon(tmp_path_factory) -> tuple[str, dict, Path]:
    return solve_cli(tmp_path_factory.mktemp("horizon"), careers(periods=[2026, 2031]))


def test_summary_counts_choices_and_envy_without_a_no_envy_rule(one_period):
    _, summary, _ = one_period
    assert summary["rules"] == []
    assert summary["preferences"] == {"first": 3, "second": 1, "third": 1, "envious_pairs": 4,
                                      "envy": ENVY_2026}


def test_the_terminal_has_one_preferences_line(one_period):
    output, _, _ = one_period
    lines = [line for line in output.splitlines() if line.startswith("preferences")]
    assert lines == ["preferences  3 first choice, 1 second, 1 third; 4 envious pairs"]


def test_the_html_report_has_the_counts_and_the_envy_table(one_period):
    _, _, out = one_period
    text = (out / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="preferences">(.*?)</section>', text, re.DOTALL).group(1)
    assert "4 envious pairs" in section
    values = re.findall(r'<div class="lbl">([^<]*)</div><div class="val">([^<]*)</div>', section)
    assert values == [("First choice", "3"), ("Second choice", "1"), ("Third choice", "1"),
                      ("Envious pairs", "4")]
    body = re.search(r'<table id="envy-table">.*?<tbody>(.*?)</tbody>', section, re.DOTALL).group(1)
    rows = ["|".join(re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", r))
            for r in re.findall(r"<tr>(.*?)</tr>", body)]
    assert rows == ["A merit 80|X1|1st|2nd|B merit 60", "F merit 95|X2|1st|—|A merit 80",
                    "F merit 95|X3|2nd|—|C merit 70", "F merit 95|X4|3rd|—|E merit 90"]
    assert '<a href="#preferences">Preferences</a>' in text


def test_the_workbook_has_a_preferences_sheet(one_period):
    _, _, out = one_period
    wb = load_workbook(out / "plan.xlsx")
    assert wb.sheetnames[-1] == "Preferences"
    ws = wb["Preferences"]
    assert (ws.freeze_panes, ws.auto_filter.ref, ws["A1"].font.b) == ("A2", "A1:J9", True)
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == PREFERENCE_COLUMNS
    assert [r[:3] for r in rows[1:5]] == [(2026, "first choice", 3), (2026, "second choice", 1),
                                         (2026, "third choice", 1), (2026, "envious pairs", 4)]
    assert [r for r in rows[5:]] == [
        (2026, "envy", None, "A", 80, "X1", 1, 2, "B", 60),
        (2026, "envy", None, "F", 95, "X2", 1, None, "A", 80),
        (2026, "envy", None, "F", 95, "X3", 2, None, "C", 70),
        (2026, "envy", None, "F", 95, "X4", 3, None, "E", 90)]


def test_nobody_with_preferences_means_no_section_anywhere(tmp_path: Path):
    output, summary, out = solve_cli(tmp_path, careers(with_preferences=False))
    assert "preferences" not in summary
    assert not [line for line in output.splitlines() if line.startswith("preferences")]
    text = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="preferences' not in text and "envy-table" not in text
    assert "Preferences" not in load_workbook(out / "plan.xlsx").sheetnames


def test_a_horizon_counts_per_period_and_in_total(horizon):
    output, summary, _ = horizon
    assert [p["preferences"] for p in summary["periods"]] == [
        {"first": 3, "second": 1, "third": 1, "envious_pairs": 4, "envy": ENVY_2026},
        {"first": 2, "second": 1, "third": 1, "envious_pairs": 3, "envy": ENVY_2031}]
    assert summary["preferences"] == {
        "first": 5, "second": 2, "third": 2, "envious_pairs": 7,
        "envy": [{"period": 2026, **e} for e in ENVY_2026]
        + [{"period": 2031, **e} for e in ENVY_2031]}
    assert "preferences  5 first choice, 2 second, 2 third; 7 envious pairs" in output.splitlines()


def test_a_horizon_report_has_a_preferences_section_per_period(horizon):
    _, _, out = horizon
    text = (out / "report.html").read_text(encoding="utf-8")
    for year, pairs in ((2026, 4), (2031, 3)):
        section = re.search(rf'<section id="preferences-{year}">(.*?)</section>', text, re.DOTALL)
        assert f"{pairs} envious pairs" in section.group(1)
        assert f'id="envy-table-{year}"' in section.group(1)
    wb = load_workbook(out / "plan.xlsx")
    counts = [r[:3] for r in wb["Preferences"].iter_rows(values_only=True) if r[1] != "envy"]
    assert counts[1:] == [
        (2026, "first choice", 3), (2026, "second choice", 1), (2026, "third choice", 1),
        (2026, "envious pairs", 4), (2031, "first choice", 2), (2031, "second choice", 1),
        (2031, "third choice", 1), (2031, "envious pairs", 3), ("all", "first choice", 5),
        ("all", "second choice", 2), ("all", "third choice", 2), ("all", "envious pairs", 7)]


def test_changed_groups_read_only_group_lists():
    """A rule's `groups` figure may be a count (ministry_quota): no group line then."""
    assert changed_groups({"groups": 7, "complying_groups": 6}) == []
    groups = {"groups": [{"group": "HG", "size": 5, "changed": 3, "allowed": 2}]}
    assert [group_words(g) for g in changed_groups(groups)] == ["HG: 3 of 5 posts changed (at most 2)"]


def test_careers_rules_in_summary_terminal_and_report(tmp_path: Path):
    output, summary, out = solve_cli(tmp_path, careers(rules=CAREER_RULES))
    continuity, no_envy = summary["rules"]
    assert continuity["groups"] == [{"group": "P1", "size": 5, "changed": 5, "allowed": 2}]
    assert (no_envy["envious_pairs"], no_envy["violation"], len(no_envy["breaches"])) == (4, 4, 4)
    assert summary["preferences"]["envious_pairs"] == 4
    lines = output.splitlines()
    at = lines.index("  -3     continuity[per=province, max_changed_share=0.5]")
    assert lines[at + 1:at + 3] == ["         group P1: 5 of 5 posts changed (at most 2)",
                                    "  -4     no_envy"]
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "<td class='det'>groups: P1: 5 of 5 posts changed (at most 2)<details>" in text


def test_a_horizon_names_its_groups_under_their_period(tmp_path: Path):
    output, summary, _ = solve_cli(tmp_path, careers(periods=[2026, 2031], rules=CAREER_RULES))
    assert [p["rules"][0]["groups"] for p in summary["periods"]] == [
        [{"group": "P1", "size": 5, "changed": 5, "allowed": 2}], []]
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("period 2026"))
    assert lines[at + 1] == ("  continuity[per=province, max_changed_share=0.5] group P1: 5 of 5 "
                             "posts changed (at most 2)")
    assert lines[at + 2].startswith("period 2031")
    assert sum("group P1" in line for line in lines) == 1
