"""`mobility`: officers on matching posts come from inside an area and/or within a distance."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.geo import km
from planner.rules.base import PairRule
from planner.rules.wording import unit_name
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.instance import Instance


class Mobility(PairRule):
    rule: Literal["mobility"] = "mobility"
    within: UnitKind | None = None
    max_km: int | None = Field(None, ge=0)

    summary: ClassVar[str] = "officers on matching posts serve inside anc(post unit, within) and within max_km"

    def _area(self, inst: Instance, p: int) -> int | None:
        return None if self.within is None else inst.anc(inst.post_unit[p], self.within)

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        out = np.zeros(len(cands), dtype=bool)
        if not self.matches(inst, p):
            return out
        at = inst.arrays.serves_at[cands]
        area = self._area(inst, p)
        if area is not None:
            out |= ~inst.arrays.inside(area, at)
        if self.max_km is not None:
            u = inst.post_unit[p]
            units, back = np.unique(at, return_inverse=True)
            far = np.array([inst.km(a, u) > self.max_km for a in units], dtype=bool)
            out |= far[back]
        return out

    def pool(self, inst: Instance, p: int) -> np.ndarray | None:
        area = self._area(inst, p) if self.matches(inst, p) else None
        return None if area is None else inst.arrays.serving_inside(area)

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

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        if not short:
            return super().excluded_words(inst, view, c, p, short)
        area = self._area(inst, p)
        parts = [f"serves outside {unit_name(inst, area)}"] if area is not None else []
        if self.max_km is not None:
            parts.append(f"or more than {self.max_km} km away" if parts
                         else f"serves more than {self.max_km} km away")
        return " ".join(parts)
