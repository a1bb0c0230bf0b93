"""Pydantic schemas of the scenario tables and the policy (contract sections 2 and 4).

The schemas only say what one row or one policy looks like; references between tables
(ids that must resolve, the unit forest) are checked by :mod:`planner.io.loader`, which sees
all tables at once.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)


class Scale(str, Enum):
    """An ordered scale: members compare by their position in the declaration."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class Education(Scale):
    college = "college"
    university = "university"
    master = "master"
    phd = "phd"


class PoliticalTheory(Scale):
    primary = "primary"
    intermediate = "intermediate"
    advanced = "advanced"


class Rating(Scale):
    not_completed = "not_completed"
    completed = "completed"
    good = "good"
    excellent = "excellent"


class UnitKind(str, Enum):
    ministry = "ministry"
    province = "province"
    district = "district"
    commune = "commune"


class Gender(str, Enum):
    female = "female"
    male = "male"


class FieldError(ValueError):
    """A whole-row check that is about one field: the loader reports it at that field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def _flag(value: Any) -> Any:
    """Booleans as the contract spells them: true/false, 1/0, yes/no, any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    raise ValueError("expected true or false (also yes/no, 1/0)")


Flag = Annotated[bool, BeforeValidator(_flag)]
Text = Annotated[str, StringConstraints(min_length=1)]
Texts = Annotated[list[Text], Field(min_length=1)]


class Row(BaseModel):
    """Base of every table row and policy part: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Unit(Row):
    id: Text
    name: Text
    kind: UnitKind
    parent: Text | None = None
    difficult: Flag = False
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)

    @model_validator(mode="after")
    def _both_or_neither(self) -> "Unit":
        if self.lat is not None and self.lon is None:
            raise FieldError("lon", "expected a longitude as lat is given: give both lat and lon, or neither")
        if self.lon is not None and self.lat is None:
            raise FieldError("lat", "expected a latitude as lon is given: give both lat and lon, or neither")
        return self


class Post(Row):
    id: Text
    unit: Text
    role: Text
    priority: int = Field(1, ge=1)
    min_education: Education | None = None
    min_political_theory: PoliticalTheory | None = None
    min_rating: Rating | None = None
    max_age: int | None = None
    specialties: list[Text] | None = None


class Candidate(Row):
    id: Text
    name: Text
    home: Text
    serves_at: Text
    current_post: Text | None = None
    consecutive_terms: int = Field(0, ge=0)
    birth_year: int
    gender: Gender
    education: Education
    political_theory: PoliticalTheory
    rating: Rating
    disciplined: Flag = False
    merit: int = Field(ge=0, le=100)
    specialties: list[Text] | None = None
    served_local: Flag = False
    ties: list[Text] | None = None
    preferences: list[Text] | None = None

    @model_validator(mode="after")
    def _terms_match_post(self) -> "Candidate":
        if self.current_post is not None and self.consecutive_terms < 1:
            raise FieldError("consecutive_terms",
                             f"expected an integer >= 1 because current_post is set "
                             f"(terms held in {self.current_post}, the current one included), "
                             f"got {self.consecutive_terms}")
        if self.current_post is None and self.consecutive_terms != 0:
            raise FieldError("consecutive_terms",
                             f"expected 0 or no value because current_post is not set, "
                             f"got {self.consecutive_terms}; give the current_post too")
        return self


class Relation(Row):
    a: Text
    b: Text
    kind: Text

    @model_validator(mode="after")
    def _two_people(self) -> "Relation":
        if self.a == self.b:
            raise FieldError("b", f"expected a candidate other than a ({self.a!r}): "
                                  "a relation links two different candidates")
        return self


class Pin(Row):
    """A `fixed` or `forbidden` pair."""

    post: Text
    candidate: Text


class Weights(Row):
    merit: int = Field(1, ge=0)
    specialty: int = Field(0, ge=0)
    preference: int = Field(0, ge=0)
    move: int = Field(0, ge=0)
    distance: int = Field(0, ge=0)
    vacancy: int = Field(1000, ge=0)


TABLES: dict[str, type[Row]] = {
    "units": Unit,
    "posts": Post,
    "candidates": Candidate,
    "relations": Relation,
    "fixed": Pin,
    "forbidden": Pin,
}
"""The scenario's tables and the schema of their rows, in the order they are checked."""


def list_fields(model: type[Row]) -> set[str]:
    """Fields that hold lists (`;`-separated in CSV)."""
    out = set()
    for name, info in model.model_fields.items():
        if "list[" in str(info.annotation):
            out.add(name)
    return out
