"""`planner diff A B`: who moved between two plans and why the objective changed, by hand.

The scenario of tests/test_fit.py: directors A (priority 2) and B, chief C (master's degree);
X 60, Y 50, Z 40, W 30 (master's); merit weight 1. Plan 1 is the optimum A=X, B=Y, C=W (200);
plan 2 fixes Z on A: A=Z, B=X, C=W (170).
"""

from __future__ import annotations

import json

import pytest
from builders import cand, post, scenario, unit, write_yaml
from click.testing import CliRunner

from planner.cli import main
from planner.explain.diff import diff_plans

UNITS = [unit("P1", "province"), unit("P1-D1", "district", parent="P1"), unit("P2", "province")]
POSTS = [post("A", "P1", "director", priority=2), post("B", "P2", "director"),
         post("C", "P1-D1", "chief", min_education="master")]
CANDS = [cand("X", home="P2", merit=60), cand("Y", home="P2", merit=50),
         cand("Z", home="P2", merit=40), cand("W", home="P2", merit=30, education="master")]
RULES = [{"rule": "gender_balance", "label": "women directors", "roles": ["director"],
          "min_share": 0.5, "hard": False, "weight": 7}]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("diff")
    path = write_yaml(scenario(UNITS, POSTS, CANDS, weights={"merit": 1}, rules=RULES),
                      tmp / "s.yaml")
    runner = CliRunner()
    for name, extra in (("one", []), ("two", ["--fix", "A=Z"])):
        res = runner.invoke(main, ["solve", path, "-o", str(tmp / name), "-q", "--workers", "1",
                                   "--no-report", "--no-excel", *extra])
        assert res.exit_code == 0, res.output
    return tmp, path


def test_diff_by_term_by_rule_and_by_officer(runs):
    tmp, _ = runs
    d = diff_plans(tmp / "one" / "plan.csv", tmp / "two" / "plan.csv")
    # No woman among the directors in either plan: short by 1 of 2, 7 each time.
    assert (d.objective_a, d.objective_b, d.change) == (200 - 7, 170 - 7, -30)
    assert d.terms["merit"] == (200, 170)
    assert d.terms["rule:women directors"] == (-7, -7)
    assert d.rules == []  # figures unchanged
    assert [(m.candidate, m.before, m.after, m.change) for m in d.moved] == [
        ("X", "A", "B", 60 - 120), ("Y", "B", None, -50), ("Z", None, "A", 80)]
    assert sum(m.change for m in d.moved) == d.change
    assert d.posts == [("A", "X", "Z"), ("B", "Y", "X")]


def test_diff_names_rules_whose_figures_changed(runs, tmp_path):
    tmp, path = runs
    plan = tmp_path / "plan.csv"
    plan.write_text("post_id,candidate_id\nA,X\nB,\nC,W\n")  # B vacant: one director assigned
    d = diff_plans(tmp / "one", plan, scenario=path)
    assert d.change == (120 + 30 - 1000 - 7) - (200 - 7)
    assert d.terms["vacancy"] == (0, -1000)
    [rule] = d.rules
    assert rule["rule"] == "women directors" and "assigned 2 -> 1" in rule["changed"]


def test_diff_cli_text_and_json(runs):
    tmp, _ = runs
    res = CliRunner().invoke(main, ["diff", str(tmp / "one"), str(tmp / "two")])
    assert res.exit_code == 0, res.output
    assert "change -30" in res.output
    assert "who moved: 3 officers, 2 posts changed holder" in res.output
    assert any(line.split()[:4] == ["X", "A", "->", "B"] and "(-60)" in line
               for line in res.output.splitlines())
    res = CliRunner().invoke(main, ["diff", str(tmp / "one"), str(tmp / "two"), "--json"])
    data = json.loads(res.output)
    assert data["change"] == -30 and data["terms"]["merit"]["change"] == -30


def test_diff_without_any_scenario_compares_ids(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("post_id,candidate_id\nA,X\nB,Y\n")
    b.write_text("post_id,candidate_id\nA,Y\nB,\n")
    d = diff_plans(a, b)
    assert d.objective_a is None and d.terms == {}
    assert [(m.candidate, m.before, m.after) for m in d.moved] == [("X", "A", None), ("Y", "B", "A")]
    assert "compared by ids only" in d.notes[0]
