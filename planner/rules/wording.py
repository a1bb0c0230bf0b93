"""The phrases that rule wording is built from: units, shares, lists of ids, relations.

A rule says in its own module why it excludes a candidate and what its groups need (see the
wording methods of :class:`~planner.rules.base.Rule`). The explanations (planner/explain) build
their sentences from the same phrases, so the two read alike.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from planner.model.instance import Instance


class MemberText(NamedTuple):
    """How one guard of a hard rule reads as a member of a conflicting set."""

    text: str
    detail: str | None = None
    """For a guard at one post: the words it shares with the rule's guards at other posts
    (e.g. `must be filled`), so that they are shown on one line, their posts listed."""


def unit_name(inst: Instance, u: int) -> str:
    """`province P07`: a unit with its kind."""
    unit = inst.units[u]
    return f"{unit.kind.value} {unit.id}"


def years_words(n: int) -> str:
    """`1 year`, `3 years`."""
    return f"{n} year" if n == 1 else f"{n} years"


def few(items: list[str], limit: int = 8) -> str:
    """The first `limit` items, and how many more: `A, B and 3 more`."""
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def percent(share: Fraction | float) -> str:
    """A share as a whole percentage where it is one (`25%`), else as the exact fraction."""
    return f"{float(share):.0%}" if float(share) * 100 == int(float(share) * 100) else str(share)


def post_ids(inst: Instance, posts: list[int], limit: int) -> str:
    """The ids of `posts`, the first `limit` of them (see :func:`few`)."""
    return few([inst.posts[p].id for p in posts], limit)


def relation_kinds(inst: Instance, a: int, b: int) -> str:
    """The kinds of relation between candidates a and b, sorted: `kin, spouse`."""
    ids = {inst.candidates[a].id, inst.candidates[b].id}
    return ", ".join(sorted({r.kind for r in inst.scenario.relations if {r.a, r.b} == ids}))
