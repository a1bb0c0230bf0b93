"""The exact terms that tie a horizon's periods together (docs/horizon.md, "The model").

The expanded instance (planner/model/horizon.py) relaxes the state of every officer after the
first period. Here that state is made exact from the plan of the period before, as the
contract's table derives it: what an officer held (a pair variable of the previous period's
copy), whether the officer serves at a ministry unit, at which unit the officer serves. Rules
that read state ask for it in their `link` method (`mb.links`); the objective's two
state-dependent terms, `move` and `distance`, are linked here.

State is built lazily, per officer and period, only where a rule or a term asks for it, and
each piece is exact in the direction it is used: ministry origin only ever helps a quota, so
it is bounded from above by what the plan allows; `serves_at` is both read by `mobility` and
priced by `distance`, so it is an exact one-hot over the units the officer may serve at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner.model.objective import unit_km
from planner.rules.base import INF
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.model.builder import ModelBuilder


@dataclass(frozen=True)
class Expr:
    """A linear expression over model variables plus a constant (a 0/1 quantity here)."""

    vars: tuple[int, ...] = ()
    coefs: tuple[int, ...] = ()
    const: int = 0


SERVES = dict[int, "int | None"]
"""Where an officer serves in a period: scenario unit -> its literal, or None when the unit is
certain (then it is the only key)."""


class Links:
    """The state of every officer in every period, as model terms, for one builder."""

    def __init__(self, mb: ModelBuilder):
        self.mb = mb
        self.inst = mb.inst
        hz = mb.inst.horizon
        assert hz is not None
        self.hz = hz
        self.n_units = len(hz.base.units)
        base_units = {u.id: i for i, u in enumerate(hz.base.units)}
        self.post_index = {p.id: i for i, p in enumerate(hz.base.posts)}
        self.post_unit = [base_units[p.unit] for p in hz.base.posts]
        """The scenario unit of each scenario post."""
        self.base_serves = [base_units[c.serves_at] for c in hz.base.candidates]
        self.base_ministry = [hz.base.units[u].kind is UnitKind.ministry for u in self.base_serves]
        self.unit_posts: dict[tuple[int, int], list[int]] = {}
        """(period, scenario unit) -> the expanded posts there."""
        for p, u in enumerate(self.inst.post_unit):
            self.unit_posts.setdefault((int(hz.post_period[p]), u % self.n_units), []).append(p)
        self._ministry: dict[tuple[int, int], Expr] = {}
        self._serves: dict[tuple[int, int], SERVES] = {}

    # -- reading the plan's variables -----------------------------------------------------
    def officer(self, c: int) -> tuple[int, int]:
        """(scenario candidate, period) of expanded candidate c."""
        return int(self.hz.cand_base[c]), int(self.hz.cand_period[c])

    def copy(self, o: int, t: int) -> int:
        """The expanded candidate of officer o in period t, or -1 when unavailable then."""
        return self.hz.cand_copy.get((t, o), -1)

    def pairs(self, c: int) -> np.ndarray:
        """The pair variables of expanded candidate c (none for -1)."""
        return self.mb.cand_pairs(c) if c >= 0 else np.zeros(0, dtype=np.int64)

    def var(self, c: int, p: int) -> int | None:
        """The variable of pair (expanded candidate c, expanded post p), if modelled."""
        if c < 0 or p < 0:
            return None
        pairs, cands = self.mb.post_pairs(p)
        i = int(np.searchsorted(cands, c))
        return int(pairs[i]) if i < len(cands) and cands[i] == c else None

    def held(self, o: int, t: int, q: int) -> int | None:
        """The variable "officer o holds scenario post q in period t", if modelled."""
        if t < 0:
            return None
        return self.var(self.copy(o, t), self.hz.post_copy.get((t, q), -1))

    def base_post(self, var: int) -> int:
        return int(self.hz.post_base[self.mb.pair_post[var]])

    def base_unit(self, var: int) -> int:
        return self.inst.post_unit[self.mb.pair_post[var]] % self.n_units

    def unit_in(self, u: int, t: int) -> int:
        """The expanded unit of scenario unit u in period t (units are copied in order)."""
        return t * self.n_units + u

    def earlier(self, o: int, t: int, keep) -> list[int]:
        """Officer o's pair variables in the periods before t on posts where `keep(post)`."""
        return [int(v) for s in range(t) for v in self.pairs(self.copy(o, s))
                if keep(int(self.mb.pair_post[v]))]

    # -- state ------------------------------------------------------------------------------
    def ministry(self, o: int, t: int) -> Expr:
        """At most 1 where officer o may be ministry-origin in period t (serves_at a ministry
        unit: the last post held was one, or none was held and the officer came from one)."""
        key = (o, t)
        if key not in self._ministry:
            self._ministry[key] = self._ministry_now(o, t)
        return self._ministry[key]

    def _ministry_now(self, o: int, t: int) -> Expr:
        if t == 0:
            return Expr(const=int(self.base_ministry[o]))
        before = self.ministry(o, t - 1)
        held = self.pairs(self.copy(o, t - 1))
        if len(held) == 0:
            return before
        mb, units = self.mb, self.inst.units
        minis = [int(v) for v in held if units[self.inst.post_unit[mb.pair_post[v]]].kind
                 is UnitKind.ministry]
        m = mb.new_var(0, 1, f"ministry:{o}@{t}")
        if before.vars or before.const:
            # still from the ministry: came from it and held nothing in t-1
            b = mb.new_var(0, 1, f"stayed_ministry:{o}@{t}")
            mb.add_linear([b, *held], [1] * (1 + len(held)), 0, 1)
            if before.vars:
                mb.add_linear([b, *before.vars], [1, *(-k for k in before.coefs)], -INF, before.const)
            minis.append(b)
        mb.add_linear([m, *minis], [1, *[-1] * len(minis)], -INF, 0)
        return Expr((m,), (1,))

    def serves_at(self, o: int, t: int) -> SERVES:
        """Where officer o serves in period t: the unit of the post held in t-1, else where the
        officer served in t-1 (an exact one-hot over the units that can be)."""
        key = (o, t)
        if key not in self._serves:
            self._serves[key] = self._serves_now(o, t)
        return self._serves[key]

    def _serves_now(self, o: int, t: int) -> SERVES:
        if t == 0:
            return {self.base_serves[o]: None}
        before = self.serves_at(o, t - 1)
        held = self.pairs(self.copy(o, t - 1))
        if len(held) == 0:
            return before
        mb = self.mb
        by_unit: dict[int, list[int]] = {}
        for v in held:
            by_unit.setdefault(self.base_unit(int(v)), []).append(int(v))
        now: SERVES = {}
        for u in dict.fromkeys([*before, *by_unit]):
            a = mb.new_var(0, 1, f"serves:{o}@{t}:{u}")
            now[u] = a
            if u in by_unit:  # held a post of u in t-1
                mb.add_linear([*by_unit[u], a], [1] * len(by_unit[u]) + [-1], -INF, 0)
            if u in before:  # served at u in t-1 and held nothing
                lit = before[u]
                if lit is None:
                    mb.add_linear([*held, a], [-1] * len(held) + [-1], -INF, -1)
                else:
                    mb.add_linear([lit, *held, a], [1] + [-1] * len(held) + [-1], -INF, 0)
        mb.add_linear(list(now.values()), [1] * len(now), 1, 1)
        return now

    def from_ministry(self, pairs: np.ndarray, cands: np.ndarray, name: str) -> list[int]:
        """For a quota group: one 0/1 term per dynamic candidate among `cands`, at most its
        pairs in the group and at most its ministry origin (the group's pairs are `pairs`)."""
        out = []
        by_cand: dict[int, list[int]] = {}
        for v, c in zip(pairs.tolist(), cands.tolist()):
            by_cand.setdefault(c, []).append(v)
        for c, vs in by_cand.items():
            m = self.ministry(*self.officer(c))
            if not m.vars and not m.const:
                continue
            w = self.mb.new_var(0, 1, f"from_ministry:{name}:{c}")
            self.mb.add_linear([w, *vs], [1] + [-1] * len(vs), -INF, 0)
            if m.vars:
                self.mb.add_linear([w, *m.vars], [1, *(-k for k in m.coefs)], -INF, m.const)
            out.append(w)
        return out

    # -- the objective's state terms --------------------------------------------------------
    def link_objective(self) -> None:
        """`move` against the post held in t-1 and `distance` from where the officer serves,
        for every copy after the first period (pair_scores left both out there)."""
        w = self.mb.policy.weights
        dynamic = np.flatnonzero(self.inst.dynamic)
        for c in dynamic.tolist():
            pairs = self.pairs(c)
            if len(pairs) == 0:
                continue
            o, t = self.officer(c)
            if w.move:
                self._link_moves(o, t, pairs, w.move)
            if w.distance:
                self._link_distance(o, t, pairs, w.distance)

    def _link_moves(self, o: int, t: int, pairs: np.ndarray, weight: int) -> None:
        """Pairs that can be no stay pay `move` in their coefficient already (pair_table)."""
        mb, may_stay = self.mb, self.mb.may_stay
        for v in pairs.tolist():
            if may_stay is not None and not may_stay[v]:
                continue
            before = self.held(o, t - 1, self.base_post(v))
            if before is None:
                mb.add_pair_coef(v, -weight)  # its stay pair is not modelled: always a move
                continue
            moved = mb.new_var(0, 1, f"moved:{v}")
            mb.add_linear([v, before, moved], [1, -1, -1], -INF, 0)
            mb.add_penalty(moved, weight, "move")

    def hundreds(self, units: list[int], t: int, pairs: np.ndarray) -> np.ndarray:
        """floor(km / 100) from each scenario unit in period t to each pair's post (a
        units x pairs matrix), computed as the objective computes it."""
        post_units = np.array(self.inst.post_unit, dtype=np.int64)[self.mb.pair_post[pairs]]
        here = np.array([self.unit_in(u, t) for u in units], dtype=np.int64)
        a, b = np.repeat(here, len(pairs)), np.tile(post_units, len(here))
        return (unit_km(self.inst, a, b) // 100).reshape(len(here), len(pairs))

    def _link_distance(self, o: int, t: int, pairs: np.ndarray, weight: int) -> None:
        mb = self.mb
        where = self.serves_at(o, t)
        units = list(where)
        table = self.hundreds(units, t, pairs)
        if len(where) == 1 and None in where.values():
            hit = table[0] > 0
            mb.add_pair_coef(pairs[hit], -weight * table[0][hit])
            return
        top = int(table.max(initial=0))
        if top == 0:
            return
        far = mb.new_var(0, top, f"distance:{o}@{t}")
        for row, u in zip(table, units):
            hit = row > 0
            if hit.any():
                lit = where[u]
                mb.add_linear([*pairs[hit].tolist(), far], [*row[hit].tolist(), -1], -INF, 0,
                              enforce=[lit] if lit is not None else ())
        mb.add_penalty(far, weight, "distance")
