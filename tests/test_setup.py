"""The README's two commands are what a fresh machine needs, and CI runs exactly them.

A fresh machine has Python and nothing else: the test command must install the test extra and
the system browser the HTML report's tests use (Debian's chromium, where it is missing), and
`.ci/run` must run that same command, so a missing step fails in CI and not only elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, re.S)][:2]


def test_the_readme_opens_with_a_run_command_and_a_test_command():
    run, test = _readme_commands()
    assert run.startswith("pip install .") and "planner solve scenarios/" in run
    assert test.endswith("pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    _, test = _readme_commands()
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test in lines


def test_the_test_command_sets_up_the_browser_and_the_test_extra():
    _, test = _readme_commands()
    script = re.match(r"bash (\S+) && pytest$", test)
    assert script, test
    setup = (ROOT / script.group(1)).read_text()
    assert "pip install '.[test]'" in setup
    assert "command -v chromium" in setup and "apt-get install" in setup and "chromium" in setup
