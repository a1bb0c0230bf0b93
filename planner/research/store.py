"""The results file: one SQLite database, one row per run, written as each solve ends.

Each run is committed on its own the moment its result arrives, so a batch that crashes or is
interrupted keeps every run that finished; ``--resume`` then skips the job keys already
stored. The row itself is kept whole as JSON (``row``), with the columns used for look-ups
beside it. SQLite is part of Python: the file needs no server and opens anywhere.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

DONE = ("optimal", "feasible", "infeasible", "unknown")
"""Statuses of finished runs, skipped by ``--resume`` (runs that failed with an error are redone)."""


class StoreError(RuntimeError):
    """The results file cannot be opened or is not one of ours."""


class Store:
    """A results file. Only the process that runs a batch writes to it."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        """Open (or, with `create`, make) the results file; StoreError when it is not one."""
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"{self.path}: no such results file")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(self.path), timeout=60)
            self.db.execute("PRAGMA synchronous=FULL")
            tables = {r[0] for r in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a results file ({exc})") from None
        if not create and "runs" not in tables:
            raise StoreError(f"{self.path}: not a results file (it has no runs table)")
        with self.db:
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS runs ("
                " key TEXT PRIMARY KEY, command TEXT, scenario_hash TEXT, policy_hash TEXT,"
                " label TEXT, status TEXT, stored_at REAL, row TEXT NOT NULL)")
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    def put(self, row: dict[str, Any]) -> None:
        """Store one run (replacing an earlier run of the same job key), committed at once."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row["key"], row.get("command"), row.get("scenario_hash"), row.get("policy_hash"),
                 row.get("label"), row.get("status"), time.time(),
                 json.dumps(row, sort_keys=True, ensure_ascii=False)))

    def done_keys(self) -> set[str]:
        """Keys of the runs that finished (with any solver status; not those that failed)."""
        marks = ",".join("?" * len(DONE))
        return {r[0] for r in self.db.execute(f"SELECT key FROM runs WHERE status IN ({marks})", DONE)}

    def rows(self, keys: list[str] | None = None) -> list[dict[str, Any]]:
        """Stored rows: those of `keys` in that order, or all of them in the order stored."""
        if keys is None:
            return [json.loads(r[0]) for r in self.db.execute("SELECT row FROM runs ORDER BY rowid")]
        found = {}
        for chunk in range(0, len(keys), 500):
            part = keys[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            for key, row in self.db.execute(f"SELECT key, row FROM runs WHERE key IN ({marks})", part):
                found[key] = json.loads(row)
        return [found[k] for k in keys if k in found]

    def rows_of(self, command: str) -> list[dict[str, Any]]:
        """The rows `planner <command>` stored, in the order stored (one results file may hold
        the runs of several commands: ``--results`` shared between them)."""
        return [r for r in self.rows() if r.get("command") == command]

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]

    def close(self) -> None:
        """Every run is committed as it is stored: closing loses nothing."""
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
