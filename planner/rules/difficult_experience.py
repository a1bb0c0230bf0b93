"""`difficult_experience`: officers on matching posts have served in a difficult area.

A pair rule on `served_difficult`, like `local_experience` on `served_local`. In a horizon's
expanded instance the later-period copies carry `served_difficult` true (it may be earned in
an earlier period of the plan), so they never break it here; the horizon links add the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.rules.base import PairRule, link_experience

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance


class DifficultExperience(PairRule):
    rule: Literal["difficult_experience"] = "difficult_experience"

    summary: ClassVar[str] = "every officer on a matching post has served_difficult"
    checked_figure: ClassVar[str | None] = "posts"
    broken_figure: ClassVar[str] = "without_experience"

    def served(self, inst: Instance) -> np.ndarray:
        """Mask over candidates: has served in a difficult area (computed once per instance)."""
        def compute() -> np.ndarray:
            return np.array([c.served_difficult for c in inst.candidates], dtype=bool)
        return inst.memo((id(self), "served"), self, compute)

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        if not self.matches(inst, p):
            return np.zeros(len(cands), dtype=bool)
        return ~self.served(inst)[cands]

    def link(self, mb: ModelBuilder) -> None:
        """In a later period an officer has served in a difficult area if the scenario says so
        or any post held before was in a difficult unit."""
        inst = mb.inst
        link_experience(mb, self, "served_difficult", [inst.difficult[u] for u in inst.post_unit])

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        return None if view.cand(c).served_difficult else "has not served in a difficult area"
