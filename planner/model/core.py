"""The assignment core: the best plan when side rules are ignored, and so a valid upper bound.

Dropping every rule that is not a property of single pairs (shares, quotas, kinship, soft
penalties) can only raise the best objective: penalties are never negative costs and
constraints only remove plans. Hard pair rules, requirements and forbidden pairs are already
absent from the pair table. What remains is a maximum-weight bipartite matching, which
scipy's sparse LAPJV solves for the whole country in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from planner.model.pairs import PairTable


@dataclass
class CoreSolution:
    bound: int
    """Objective of the best core plan: no plan under the full policy scores higher."""
    chosen: np.ndarray
    """Table indices of the pairs in that plan."""


def assignment_core(table: PairTable, n_posts: int, n_cands: int) -> CoreSolution:
    """Max-weight matching of posts to candidates, leaving a post vacant where that pays.

    Each post gets a private "vacant" column of cost BIG, every pair costs BIG - coef > 0, and
    every post must be matched: minimising the total maximises the objective.
    """
    if len(table) == 0:
        return CoreSolution(table.constant, np.zeros(0, dtype=np.int64))
    big = int(max(table.coef.max(), 0)) + 1
    rows = np.concatenate([table.post, np.arange(n_posts)])
    cols = np.concatenate([table.cand, n_cands + np.arange(n_posts)])
    cost = np.concatenate([big - table.coef, np.full(n_posts, big)]).astype(np.float64)
    matrix = sp.csr_matrix((cost, (rows, cols)), shape=(n_posts, n_cands + n_posts))
    post_of, col_of = min_weight_full_bipartite_matching(matrix)
    col_by_post = np.empty(n_posts, dtype=np.int64)
    col_by_post[post_of] = col_of
    filled = col_by_post[table.post] == table.cand
    chosen = np.flatnonzero(filled)
    return CoreSolution(int(table.coef[chosen].sum()) + table.constant, chosen)
