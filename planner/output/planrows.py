"""The plan as rows with everything a reader wants beside them: shared by the HTML and Excel reports.

One :class:`PlanRow` per post that exists in the period, in scenario order. Its first eight
fields are the columns of ``plan.csv`` (same values: `local` as :mod:`planner.output.facts`
defines it, `moved` and `ministry_origin` from the officer's state in the period); the others
say where the post is (level, area) and where its holder comes from (serving unit, area, km).

A horizon is one :class:`PeriodRows` per period (:func:`period_rows`): the state of a later
period follows from the plan of the one before (:func:`planner.check.horizon.derive_states`),
so an officer moved in 2031 comes from the post held in 2026. :func:`officer_paths` reads the
periods the other way round: per officer, the posts held period by period.

The *area* of a unit is its province, or for ministry units the top ministry unit
(:meth:`planner.check.tree.Tree.area`): the report groups, filters and maps by it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from planner.check.horizon import OfficerState, PeriodState, derive_states
from planner.check.tree import Tree
from planner.geo import Coord, km
from planner.output.facts import is_local
from planner.scenario import Scenario
from planner.schema import Candidate, Post, UnitKind
from planner.solver.result import Result

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


def plan_rows(plan: dict[str, str | None], scenario: Scenario, places: Places | None = None,
              period: PeriodState | None = None) -> list[PlanRow]:
    """One row per post that exists in the period, in scenario order; posts missing from `plan`
    are vacant. `period` (as :func:`planner.check.horizon.derive_states` gives it) holds the
    officers' state in that period; without it, the first period's (the scenario's fields).

    `moved`, `ministry_origin` and the serving unit read that state, not the scenario's fields,
    so that a later period of a horizon says where the officer serves *then* (plan.csv does
    the same)."""
    places = places or Places(scenario)
    if period is None:
        period = derive_states(scenario, {scenario.years[0]: plan})[0]
    cands = {c.id: c for c in period.officers}
    rows = []
    for post in period.posts:
        cid = plan.get(post.id)
        c = cands.get(cid) if cid else None
        rows.append(_vacant_row(post, places) if c is None
                    else _filled_row(post, c, period.state[c.id], places))
    return rows


def _place_fields(post: Post, places: Places) -> dict[str, Any]:
    """The fields of a row that say where the post is."""
    unit = post.unit
    return {"post_id": post.id, "unit": unit, "role": post.role, "unit_name": places.name(unit),
            "level": places.kind(unit), "area": places.area(unit),
            "area_name": places.name(places.area(unit)), "priority": post.priority}


def _vacant_row(post: Post, places: Places) -> PlanRow:
    return PlanRow(candidate_id=None, candidate_name=None, moved=None, local=None,
                   ministry_origin=None, serves_at=None, serves_at_name=None, from_area=None,
                   km=None, merit=None, gender=None, **_place_fields(post, places))


def _filled_row(post: Post, c: Candidate, state: OfficerState, places: Places) -> PlanRow:
    """The row of `post` held by `c`, whose state in the period is `state`."""
    gender = getattr(c.gender, "value", c.gender)
    here = state.serves_at
    return PlanRow(
        candidate_id=c.id, candidate_name=c.name, moved=state.current_post != post.id,
        local=is_local(places.tree, post.unit, c), ministry_origin=state.ministry_origin,
        serves_at=here, serves_at_name=places.name(here), from_area=places.area(here),
        km=km(places.coord(here), places.coord(post.unit)), merit=c.merit, gender=str(gender),
        **_place_fields(post, places))


@dataclass(frozen=True)
class PeriodRows:
    """One period of a run: its year, its plan as rows, and the officers available in it."""

    year: int
    rows: list[PlanRow]
    available: frozenset[str]


def period_rows(result: Result, scenario: Scenario,
                places: Places | None = None) -> list[PeriodRows]:
    """Every period of `result` as rows, each with the officers' state derived from the plan
    of the period before (a one-period run: one entry, the rows of :func:`plan_rows`)."""
    places = places or Places(scenario)
    plans = result.plans or {scenario.years[0]: result.plan}
    return [PeriodRows(p.year, plan_rows(plans.get(p.year, {}), scenario, places, p),
                       frozenset(c.id for c in p.officers))
            for p in derive_states(scenario, plans)]


@dataclass(frozen=True)
class OfficerPath:
    """Where one officer is, period by period: the row of the post held, or None."""

    candidate_id: str
    name: str
    held: list[PlanRow | None]
    """One entry per period, in order: the post held (its row), None when holding none."""
    available: list[bool]
    """One entry per period: is the officer available (joined, not yet left) then?"""

    @property
    def moves(self) -> int:
        """How many times the officer is moved onto a post (newcomers included)."""
        return sum(1 for r in self.held if r is not None and r.moved)


def officer_paths(periods: list[PeriodRows], scenario: Scenario) -> list[OfficerPath]:
    """Every officer who holds a post in some period, in scenario order, with the posts held
    period by period: who goes where, when."""
    held: dict[str, list[PlanRow | None]] = {}
    for t, period in enumerate(periods):
        for r in period.rows:
            if r.candidate_id is not None:
                held.setdefault(r.candidate_id, [None] * len(periods))[t] = r
    return [OfficerPath(c.id, c.name, held[c.id], [c.id in p.available for p in periods])
            for c in scenario.candidates if c.id in held]


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
