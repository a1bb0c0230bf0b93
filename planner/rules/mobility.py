"""`mobility`: officers on matching posts come from inside an area and/or within a distance."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from planner.geo import km
from planner.rules.base import PairRule
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check import PlanView
    from planner.instance import Instance


class Mobility(PairRule):
    rule: Literal["mobility"] = "mobility"
    within: UnitKind | None = None
    max_km: int | None = Field(None, ge=0)

    summary: ClassVar[str] = "officers on matching posts serve inside anc(post unit, within) and within max_km"

    def breaks(self, inst: Instance, c: int, p: int) -> bool:
        if not self.matches(inst, p):
            return False
        u, at = inst.post_unit[p], inst.serves_at[c]
        if self.within is not None:
            area = inst.anc(u, self.within)
            if area is not None and area not in inst.ancestor_sets[at]:
                return True
        return self.max_km is not None and inst.km(at, u) > self.max_km

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        unit, at = view.post(p).unit, view.cand(c).serves_at
        if self.within is not None:
            area = view.tree.anc(unit, self.within)
            if area is not None and not view.tree.contains(area, at):
                return f"serves at {at}, outside {self.within.value} {area}"
        if self.max_km is not None:
            dist = km(view.tree.coord(at), view.tree.coord(unit))
            if dist > self.max_km:
                return f"serves {dist} km away, more than {self.max_km} km"
        return None
