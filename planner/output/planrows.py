"""The plan as rows with everything a reader wants beside them: shared by the HTML and Excel reports.

One :class:`PlanRow` per post, in scenario order. Its first eight fields are the columns of
``plan.csv`` (same values: `local` and `ministry_origin` as :mod:`planner.output.facts` defines
them); the others
say where the post is (level, area) and where its holder comes from (serving unit, area, km).

The *area* of a unit is its province, or for ministry units the top ministry unit
(:meth:`planner.check.tree.Tree.area`): the report groups, filters and maps by it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from planner.check.tree import Tree
from planner.geo import Coord, km
from planner.output.facts import from_ministry, is_local
from planner.scenario import Scenario
from planner.schema import UnitKind

LEVELS = ("ministry", "province", "district", "commune")


@dataclass(frozen=True)
class PlanRow:
    post_id: str
    candidate_id: str | None
    unit: str
    role: str
    candidate_name: str | None
    moved: bool | None
    local: bool | None
    ministry_origin: bool | None
    unit_name: str
    level: str
    area: str
    area_name: str
    priority: int
    serves_at: str | None
    serves_at_name: str | None
    from_area: str | None
    km: int | None
    merit: int | None
    gender: str | None

    @property
    def filled(self) -> bool:
        return self.candidate_id is not None


class Places:
    """Unit names, areas and coordinates, looked up once per unit."""

    def __init__(self, scenario: Scenario):
        self.tree = Tree(scenario.units)
        self._area: dict[str, str] = {}
        self._coord: dict[str, Coord | None] = {}

    def name(self, uid: str) -> str:
        return self.tree.units[uid].name

    def kind(self, uid: str) -> str:
        kind = self.tree.units[uid].kind
        return kind.value if isinstance(kind, UnitKind) else str(kind)

    def area(self, uid: str) -> str:
        got = self._area.get(uid)
        if got is None:
            got = self._area[uid] = self.tree.area(uid)
        return got

    def coord(self, uid: str) -> Coord | None:
        if uid not in self._coord:
            self._coord[uid] = self.tree.coord(uid)
        return self._coord[uid]


def plan_rows(plan: dict[str, str | None], scenario: Scenario,
              places: Places | None = None) -> list[PlanRow]:
    """One row per post of `scenario` in its order; posts missing from `plan` are vacant."""
    places = places or Places(scenario)
    tree = places.tree
    cands = {c.id: c for c in scenario.candidates}
    rows = []
    for post in scenario.posts:
        cid = plan.get(post.id)
        c = cands.get(cid) if cid else None
        unit = post.unit
        base = dict(post_id=post.id, unit=unit, role=post.role, unit_name=places.name(unit),
                    level=places.kind(unit), area=places.area(unit),
                    area_name=places.name(places.area(unit)), priority=post.priority)
        if c is None:
            rows.append(PlanRow(candidate_id=None, candidate_name=None, moved=None, local=None,
                                ministry_origin=None, serves_at=None, serves_at_name=None,
                                from_area=None, km=None, merit=None, gender=None, **base))
            continue
        local = is_local(tree, unit, c)
        gender = getattr(c.gender, "value", c.gender)
        rows.append(PlanRow(
            candidate_id=c.id, candidate_name=c.name, moved=c.current_post != post.id, local=local,
            ministry_origin=from_ministry(tree, c), serves_at=c.serves_at,
            serves_at_name=places.name(c.serves_at), from_area=places.area(c.serves_at),
            km=km(places.coord(c.serves_at), places.coord(unit)), merit=c.merit,
            gender=str(gender), **base))
    return rows


def shares_by_level(rows: list[PlanRow]) -> list[dict[str, Any]]:
    """Per level present: posts, filled, and the non-local, ministry-origin and moved counts."""
    out = []
    for level in LEVELS:
        mine = [r for r in rows if r.level == level]
        if not mine:
            continue
        filled = [r for r in mine if r.filled]
        out.append({"level": level, "posts": len(mine), "filled": len(filled),
                    "non_local": sum(1 for r in filled if not r.local),
                    "ministry_origin": sum(1 for r in filled if r.ministry_origin),
                    "moved": sum(1 for r in filled if r.moved),
                    "female": sum(1 for r in filled if r.gender == "female")})
    return out


def move_kinds(rows: list[PlanRow]) -> Counter:
    """How the moved officers moved: within their area, between areas, from the ministry."""
    out: Counter = Counter()
    for r in rows:
        if not r.moved:
            continue
        if r.ministry_origin and r.level != "ministry":
            out["from the ministry"] += 1
        elif r.from_area == r.area:
            out["within the same area"] += 1
        else:
            out["between areas"] += 1
    return out
