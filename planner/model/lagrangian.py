"""A Lagrangian bound: the assignment core with the side rules priced in, not dropped.

The core bound drops every rule that is not a property of single pairs. Where those rules bind
(commune chiefs who are mostly local, a non-local share of 90%), the core keeps incumbents the
rules would move, and its bound stands well above any valid plan. Here each hard rule states
its constraints as rows (`Rule.lp_rows`)

    A x + B z >= lo,    x the table's pair variables, z the rule's auxiliaries in [0, ub],

and for multipliers lam >= 0 the Lagrangian

    L(lam) = max over matchings x of (c + A'lam) x  +  sum_k max(0, d_k + (B'lam)_k) ub_k  -  lam lo

is an upper bound on every plan that keeps the rows (weak duality). Rules that state no rows are
dropped, as in the core, which only loosens the bound. Good multipliers come from the duals of
the LP relaxation on a shortlist (model/lp.py); the bound holds for any multipliers.

Exactness: the rows have integer coefficients, objective coefficients are integers, and the
multipliers are kept as integers in units of 1/SCALE of a score point; every shifted cost is an
integer below 2^53, which the matching solves exactly in floating point. So L is computed
exactly (as an integer times 1/SCALE) and floor(L) bounds the integer objective.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from planner.model.core import assignment_core
from planner.model.instance import Instance
from planner.model.pairs import PairTable
from planner.rules.rows import Rows
from planner.scenario import Policy

SCALE = 1000
"""Multipliers are integers in units of 1/SCALE of a score point."""


@dataclass
class SideRows:
    """Every rule's rows stacked, ready to price a table."""

    a: sp.csr_matrix
    at: sp.csr_matrix
    lo: np.ndarray
    b: sp.csr_matrix
    bt: sp.csr_matrix
    d: np.ndarray
    ub: np.ndarray

    @property
    def n_rows(self) -> int:
        return self.a.shape[0]

    def subset(self, idx: np.ndarray) -> "SideRows":
        """The same rows over the pairs `idx` of the table only."""
        at = self.at[idx]
        return replace(self, a=at.T.tocsr(), at=at)


def side_rows(inst: Instance, policy: Policy, table: PairTable) -> SideRows:
    parts = [rows for rule in policy.rules
             for rows in [rule.lp_rows(inst, table)] if rows is not None and rows.a.shape[0]]
    n = len(table)
    if not parts:
        empty = sp.csr_matrix((0, n), dtype=np.int64)
        return SideRows(empty, empty.T.tocsr(), np.zeros(0, np.int64),
                          sp.csr_matrix((0, 0), dtype=np.int64), sp.csr_matrix((0, 0), dtype=np.int64),
                          np.zeros(0, np.int64), np.zeros(0, np.int64))
    rows = Rows.stack(parts)
    a = rows.a
    b = rows.b if rows.b is not None else sp.csr_matrix((a.shape[0], 0), dtype=np.int64)
    return SideRows(a, a.T.tocsr(), rows.lo, b, b.T.tocsr(), rows.d, rows.ub)


@dataclass
class Subproblem:
    """The subproblem at one set of multipliers."""

    value: int
    """L(lam) in units of 1/SCALE: the bound is value // SCALE."""
    chosen: np.ndarray
    """Table indices of the subproblem's matching."""

    @property
    def bound(self) -> int:
        return self.value // SCALE


def exact_limit(n_posts: int) -> int:
    """The largest shifted score the matching adds exactly: a matching sums at most
    `n_posts` of them (and as many potentials), all below 2^53 in float64."""
    return 2**53 // (2 * (n_posts + 1)) - 1


def multiplier_cap(rel: SideRows, table: PairTable, n_posts: int) -> int:
    """The largest multiplier (units of 1/SCALE) that every row may take at once with each
    shifted score still priced exactly: |coef| SCALE + cap * (sum of a pair's |row
    coefficients|) stays within :func:`exact_limit`. Every multiplier is valid for the bound;
    the cap only keeps pricing exact."""
    if rel.n_rows == 0 or len(table) == 0:
        return 0
    weight = int(abs(rel.at).sum(axis=1).max())
    room = exact_limit(n_posts) - int(np.abs(table.coef).max()) * SCALE
    return max(0, room // max(1, weight))


def subproblem(rel: SideRows, table: PairTable, n_posts: int, n_cands: int,
          lam: np.ndarray) -> Subproblem | None:
    """Solve the Lagrangian subproblem at integer multipliers `lam` exactly; None where the
    shifted scores are too large for the matching to add them exactly in floating point."""
    shifted = table.coef.astype(np.int64) * SCALE + rel.at @ lam
    if len(shifted) and int(np.abs(shifted).max()) > exact_limit(n_posts):
        return None
    core = assignment_core(PairTable(table.post, table.cand, shifted, table.constant * SCALE),
                           n_posts, n_cands)
    aux_worth = rel.d * SCALE + rel.bt @ lam
    z = np.where(aux_worth > 0, rel.ub, 0)
    value = core.bound + int(aux_worth @ z) - int(lam @ rel.lo)
    return Subproblem(value, core.chosen)
