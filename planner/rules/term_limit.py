"""`term_limit`: no one keeps a post (or, with `same: unit`, its unit) beyond the term limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import scipy.sparse as sp
from pydantic import Field

from planner.rules.base import INF, PairRule
from planner.rules.rows import Rows

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


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

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """Over a horizon, hard: the stays the relaxation credits, taken back where the limit
        forbids them. The pair table pays no move for a later pair that may be a stay
        (`PairTable.may_stay`), so in the bounds every officer could stay everywhere, every
        period. But a stay on post q continues q's holder of the period before, so stays in a
        row on q are one officer's terms: in any `max_consecutive_terms` = m periods in a row,
        q has at most m - 1 stays. Per post q and window W of m periods:

            sum over t in W of (y(q, t) - u(q, t)) <= m - 1,

        y(q, t) the pairs on q in t that may stay (in the first period: q's incumbent staying,
        priced exactly by the table), u(q, t) in [0, 1] the credit taken back (worth minus the
        move weight). Every plan keeping the limit meets them with u = y - (stays): its
        objective is the table's minus the move weight for every credited pair that is not a
        stay, which is its true objective. Measured on legacy x 0.05 over three periods: the
        bound 110,873 -> 108,738 against a plan of 108,405 (docs/benchmarks.md, "Horizons")."""
        hz = inst.horizon
        if not self.hard or hz is None or table.may_stay is None or table.stay_credit <= 0:
            return None
        m, n_t, n_q = self.max_consecutive_terms, hz.n_periods, len(hz.base.posts)
        subject = np.zeros(inst.n_posts, dtype=bool)
        subject[self.matching_posts(inst)] = True
        later = table.may_stay & subject[table.post]
        first = (subject[table.post] & (hz.post_period[table.post] == 0)
                 & (inst.arrays.current_post[table.cand] == table.post))
        pairs = np.flatnonzero(later | first)
        q, t = hz.post_base[table.post[pairs]], hz.post_period[table.post[pairs]]
        has = np.zeros((n_q, n_t), dtype=bool)  # (q, t): some pair may be a stay
        has[q, t] = True
        # window s holds periods s .. s + m - 1; it binds where each of them may hold a stay
        n_w = n_t - m + 1
        if n_w <= 0 or not later.any():
            return None
        binds = np.stack([has[:, s0:s0 + m].all(axis=1)  # and a later period, for a u
                          & has[:, max(1, s0):s0 + m].any(axis=1) for s0 in range(n_w)], axis=1)
        row_of = np.full((n_q, n_w), -1, dtype=np.int64)
        row_of[binds] = np.arange(int(binds.sum()))
        needed = np.zeros((n_q, n_t), dtype=bool)  # (q, t > 0) in a binding row: its u
        for s0 in range(n_w):
            needed[:, max(1, s0):s0 + m] |= binds[:, [s0]]
        needed &= has
        aux_of = np.full((n_q, n_t), -1, dtype=np.int64)
        aux_of[needed] = np.arange(int(needed.sum()))
        a_row, a_col, b_row, b_col = [], [], [], []
        for s0 in range(n_w):
            inside = (t >= s0) & (t < s0 + m) & (row_of[q, s0] >= 0)
            a_row.append(row_of[q[inside], s0])
            a_col.append(pairs[inside])
            qs, ts = np.nonzero(needed & binds[:, [s0]])
            ts_in = (ts >= s0) & (ts < s0 + m)
            b_row.append(row_of[qs[ts_in], s0])
            b_col.append(aux_of[qs[ts_in], ts[ts_in]])
        n_rows, n_aux = int(binds.sum()), int(needed.sum())
        rows_a, rows_b = np.concatenate(a_row), np.concatenate(b_row)
        a = sp.csr_matrix((np.full(len(rows_a), -1, np.int64), (rows_a, np.concatenate(a_col))),
                          shape=(n_rows, len(table)))
        b = sp.csr_matrix((np.ones(len(rows_b), np.int64), (rows_b, np.concatenate(b_col))),
                          shape=(n_rows, n_aux))
        return Rows(a, np.full(n_rows, -(m - 1), np.int64), b,
                    np.full(n_aux, -table.stay_credit, np.int64), np.ones(n_aux, np.int64))

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
