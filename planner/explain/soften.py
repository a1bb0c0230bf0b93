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
from typing import Any

from planner.scenario import Policy, Scenario

RELAX_WEIGHT = 100_000
"""Default cost of each unit of violation of a relaxed rule."""


@dataclass
class Softened:
    softened: list[str] = field(default_factory=list)
    """Titles of the hard rules made soft."""
    weight: int = RELAX_WEIGHT
    rounds: int = 0
    result: Any = None
    """The :class:`planner.solve.pipeline.Result` of the relaxed scenario (None if not solved)."""
    policy: Policy | None = None
    broken: list[dict[str, Any]] = field(default_factory=list)
    """Per softened rule: violation, penalty, breaches in the relaxed plan."""
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        res = self.result
        return {"softened": self.softened, "weight": self.weight, "rounds": self.rounds,
                "status": res.status.value if res is not None else None,
                "objective": res.objective if res is not None else None,
                "broken": self.broken, "note": self.note}

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
        if self.note:
            out.append(self.note)
        return out


def solve_softened(scenario: Scenario, policy: Policy, diagnosis: Any, *, weight: int = RELAX_WEIGHT,
          rounds: int = 4, **solve_kwargs: Any) -> Softened:
    """Soften the hard rules of `diagnosis.conflict` (a :class:`planner.explain.infeasible.Diagnosis`)
    and solve again, up to `rounds` times; `solve_kwargs` go to :func:`planner.solve.pipeline.solve`."""
    from planner.solve.pipeline import Status, solve

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
        diag = getattr(out.result.explanation, "diagnosis", None)
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


def soften_and_write(result: Any, scenario: Scenario, policy: Policy, out: Any, weight: int,
                    inputs: Any = None, **solve_kwargs: Any) -> Softened:
    """`--relax`: relax the conflict of the infeasible `result`; the relaxed plan (if any) is
    written to OUT/relaxed/ (plan.csv and summary.json), never over OUT/plan.csv. `inputs`
    (:class:`planner.explain.whatif.Inputs`) is recorded there with the rules softened, so that
    `planner explain OUT/relaxed` rebuilds the relaxed policy."""
    from dataclasses import replace
    from pathlib import Path

    from planner.output.summary import write_outputs

    rel = solve_softened(scenario, policy, getattr(result.explanation, "diagnosis", None), weight=weight,
                **solve_kwargs)
    if rel.result is not None and rel.result.has_plan:
        if inputs is not None:
            rel.result.stats["inputs"] = replace(inputs, relaxed=list(rel.softened),
                                                 relax_weight=weight).to_json()
        write_outputs(Path(out) / "relaxed", rel.result, scenario, rel.policy)
        rel.note = ((rel.note + "; ") if rel.note else "") + \
            f"the relaxed plan is in {Path(out) / 'relaxed' / 'plan.csv'}"
    return rel
