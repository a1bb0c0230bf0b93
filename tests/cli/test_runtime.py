"""The `planner` process tunes the garbage collector and the allocator for a run
(planner/runtime.py); a program that imports the planner keeps its own."""

import gc
import signal

import pytest

import planner.cli
from planner import entry, runtime
from planner.research import runner


@pytest.fixture
def restored():
    threshold, handlers = gc.get_threshold(), (signal.getsignal(signal.SIGINT),
                                               signal.getsignal(signal.SIGTERM))
    yield
    gc.set_threshold(*threshold)
    gc.unfreeze()
    signal.signal(signal.SIGINT, handlers[0])
    signal.signal(signal.SIGTERM, handlers[1])


def test_a_command_runs_with_rare_young_collections_and_ends_frozen(monkeypatch, restored):
    seen = []
    monkeypatch.setattr(planner.cli, "main", lambda: seen.append(gc.get_threshold()[0]))
    gc.unfreeze()
    entry.run()
    assert seen == [runtime.YOUNG]
    assert gc.get_freeze_count() > 0  # the interpreter's last collection walks nothing


def test_research_workers_tune_it_too_and_importing_does_not(restored):
    assert gc.get_threshold()[0] != runtime.YOUNG  # importing the planner changed nothing
    runner._worker_init()
    assert gc.get_threshold()[0] == runtime.YOUNG


def test_on_glibc_large_blocks_come_from_the_heap(restored):
    """glibc's mallopt answers 1 when it takes a setting: the values are ones it accepts."""
    mallopt = runtime._mallopt()
    if mallopt is None:
        pytest.skip("not glibc: the allocator is left as it is")
    assert mallopt(runtime.M_MMAP_THRESHOLD, runtime.MMAP_THRESHOLD) == 1
    assert mallopt(runtime.M_TRIM_THRESHOLD, runtime.TRIM_THRESHOLD) == 1
