"""The LP relaxation on a shortlist, its duals priced over every pair: a bound and a near-plan.

Posts hold at most one officer, officers at most one post, and the side rules' rows
(`Rule.relax`) hold: as a linear program over the shortlisted pairs, solved by HiGHS' dual
simplex through scipy. Two things come out.

* Duals. The side rows' duals are Lagrange multipliers; the Lagrangian subproblem over *all*
  pairs at those multipliers (`lagrangian.price`, one exact matching) bounds every plan of the
  whole scenario, whatever the shortlist missed. Pairs that the whole-table matching uses and
  the shortlist lacks join it, and the LP is solved again (column generation), a few rounds.
* A near-integral vertex. An assignment LP with a few side rows has few fractional values
  (2025 country: 14 of 44,000 pairs, 3,464 posts integral). The posts the LP fills integrally
  are a plan's skeleton; CP-SAT completes it on the rest (see `solve.py`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from planner.model.lagrangian import SCALE, Relaxation, price
from planner.model.pairs import PairTable


@dataclass
class LpRound:
    value: float
    """LP optimum over the shortlisted pairs (objective units, constant included)."""
    x: np.ndarray
    """Per shortlisted pair, its LP value."""
    lam: np.ndarray
    """The side rows' duals as integer multipliers (units of 1/SCALE)."""


def solve_lp(rel: Relaxation, table: PairTable, n_posts: int, n_cands: int) -> LpRound | None:
    """The LP over `table`'s pairs with `rel`'s rows (already restricted to them); None if
    HiGHS finds no optimum (infeasible rows: nothing is concluded from a shortlist)."""
    n, k = len(table), rel.b.shape[1]
    if n + k == 0:
        return None  # nothing to decide: the core bound stands
    ones = np.ones(n)
    post_rows = sp.csr_matrix((ones, (table.post, np.arange(n))), shape=(n_posts, n))
    cand_rows = sp.csr_matrix((ones, (table.cand, np.arange(n))), shape=(n_cands, n))
    none = sp.csr_matrix((n_posts + n_cands, k))
    matrix = sp.vstack([sp.hstack([sp.vstack([post_rows, cand_rows]), none]),
                        sp.hstack([-rel.a, -rel.b])], format="csr")
    rhs = np.concatenate([np.ones(n_posts + n_cands), -rel.lo.astype(np.float64)])
    cost = -np.concatenate([table.coef, rel.d]).astype(np.float64)
    bounds = np.column_stack([np.zeros(n + k), np.concatenate([ones, rel.ub])])
    res = linprog(cost, A_ub=matrix, b_ub=rhs, bounds=bounds, method="highs-ds")
    if res.status != 0:
        return None
    duals = -res.ineqlin.marginals[n_posts + n_cands:]
    lam = np.maximum(0, np.round(duals * SCALE)).astype(np.int64)
    return LpRound(-res.fun + table.constant, res.x[:n], lam)


@dataclass
class LpBound:
    bound: int | None
    """The least whole-table Lagrangian value at the LP's duals (None: no LP optimum)."""
    pairs: np.ndarray
    """Table indices of the final shortlist."""
    lp: LpRound | None
    """The LP on the final shortlist."""
    rounds: int
    seconds: float


def lp_bound(rel: Relaxation, table: PairTable, n_posts: int, n_cands: int, keep: np.ndarray,
             rounds: int = 4, budget: float = 30.0) -> LpBound:
    """Column generation from the pairs `keep` (a mask over `table`), see the module doc."""
    start = time.perf_counter()
    idx = np.flatnonzero(keep)
    best: int | None = None
    lp, done = None, 0
    for done in range(1, rounds + 1):
        found = solve_lp(rel.subset(idx), table.subset(idx), n_posts, n_cands)
        if found is None:
            break
        lp = found
        priced = price(rel, table, n_posts, n_cands, found.lam)
        best = priced.bound if best is None else min(best, priced.bound)
        entering = np.setdiff1d(priced.chosen, idx)
        if len(entering) == 0 or time.perf_counter() - start > budget:
            break
        idx = np.union1d(idx, entering)
    return LpBound(best, idx, lp, done, time.perf_counter() - start)
