"""`young_cadres`: a minimum share of officers aged at most max_age among assigned matching posts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.rules.base import ShareRule

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.instance import Instance


class YoungCadres(ShareRule):
    rule: Literal["young_cadres"] = "young_cadres"
    max_age: int

    summary: ClassVar[str] = "officers aged <= max_age hold at least min_share of assigned matching posts"

    def good(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        return inst.arrays.age[cands] <= self.max_age

    def counted_words(self) -> str:
        return f"officers aged {self.max_age} or less"

    def young_age(self) -> int | None:
        return self.max_age

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        return f"is older than {self.max_age}" if short else f"is {inst.age[c]}, older than {self.max_age}"

    def is_good_check(self, view: PlanView, c: int, p: int) -> bool:
        return view.term_start - view.cand(c).birth_year <= self.max_age
