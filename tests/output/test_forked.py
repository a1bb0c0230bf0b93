"""plan.xlsx is built in a forked child (planner/output/forked.py): the same bytes as in the
process itself, the child's failures as the parent's notes, and no child left behind."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from reporting import small_result

import planner.output.folder as folder
import planner.output.forked as forked
from planner.output.excel import workbook_bytes
from planner.output.forked import ChildFailed, Forked

pytestmark = pytest.mark.skipif(not forked.FORKS, reason="work goes to a child on Linux only")


def test_the_work_runs_in_another_process_and_gives_its_bytes_back():
    parent = os.getpid()
    assert int(Forked(lambda: str(os.getpid()).encode()).result()) != parent
    big = bytes(range(256)) * 20_000  # past a pipe's buffer: the child waits for the reader
    assert Forked(lambda: big).result() == big


def test_off_linux_the_work_runs_in_the_process_itself(monkeypatch):
    monkeypatch.setattr(forked, "FORKS", False)
    assert int(Forked(lambda: str(os.getpid()).encode()).result()) == os.getpid()


def test_the_childs_exception_comes_back_as_its_words():
    def fails() -> bytes:
        raise ValueError("no plan to export")

    with pytest.raises(ChildFailed, match="^ValueError: no plan to export$"):
        Forked(fails).result()


def test_a_child_that_dies_says_so():
    with pytest.raises(ChildFailed, match="status 3"):
        Forked(lambda: os._exit(3)).result()


def test_cancel_stops_a_child_whose_bytes_are_not_wanted():
    def slow() -> bytes:
        time.sleep(60)
        return b""

    work = Forked(slow)
    tick = time.perf_counter()
    work.cancel()
    assert time.perf_counter() - tick < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(work._pid or -1, os.WNOHANG)  # reaped: no such child any more


def test_the_forked_workbook_is_the_one_built_in_process(tmp_path: Path, monkeypatch):
    result, scn = small_result()
    folder.write_run(tmp_path / "forked", result, scn, None)
    monkeypatch.setattr(forked, "FORKS", False)
    folder.write_run(tmp_path / "inline", result, scn, None)
    built = _members(workbook_bytes(result, scn, None))
    assert _members((tmp_path / "forked" / "plan.xlsx").read_bytes()) == built
    assert _members((tmp_path / "inline" / "plan.xlsx").read_bytes()) == built


def _members(data: bytes) -> dict[str, bytes]:
    """The files of a workbook but its creation time (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


def test_a_workbook_that_fails_in_the_child_is_a_note_and_the_rest_is_written(tmp_path: Path,
                                                                            monkeypatch):
    def broken(*args, **kwargs) -> bytes:
        raise RuntimeError("the disk of the child")

    monkeypatch.setattr(folder, "workbook_bytes", broken)
    result, scn = small_result()
    written = folder.write_run(tmp_path, result, scn, None)
    assert written.files == ["plan.csv", "summary.json", "report.html"]
    assert "could not write plan.xlsx: RuntimeError: the disk of the child" in written.notes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv", "report.html",
                                                          "summary.json"]
