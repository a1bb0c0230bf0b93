"""Ctrl-C before a command runs: a line, not a traceback.

Loading a command takes a second or more (OR-Tools, pandas, the rules). A KeyboardInterrupt
raised inside those imports would end in a traceback; until the command starts, Ctrl-C instead
says so and exits 130 (nothing has been written yet). This module imports nothing heavy, and
the entry point (planner/entry.py) installs the handler before the command line's own
modules load; the command line gives Ctrl-C back when the command starts, and the entry point
takes it away again when the command has answered (:func:`command_ended`).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

MESSAGE = "interrupted during start-up: nothing written"


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """Say so and end the process at once. Not by raising (SystemExit): raised inside a C
    extension's import (numpy's), an exception is turned into an ImportError that the import
    goes on from, and ends in a traceback after all. Nothing is open for writing yet."""
    sys.stderr.write(MESSAGE + "\n")
    sys.stderr.flush()
    os._exit(130)


def at_start_up() -> None:
    """From now until :func:`command_starts`, Ctrl-C ends the process with :data:`MESSAGE`. A
    program that set its own SIGINT handler, or a thread, keeps its own."""
    if threading.current_thread() is threading.main_thread() \
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)


def command_starts() -> None:
    """Give Ctrl-C back to Python's KeyboardInterrupt, which the commands catch themselves."""
    if signal.getsignal(signal.SIGINT) is _interrupted:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def command_ended() -> None:
    """The command has answered (its exit status is set): Ctrl-C and SIGTERM are ignored while
    the interpreter shuts down, which takes a while after a large solve. Taken there, a
    Ctrl-C would turn the command's status into death by SIGINT (-2), after "done"."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
