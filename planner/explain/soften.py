"""`planner solve --relax`: when a scenario is infeasible, turn the conflicting hard rules soft
and report what the best plan would then violate.

The rules named in the explanation's conflicting set become soft, each at its own `weight` if
it has one, else at the relax weight (default 100000: far above any score, so the plan breaks
them as little as it can). The scenario is solved again; if it is still infeasible (another
conflict shows once the first is lifted), that conflict's rules are softened too, for a few
rounds. Pins and post requirements (E1) are never relaxed: a conflict among them alone is
reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.explain.words import Diagnosis
from planner.scenario import Policy, Scenario
from planner.solver.pipeline import solve
from planner.solver.result import Result, Status

RELAX_WEIGHT = 100_000
"""Default cost of each unit of violation of a relaxed rule."""


@dataclass
class Softened:
    """The softened run of `--relax`: which rules gave way, and what its best plan breaks."""

    softened: list[str] = field(default_factory=list)
    """Titles of the hard rules made soft."""
    weight: int = RELAX_WEIGHT
    rounds: int = 0
    result: Result | None = None
    """The result of the softened scenario (None if not solved)."""
    policy: Policy | None = None
    broken: list[dict[str, Any]] = field(default_factory=list)
    """Per softened rule: violation, penalty, breaches in the softened plan."""
    note: str | None = None
    """Why nothing (more) could be softened."""
    plan_file: Path | None = None
    """Where the softened plan was written (:func:`planner.output.summary.write_softened`)."""

    @property
    def remarks(self) -> str | None:
        """The note and where the plan went, as summary.json and the command line say them."""
        where = f"the relaxed plan is in {self.plan_file}" if self.plan_file is not None else None
        return "; ".join(x for x in (self.note, where) if x) or None

    def to_json(self) -> dict[str, Any]:
        res = self.result
        return {"softened": self.softened, "weight": self.weight, "rounds": self.rounds,
                "status": res.status.value if res is not None else None,
                "objective": res.objective if res is not None else None,
                "broken": self.broken, "note": self.remarks}

    def lines(self) -> list[str]:
        out = [f"relaxed: {', '.join(self.softened) or 'nothing'} made soft "
               f"(weight {self.weight} per unit of violation unless the rule has its own)"]
        res = self.result
        if res is not None and res.has_plan:
            out.append(f"the best plan then has objective {res.objective} "
                       f"({res.status.value}) and breaks:")
            for b in self.broken:
                if b["violation"]:
                    out.append(f"  {b['rule']}: violation {b['violation']}"
                               + (": " + "; ".join(b["breaches"][:5]) if b["breaches"] else ""))
                else:
                    out.append(f"  {b['rule']}: holds after all")
        elif res is not None:
            out.append(f"still no plan after relaxing (status {res.status.value})")
        if self.remarks:
            out.append(self.remarks)
        return out


def solve_softened(scenario: Scenario, policy: Policy, diagnosis: Diagnosis | None, *,
                   weight: int = RELAX_WEIGHT, rounds: int = 4, **solve_kwargs: Any) -> Softened:
    """Soften the hard rules of `diagnosis.conflict` and solve again, up to `rounds` times;
    `solve_kwargs` go to :func:`planner.solver.pipeline.solve`."""
    rules = list(policy.rules)
    out = Softened(weight=weight)
    diag = diagnosis
    for _ in range(rounds):
        names = {m.name for m in (diag.conflict if diag is not None else []) if m.kind == "rule"}
        if diag is not None and not diag.conflict:  # no conflict known: rules named in the checks
            text = " ".join(diag.structural)
            names = {r.title for r in rules if r.hard and r.title in text}
        targets = [i for i, r in enumerate(rules) if r.hard and r.title in names]
        if not targets:
            out.note = ("nothing left to relax: the conflict is among pins and post requirements "
                        "(change or drop a fixed or forbidden pair)" if diag and diag.conflict
                        else "nothing to relax: no hard rule is named in the explanation")
            break
        out.softened += list(dict.fromkeys(rules[i].title for i in targets))
        out.rounds += 1
        out.policy = softened_policy(policy, out.softened, weight)
        rules = list(out.policy.rules)
        out.result = solve(scenario, out.policy, **solve_kwargs)
        if out.result.status is not Status.infeasible:
            break
        diag = out.result.diagnosis
    res = out.result
    if res is not None and res.has_plan and res.check is not None:
        soft = set(out.softened)
        out.broken = [{"rule": r.rule, "violation": r.violation, "penalty": r.penalty,
                       "breaches": r.breaches[:20]} for r in res.check.rules if r.rule in soft]
    return out


def softened_policy(policy: Policy, titles: list[str], weight: int = RELAX_WEIGHT) -> Policy:
    """`policy` with its hard rules titled `titles` made soft (own weight, else `weight`)."""
    wanted = set(titles)
    return policy.model_copy(update={"rules": [
        r.model_copy(update={"hard": False, "weight": r.weight or weight})
        if r.hard and r.title in wanted else r for r in policy.rules]})
