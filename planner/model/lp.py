"""The LP relaxation on a shortlist, its duals priced over every pair: a bound and a near-plan.

Posts hold at most one officer, officers at most one post, and the side rules' rows
(`Rule.lp_rows`) hold: as a linear program over the shortlisted pairs, solved by HiGHS
(`highspy`). Two things come out.

* Duals. The side rows' duals are Lagrange multipliers; the Lagrangian subproblem over *all*
  pairs at those multipliers (`lagrangian.price`, one exact matching) bounds every plan of the
  whole scenario, whatever the shortlist missed. Pairs that the whole-table matching uses and
  the shortlist lacks join the LP as new columns and it is solved again from its last basis
  (column generation). Measured on the legacy country: the bound goes 852,940 (core) ->
  848,168 -> 846,619 -> 846,287 -> 846,170 over four rounds of 4.3, 4.1, 2.6 and 1.6 s, while
  the LP's own value climbs to 846,158.
* A near-integral vertex. An assignment LP with a few side rows has few fractional values
  (legacy: 32 of 190,000 pairs; 2025: 14 of 44,000). The posts the LP fills integrally are a
  plan's skeleton; CP-SAT completes it on the rest (see planner/solver/start.py).

The LP starts from a few columns (`seed`: on one period the core plan's pairs, ~11,000 of
the legacy country's 3.7 million, with a hint's, whether or not the search is shortlisted; on a horizon the shortlist's best
two pairs per post, best pair per officer and best two helpful pairs per post of each rule,
with the myopic plan's), not the whole shortlist: each round's simplex costs in proportion to
its columns, and pricing brings in the pairs the duals want (legacy country, seed 11: five
rounds in 6.2 s from the core plan's pairs, 8.8 s from the shortlist's ~48,000; legacy x 0.05,
every pair modelled: 0.08 s from the core plan's pairs, 0.47 s over all 52,817). Every side row has
an elastic column, so that a seed too small to meet a hard row leaves the LP feasible, with that
row's dual at the column's cost (:func:`~planner.model.lagrangian.multiplier_cap` in score
points, or 1000 times the largest score if smaller): pricing at such duals is still a valid
bound (any multipliers are) and brings in the pairs that meet the row. The LP's value stays an
upper bound on every plan over its columns (a plan is the LP point with the elastic columns at
zero). Measured on the legacy country (seed 11, one process, a loaded machine): the whole
shortlist with the simplex re-solving as primal after the first round, bound 845,708 after
three rounds in 30.8 s; from the seed, dual simplex every round, 845,843 after three rounds in
9.3 s and 845,666 after four in 12.7 s. The dual simplex also re-solves faster than the primal
one after columns enter (round two: 6.0 s against 11.4 s on the whole shortlist, 2.7 s against
15.0 s from the seed).

Why highspy and not scipy's `linprog` (which bundles HiGHS too): a re-solve after adding
columns starts from the last basis; `linprog` starts over every round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import highspy.highs
import numpy as np
import scipy.sparse as sp

from planner.model.lagrangian import SCALE, SideRows, multiplier_cap, subproblem
from planner.model.pairs import PairTable


@dataclass
class LpRound:
    value: float
    """LP optimum over the shortlisted pairs (objective units, constant included)."""
    pairs: np.ndarray
    """Table indices of the pairs the LP had (ascending)."""
    x: np.ndarray
    """Per pair of `pairs`, its LP value."""
    lam: np.ndarray
    """The side rows' duals as integer multipliers (units of 1/SCALE)."""


_QuietHighs = getattr(highspy.highs, "_Highs", highspy.Highs)
"""The binding's own class: `highspy.Highs()` enables its Python callbacks in the constructor,
which prints HiGHS's banner to stdout before `output_flag` can be set (HiGHS issues #1702,
#2749); the LP needs no callbacks."""


class RestrictedLp:
    """The LP over a growing set of pairs of `table`, kept in one HiGHS instance."""

    def __init__(self, rel: SideRows, table: PairTable, n_posts: int, n_cands: int,
                 elastic: float):
        self.rel, self.table = rel, table
        self.n_posts, self.n_cands = n_posts, n_cands
        self.highs = _QuietHighs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("random_seed", 0)
        self.columns = np.zeros(0, dtype=np.int64)
        """Table index of each pair column, in column order (auxiliaries follow none)."""
        n_rows = n_posts + n_cands + rel.n_rows
        # The rules' auxiliaries, then one elastic column per side row (cost `elastic`).
        side = sp.hstack([-rel.b, -sp.identity(rel.n_rows)])
        k = side.shape[1]
        aux = sp.vstack([sp.csr_matrix((n_posts + n_cands, k)), side]).tocsc()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = k, n_rows
        lp.col_cost_ = np.concatenate([-rel.d.astype(np.float64), np.full(rel.n_rows, elastic)])
        lp.col_lower_ = np.zeros(k)
        lp.col_upper_ = np.concatenate([rel.ub.astype(np.float64),
                                        np.full(rel.n_rows, highspy.kHighsInf)])
        lp.row_lower_ = np.full(n_rows, -highspy.kHighsInf)
        lp.row_upper_ = np.concatenate([np.ones(n_posts + n_cands), -rel.lo.astype(np.float64)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = aux.indptr.astype(np.int32)
        lp.a_matrix_.index_ = aux.indices.astype(np.int32)
        lp.a_matrix_.value_ = aux.data.astype(np.float64)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = k, n_rows
        self.highs.passModel(lp)
        self.n_aux = k

    def add(self, idx: np.ndarray) -> None:
        """Add the pairs `idx` (table indices not yet in) as columns."""
        if len(idx) == 0:
            return
        t, rel, base = self.table, self.rel, self.n_posts + self.n_cands
        side = rel.at[idx]
        n = len(idx)
        rows = np.concatenate([t.post[idx], self.n_posts + t.cand[idx], base + side.indices])
        cols = np.concatenate([np.arange(n), np.arange(n), np.repeat(np.arange(n), np.diff(side.indptr))])
        vals = np.concatenate([np.ones(2 * n), -side.data.astype(np.float64)])
        block = sp.csc_matrix((vals, (rows, cols)), shape=(base + rel.n_rows, n))
        self.highs.addCols(n, -t.coef[idx].astype(np.float64), np.zeros(n), np.ones(n),
                           block.nnz, block.indptr[:-1].astype(np.int32),
                           block.indices.astype(np.int32), block.data)
        self.columns = np.concatenate([self.columns, idx])

    def solve(self) -> LpRound | None:
        """Solve from the last basis; None if HiGHS reports no optimum."""
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.highs.getSolution()
        x = np.asarray(solution.col_value)[self.n_aux:]
        duals = -np.asarray(solution.row_dual)[self.n_posts + self.n_cands:]
        lam = np.maximum(0, np.round(duals * SCALE)).astype(np.int64)
        order = np.argsort(self.columns)
        value = -self.highs.getInfo().objective_function_value + self.table.constant
        return LpRound(value, self.columns[order], x[order], lam)


@dataclass
class LpBound:
    bound: int | None
    """The least whole-table Lagrangian value at the LP's duals (None: no LP optimum)."""
    lp: LpRound | None
    """The LP on the final shortlist."""
    rounds: int
    seconds: float
    lams: tuple[np.ndarray, ...] = ()
    """The multipliers of every round priced (capped where pricing is exact): each bounds the
    plans over any subset of the pairs too (:meth:`planner.solver.bounds.Bounds.over`)."""


class ColumnGeneration:
    """Column generation from the pairs `seed` (a mask over `table`), see the module doc, run in
    stretches: :meth:`run` prices rounds until its own `gap` is met, and a later call with a
    tighter one goes on from the same LP (its basis, columns and rounds), so that a first plan
    can be built from an early vertex while the bound still tightens (planner/solver/bounds.py,
    `refined`)."""

    def __init__(self, rel: SideRows, table: PairTable, n_posts: int, n_cands: int,
                 seed: np.ndarray, rounds: int = 8):
        tick = time.perf_counter()
        self.rounds = rounds
        """Rounds over every stretch together."""
        self.rel, self.table, self.n_posts, self.n_cands = rel, table, n_posts, n_cands
        self.cap = multiplier_cap(rel, table, n_posts)
        largest = int(np.abs(table.coef).max()) if len(table) else 0
        self.restricted = RestrictedLp(rel, table, n_posts, n_cands,
                                       min(self.cap // SCALE, 1000 * (largest + 1)))
        self.best: int | None = None
        self.lp: LpRound | None = None
        self.lams: list[np.ndarray] = []
        self.done = 0
        self.seconds = time.perf_counter() - tick
        self.entering: np.ndarray | None = np.flatnonzero(seed)
        """The columns the next round adds first: the seed, then those the last round's pricing
        brought (None: the generation has ended: no column enters, no LP optimum, or no exact
        pricing)."""

    @property
    def resumable(self) -> bool:
        """Whether another round can still run and tighten the bound."""
        return self.entering is not None and self.done < self.rounds

    def run(self, gap: float, budget: float) -> LpBound:
        """Price rounds while one can run, until the bound is within half of `gap` of the LP's
        value (a plan can come no closer to the bound than the LP's value over the pairs it is
        searched on, up to the columns the LP lacks); a round after the first starts only while
        `budget` seconds (of every stretch together) have not passed. The figures of every round
        so far."""
        tick = time.perf_counter()
        while self.resumable and not self._close(gap) and \
                (self.done == 0 or self.seconds + time.perf_counter() - tick <= budget):
            assert self.entering is not None
            self.restricted.add(self.entering)
            self.entering, self.done = None, self.done + 1
            self._round()
        self.seconds += time.perf_counter() - tick
        return LpBound(self.best, self.lp, self.done, self.seconds, tuple(self.lams))

    def _round(self) -> None:
        """One round: solve, price every pair at the duals, keep the pairs that enter."""
        found = self.restricted.solve()
        if found is None:
            return
        self.lp = found
        lam = np.minimum(found.lam, self.cap)
        priced = subproblem(self.rel, self.table, self.n_posts, self.n_cands, lam)
        if priced is None:  # duals too large to price exactly: no bound from this round
            return
        self.lams.append(lam)
        self.best = priced.bound if self.best is None else min(self.best, priced.bound)
        entering = np.setdiff1d(priced.chosen, found.pairs)
        self.entering = entering if len(entering) else None

    def _close(self, gap: float) -> bool:
        """Whether the bound is within half of `gap` of the last LP's value."""
        return self.lp is not None and self.best is not None and \
            self.best - self.lp.value <= gap / 2 * max(1.0, abs(self.lp.value))


def lp_bound(rel: SideRows, table: PairTable, n_posts: int, n_cands: int, seed: np.ndarray,
             rounds: int = 8, budget: float = 30.0, gap: float = 0.0) -> LpBound:
    """:class:`ColumnGeneration` run once, to `gap` (see :meth:`ColumnGeneration.run`)."""
    return ColumnGeneration(rel, table, n_posts, n_cands, seed, rounds).run(gap, budget)
