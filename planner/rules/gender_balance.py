"""`gender_balance`: a minimum share of women among assigned matching posts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.rules.base import ShareRule

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.instance import Instance


class GenderBalance(ShareRule):
    rule: Literal["gender_balance"] = "gender_balance"

    summary: ClassVar[str] = "women hold at least min_share of assigned matching posts"

    def good(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        return inst.arrays.female[cands]

    def counted_words(self) -> str:
        return "women"

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        return "is not a woman"

    def is_good_check(self, view: PlanView, c: int, p: int) -> bool:
        return view.cand(c).gender == "female"
