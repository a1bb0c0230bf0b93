"""Writing a file whole or not at all: every output (plan.csv, summary.json, report.html, plan.xlsx).

The bytes go to a temporary file beside the final name, are flushed to disk and then renamed
over it; unlike a bare ``mkstemp`` file, the result gets the usual permissions (``0666`` less
the umask), since plans and reports are made to be shared.

A run folder's files belong together, so they are replaced as one set (:func:`begin_set`,
:func:`commit_set`, :func:`settle_set`): written into a hidden staging folder inside it, flushed,
marked complete, then renamed into place one by one. A kill before the mark leaves the earlier
set (the staging folder is removed by the next writer or reader); after it, the next writer or
reader finishes the renames. Either way no temporary file stays beside the set.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a kill leaves the earlier file, or none)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- a folder of files replaced as one set -----------------------------------------------------

STAGING = ".staging"
"""The hidden folder inside a run folder where the next set of files is written first."""
MARKER = ".complete"
"""Written into the staging folder last: from then on the set is whole and is to be moved into
place (rolled forward); a staging folder without it is an interrupted write, removed."""


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes (hex): what summary.json records of each file of its set."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_path(path: Path) -> None:
    """Flush a file's or a folder's entry to disk (a folder: so that renames in it persist)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def folder_lock(folder: Path, wait: bool = True) -> Iterator[bool]:
    """Hold `folder`'s lock (an advisory `flock` on the folder itself: no lock file to leave
    behind) while replacing its set, so that two runs writing one folder take turns instead of
    removing each other's staging folder. Yields whether the lock is held (with `wait` False,
    False when another process holds it)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


def begin_set(folder: Path) -> Path:
    """Start writing a new set of files into `folder` (made, and locked by the caller with
    :func:`folder_lock`): an empty staging folder, after settling whatever an earlier
    interrupted writer left there."""
    folder = Path(folder)
    staging = folder / STAGING
    if staging.is_dir():
        _settle(folder, staging)
    staging.mkdir()
    return staging


def commit_set(folder: Path, names: list[str], remove: list[str]) -> None:
    """Make the staged files `names` the folder's set, and delete the earlier set's `remove`.

    Every staged file is flushed to disk, then the marker (the list of names) is written and
    flushed: a kill before it leaves the earlier set untouched; after it, the move into place
    is finished by whoever opens the folder next (:func:`settle_set`).
    """
    folder = Path(folder)
    staging = folder / STAGING
    for name in names:
        _fsync_path(staging / name)
    marker = json.dumps({"files": names, "remove": remove}).encode("utf-8")
    with open(staging / MARKER, "wb") as fh:
        fh.write(marker)
        fh.flush()
        os.fsync(fh.fileno())
    _fsync_path(staging)
    _roll_forward(folder, names, remove)


def settle_set(folder: Path) -> str | None:
    """Finish or undo an interrupted write in `folder`: a marked staging folder is moved into
    place, an unmarked one removed. What was done, for a note (None: nothing to do, or another
    process is writing the folder now)."""
    staging = Path(folder) / STAGING
    if not staging.is_dir():
        return None
    with folder_lock(folder, wait=False) as held:
        if not held:
            return None  # a writer is at work there: its set is not ours to settle
        return _settle(Path(folder), staging)


def _settle(folder: Path, staging: Path) -> str:
    """:func:`settle_set` under the folder's lock."""
    try:
        plan = json.loads((staging / MARKER).read_text(encoding="utf-8"))
        names, remove = list(plan["files"]), list(plan["remove"])
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(staging, ignore_errors=True)
        return f"removed an interrupted write's files from {folder} (the earlier files stand)"
    _roll_forward(Path(folder), names, remove)
    return f"finished moving an interrupted run's complete set of files into {folder}"


def _roll_forward(folder: Path, names: list[str], remove: list[str]) -> None:
    """Move each staged file into place, delete the earlier set's leftovers, drop the staging
    folder. Repeatable: a file already moved is skipped, so an interrupted roll-forward is
    finished by the next one."""
    staging = folder / STAGING
    for name in names:
        try:
            os.replace(staging / name, folder / name)
        except FileNotFoundError:
            pass  # moved by an earlier, interrupted roll-forward
    for name in remove:
        (folder / name).unlink(missing_ok=True)
    _fsync_path(folder)
    (staging / MARKER).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def set_mismatches(folder: Path, recorded: object) -> list[str]:
    """Which files of `folder` do not belong to the set its summary.json records (`recorded`:
    the summary's `files`, name -> sha256): one line per file, empty when all agree. A summary
    from before hashes were recorded (no `files`) can tell nothing: no line."""
    if not isinstance(recorded, dict):
        return []
    folder = Path(folder)
    out = []
    for name, digest in recorded.items():
        path = folder / str(name)
        if not path.is_file():
            out.append(f"{path} is missing: {folder / 'summary.json'} lists it as part of its run")
        elif sha256_file(path) != digest:
            out.append(f"{path} does not belong to {folder / 'summary.json'} (its sha256 differs "
                       "from the one recorded: written by another run, or edited)")
    return out
