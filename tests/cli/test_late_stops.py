"""Ctrl-C at the end of `planner solve`: while the files are written, and once the command has
answered. Each instant was found by sending SIGINT at random times to real runs: one landed in
pydantic's serializer (a PydanticSerializationError and a traceback), and one in five after
"done", where it turned exit 0 into death by SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner
from reporting import SMALL

import planner.cli.solving as solving
from planner.cli import main


def test_ctrl_c_while_writing_is_taken_once_the_set_is_in_place(tmp_path, monkeypatch):
    real = solving.write_run

    def writing(*args, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
        except KeyboardInterrupt as exc:  # what a C extension's callback does with it
            raise ValueError("Error serializing to JSON: KeyboardInterrupt") from exc
        return real(*args, **kwargs)

    monkeypatch.setattr(solving, "write_run", writing)
    out = tmp_path / "o"
    res = CliRunner().invoke(main, ["solve", str(SMALL), "-o", str(out), "--no-excel"])
    assert res.exit_code == 130, (res.output, res.exception)
    assert "interrupted during writing" in res.output
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["files"]) == {"plan.csv", "report.html"}  # this run's set, whole
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back


def test_ctrl_c_after_the_command_has_answered_keeps_its_exit_status():
    code = ("import os, signal, sys, time\nsys.argv = ['planner', '--version']\n"
            "from planner.entry import run\ntry:\n    run()\nexcept SystemExit as exc:\n"
            "    status = exc.code\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(0.2)\n"
            "print('status', status)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "status 0"
