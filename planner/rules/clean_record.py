"""`clean_record`: no officer under a disciplinary record on a matching post."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.rules.base import PairRule

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.instance import Instance


class CleanRecord(PairRule):
    rule: Literal["clean_record"] = "clean_record"

    summary: ClassVar[str] = "no disciplined officer on a matching post"

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        if not self.matches(inst, p):
            return np.zeros(len(cands), dtype=bool)
        return inst.arrays.disciplined[cands]

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        return "is under a disciplinary record" if view.cand(c).disciplined else None
