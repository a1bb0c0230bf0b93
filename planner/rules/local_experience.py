"""`local_experience`: officers on matching posts have served at local level (default: ministry posts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.rules.base import PairRule, link_experience
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance


class LocalExperience(PairRule):
    rule: Literal["local_experience"] = "local_experience"
    unit_kind: UnitKind | None = UnitKind.ministry

    summary: ClassVar[str] = "every officer on a matching post has served_local"

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        if not self.matches(inst, p):
            return np.zeros(len(cands), dtype=bool)
        return ~inst.arrays.served_local[cands]

    def link(self, mb: ModelBuilder) -> None:
        """In a later period an officer has served locally if the scenario says so or any post
        held before was in a province, district or commune unit."""
        inst = mb.inst
        link_experience(mb, self, "served_local",
                        [inst.units[u].kind is not UnitKind.ministry for u in inst.post_unit])

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        return None if view.cand(c).served_local else "has not served at local level"
