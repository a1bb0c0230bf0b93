"""What `planner solve` shows while it works: the phase, the elapsed time, the best plan so far.

:class:`ProgressDisplay` is a :data:`planner.solver.result.ProgressHook` (call it with each
:class:`~planner.solver.result.Progress`) and a context manager. It writes to standard error, so that
standard output keeps only the result, and it has three modes:

* ``live`` — a terminal: one status line redrawn in place (with :mod:`rich`), ticking every
  quarter second: ``solving  12.3s  best 4558  bound 4625  gap 1.47%``;
* ``plain`` — not a terminal (a pipe, a log file, CI): one line per phase, and a line per
  improving plan at most every `interval` seconds (the last one is always shown);
* ``quiet`` — nothing at all (``--quiet``).

Phases: ``loading`` (reading and validating the files), then :func:`planner.solver.pipeline.solve`'s
``building``, ``solving``, ``verifying`` (or ``explaining``), and ``writing`` (the output files).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO, Any, Literal

from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from planner.solver.result import Progress, relative_gap

Mode = Literal["live", "plain", "quiet"]

PHASES = ("loading", "building", "solving", "verifying", "explaining", "writing")


def status_text(phase: str, elapsed: float, objective: int | None, bound: int | None) -> str:
    """The status line: phase, elapsed seconds, and the best plan's figures once there is one."""
    parts = [f"{phase:<10}", f"{elapsed:7.1f}s"]
    if objective is not None:
        parts.append(f"best {objective}")
    if bound is not None:
        parts.append(f"bound {bound}")
    gap = relative_gap(objective, bound)
    if gap is not None:
        parts.append(f"gap {gap:.2%}")
    return "  ".join(parts)


def choose_mode(stream: IO[str], quiet: bool = False) -> Mode:
    if quiet:
        return "quiet"
    isatty = getattr(stream, "isatty", None)
    try:
        return "live" if isatty is not None and isatty() else "plain"
    except ValueError:  # a closed stream
        return "plain"


class ProgressDisplay:
    """A progress hook that shows the solve as it goes (see the module's description)."""

    def __init__(self, mode: Mode | None = None, *, stream: IO[str] | None = None,
                 quiet: bool = False, interval: float = 2.0,
                 clock: Callable[[], float] = time.perf_counter):
        self.stream = stream if stream is not None else sys.stderr
        self.mode: Mode = mode or choose_mode(self.stream, quiet)
        self.interval = interval
        self.clock = clock
        self.start = clock()
        self.phase = "starting"
        self.objective: int | None = None
        self.bound: int | None = None
        self.improvements = 0
        self._last_plain = -float("inf")
        self._pending: str | None = None
        self._live: Any = None

    # -- the context: a live display lives between enter and exit ---------------------------
    def __enter__(self) -> "ProgressDisplay":
        if self.mode == "live":
            console = Console(file=self.stream, highlight=False)
            self._live = Live(self._renderable(), console=console, refresh_per_second=4,
                              transient=True, get_renderable=self._renderable)
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        self._flush_pending()

    # -- feeding it ------------------------------------------------------------------------
    def __call__(self, p: Progress) -> None:
        """The hook given to :func:`planner.solver.pipeline.solve`."""
        if p.objective is not None:
            improved = self.objective is None or p.objective != self.objective
            self.objective = p.objective
            self.bound = p.bound
        else:
            improved = False
        if p.phase != self.phase:
            self.set_phase(p.phase)
        elif improved:
            self.improvements += 1
            self._plain_improvement()

    def set_phase(self, phase: str) -> None:
        """A new phase: `loading` and `writing` come from the command, the others from solve."""
        self.phase = phase
        if self.mode == "plain":
            self._pending = None
            self._write(self.line())

    def elapsed(self) -> float:
        return self.clock() - self.start

    def line(self) -> str:
        return status_text(self.phase, self.elapsed(), self.objective, self.bound)

    def note(self, text: str) -> None:
        """A line of its own (e.g. `interrupted: ...`), shown above a live status line."""
        if self.mode == "quiet":
            return
        if self._live is not None:
            self._live.console.print(text, markup=False, highlight=False)
        else:
            self._write(text)

    def done(self, text: str | None = None) -> None:
        """The last line: how long it all took, with the best plan's figures."""
        if self.mode == "quiet":
            return
        self.close()
        final = status_text("done", self.elapsed(), self.objective, self.bound)
        self._write(final + (f"  ({text})" if text else ""))

    # -- internals -------------------------------------------------------------------------
    def _plain_improvement(self) -> None:
        if self.mode != "plain":
            return
        now = self.clock()
        text = self.line()
        if self.improvements == 1 or now - self._last_plain >= self.interval:
            self._pending = None
            self._write(text)
        else:
            self._pending = text  # shown at the next phase change or at the end

    def _flush_pending(self) -> None:
        if self._pending is not None:
            text, self._pending = self._pending, None
            self._write(text)

    def _write(self, text: str) -> None:
        if self.mode == "quiet":
            return
        self._last_plain = self.clock()
        try:
            self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe must not stop the planner

    def _renderable(self) -> Any:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{self.phase:<10}", style="bold cyan")
        text.append(f" {self.elapsed():7.1f}s")
        if self.objective is not None:
            text.append("  best ", style="dim")
            text.append(str(self.objective), style="bold")
        if self.bound is not None:
            text.append("  bound ", style="dim")
            text.append(str(self.bound))
        gap = relative_gap(self.objective, self.bound)
        if gap is not None:
            text.append("  gap ", style="dim")
            text.append(f"{gap:.2%}", style="green" if gap == 0 else "yellow")
        if self.phase == "solving":
            text.append("   Ctrl-C: stop, keep the best plan", style="dim")
        grid = Table.grid(padding=(0, 1))
        grid.add_row(Spinner("dots"), text)
        return grid
