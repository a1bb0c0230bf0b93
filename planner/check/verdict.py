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


@dataclass
class HorizonReport(CheckReport):
    """The checker's verdict on a horizon plan: the fields of :class:`CheckReport` over the whole
    horizon (summed, violations prefixed with their period's year), so that whatever reads a
    one-period report reads this one, and the verdict of every period in `periods`."""

    periods: list[tuple[int, CheckReport]] = field(default_factory=list)

    @classmethod
    def combine(cls, problems: list[str], periods: list[tuple[int, CheckReport]]) -> HorizonReport:
        """The horizon's verdict from its structural `problems` and its periods' verdicts."""
        violations = list(problems)
        terms: dict[str, int] = {}
        for year, rep in periods:
            violations += [f"{year}: {v}" for v in rep.violations]
            for term, value in rep.terms.items():
                terms[term] = terms.get(term, 0) + value
        rules = [_summed([(year, rep.rules[i]) for year, rep in periods])
                 for i in range(len(periods[0][1].rules) if periods else 0)]
        return cls(valid=not violations, violations=violations,
                   objective=sum(rep.objective for _, rep in periods), terms=terms, rules=rules,
                   filled=sum(rep.filled for _, rep in periods),
                   vacant=sum(rep.vacant for _, rep in periods),
                   moved=sum(rep.moved for _, rep in periods), periods=periods)

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "periods": [
            {"year": year, "filled": rep.filled, "vacant": rep.vacant, "moved": rep.moved,
             "objective": rep.objective, "rules": [r.to_json() for r in rep.rules]}
            for year, rep in self.periods]}


def _summed(verdicts: list[tuple[int, RuleVerdict]]) -> RuleVerdict:
    """One rule over the horizon: its violation (hence its penalty) and its counts summed over
    the periods; a figure that is not a count is kept only where every period agrees on it
    (a required share), since a sum or a pick of such figures would mislead."""
    first = verdicts[0][1]
    figures: dict[str, Any] = {}
    for key, value in first.figures.items():
        values = [v.figures.get(key) for _, v in verdicts]
        if all(isinstance(x, int) and not isinstance(x, bool) for x in values):
            figures[key] = sum(values)
        elif all(x == value for x in values):
            figures[key] = value
    return RuleVerdict(first.rule, first.hard, first.weight, sum(v.violation for _, v in verdicts),
                       figures, [f"{year}: {b}" for year, v in verdicts for b in v.breaches])
