"""`fill`: every matching post is filled."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.check.verdict import RuleVerdict
from planner.rules.base import PostFilter, filled_rows, vacant_nudge
from planner.rules.rows import Rows

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


class Fill(PostFilter):
    rule: Literal["fill"] = "fill"

    summary: ClassVar[str] = "every matching post is filled"

    def must_fill(self, inst: Instance, p: int) -> bool:
        return self.matches(inst, p)

    def build(self, mb: ModelBuilder) -> None:
        for p in self.matching_posts(mb.inst):
            if self.hard:
                mb.require_filled(p, self)
            else:
                mb.add_constant(-self.cost)
                mb.add_pair_coef(mb.post_pairs(p)[0], self.cost)

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """Each matching post: its pairs sum to at least 1 (soft: plus a shortfall auxiliary
        worth minus the weight)."""
        return filled_rows(table, inst.n_posts, self.matching_posts(inst), self.hard, self.cost)

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        return vacant_nudge(table, self.matching_posts(inst), plan)

    def check(self, view: PlanView) -> RuleVerdict:
        holder = dict(view.assigned())
        matching = [p for p, post in enumerate(view.scenario.posts)
                    if (self.roles is None or post.role in self.roles)
                    and (self.unit_kind is None or view.tree.kind(post.unit) == self.unit_kind)]
        vacant = [view.post_id(p) for p in matching if p not in holder]
        return self.report(len(vacant), {"posts": len(matching), "filled": len(matching) - len(vacant)},
                           [f"post {pid} is vacant" for pid in vacant])
