"""Writing a file whole or not at all: every output (plan.csv, summary.json, report.html, plan.xlsx).

The bytes go to a temporary file beside the final name, are flushed to disk and then renamed
over it; unlike a bare ``mkstemp`` file, the result gets the usual permissions (``0666`` less
the umask), since plans and reports are made to be shared.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
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
