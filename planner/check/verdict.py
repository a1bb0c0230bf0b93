"""The checker's verdicts: one per rule (:class:`RuleVerdict`, what `Rule.check` returns) and one
per plan (:class:`CheckReport`). Plain data, so that rules and reports can import them from
below everything else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RuleVerdict:
    """What a rule says of a plan: its violation (0 when it holds) and figures that show why."""

    rule: str
    hard: bool
    weight: int
    violation: int
    figures: dict[str, Any] = field(default_factory=dict)
    breaches: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return self.violation == 0

    @property
    def penalty(self) -> int:
        return 0 if self.hard else self.weight * self.violation

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "hard": self.hard, "weight": self.weight if not self.hard else None,
                "holds": self.holds, "violation": self.violation, "penalty": self.penalty,
                **self.figures, "breaches": self.breaches[:50]}


@dataclass
class CheckReport:
    """The checker's verdict on one plan."""

    valid: bool
    violations: list[str]
    objective: int
    terms: dict[str, int]
    rules: list[RuleVerdict] = field(default_factory=list)
    filled: int = 0
    vacant: int = 0
    moved: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "objective": self.objective, "terms": self.terms,
                "violations": self.violations[:200], "filled": self.filled,
                "vacant": self.vacant, "moved": self.moved}
