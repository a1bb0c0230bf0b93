"""`mobility`: officers on matching posts come from inside an area and/or within a distance."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.geo import km, km_between
from planner.rules.base import PairRule, link_requires
from planner.rules.wording import unit_name
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
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
        return out & ~inst.dynamic[cands]  # a later period's serves_at is linked

    def pool(self, inst: Instance, p: int) -> np.ndarray | None:
        area = self._area(inst, p) if self.matches(inst, p) else None
        if area is None:
            return None
        if inst.horizon is not None and inst.horizon.post_period[p] > 0:
            return inst.horizon.serving_inside(area, int(inst.horizon.post_period[p]))
        return inst.arrays.serving_inside(area)

    def serves_ok(self, inst: Instance, p: int, units: np.ndarray) -> np.ndarray:
        """Mask over (expanded) `units`: does serving there meet the rule for post p?"""
        ok = np.ones(len(units), dtype=bool)
        area = self._area(inst, p)
        if area is not None:
            ok &= inst.arrays.inside(area, units)
        if self.max_km is not None:
            ok &= km_between(inst.coord_array, units, np.full(len(units), inst.post_unit[p])) \
                <= self.max_km
        return ok

    def link(self, mb: ModelBuilder) -> None:
        """Later periods: the officer serves where the post held before was (or where the
        officer served before, holding none): each matching pair needs a unit that passes."""
        links, inst = mb.links, mb.inst
        assert links is not None
        for c in np.flatnonzero(inst.dynamic).tolist():
            here = [int(v) for v in links.pairs(c) if self.matches(inst, int(mb.pair_post[v]))]
            if not here:
                continue
            o, t = links.officer(c)
            where = links.serves_at(o, t)
            units = list(where)
            at = np.array([links.unit_in(u, t) for u in units], dtype=np.int64)
            for v in here:
                passes = self.serves_ok(inst, int(mb.pair_post[v]), at)
                if passes.all():
                    continue
                lits = [where[u] for u, fine in zip(units, passes) if fine]
                link_requires(mb, self, [v], [lit for lit in lits if lit is not None],
                              f"{self.title}:{v}")

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
