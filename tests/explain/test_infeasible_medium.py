"""The medium scenario made infeasible by one rule: the explanation comes within 10 s, names the
two rules and the places, and is minimal (dropping any member makes the rest feasible).

The added rule asks that provincial leaders come from inside their province (mobility within:
province); the national policy's ministry quota needs a ministry-origin leader in every province
(95% of six is six), and ministry-origin officers serve at the ministry. Either rule alone has a
plan.
"""

from __future__ import annotations

from pathlib import Path

from planner import load_scenario, solve
from planner.explain.infeasible import holds_together
from planner.model.instance import Instance
from planner.scenario import Policy

MEDIUM = Path(__file__).resolve().parents[2] / "scenarios" / "medium" / "scenario.yaml"
FROM_WITHIN = {"rule": "mobility", "label": "provincial leaders from within",
               "roles": ["director", "deputy_director"], "unit_kind": "province",
               "within": "province"}


def _medium():
    if MEDIUM.exists():
        return load_scenario(MEDIUM)
    from planner.generate.national import (
        generate,  # pragma: no cover - the bundled file is missing
    )

    return generate(structure="legacy", fraction=0.05, seed=0).to_scenario()


def test_medium_made_infeasible_by_one_rule_is_explained_fast_and_minimally():
    scn = _medium()
    base = scn.policy.model_dump(mode="json", exclude_none=True)
    policy = Policy.model_validate({**base, "rules": [*base["rules"], FROM_WITHIN]})
    result = solve(scn, policy, workers=2, time_limit=30)
    assert result.status.value == "infeasible"
    assert result.stats.explain_seconds < 10
    diag = result.diagnosis
    assert diag.minimal
    quota = [m for m in diag.conflict if m.rule_type == "ministry_quota"]
    within = [m for m in diag.conflict if m.name == "provincial leaders from within"]
    assert len(quota) == 1 and len(within) == 4 and len(diag.conflict) == 5
    province = quota[0].place
    assert sorted(m.place for m in within) == sorted(
        f"{province}-{p}" for p in ("DIR", "DEP1", "DEP2", "DEP3"))
    assert f"Province {province} cannot get a ministry-origin leader" in "\n".join(result.explanation)
    inst = Instance(scn)
    assert holds_together(inst, policy, diag.conflict) is False
    for i in range(len(diag.conflict)):
        rest = diag.conflict[:i] + diag.conflict[i + 1:]
        assert holds_together(inst, policy, rest) is True, diag.conflict[i].text
