"""`non_local`: leaders do not serve where they come from (home town or personal ties)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.rules.base import ShareRule
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.instance import Instance


class NonLocal(ShareRule):
    rule: Literal["non_local"] = "non_local"
    min_share: float = Field(1, ge=0, le=1)
    scope: UnitKind | None = None
    """The area compared with the officer's home; default: the post unit's own kind."""

    summary: ClassVar[str] = "at least min_share of assigned matching posts go to non-local officers"

    def scope_unit(self, inst: Instance, p: int) -> int | None:
        u = inst.post_unit[p]
        return u if self.scope is None else inst.anc(u, self.scope)

    def subject(self, inst: Instance, p: int) -> bool:
        return super().subject(inst, p) and self.scope_unit(inst, p) is not None

    def good(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        return ~inst.arrays.overlaps(self.scope_unit(inst, p), cands)

    def good_pairs(self, inst: Instance, posts: np.ndarray, cands: np.ndarray) -> np.ndarray:
        """Every pair at once (national: 3.7 million pairs in a few tenths of a second, where a
        call per post took 2.9 s)."""
        scope = inst.memo((id(self), "scope"), self, lambda: np.array(
            [-1 if (u := self.scope_unit(inst, p)) is None else u for p in range(inst.n_posts)],
            dtype=np.int64))
        return ~inst.arrays.overlaps_pairs(scope[posts], cands)

    def counted_words(self) -> str:
        return "non-local officers"

    def non_local_target(self) -> tuple[UnitKind, float] | None:
        return (self.unit_kind, self.min_share) if self.unit_kind is not None else None

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        return f"is local to {inst.units[self.scope_unit(inst, p)].id}"  # type: ignore[index]

    # -- checker side ------------------------------------------------------------------
    def _scope_check(self, view: PlanView, p: int) -> str | None:
        unit = view.post(p).unit
        return unit if self.scope is None else view.tree.anc(unit, self.scope)

    def in_scope_check(self, view: PlanView, p: int) -> bool:
        return self._scope_check(view, p) is not None

    def is_good_check(self, view: PlanView, c: int, p: int) -> bool:
        s = self._scope_check(view, p)
        cand = view.cand(c)
        places = [cand.home, *(cand.ties or [])]
        return not any(view.tree.contains(s, x) or view.tree.contains(x, s) for x in places)
