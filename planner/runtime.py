"""The `planner` process tuned for a run: Python's garbage collector and glibc's allocator.

Set by the `planner` process and its research workers only, not on import: a program that
uses the planner as a library keeps its own settings.

The collector. A run allocates hundreds of thousands of small objects that live to the end
(a national roster's 44,000 rows as cells, dicts and pydantic records) and frees almost no
cycles: its bulk is numpy arrays. At the default thresholds (a young collection every 700
allocations, a full one every hundred of those) the collector walked that growing heap again
and again: 1.4 s of the 2.9 s a national legacy scenario took to load, 0.4 s of writing its
reports, and 0.7 s after the command had answered, when the interpreter's last collection
walked every object once more. Collections still run, only less often, and at exit
everything is moved out of the last one's way (:func:`gc.freeze`).

The allocator. The model's stages make and drop arrays of a few million entries (3.7 million
pairs on the legacy country) again and again. glibc hands out blocks that large as fresh
pages from the kernel and gives them back when freed, so each new array paid its page faults
anew. Kept in the heap instead (blocks below 32 MiB, the largest threshold glibc documents,
and a freed top of the heap kept up to 1 GiB), they are reused: a national legacy solve took
10.4 s against 11.1 s (means of four runs, alternating), 35 MB more at the peak (790 MB).
Elsewhere than on glibc this is left as it is.
"""

from __future__ import annotations

import ctypes
import gc

YOUNG = 50_000
"""Allocations between young collections (Python's default: 700)."""
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
"""glibc's `mallopt` parameters (malloc.h)."""
MMAP_THRESHOLD = 32 * 2**20
"""Blocks below this come from the heap (the upper limit mallopt(3) gives on 64 bits)."""
TRIM_THRESHOLD = 2**30
"""Free memory at the heap's top kept for reuse up to this, not given back at once."""


def for_a_run() -> None:
    """Young collections every :data:`YOUNG` allocations (the older generations' counts as
    they were); large arrays from the heap, where the C library is glibc."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
    mallopt = _mallopt()
    if mallopt is not None:
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def at_exit() -> None:
    """The command has answered: the interpreter's last collection need not walk the run's
    objects (the process's memory goes back to the system with it)."""
    gc.freeze()


def _mallopt():
    """glibc's `mallopt`, or None on another C library (musl, macOS, Windows)."""
    try:
        libc = ctypes.CDLL(None)  # the process's own symbols, the C library's among them
        return libc.mallopt if hasattr(libc, "gnu_get_libc_version") else None
    except (OSError, AttributeError, TypeError):
        return None
