"""Python's cyclic garbage collector, tuned for a run of the planner.

A run allocates hundreds of thousands of small objects that live to the end (a national
roster's 44,000 rows as cells, dicts and pydantic records) and frees almost no cycles: its
bulk is numpy arrays. At the default thresholds (a young collection every 700 allocations,
a full one every hundred of those) the collector walked that growing heap again and again:
1.4 s of the 2.9 s a national legacy scenario took to load, 0.4 s of writing its reports,
and 0.7 s after the command had answered, when the interpreter's last collection walked
every object once more. Collections still run, only less often, and at exit everything is
moved out of the last one's way (:func:`gc.freeze`). Set by the `planner` process and its
research workers only, not on import: a program that uses the planner as a library keeps
its own collector.
"""

from __future__ import annotations

import gc

YOUNG = 50_000
"""Allocations between young collections (Python's default: 700)."""


def for_a_run() -> None:
    """Young collections every :data:`YOUNG` allocations; the older generations' counts as
    they were."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)


def at_exit() -> None:
    """The command has answered: the interpreter's last collection need not walk the run's
    objects (the process's memory goes back to the system with it)."""
    gc.freeze()
