"""Compact builders for hand-made scenarios in tests.

    scn = scenario(
        units=[unit("P1", "province"), unit("D1", "district", parent="P1")],
        posts=[post("P1-DIR", "P1", "director")],
        candidates=[cand("A", home="D1", serves_at="P1")],
        rules=[{"rule": "non_local", "roles": ["director"]}],
        weights={"move": 5},
    )

Rows go through the same pydantic schemas as files do; `scenario()` builds the same
:class:`planner.Scenario` that :func:`planner.load_scenario` returns. :func:`optimal` solves one
through the whole pipeline, as the end-to-end tests of each rule do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from planner import Result, load_scenario, solve
from planner.scenario import Policy, Scenario
from planner.schema import Candidate, Pin, Post, Relation, Unit


def unit(id: str, kind: str, parent: str | None = None, **kw: Any) -> Unit:
    return Unit(id=id, name=id, kind=kind, parent=parent, **kw)


def post(id: str, unit: str, role: str = "chief", **kw: Any) -> Post:
    return Post(id=id, unit=unit, role=role, **kw)


def cand(id: str, home: str, serves_at: str | None = None, **kw: Any) -> Candidate:
    base = dict(id=id, name=id, home=home, serves_at=serves_at or home, birth_year=1975,
                gender="male", education="university", political_theory="intermediate",
                rating="good", merit=50)
    if kw.get("current_post") and "consecutive_terms" not in kw:
        base["consecutive_terms"] = 1
    base.update(kw)
    return Candidate(**base)


def relation(a: str, b: str, kind: str = "kin") -> Relation:
    return Relation(a=a, b=b, kind=kind)


def pin(post: str, candidate: str) -> Pin:
    return Pin(post=post, candidate=candidate)


def policy(rules: list[dict[str, Any]] | None = None, weights: dict[str, int] | None = None,
           name: str = "test") -> Policy:
    return Policy.model_validate({"name": name, "rules": rules or [], "weights": weights or {}})


def scenario(units: list[Unit], posts: list[Post], candidates: list[Candidate], *,
             relations: list[Relation] = (), fixed: list[Pin] = (), forbidden: list[Pin] = (),
             rules: list[dict[str, Any]] | None = None, weights: dict[str, int] | None = None,
             term_start: int = 2026, name: str = "test") -> Scenario:
    pol = policy(rules, weights) if rules is not None or weights is not None else None
    return Scenario(name=name, term_start=term_start, units=list(units), posts=list(posts),
                    candidates=list(candidates), relations=list(relations), fixed=list(fixed),
                    forbidden=list(forbidden), policy=pol)


def write_yaml(scn: Scenario, path: str | Path) -> str:
    """Write `scn` as a scenario YAML file (for command-line tests); the path as text."""
    data = scn.model_dump(mode="json", exclude_none=True)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False)
    return str(path)


def assert_loads_back(scn: Scenario, path: str | Path) -> None:
    """A random generator writes only what the contracts allow: `scn` written as YAML to
    `path` loads back unchanged."""
    write_yaml(scn, path)
    data = scn.model_dump(mode="json", exclude_none=True)
    assert load_scenario(path).model_dump(mode="json", exclude_none=True) == data


def optimal(scn: Scenario) -> Result:
    """`scn` solved by the pipeline with one worker; it must be optimal and pass the checker,
    so that a test's figures are the proven optimum's."""
    result = solve(scn, workers=1)
    assert result.status.value == "optimal", result.explanation
    assert result.check.valid
    return result
