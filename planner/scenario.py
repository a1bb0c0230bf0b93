"""The scenario and policy as whole objects: what :func:`planner.io.loader.load_scenario` returns."""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Union

from pydantic import Field, model_validator

from planner.rules import REGISTRY
from planner.schema import (
    YEARS,
    Candidate,
    FieldError,
    Pin,
    Post,
    Relation,
    Row,
    Text,
    Unit,
    Weights,
    Year,
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
    periods: list[Year] | None = Field(None, min_length=1)
    """Horizons (docs/horizon.md): the years the periods start, the first `term_start`."""
    units: list[Unit]
    posts: list[Post]
    candidates: list[Candidate]
    relations: list[Relation] = []
    fixed: list[Pin] = []
    forbidden: list[Pin] = []
    policy: Policy | None = None

    @model_validator(mode="after")
    def _periods_in_order(self) -> "Scenario":
        """Period 1 is the term the scenario's state describes, and each period follows the
        one before (horizon contract, section 1); the item at fault is named."""
        if not self.periods:
            return self
        if self.periods[0] != self.term_start:
            raise FieldError("periods[0]", f"expected term_start ({self.term_start}) as the "
                                           f"first period, got {self.periods[0]}")
        for i, (before, year) in enumerate(pairwise(self.periods), start=1):
            if year <= before:
                raise FieldError(f"periods[{i}]", f"expected a year after {before} (periods "
                                                  f"strictly increasing), got {year}")
        return self

    @property
    def years(self) -> list[int]:
        """The periods' years: `periods`, or the one period `term_start`."""
        return list(self.periods) if self.periods else [self.term_start]


ELIGIBILITY_ONLY = "(eligibility only)"
"""The name of the policy a scenario is solved under when neither it nor the caller gives one."""


def effective_policy(scenario: Scenario, policy: Policy | None = None) -> Policy:
    """The policy a run uses: `policy` if given, else the scenario's own, else no rules at all
    (only eligibility, E1/E2)."""
    chosen = policy if policy is not None else scenario.policy
    return chosen if chosen is not None else Policy(name=ELIGIBILITY_ONLY)
