"""`term_limit`: no one keeps a post (or, with `same: unit`, its unit) beyond the term limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.rules.base import INF, PairRule

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
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

    def link(self, mb: ModelBuilder) -> None:
        """Later periods: holding scenario post q in each of the `max` periods before t (the
        scenario's consecutive_terms counting as periods before the first) bars keeping q in
        t (same: unit, any post of q's unit). Also bars, in period 1, the unit of a current
        post that is closed there (the expansion gave its holder no current post)."""
        links = mb.links
        assert links is not None
        base = links.hz.base
        for o, cand in enumerate(base.candidates):
            for t in range(links.hz.n_periods):
                c = links.copy(o, t)
                if c < 0:
                    continue
                if t == 0:
                    self._closed_current(mb, o, c)
                    continue
                for v in links.pairs(links.copy(o, t - 1)).tolist():
                    self._window(mb, o, t, links.base_post(v))

    def _subject(self, mb: ModelBuilder, q: int) -> bool:
        """Does the filter match scenario post q (the current post, as for the first period)?"""
        links = mb.links
        assert links is not None
        post = links.hz.base.posts[q]
        return ((self.roles is None or post.role in self.roles)
                and (self.unit_kind is None
                     or links.hz.base.units[links.post_unit[q]].kind is self.unit_kind))

    def _targets(self, mb: ModelBuilder, o: int, t: int, q: int) -> list[int]:
        """The variables officer o may not take in t once barred from q."""
        links = mb.links
        assert links is not None
        c = links.copy(o, t)
        if self.same == "post":
            v = links.held(o, t, q)
            return [] if v is None else [v]
        return [v for p in links.unit_posts.get((t, links.post_unit[q]), [])
                if (v := links.var(c, p)) is not None]

    def _window(self, mb: ModelBuilder, o: int, t: int, q: int) -> None:
        links = mb.links
        assert links is not None
        top = self.max_consecutive_terms
        run = []
        for s in range(t - 1, max(-1, t - top - 1), -1):
            v = links.held(o, s, q)
            if v is None:
                return  # the run on q is broken before it reaches the limit
            run.append(v)
        if len(run) < top:  # the rest of the run is the scenario's own terms on q
            first = links.hz.base.candidates[o]
            if first.current_post != links.hz.base.posts[q].id or \
                    first.consecutive_terms < top - len(run):
                return
        if not self._subject(mb, q):
            return
        targets = self._targets(mb, o, t, q)
        if targets:
            self._bar(mb, run + targets, len(run), f"{self.title}:{o}@{t}")

    def _closed_current(self, mb: ModelBuilder, o: int, c: int) -> None:
        links = mb.links
        assert links is not None
        first = links.hz.base.candidates[o]
        if self.same != "unit" or first.current_post is None \
                or first.consecutive_terms < self.max_consecutive_terms:
            return
        q = links.post_index[first.current_post]
        if (0, q) in links.hz.post_copy or not self._subject(mb, q):
            return  # an open current post is barred by the first period's own rows
        targets = self._targets(mb, o, 0, q)
        if targets:
            self._bar(mb, targets, 0, f"{self.title}:{o}")

    def _bar(self, mb: ModelBuilder, variables: list[int], most: int, name: str) -> None:
        """sum(variables) <= most; soft, weight per officer over it."""
        ones = [1] * len(variables)
        if self.hard:
            mb.add_hard(self, variables, ones, -INF, most, name)
            return
        over = mb.new_var(0, 1, f"over:{name}")
        mb.add_linear([*variables, over], [*ones, -1], -INF, most, name)
        mb.add_penalty(over, self.cost, self.title)

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
