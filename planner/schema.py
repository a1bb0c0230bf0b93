"""Pydantic schemas of the scenario tables and the policy (contract sections 2 and 4).

The schemas only say what one row or one policy looks like; references between tables
(ids that must resolve, the unit forest) are checked by :mod:`planner.io.loader`, which sees
all tables at once.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from enum import Enum
from fractions import Fraction
from typing import Annotated, Any

import annotated_types
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError


class Scale(str, Enum):
    """An ordered scale: members compare by their position in the declaration."""

    @property
    def rank(self) -> int:
        return _rank(self)


@functools.cache
def _rank(member: Scale) -> int:
    """A member's position in its scale (cached: the index asks once per officer and field)."""
    return list(type(member)).index(member)


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


LIMIT = 10**6
"""The largest magnitude of an integer input without a range of its own (priorities, weights,
rule parameters): generous for real data, and small enough that every coefficient of the
objective and its sum stay countable (docs/scenario-format.md, "Ranges")."""

VACANCY_LIMIT = 1000 * LIMIT
"""A vacancy may be priced far above everything else (to fill every post first): up to 10^9."""

YEARS = (1900, 2200)
"""Years (`term_start`, `birth_year`): any real term or officer, and ages that stay small."""


class Cell(str):
    """Text of a CSV or Excel cell. A cell is always text, so `'5'` from a cell is the integer
    5, while the same quoted `'5'` in YAML is text and refused where an integer is expected."""


class Written(float):
    """A number that remembers the decimal text it was written in, so that a share counts
    exactly from that text (`0.50000000000000000001` is not the binary float 0.5)."""

    text: str

    def __new__(cls, value: float, text: str) -> "Written":
        out = super().__new__(cls, value)
        out.text = text
        return out

    def __reduce__(self) -> tuple:
        return Written, (float(self), self.text)


def decimal_text(value: Any) -> str:
    """The decimal text a number was written in (its shortest repr when it was not written)."""
    return getattr(value, "text", None) or str(value)


_INTEGER = re.compile(r"^([+-]?[0-9]{1,100})(\.0*)?$")
"""An integer in a cell: digits, and a `.0` tail as spreadsheets and pandas write whole numbers."""


def _integer(value: Any) -> Any:
    """Integers only: a YAML integer, or a CSV/Excel cell whose text is one. `true`, `5.0` and
    a quoted YAML `'5'` are refused rather than read as 1 and 5 (pydantic's lax mode would).
    None passes on to the field's own type: an optional integer not given (a rule's `weight`)."""
    if value is None:
        return value
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "a boolean is not an integer")
    if isinstance(value, int):
        return value
    found = _INTEGER.match(value.strip()) if isinstance(value, Cell) else None
    if found:
        return int(found.group(1))
    raise PydanticCustomError("int_type", "expected an integer")


def _number(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A number (never a boolean), kept with its decimal text for exact shares."""
    if isinstance(value, bool):
        raise PydanticCustomError("float_type", "a boolean is not a number")
    got = handler(value)
    if not isinstance(got, float):
        return got  # None, for an optional number not given
    text = value.strip() if isinstance(value, str) else decimal_text(value)
    try:
        Fraction(text)
    except (ValueError, ZeroDivisionError):
        text = str(got)
    return Written(got, text)


def _bare(ann: Any) -> Any:
    """`int | None` -> int; anything else unchanged."""
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return ann


def _strict_numbers(info: FieldInfo) -> FieldInfo | None:
    """The field with integer/number checks added (and a default range for integers), or None
    when it holds neither."""
    bare = _bare(info.annotation)
    if bare is int:
        extra: dict[str, Any] = {}
        if not any(isinstance(m, (annotated_types.Ge, annotated_types.Gt)) for m in info.metadata):
            extra["ge"] = -LIMIT
        if not any(isinstance(m, (annotated_types.Le, annotated_types.Lt)) for m in info.metadata):
            extra["le"] = LIMIT
        merged = FieldInfo.merge_field_infos(info, Field(**extra)) if extra else info
        merged.metadata.append(BeforeValidator(_integer))
        return merged
    if bare is float:
        merged = FieldInfo.merge_field_infos(info)
        merged.metadata.append(WrapValidator(_number))
        return merged
    return None

Text = Annotated[str, StringConstraints(min_length=1)]
Texts = Annotated[list[Text], Field(min_length=1)]
Year = Annotated[int, Field(ge=YEARS[0], le=YEARS[1]), BeforeValidator(_integer)]
"""A year as an item of a list (a horizon's `periods`): as strict as any integer field, which
gets its checks from :class:`Row` only when the field itself is an integer."""


class Row(BaseModel):
    """Base of every table row and policy part: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Every integer and number field of every row, policy part and rule type (whichever
        module declares it) refuses booleans and, for integers, floats and quoted text, and
        every integer gets a range the model can hold (LIMIT where the field sets none)."""
        super().__pydantic_init_subclass__(**kwargs)
        changed = False
        for name, info in cls.model_fields.items():
            if any(getattr(m, "func", None) in (_integer, _number) for m in info.metadata):
                continue  # inherited and already strict
            strict = _strict_numbers(info)
            if strict is not None:
                cls.model_fields[name] = strict
                changed = True
        if changed:
            cls.model_rebuild(force=True)


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
    priority: int = Field(1, ge=1, le=LIMIT)
    min_education: Education | None = None
    min_political_theory: PoliticalTheory | None = None
    min_rating: Rating | None = None
    max_age: int | None = Field(None, ge=0, le=200)
    specialties: list[Text] | None = None
    opens: int | None = Field(None, ge=YEARS[0], le=YEARS[1])
    """Horizons (docs/horizon.md): the post exists in a period only from this year on."""
    closes: int | None = Field(None, ge=YEARS[0], le=YEARS[1])
    """... and only before this year."""
    grade: int | None = Field(None, ge=0)
    """Careers (docs/careers.md): the post's level, e.g. 1 commune chief ... 4 director."""

    def exists_in(self, year: int) -> bool:
        return (self.opens is None or self.opens <= year) and (self.closes is None or year < self.closes)

    @model_validator(mode="after")
    def _opens_before_closes(self) -> "Post":
        """A post that closes when or before it opens exists in no period: surely a typo."""
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise FieldError("closes", f"expected a year after opens ({self.opens}), got "
                                       f"{self.closes}: the post exists from opens up to, not "
                                       "including, closes")
        return self


class Candidate(Row):
    id: Text
    name: Text
    home: Text
    serves_at: Text
    current_post: Text | None = None
    consecutive_terms: int = Field(0, ge=0, le=100)
    birth_year: int = Field(ge=YEARS[0], le=YEARS[1])
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
    joins: int | None = Field(None, ge=YEARS[0], le=YEARS[1])
    """Horizons: the officer is available in a period only from this year on."""
    leaves: int | None = Field(None, ge=YEARS[0], le=YEARS[1])
    """... and only before this year (retirement, end of service)."""
    since: int | None = Field(None, ge=YEARS[0], le=YEARS[1])
    """The year the officer took `current_post` (for `min_tenure`)."""
    served_difficult: Flag = False
    grade: int | None = Field(None, ge=0)
    """Careers (docs/careers.md): the level the officer holds now."""
    planned_for: list[Text] | None = None
    """Careers: the posts for whose succession pool the officer is planned (quy hoạch)."""

    def available_in(self, year: int) -> bool:
        return (self.joins is None or self.joins <= year) and (self.leaves is None or year < self.leaves)

    @model_validator(mode="after")
    def _horizon_fields(self) -> "Candidate":
        """An officer who leaves when or before joining is never available, and `since` dates
        the current post: without one it means nothing (horizon contract, section 1). Whether
        `since` is after `term_start` needs the scenario: the loader checks that."""
        if self.joins is not None and self.leaves is not None and self.joins >= self.leaves:
            raise FieldError("leaves", f"expected a year after joins ({self.joins}), got "
                                       f"{self.leaves}: the officer is available from joins up "
                                       "to, not including, leaves")
        if self.since is not None and self.current_post is None:
            raise FieldError("since", f"expected no value because current_post is not set, got "
                                      f"{self.since}; since is the year the officer took "
                                      "current_post: give the current_post too")
        return self

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
    period: int | None = Field(None, ge=YEARS[0], le=YEARS[1])
    """Horizons: the year of the period the pin binds (absent: `fixed` the first, `forbidden`
    every period)."""


class Weights(Row):
    merit: int = Field(1, ge=0, le=LIMIT)
    specialty: int = Field(0, ge=0, le=LIMIT)
    preference: int = Field(0, ge=0, le=LIMIT)
    move: int = Field(0, ge=0, le=LIMIT)
    distance: int = Field(0, ge=0, le=LIMIT)
    vacancy: int = Field(1000, ge=0, le=VACANCY_LIMIT)


TABLES: dict[str, type[Row]] = {
    "units": Unit,
    "posts": Post,
    "candidates": Candidate,
    "relations": Relation,
    "fixed": Pin,
    "forbidden": Pin,
}
"""The scenario's tables and the schema of their rows, in the order they are checked."""


@functools.cache
def list_fields(model: type[Row]) -> frozenset[str]:
    """Fields that hold lists (`;`-separated in CSV). Cached: the CSV reader asks once per row,
    and spelling the annotations out took 16 s of a national roster's 43 s load (profiled)."""
    return frozenset(name for name, info in model.model_fields.items()
                     if "list[" in str(info.annotation))
