"""Planning one period at a time against the horizon (docs/horizon.md, "Myopic against horizon")."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from click.testing import CliRunner

from planner import load_scenario, solve
from planner.cli import main
from planner.solver.myopic import period_input
from planner.solver.pipeline import solve_myopic
from planner.solver.result import Status
from planner.solver.search import SearchOptions

HORIZON = Path(__file__).resolve().parents[2] / "scenarios" / "horizon"


def test_looking_ahead_finds_the_plan_that_one_period_at_a_time_misses():
    scn = load_scenario(HORIZON / "lookahead.yaml")
    ahead = solve(scn, time_limit=20, workers=1)
    assert ahead.status is Status.optimal and ahead.objective == 1190
    assert ahead.plans == {2026: {"HG-DIR": "n", "HG-DEP": "m"},
                           2031: {"HG-DIR": "m", "HG-DEP": "l"},
                           2036: {"HG-DIR": "m", "HG-DEP": "l"}}
    myopic = solve_myopic(scn, time_limit=20, workers=1)
    assert myopic.status is Status.infeasible and not myopic.has_plan
    assert myopic.explanation[0].startswith("planned one period at a time, 2031 has no plan")


def test_myopic_is_verified_and_no_better_than_the_horizon():
    scn = load_scenario(HORIZON / "retire.yaml")
    ahead = solve(scn, time_limit=20, workers=1)
    myopic = solve_myopic(scn, time_limit=20, workers=1)
    assert ahead.status is Status.optimal and ahead.objective == 1221
    assert myopic.status is Status.feasible and myopic.bound is None
    assert myopic.check is not None and myopic.check.valid
    assert myopic.objective == myopic.check.objective == 1218
    assert [year for year, _ in myopic.check.periods] == [2026, 2031, 2036]
    assert myopic.plan == myopic.plans[2026]


def test_a_period_holds_the_state_the_plans_before_give():
    scn = load_scenario(HORIZON / "lookahead.yaml")
    second = period_input(scn, {2026: {"HG-DIR": "n", "HG-DEP": "m"}}, 1)
    rows = {c.id: c for c in second.candidates}
    assert second.term_start == 2031 and second.periods is None
    assert rows["m"].current_post == "HG-DEP" and rows["m"].consecutive_terms == 1
    assert rows["m"].since == 2026 and rows["m"].serves_at == "HG"
    assert rows["m"].served_difficult  # HG is a difficult province


def test_solve_and_compare_from_the_command_line(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["solve", str(HORIZON / "retire.yaml"), "-o", str(tmp_path / "h"),
                               "--no-report", "--no-excel", "--time-limit", "20"])
    assert res.exit_code == 0, res.output
    assert "period 2031  objective 384" in res.output
    with open(tmp_path / "h" / "plan.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["period", "post_id", "candidate_id"]
    assert {r[0] for r in rows[1:]} == {"2026", "2031", "2036"}
    summary = json.loads((tmp_path / "h" / "summary.json").read_text())
    assert [p["year"] for p in summary["periods"]] == [2026, 2031, 2036]
    assert sum(p["objective"] for p in summary["periods"]) == summary["objective"] == 1221

    res = runner.invoke(main, ["solve", str(HORIZON / "retire.yaml"), "-o", str(tmp_path / "m"),
                               "--myopic", "--no-report", "--no-excel", "--time-limit", "20"])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "m" / "summary.json").read_text())["objective"] == 1218
    check = runner.invoke(main, ["check", str(HORIZON / "retire.yaml"), str(tmp_path / "m" / "plan.csv")])
    assert check.exit_code == 0, check.output

    res = runner.invoke(main, ["compare", str(HORIZON / "retire.yaml"), "--myopic", "-j", "1",
                               "--time-limit", "10", "-o", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    with open(tmp_path / "c" / "compare.csv", newline="") as f:
        table = {r["label"] if "label" in r else r["policy"]: r for r in csv.DictReader(f)}
    labels = sorted(table)
    assert labels == ["retire", "retire (myopic)"], labels
    assert int(table["retire"]["objective"]) == 1221
    assert int(table["retire (myopic)"]["objective"]) == 1218


# -- the myopic plan as a large horizon's first plan -------------------------------------------

def _first_plans(progress: list) -> list[int]:
    return [p.objective for p in progress if p.phase == "building" and p.objective is not None]


def test_a_shortlisted_horizon_starts_from_its_myopic_plan():
    seen: list = []
    result = solve(load_scenario(HORIZON / "retire.yaml"), workers=1, deterministic=True,
                   exact=False, progress=seen.append)
    assert result.stats.myopic_seconds is not None
    assert _first_plans(seen)[0] == 1218  # the myopic plan, then the search looks ahead
    assert result.objective == 1221 and result.check.valid


def test_a_horizon_whose_myopic_plan_has_none_starts_from_the_relaxation():
    result = solve(load_scenario(HORIZON / "lookahead.yaml"), workers=1, deterministic=True,
                   exact=False)
    assert result.stats.myopic_seconds is not None and result.stats.plan_source == "cp-sat"
    assert result.objective == 1190 and result.check.valid


def test_no_time_left_for_a_search_returns_the_first_plan(monkeypatch):
    monkeypatch.setattr(SearchOptions, "out_of_time", lambda self, elapsed: True)
    result = solve(load_scenario(HORIZON / "retire.yaml"), workers=1, exact=False)
    stats = result.stats
    assert stats.search_skipped and stats.skipped_because == "time"
    assert stats.solver_wall_seconds is None and stats.model is None  # nothing was built
    assert stats.plan_source == "myopic" and result.objective == 1218 and result.check.valid
    assert result.status is Status.feasible and result.bound == stats.bound == 1223


def test_the_time_limit_holds_while_the_model_is_built(monkeypatch):
    """With a verified first plan in hand, building stops at the deadline (a national
    horizon's links take minutes) and the first plan is the answer."""
    monkeypatch.setattr(SearchOptions, "deadline", lambda self, start: time.perf_counter() - 1)
    result = solve(load_scenario(HORIZON / "retire.yaml"), workers=1, exact=False)
    stats = result.stats
    assert stats.search_skipped and stats.skipped_because == "time" and stats.model is None
    assert stats.plan_source == "myopic" and result.objective == 1218 and result.check.valid


def test_without_a_first_plan_the_model_is_built_whatever_the_deadline(monkeypatch):
    monkeypatch.setattr(SearchOptions, "deadline", lambda self, start: time.perf_counter() - 1)
    result = solve(load_scenario(HORIZON / "lookahead.yaml"), workers=1, deterministic=True,
                   exact=False)
    assert result.objective == 1190 and result.stats.plan_source == "cp-sat"


def test_the_terminal_says_why_no_search_ran(monkeypatch, tmp_path):
    monkeypatch.setattr(SearchOptions, "out_of_time", lambda self, elapsed: True)
    res = CliRunner().invoke(main, ["solve", str(HORIZON / "retire.yaml"), "--shortlist",
                                    "-o", str(tmp_path), "--no-report", "--no-excel"])
    assert res.exit_code == 0, res.output
    assert "no search: the time limit was used up before it" in res.output
    assert "None" not in res.output


def test_out_of_time_is_wall_clock_only():
    wall = SearchOptions(10, 1, 0, False, False, 0.0)
    assert not wall.out_of_time(9.9) and wall.out_of_time(10.0)
    assert not SearchOptions(10, 1, 0, True, False, 0.0).out_of_time(1e9)
