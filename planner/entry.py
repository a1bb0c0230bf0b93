"""The `planner` command's entry point (pyproject.toml, and `python -m planner`): the Ctrl-C
handler of start-up first (planner/interrupt.py), then the command line, then no handler at
all while the process ends; the collector and the allocator tuned for a run
(planner/runtime.py)."""

from planner import runtime
from planner.interrupt import at_start_up, command_ended


def run() -> None:
    """`planner ...`: click and the command's modules are imported here on purpose, after the
    handler, so that Ctrl-C while they load is a line, not a traceback."""
    at_start_up()
    from planner.cli import main

    runtime.for_a_run()
    try:
        main()
    finally:
        command_ended()
        runtime.at_exit()
