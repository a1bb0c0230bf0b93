"""`service_left`: no one is moved onto a matching post with fewer than `years` of service left.

Moving an officer who retires soon leaves the post to be filled again within the term. An
officer *moved* onto a matching post (assigned a post other than the current one; newcomers
included) must have `leaves - year >= years`; without `leaves` the officer passes, and staying
on the current post always passes. A pair rule: hard, the short pairs never get a variable;
soft, each costs `weight` (per post). In a horizon's expanded instance, later-period copies
never break it here: whether they move follows from the plan (the horizon links).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.rules.base import PairRule, link_requires
from planner.rules.wording import years_words

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance


class ServiceLeft(PairRule):
    rule: Literal["service_left"] = "service_left"
    years: int = Field(ge=0)
    """Officers moved onto a matching post have at least this many years before `leaves` (required)."""

    summary: ClassVar[str] = ("every officer moved onto a matching post has at least `years` "
                              "of service left (leaves - year >= years)")
    moves_only: ClassVar[bool] = True
    checked_figure: ClassVar[str | None] = "moved_checked"
    broken_figure: ClassVar[str] = "short_of_service"

    def short(self, inst: Instance) -> np.ndarray:
        """Mask over candidates: fewer than `years` left before `leaves`, counted from the
        year of each candidate's period (dynamic copies included: the links read it too)."""
        def compute() -> np.ndarray:
            return np.array([c.leaves is not None and c.leaves - y < self.years
                             for c, y in zip(inst.candidates, inst.year)], dtype=bool)
        return inst.memo((id(self), "short"), self, compute)

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        if not self.matches(inst, p):
            return np.zeros(len(cands), dtype=bool)
        moved = inst.arrays.current_post[cands] != p
        return moved & self.short(inst)[cands] & ~inst.dynamic[cands]

    def link(self, mb: ModelBuilder) -> None:
        """A later period: an officer short of service may take a matching post only by
        staying on it, i.e. having held it in the period before."""
        links, inst = mb.links, mb.inst
        assert links is not None
        short = self.short(inst)
        for c in np.flatnonzero(inst.dynamic & short).tolist():
            o, t = links.officer(c)
            for v in links.pairs(c).tolist():
                if self.matches(inst, int(mb.pair_post[v])):
                    stay = links.held(o, t - 1, links.base_post(v))
                    link_requires(mb, self, [v], [] if stay is None else [stay], f"{self.title}:{v}")

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        cand = view.cand(c)
        if cand.leaves is None or cand.current_post == view.post_id(p):
            return None
        left = cand.leaves - view.term_start
        if left >= self.years:
            return None
        return f"leaves service in {cand.leaves}, {years_words(left)} after {view.term_start}, " \
               f"fewer than {self.years}"

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        if short:
            return f"has fewer than {years_words(self.years)} of service left"
        return super().excluded_words(inst, view, c, p, short)
