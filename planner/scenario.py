"""The scenario and policy as whole objects: what :func:`planner.io.loader.load_scenario` returns."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from planner.rules import REGISTRY
from planner.schema import (
    YEARS,
    Candidate,
    Pin,
    Post,
    Relation,
    Row,
    Text,
    Unit,
    Weights,
)

AnyRule = Annotated[Union[tuple(REGISTRY.values())], Field(discriminator="rule")]  # type: ignore[valid-type]


class Policy(Row):
    name: Text
    description: str | None = None
    rules: list[AnyRule] = []
    weights: Weights = Weights()


class Scenario(Row):
    name: Text
    description: str | None = None
    term_start: int = Field(ge=YEARS[0], le=YEARS[1])
    term_years: int = Field(5, ge=1, le=100)
    units: list[Unit]
    posts: list[Post]
    candidates: list[Candidate]
    relations: list[Relation] = []
    fixed: list[Pin] = []
    forbidden: list[Pin] = []
    policy: Policy | None = None


ELIGIBILITY_ONLY = "(eligibility only)"
"""The name of the policy a scenario is solved under when neither it nor the caller gives one."""


def effective_policy(scenario: Scenario, policy: Policy | None = None) -> Policy:
    """The policy a run uses: `policy` if given, else the scenario's own, else no rules at all
    (only eligibility, E1/E2)."""
    chosen = policy if policy is not None else scenario.policy
    return chosen if chosen is not None else Policy(name=ELIGIBILITY_ONLY)
