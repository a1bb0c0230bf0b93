"""Ties and kin relations among the generated officers.

A **tie** is a place of close family or interests besides an officer's home (rules that keep
leaders away from home keep them away from it too). A **relation** links two officers (kin,
spouse or clan), mostly within one province, where the kinship rule bites; kin and clan share a
surname, spouses are of the other gender.
"""

from __future__ import annotations

import random

from planner.generate.distributions import RELATION_SHARE, TIE_SHARE, pick
from planner.generate.homes import Homes
from planner.generate.names import SURNAMES

RELATION_KINDS = {"kin": 0.5, "spouse": 0.25, "clan": 0.25}
SAME_PROVINCE = 0.85
"""Share of relations between officers of one province."""


def add_ties(officers: list[dict], homes: Homes, rng: random.Random) -> None:
    """Give :data:`~planner.generate.distributions.TIE_SHARE` of the officers one tie (``ties``
    is None for the others, and where the tie is their home)."""
    for o in officers:
        if rng.random() < TIE_SHARE:
            tie = homes.commune_in(o["province"]) if o["province"] else homes.anywhere()
            o["ties"] = [tie] if tie != o["home"] else None
        else:
            o["ties"] = None


def draw_relations(officers: list[dict], rng: random.Random) -> tuple[list[dict], dict[int, str]]:
    """The relation table, and the surname kin and clan share (by officer index).

    Draws that pair an officer with themself or repeat a pair are dropped, so there are up to
    :data:`~planner.generate.distributions.RELATION_SHARE` relations per officer.
    """
    by_province: dict[str | None, list[int]] = {}
    for i, o in enumerate(officers):
        by_province.setdefault(o["province"], []).append(i)
    relations: list[dict] = []
    seen: set[tuple[int, int]] = set()
    surname_of: dict[int, str] = {}
    for _ in range(round(RELATION_SHARE * len(officers))):
        a = rng.randrange(len(officers))
        kind = pick(rng, RELATION_KINDS)
        pool = by_province[officers[a]["province"]] if rng.random() < SAME_PROVINCE \
            else range(len(officers))
        b = pool[rng.randrange(len(pool))]
        if kind == "spouse":
            for _ in range(5):
                if officers[b]["gender"] != officers[a]["gender"]:
                    break
                b = pool[rng.randrange(len(pool))]
            if officers[b]["gender"] == officers[a]["gender"]:
                kind = "kin"
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        seen.add(key)
        relations.append({"a": officers[a]["id"], "b": officers[b]["id"], "kind": kind})
        if kind != "spouse":
            surname_of.setdefault(b, surname_of.get(a) or pick(rng, SURNAMES))
            surname_of.setdefault(a, surname_of[b])
    return relations, surname_of
