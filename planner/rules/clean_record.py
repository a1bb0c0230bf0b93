"""`clean_record`: no officer under a disciplinary record on a matching post."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from planner.rules.base import PairRule

if TYPE_CHECKING:
    from planner.check import PlanView
    from planner.instance import Instance


class CleanRecord(PairRule):
    rule: Literal["clean_record"] = "clean_record"

    summary: ClassVar[str] = "no disciplined officer on a matching post"

    def breaks(self, inst: Instance, c: int, p: int) -> bool:
        return self.matches(inst, p) and inst.candidates[c].disciplined

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        return "is under a disciplinary record" if view.cand(c).disciplined else None
