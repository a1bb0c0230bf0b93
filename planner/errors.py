"""Problems found in input files, collected and reported together.

Planners fix input files in batches, so loading never stops at the first problem: every
problem is recorded with where it is (file, YAML line or CSV row, field) and what was
expected, and the whole list is raised at the end as one :class:`InputError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in an input file."""

    file: str
    message: str
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.row is not None:
            where += f" row {self.row}"
        fld = f" {self.field}:" if self.field else ""
        return f"{where}:{fld} {self.message}"


class InputError(Exception):
    """Invalid scenario, policy or plan file(s): every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


@dataclass
class Problems:
    """A collector that loading code appends to; :meth:`raise_if_any` ends a phase."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str | Path, message: str, *, line: int | None = None,
            row: int | None = None, field: str | None = None) -> None:
        self.items.append(Problem(str(file), message, line, row, field))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items)
