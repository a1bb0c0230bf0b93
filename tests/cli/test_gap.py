"""`planner solve` stops at a 0.01% gap unless told otherwise, and says so (issue 13, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from reporting import SMALL

from planner.cli import main
from planner.cli.solving import _gap_words, _times
from planner.solver.result import EarlyStats, Result, RunStats, Status
from planner.solver.search import CLI_GAP


def _summary(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["solve", str(SMALL), "-o", str(out), "--no-report",
                                    "--no-excel", "--time-limit", "10", *extra])
    assert res.exit_code == 0, res.output
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_the_default_gap_is_a_hundredth_of_a_percent(tmp_path: Path):
    assert CLI_GAP == 1e-4
    assert _summary(tmp_path)["gap_limit"] == 1e-4


def test_gap_zero_asks_for_proven_optimality(tmp_path: Path):
    summary = _summary(tmp_path, "--gap", "0")
    assert summary["gap_limit"] == 0
    assert summary["status"] == "optimal"


def _result(status: Status, objective: int, bound: int, limit: float,
            interrupted: bool = False) -> Result:
    return Result(status, objective, bound, {}, None,
                  stats=RunStats(gap_limit=limit, interrupted=interrupted))


@pytest.mark.parametrize("status,objective,bound,limit,interrupted,said", [
    (Status.feasible, 99_995, 100_000, 1e-4, False, True),   # stopped there: say so
    (Status.feasible, 99_000, 100_000, 1e-4, False, False),  # out of time, short of the limit
    (Status.feasible, 99_995, 100_000, 1e-4, True, False),   # Ctrl-C says it in its own words
    (Status.feasible, 99_995, 100_000, 0.0, False, False),   # --gap 0: nothing was accepted early
    (Status.optimal, 100_000, 100_000, 1e-4, False, False),  # proven: nothing to add
])
def test_the_terminal_says_a_plan_was_accepted_at_the_gap(status, objective, bound, limit,
                                                         interrupted, said):
    words = _gap_words(_result(status, objective, bound, limit, interrupted))
    assert (words == "  (within --gap 0.01%; --gap 0 to prove optimality)") is said
    assert bool(words) is said


def test_the_terminal_says_when_an_early_plan_came():
    early = EarlyStats(objective=99_800, bound=100_000, lp_rounds=4, seconds=0.3, at_seconds=9.48)
    line = _times(RunStats(build_seconds=20.0, solve_seconds=30.0, early_plan=early))
    assert line == ("time       build 20.0s, solve 30.0s; first plan at 9.48s, "
                    "0.20% from the bound then")
    assert "first plan" not in _times(RunStats(build_seconds=2.0, solve_seconds=0.0))
