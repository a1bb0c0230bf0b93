"""`term_limit`: no one keeps a post (or, with `same: unit`, its unit) beyond the term limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from planner.rules.base import PairRule

if TYPE_CHECKING:
    from planner.check import PlanView
    from planner.instance import Instance


class TermLimit(PairRule):
    rule: Literal["term_limit"] = "term_limit"
    max_consecutive_terms: int = Field(2, ge=1)
    same: Literal["post", "unit"] = "post"

    summary: ClassVar[str] = ("no officer with max_consecutive_terms in a matching current post keeps "
                              "it (same: unit, any post of its unit)")

    def breaks(self, inst: Instance, c: int, p: int) -> bool:
        now = inst.current_post[c]
        if now < 0 or inst.candidates[c].consecutive_terms < self.max_consecutive_terms:
            return False
        if not self.matches(inst, now):
            return False
        return p == now if self.same == "post" else inst.post_unit[p] == inst.post_unit[now]

    def matches_check(self, view: PlanView, p: int) -> bool:
        return True  # the filter applies to the candidate's current post, in why_broken

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        cand = view.cand(c)
        if cand.current_post is None or cand.consecutive_terms < self.max_consecutive_terms:
            return None
        now = view.post_by_id(cand.current_post)
        if self.roles is not None and now.role not in self.roles:
            return None
        if self.unit_kind is not None and view.tree.kind(now.unit) != self.unit_kind:
            return None
        here = view.post(p)
        if self.same == "post" and here.id == now.id:
            return f"would start term {cand.consecutive_terms + 1} in the same post"
        if self.same == "unit" and here.unit == now.unit:
            return f"would stay in unit {now.unit} after {cand.consecutive_terms} terms"
        return None
