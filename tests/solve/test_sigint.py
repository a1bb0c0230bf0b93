"""Ctrl-C after a CP-SAT solve is still Python's KeyboardInterrupt (planner/model/cpsat.py):
OR-Tools, left to catch SIGINT, puts back the default action when a solve ends, and a Ctrl-C
between the skeleton's solve and the search killed the process outright (exit -2, caught by
a clean-clone CI run of the start-up test)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from planner.io.loader import load_scenario
from planner.solver.pipeline import solve

SCRIPT = """
import os, signal, time
from ortools.sat.python import cp_model
from planner.model.cpsat import new_solver
model = cp_model.CpModel()
model.maximize(model.new_int_var(0, 10, "x"))
({solver}).solve(model)
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)
    print("no interrupt")
except KeyboardInterrupt:
    print("KeyboardInterrupt")
"""
PLANNER = Path(__file__).resolve().parents[2] / "planner"


def _after_a_solve(solver: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT.format(solver=solver)],
                          capture_output=True, text=True, timeout=120)


def test_ctrl_c_after_a_solve_raises_keyboard_interrupt():
    run = _after_a_solve("new_solver()")
    assert run.returncode == 0, (run.returncode, run.stderr)
    assert run.stdout.strip() == "KeyboardInterrupt"


def test_a_solver_left_to_catch_sigint_loses_pythons_handler():
    """Why new_solver exists: should OR-Tools fix this, the module and this test can go."""
    run = _after_a_solve("cp_model.CpSolver()")
    assert run.returncode == -2 and run.stdout == "", (run.returncode, run.stdout)


def test_every_solver_of_the_planner_is_made_by_new_solver():
    made = [f"{p.relative_to(PLANNER.parent)}:{n}" for p in PLANNER.rglob("*.py")
            if p.name != "cpsat.py"
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"\bCpSolver\(\)", line)]
    assert made == []


def test_ctrl_c_while_the_skeleton_is_completed_keeps_its_plan():
    """The progress line shows the completion's plans as they come (phase `building`), so a
    Ctrl-C then must keep the best of them, as in the search: it used to leave the process with
    "interrupted during building: nothing written" (the small scenario, whose pin narrows its
    pairs, reaches its first plan there)."""
    sent: list[str] = []

    def stop_at_first_plan(progress) -> None:
        if progress.objective is not None and not sent:
            sent.append(progress.phase)
            os.kill(os.getpid(), signal.SIGINT)  # from the completion's callback thread

    scn = load_scenario(str(PLANNER.parent / "scenarios/small.yaml"))
    result = solve(scn, time_limit=60, workers=2, progress=stop_at_first_plan)
    assert sent == ["building"]
    assert result.stats.interrupted and result.has_plan and result.check.valid
    assert result.stats.skeleton.stop == "interrupted" and result.stats.plan_source == "lp"
