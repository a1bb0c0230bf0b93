"""`term_limit`: no one keeps a post (or, with `same: unit`, its unit) beyond the term limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.rules.base import PairRule

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.instance import Instance


class TermLimit(PairRule):
    rule: Literal["term_limit"] = "term_limit"
    max_consecutive_terms: int = Field(2, ge=1)
    same: Literal["post", "unit"] = "post"

    summary: ClassVar[str] = ("no officer with max_consecutive_terms in a matching current post keeps "
                              "it (same: unit, any post of its unit)")

    def _barred(self, inst: Instance) -> np.ndarray:
        """Per candidate: the post (same: post) or unit (same: unit) it may not stay in, or -1.

        Computed once per instance: only the candidate's current post decides."""
        def compute() -> np.ndarray:
            arr = inst.arrays
            barred = np.full(inst.n_candidates, -1, dtype=np.int32)
            for c in np.flatnonzero((arr.current_post >= 0) & (arr.terms >= self.max_consecutive_terms)):
                now = int(arr.current_post[c])
                if self.matches(inst, now):
                    barred[c] = now if self.same == "post" else inst.post_unit[now]
            return barred
        return inst.memo((id(self), "barred"), self, compute)

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        here = p if self.same == "post" else inst.post_unit[p]
        return self._barred(inst)[cands] == here

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

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        if not short:
            return super().excluded_words(inst, view, c, p, short)
        where = "there" if self.same == "post" else "in its unit"
        return f"has served {self.max_consecutive_terms}+ terms {where}"
