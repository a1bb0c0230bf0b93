"""The progress display: plain lines off a terminal, a live line on one, nothing with --quiet."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from reporting import SMALL, signal_at_first_plan, small_result

from planner.cli import main
from planner.output.progress import ProgressDisplay, choose_mode, status_text
from planner.solver.result import Progress, Result, Status


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def feed(display: ProgressDisplay, clock: Clock) -> None:
    """A solve as solve() reports it: phases, then improving plans, then verifying."""
    display.set_phase("loading")
    clock.now += 0.5
    display(Progress("building", 0.0))
    clock.now += 1.0
    display(Progress("solving", 1.0))
    for t, obj, bound in [(0.2, 900, 1200), (0.3, 950, 1200), (0.4, 990, 1100), (3.0, 1000, 1050)]:
        clock.now += t
        display(Progress("solving", 0.0, obj, bound))
    clock.now += 0.2
    display(Progress("solving", 0.0, 1010, 1050))  # pending: within the interval
    clock.now += 0.5
    display(Progress("verifying", 0.0, 1010, 1050))
    display.set_phase("writing")


def test_plain_mode_prints_one_line_per_phase_and_throttled_improvements():
    out, clock = io.StringIO(), Clock()
    with ProgressDisplay(stream=out, interval=2.0, clock=clock) as display:
        assert display.mode == "plain"
        feed(display, clock)
    display.done()
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == [
        "loading", "building", "solving", "solving", "solving", "verifying", "writing", "done"]
    assert lines[0] == status_text("loading", 0.0, None, None) == "loading         0.0s"
    assert lines[2] == status_text("solving", 1.5, None, None)
    # the first plan at once, then at most one line per interval: 950 and 990 are folded
    assert lines[3] == status_text("solving", 1.7, 900, 1200)
    assert lines[3].endswith("1.7s  best 900  bound 1200  gap 33.33%")
    assert lines[4] == status_text("solving", 5.4, 1000, 1050)
    assert lines[4].endswith("best 1000  bound 1050  gap 5.00%")
    # the pending 1010 is not lost: the verifying line carries it
    assert lines[5] == status_text("verifying", 6.1, 1010, 1050)
    assert lines[5].endswith("best 1010  bound 1050  gap 3.96%")
    assert lines[-1] == status_text("done", 6.1, 1010, 1050)


def test_last_improvement_is_flushed_when_the_display_closes():
    out, clock = io.StringIO(), Clock()
    display = ProgressDisplay(stream=out, interval=10.0, clock=clock)
    with display:
        display(Progress("solving", 0.0))
        display(Progress("solving", 0.1, 5, 9))
        display(Progress("solving", 0.2, 7, 9))
    assert out.getvalue().splitlines()[-1].endswith("best 7  bound 9  gap 28.57%")


def test_quiet_prints_nothing():
    out, clock = io.StringIO(), Clock()
    with ProgressDisplay(stream=out, quiet=True, clock=clock) as display:
        assert display.mode == "quiet"
        feed(display, clock)
        display.note("interrupted")
    display.done("interrupted")
    assert out.getvalue() == ""


def test_mode_follows_the_stream():
    assert choose_mode(io.StringIO()) == "plain"
    assert choose_mode(TTY()) == "live"
    assert choose_mode(TTY(), quiet=True) == "quiet"


def test_live_mode_draws_the_status_line_on_a_terminal():
    out, clock = TTY(), Clock()
    with ProgressDisplay(stream=out, clock=clock) as display:
        assert display.mode == "live"
        feed(display, clock)
        display.note("a note above the line")
    display.done()
    text = out.getvalue()
    assert "a note above the line" in text
    assert "1010" in text and "1050" in text
    assert text.rstrip().splitlines()[-1].endswith("done            6.1s  best 1010  bound 1050  gap 3.96%")


def test_status_text_without_a_plan_has_no_figures():
    assert status_text("building", 2.25, None, None) == "building        2.2s"


def test_solve_shows_progress_on_stderr_and_quiet_shows_nothing(tmp_path: Path):
    args = ["solve", str(SMALL), "--time-limit", "1", "--workers", "2"]
    res = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    phases = [line.split()[0] for line in res.stderr.splitlines() if line.strip()]
    for phase in ("loading", "building", "solving", "verifying", "writing", "done"):
        assert phase in phases, res.stderr
    assert any("best" in line and "gap" in line for line in res.stderr.splitlines())
    assert res.stdout.startswith("status ")  # the result alone on stdout
    quiet = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "b"), "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == "" and quiet.stderr == ""


def test_an_interrupted_solve_writes_its_plan_marked_as_such(tmp_path: Path, monkeypatch):
    result, scn = small_result()
    stopped = Result(Status.feasible, result.objective, result.bound, result.plan, result.check,
                     stats=replace(result.stats, interrupted=True))

    def fake_solve(scenario, policy=None, *, progress=None, **kw):
        progress(Progress("building", 0.0))
        progress(Progress("solving", 0.1))
        progress(Progress("solving", 0.2, stopped.objective, stopped.bound))
        return stopped

    monkeypatch.setattr("planner.cli.solving.solve", fake_solve)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["solve", str(SMALL), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "interrupted: best plan so far" in res.output
    assert "(interrupted: the best plan found so far)" in res.output
    assert json.loads((out / "summary.json").read_text())["interrupted"] is True
    assert 'id="interrupted"' in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "plan.csv").exists() and (out / "plan.xlsx").exists()


def test_ctrl_c_stops_the_search_and_writes_the_best_plan(tmp_path: Path):
    out = tmp_path / "out"
    code, stderr, seconds = signal_at_first_plan(out, signal.SIGINT)
    assert code == 0, stderr
    assert seconds < 90  # stopped long before the 120 s limit
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] in ("feasible", "optimal") and summary["solve_seconds"] < 100
    assert (out / "plan.csv").exists() and (out / "report.html").exists()
    check = subprocess.run([sys.executable, "-m", "planner", "check", str(SMALL), str(out / "plan.csv")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    # With 2 workers the search is still running at the first plan, so the Ctrl-C reaches it
    # (solve() runs the search in a worker thread; its handler stops CP-SAT).
    if summary["status"] != "optimal":
        assert summary["interrupted"] is True
        assert "interrupted: best plan so far" in stderr
