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
    matrix = _cost_matrix(table, n_posts, n_cands, big)
    post_of, col_of = min_weight_full_bipartite_matching(matrix)
    col_by_post = np.empty(n_posts, dtype=np.int64)
    col_by_post[post_of] = col_of
    filled = col_by_post[table.post] == table.cand
    chosen = np.flatnonzero(filled)
    return CoreSolution(int(table.coef[chosen].sum()) + table.constant, chosen)


def _cost_matrix(table: PairTable, n_posts: int, n_cands: int, big: int) -> sp.csr_matrix:
    """The matching's costs as CSR, laid out directly: row p holds post p's pairs in table
    order, then its vacant column. The table is in post order, so nothing is sorted; through
    COO, scipy sorted the 3.7 million pairs of the national table on every call, and the
    bounds solve one matching per LP round."""
    post = table.post
    if len(post) > 1 and np.any(post[1:] < post[:-1]):
        raise ValueError("the pair table is not in post order")
    indptr = np.zeros(n_posts + 1, dtype=np.int64)
    np.cumsum(np.bincount(post, minlength=n_posts) + 1, out=indptr[1:])
    vacant = indptr[1:] - 1
    pair = np.ones(indptr[-1], dtype=bool)
    pair[vacant] = False
    indices = np.empty(indptr[-1], dtype=np.int32)
    indices[pair], indices[vacant] = table.cand, n_cands + np.arange(n_posts)
    data = np.empty(indptr[-1], dtype=np.float64)
    data[pair], data[vacant] = big - table.coef, big
    return sp.csr_matrix((data, indices, indptr), shape=(n_posts, n_cands + n_posts))
