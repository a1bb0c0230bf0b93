"""The scenario and policy as whole objects: what :func:`planner.loader.load_scenario` returns."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from planner.rules import REGISTRY
from planner.schema import Candidate, Pin, Post, Relation, Row, Text, Unit, Weights

AnyRule = Annotated[Union[tuple(REGISTRY.values())], Field(discriminator="rule")]  # type: ignore[valid-type]


class Policy(Row):
    name: Text
    description: str | None = None
    rules: list[AnyRule] = []
    weights: Weights = Weights()


class Scenario(Row):
    name: Text
    description: str | None = None
    term_start: int
    term_years: int = Field(5, ge=1)
    units: list[Unit]
    posts: list[Post]
    candidates: list[Candidate]
    relations: list[Relation] = []
    fixed: list[Pin] = []
    forbidden: list[Pin] = []
    policy: Policy | None = None
