"""`python -m planner`: the `planner` command (planner/entry.py)."""

from planner.entry import run

run()
