"""benchmarks/neighbourhood.py: the myopic plan pinned outside the freed provinces, period by
period, so that the pinned horizon's plans differ from it only there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.horizon import YEARS
from benchmarks.neighbourhood import neighbourhood, provinces
from planner.generate.national import generate
from planner.solver.pipeline import solve, solve_myopic

ROOT = Path(__file__).resolve().parents[2]


def test_the_neighbourhood_pins_every_filled_post_outside_it_and_its_plan_differs_only_inside():
    scenario = generate("legacy", 0.05, seed=3, periods=YEARS).to_scenario()
    myopic = solve_myopic(scenario, time_limit=30, workers=1)
    where = provinces(scenario)
    free = {where[scenario.posts[-1].id]}
    pinned, freed, _ = neighbourhood(scenario, myopic, free)
    assert freed == free
    outside = {(y, q): c for y, plan in myopic.plans.items() for q, c in plan.items()
               if c is not None and where[q] not in free}
    assert {(p.period, p.post): p.candidate for p in pinned.fixed} == outside
    result = solve(pinned, time_limit=30, workers=1)
    assert result.check is not None and result.check.valid
    for (year, post), cand in outside.items():
        assert result.plans[year][post] == cand


def test_the_neighbourhood_benchmark_prints_both_methods():
    run = subprocess.run([sys.executable, "-m", "benchmarks.neighbourhood", "--fraction", "0.05",
                          "--time-limit", "20", "--myopic-limit", "20",
                          "--workers", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    totals = [line for line in run.stdout.splitlines() if line.startswith("| **")]
    assert [line.split(" | ")[0] for line in totals] == ["| **myopic**", "| **neighbourhood**"]
