"""`difficult_areas`: matching posts in difficult areas are filled, by well-rated officers if asked."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.check.verdict import RuleVerdict
from planner.rules.base import PostFilter, filled_rows, vacant_nudge
from planner.rules.rows import Rows
from planner.rules.wording import MemberText
from planner.schema import Rating

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


class DifficultAreas(PostFilter):
    rule: Literal["difficult_areas"] = "difficult_areas"
    min_rating: Rating | None = None

    summary: ClassVar[str] = ("every matching post in a difficult unit is filled "
                              "(by an officer rated >= min_rating, if given)")

    def targets(self, inst: Instance) -> list[int]:
        return [p for p in self.matching_posts(inst) if inst.difficult[inst.post_unit[p]]]

    def must_fill(self, inst: Instance, p: int) -> bool:
        return self.matches(inst, p) and bool(inst.difficult[inst.post_unit[p]])

    def rated_ok(self, inst: Instance, cands: np.ndarray) -> np.ndarray:
        if self.min_rating is None:
            return np.ones(len(cands), dtype=bool)
        return inst.arrays.rating[cands] >= self.min_rating.rank

    @property
    def filters_pairs(self) -> bool:
        return self.hard and self.min_rating is not None

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        if not (self.matches(inst, p) and inst.difficult[inst.post_unit[p]]):
            return np.zeros(len(cands), dtype=bool)
        return ~self.rated_ok(inst, cands)

    def build(self, mb: ModelBuilder) -> None:
        for p in self.targets(mb.inst):
            if self.hard:
                mb.require_filled(p, self)
                continue
            mb.add_constant(-self.cost)  # paid unless a well-rated officer fills the post
            pairs, cands = mb.post_pairs(p)
            mb.add_pair_coef(pairs[self.rated_ok(mb.inst, cands)], self.cost)

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """Each target post: its (well-rated) pairs sum to at least 1; soft, a shortfall
        auxiliary worth minus the weight makes up for a vacant or badly served post."""
        targets = self.targets(inst)
        rated = None if self.min_rating is None else self.rated_ok(inst, table.cand)
        return filled_rows(table, inst.n_posts, targets, self.hard, self.cost, rated)

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        # Hard with min_rating, badly rated pairs do not exist: a target is broken when vacant.
        return vacant_nudge(table, self.targets(inst), plan)

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        need = self.min_rating.value if self.min_rating is not None else ""
        if short:
            return f"is rated below {need} for a difficult area"
        return f"is rated {inst.candidates[c].rating.value}, below {need} for a difficult area"

    def post_words(self, inst: Instance, p: int) -> MemberText | None:
        need = "" if self.min_rating is None else f" by an officer rated {self.min_rating.value} or better"
        return MemberText(f"{self.title}: post {inst.posts[p].id} (a difficult area) must be filled{need}",
                          f"in a difficult area, must be filled{need}")

    def check(self, view: PlanView) -> RuleVerdict:
        holder = dict(view.assigned())
        breaches, targets = [], 0
        for p, post in enumerate(view.scenario.posts):
            if self.roles is not None and post.role not in self.roles:
                continue
            if self.unit_kind is not None and view.tree.kind(post.unit) != self.unit_kind:
                continue
            if not view.tree.difficult(post.unit):
                continue
            targets += 1
            c = holder.get(p)
            if c is None:
                breaches.append(f"post {post.id} (difficult area) is vacant")
            elif self.min_rating is not None and \
                    list(Rating).index(view.cand(c).rating) < list(Rating).index(self.min_rating):
                breaches.append(f"post {post.id} (difficult area) holds {view.cand_id(c)}, "
                                f"rated {view.cand(c).rating.value} < {self.min_rating.value}")
        return self.report(len(breaches), {"difficult_posts": targets,
                                           "served_well": targets - len(breaches)}, breaches)
