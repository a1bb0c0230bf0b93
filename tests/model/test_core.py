"""The assignment core's matching: costs laid out as CSR without a sort, checked against
scipy's own construction and against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from planner.model.core import _cost_matrix, assignment_core
from planner.model.pairs import PairTable


def random_table(rng: np.random.Generator, n_posts: int, n_cands: int) -> PairTable:
    """Each post with a random subset of the candidates (possibly none), in post order."""
    post, cand = [], []
    for p in range(n_posts):
        chosen = np.flatnonzero(rng.random(n_cands) < 0.5)
        post += [p] * len(chosen)
        cand += list(chosen)
    coef = rng.integers(-20, 60, len(post))
    return PairTable(np.array(post, np.int32), np.array(cand, np.int32), coef, int(rng.integers(-9, 9)))


def best_by_brute_force(table: PairTable, n_posts: int) -> int:
    """The best objective over every plan: each post one of its pairs or vacant."""
    options = [[None] + [i for i in range(len(table)) if table.post[i] == p]
               for p in range(n_posts)]
    best = None
    for plan in itertools.product(*options):
        pairs = [i for i in plan if i is not None]
        if len({int(table.cand[i]) for i in pairs}) < len(pairs):
            continue  # an officer twice
        value = table.constant + int(sum(table.coef[i] for i in pairs))
        best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_the_layout_equals_scipy_s_own_and_the_matching_is_optimal(seed):
    rng = np.random.default_rng(seed)
    n_posts, n_cands = int(rng.integers(1, 5)), int(rng.integers(1, 5))
    table = random_table(rng, n_posts, n_cands)
    big = int(max(table.coef.max(initial=0), 0)) + 1
    rows = np.concatenate([table.post, np.arange(n_posts)])
    cols = np.concatenate([table.cand, n_cands + np.arange(n_posts)])
    cost = np.concatenate([big - table.coef, np.full(n_posts, big)]).astype(np.float64)
    expected = sp.csr_matrix((cost, (rows, cols)), shape=(n_posts, n_cands + n_posts))
    got = _cost_matrix(table, n_posts, n_cands, big)
    assert got.shape == expected.shape and (got != expected).nnz == 0
    assert np.array_equal(got.indptr, expected.indptr)
    if len(table):
        assert assignment_core(table, n_posts, n_cands).bound == best_by_brute_force(table, n_posts)


def test_a_table_out_of_post_order_is_refused_not_matched_wrongly():
    table = PairTable(np.array([1, 0], np.int32), np.array([0, 1], np.int32), np.array([5, 7]), 0)
    with pytest.raises(ValueError, match="post order"):
        assignment_core(table, 2, 2)
