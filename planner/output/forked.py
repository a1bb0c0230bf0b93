"""Bytes computed in a forked child while the parent goes on: `planner solve` builds plan.xlsx
on the second core while it writes plan.csv, report.html and summary.json itself.

Why a child and not a thread: the workbook is pure Python (xlsxwriter), so a thread would hold
the GIL against the parent's own writing; a forked child shares the parent's memory copy on
write, needs nothing pickled, and gives back only the file's bytes through a pipe. Nationally
the workbook took 1.5 of the 2.5 s the files took, and the parent's part is most of the rest
(docs/benchmarks.md, "Files").

The child only computes: it writes no file, prints nothing and leaves with ``os._exit`` (no
atexit handler, no flushing of the parent's buffers, no lock of the parent released twice); the
parent writes the bytes it gets, so a set is still replaced as a unit (planner/io/atomic.py).
Off Linux (Windows has no fork; macOS forbids it beside some system frameworks' threads) the
work runs in the parent when its bytes are asked for, with the same result.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import warnings
from collections.abc import Callable
from typing import NoReturn

FORKS = sys.platform.startswith("linux")
"""Whether the work goes to a child (tests switch it off to check the in-process path)."""
_DONE, _FAILED = b"\0", b"\1"
"""The first byte the child sends: its bytes follow, or its error's words."""


class ChildFailed(Exception):
    """The child's work raised (its type and message are the text), or the child died."""


class Forked:
    """`work()` started now in a child; :meth:`result` waits for its bytes."""

    def __init__(self, work: Callable[[], bytes]):
        self._work = work
        self._pid: int | None = None
        self._pipe: int | None = None
        if FORKS:
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        with warnings.catch_warnings():  # Python 3.12+ warns of other threads (HiGHS's, the
            warnings.simplefilter("ignore", DeprecationWarning)  # progress line's): the
            pid = os.fork()  # child runs none of their code and takes none of their locks
        if pid == 0:
            os.close(read)
            _child(write, self._work)
        os.close(write)
        self._pid, self._pipe = pid, read

    def result(self) -> bytes:
        """The bytes of `work()`; its exception in the parent's own process, or
        :class:`ChildFailed` with the child's words."""
        if self._pid is None:
            return self._work()
        with os.fdopen(self._pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if data[:1] == _DONE:
            return data[1:]
        if data[:1] == _FAILED:
            raise ChildFailed(data[1:].decode("utf-8", "replace"))
        raise ChildFailed(f"the process computing it ended with status "
                          f"{os.waitstatus_to_exitcode(status)} and no result")

    def cancel(self) -> None:
        """Stop the child if its bytes were never asked for (the parent failed first)."""
        if self._pid is None:
            return
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._pipe)
        self._pid = None


def _child(pipe: int, work: Callable[[], bytes]) -> NoReturn:
    """In the child: send `work()`'s bytes (or its error) and leave, whatever happens."""
    try:
        gc.disable()  # a collection would write to every object's header, copying the
        try:  # parent's pages one by one; what the work leaves is freed on exit
            payload = _DONE + work()
        except BaseException as exc:  # the parent words it as a note: the plan is written
            payload = _FAILED + f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")
        with os.fdopen(pipe, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)
