"""`planner solve` refuses a scenario that would not fit in memory, before any work (exit 5)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from planner import load_scenario
from planner.cli.solving import solve_cmd
from planner.solver.memory import estimate

SMALL = Path(__file__).resolve().parents[2] / "scenarios" / "small.yaml"


def test_refuses_under_a_tiny_limit_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(solve_cmd, [str(SMALL), "-o", str(out), "-q",
                                         "--memory-limit", "0.001"])
    assert res.exit_code == 5, res.output
    est = estimate(load_scenario(SMALL))
    assert (f"error: this solve would need about {est.peak_bytes / 1024 ** 3:.3g} GiB of memory "
            f"(estimated from {est.posts} posts, {est.officers} officers and at most "
            f"{est.pairs:,} eligible pairs), more than --memory-limit: 0.001 GiB. Nothing was "
            "solved or written.") in res.output
    assert not out.exists()


def test_solves_under_a_limit_it_fits(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(solve_cmd, [str(SMALL), "-o", str(out), "-q", "--no-report",
                                         "--no-excel", "--memory-limit", "64"])
    assert res.exit_code == 0, res.output
    assert (out / "plan.csv").exists()


def test_memory_limit_must_be_positive(tmp_path):
    res = CliRunner().invoke(solve_cmd, [str(SMALL), "-o", str(tmp_path), "--memory-limit", "0"])
    assert res.exit_code == 2 and "--memory-limit" in res.output
