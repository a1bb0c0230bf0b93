"""The shortlist's ranking within groups, against a sort by (group, -coef, tiebreak)."""

from __future__ import annotations

import numpy as np
import pytest

from planner.model.shortlist import group_rank


@pytest.mark.parametrize("seed", range(30))
def test_each_pair_s_place_in_its_group_is_that_of_a_plain_sort(seed):
    """The tiebreaks are a subset's ranks among a larger table (as for a rule's helpful
    pairs): they run past the number of pairs given, which once let them outweigh the
    coefficients."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    group = rng.integers(0, 5, n)
    coef = rng.integers(-30, 30, n)
    tiebreak = rng.choice(10 * n, size=n, replace=False)
    rank = group_rank(group, coef, tiebreak)
    order = sorted(range(n), key=lambda i: (group[i], -coef[i], tiebreak[i]))
    want = np.empty(n, dtype=np.int64)
    for place, i in enumerate(order):
        want[i] = sum(1 for j in order[:place] if group[j] == group[i])
    assert rank.tolist() == want.tolist()


def test_no_pairs_no_ranks():
    assert group_rank(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)).size == 0
