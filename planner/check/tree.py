"""The unit tree as the checker walks it: plain parent pointers, by unit id.

Deliberately simple and separate from the precomputed tables in :mod:`planner.model.instance`
that the model uses, so that the independent checker does not inherit the model's bugs.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.geo import Coord
from planner.schema import Unit, UnitKind


class Tree:
    def __init__(self, units: Iterable[Unit]):
        self.units = {u.id: u for u in units}

    def kind(self, uid: str) -> UnitKind:
        return self.units[uid].kind

    def up(self, uid: str | None):
        """The unit and its ancestors, nearest first."""
        while uid is not None:
            yield self.units[uid]
            uid = self.units[uid].parent

    def contains(self, u: str | None, v: str) -> bool:
        """u is v or an ancestor of v."""
        return u is not None and any(a.id == u for a in self.up(v))

    def anc(self, uid: str, kind: UnitKind) -> str | None:
        return next((a.id for a in self.up(uid) if a.kind == kind), None)

    def area(self, uid: str) -> str:
        """The unit's province, or for a unit outside every province (a ministry unit) its
        top unit: every post and every officer's duty unit falls in one area, which the
        reports group, filter and map by and a local re-plan grows to."""
        top = uid
        for a in self.up(uid):
            if a.kind == UnitKind.province:
                return a.id
            top = a.id
        return top

    def difficult(self, uid: str) -> bool:
        return any(a.difficult for a in self.up(uid))

    def coord(self, uid: str) -> Coord | None:
        return next(((a.lat, a.lon) for a in self.up(uid) if a.lat is not None), None)
