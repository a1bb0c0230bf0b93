"""`age_limit`: officers on matching posts are at most max_age at the start of the term."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.rules.base import PairRule

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.instance import Instance


class AgeLimit(PairRule):
    rule: Literal["age_limit"] = "age_limit"
    max_age: int

    summary: ClassVar[str] = "every officer on a matching post is at most max_age"

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        if not self.matches(inst, p):
            return np.zeros(len(cands), dtype=bool)
        return inst.arrays.age[cands] > self.max_age

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        age = view.term_start - view.cand(c).birth_year
        return f"is {age}, older than {self.max_age}" if age > self.max_age else None

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        if short:
            return f"is older than {self.max_age}"
        return super().excluded_words(inst, view, c, p, short)
