"""The `planner` process tunes the garbage collector for a run (planner/collector.py); a
program that imports the planner keeps its own."""

import gc
import signal

import pytest

import planner.cli
from planner import collector, entry
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
    assert seen == [collector.YOUNG]
    assert gc.get_freeze_count() > 0  # the interpreter's last collection walks nothing


def test_research_workers_tune_it_too_and_importing_does_not(restored):
    assert gc.get_threshold()[0] != collector.YOUNG  # importing the planner changed nothing
    runner._worker_init()
    assert gc.get_threshold()[0] == collector.YOUNG
