"""The national benchmark's plumbing (benchmarks/national.py) on the tiny scenario: a child
started as ``python -m benchmarks.national --child`` from the repository root, the planner's
figures read from its run statistics, the table and the command it says to re-run.

The benchmark itself (generated countries, 30 s per method) is run by hand; these keep its
parts working while the planner changes under it."""

from __future__ import annotations

import argparse
import pickle

from benchmarks.national import (
    child_planner,
    merged_command,
    refusal,
    reproduce_command,
    spawn,
    table,
)
from benchmarks.peers import greedy


def _args(cache, **kw) -> argparse.Namespace:
    defaults = {"cache": cache, "time_limit": 20.0, "workers": 2, "seed": 0, "mem_limit_gib": 12.0}
    return argparse.Namespace(**{**defaults, **kw})


def test_a_child_runs_as_a_module_from_the_root(tiny_scenario, tmp_path):
    with open(tmp_path / "tiny.scenario.pkl", "wb") as f:
        pickle.dump(tiny_scenario, f)
    out = spawn("greedy", "tiny", _args(tmp_path), wall_limit=300)
    assert out.get("status") != "failed", out.get("note")
    assert out["objective"] == greedy(tiny_scenario).objective
    assert out["valid"] is True and out["peak_bytes"] > 0


def test_the_planner_child_reads_the_run_figures(case, tmp_path):
    scn, ref, _ = case
    out = child_planner(scn, _args(tmp_path))
    assert out["status"] == "optimal" and out["objective"] == ref.objective
    assert out["valid"] is True
    assert out["build_seconds"] is not None and out["solve_seconds"] is not None
    assert out["first_plan_seconds"] is not None and out["gap1_seconds"] is not None
    assert out["extra"]["bound"] == ref.objective and out["extra"]["mode"] == "full"


def test_the_table_shows_the_flow_bound_and_the_gap_to_it():
    results = {"0.05": {"prepare": {"counts": {"posts": 3, "candidates": 6}, "spec": {"pairs": 12}},
                        "methods": {"flow": {"status": "bound", "bound": 110, "total_seconds": 0.5},
                                    "greedy": {"status": "feasible", "objective": 100,
                                               "valid": True, "build_seconds": 0.25,
                                               "first_plan_seconds": 0.3, "peak_bytes": 2 ** 20}}}}
    rows = table(results, ["0.05"], ["greedy", "flow"], 30).splitlines()
    assert rows[2] == ("| legacy x 0.05 | greedy | 3 | 6 | 12 | 0.25 | 0.30 | - | 100 | - | 10.00% "
                       "| yes | 1 |  |")
    assert rows[3] == "| legacy x 0.05 | flow bound | 3 | 6 | 12 | - | 0.50 | - | <= 110 | - | - | - | - |  |"


def test_the_command_to_rerun_leaves_out_where_files_go():
    argv = ["--sizes", "0.05", "--out", "/tmp/x.md", "--peers", "planner,flow", "--json", "r.json"]
    assert reproduce_command(argv) == "python -m benchmarks.national --sizes 0.05 --peers planner,flow"


def test_a_peer_that_could_not_build_within_the_wall_limit_is_not_started(tmp_path):
    legacy_025 = {"pairs": 1_211_489, "variables": 1_211_489, "nonzeros": 3_700_000}
    assert refusal("timefold", legacy_025, _args(tmp_path), 210) == \
        "estimated 500 s to build its model > 210 s wall limit"
    assert refusal("timefold", {**legacy_025, "pairs": 52_817}, _args(tmp_path), 210) is None
    assert refusal("scip", legacy_025, _args(tmp_path, mem_limit_gib=1.0), 210) == \
        "estimated 4 GiB > 1 GiB limit"


def test_a_merged_run_keeps_the_commands_of_the_rows_it_kept():
    earlier = {"command": "python -m benchmarks.national --peers highs", "measured": "2026-11-23 18:10"}
    assert merged_command(earlier, "python -m benchmarks.national --peers scip", "2026-12-01 20:30") == (
        "python -m benchmarks.national --peers highs\n"
        "# then, at 2026-12-01 20:30 UTC, the rows of this command again "
        "(the others kept from 2026-11-23 18:10 UTC):\n"
        "python -m benchmarks.national --peers scip")
    assert merged_command({}, "python -m benchmarks.national", "2026-12-01 20:30") == \
        "python -m benchmarks.national"
