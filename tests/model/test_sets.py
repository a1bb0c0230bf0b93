"""The sort-based set operations agree with numpy's own on any integers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.model.sets import SMALL, distinct, groups, member, sorting_order

keys = st.lists(st.integers(-2**40, 2**40), max_size=60).map(lambda v: np.array(v, dtype=np.int64))
narrow = st.lists(st.integers(0, 50), max_size=60).map(lambda v: np.array(v, dtype=np.int32))


@settings(max_examples=300, deadline=None)
@given(st.one_of(keys, narrow))
def test_distinct_is_unique(a):
    assert np.array_equal(distinct(a), np.unique(a))


@settings(max_examples=300, deadline=None)
@given(st.one_of(keys, narrow))
def test_groups_is_unique_with_its_inverse(a):
    uniq, back = groups(a)
    want, want_back = np.unique(a, return_inverse=True)
    assert np.array_equal(uniq, want) and np.array_equal(back, want_back)


@settings(max_examples=300, deadline=None)
@given(st.one_of(keys, narrow))
def test_sorting_order_sorts(a):
    order = sorting_order(a)
    assert sorted(order.tolist()) == list(range(len(a)))
    assert np.array_equal(a[order], np.sort(a))


@settings(max_examples=300, deadline=None)
@given(st.one_of(keys, narrow), st.one_of(keys, narrow))
def test_member_is_isin(a, b):
    assert np.array_equal(member(a, b), np.isin(a, b))


def test_member_with_a_table_past_the_cache_size():
    rng = np.random.default_rng(0)
    b = rng.integers(0, 10**12, SMALL * 2)
    a = np.concatenate([b[::3], rng.integers(0, 10**12, 5000)])
    rng.shuffle(a)
    assert np.array_equal(member(a, b), np.isin(a, b))


def test_sorting_order_over_a_range_too_wide_to_pack():
    a = np.array([2**62, -2**62, 0, 5, -7], dtype=np.int64)
    assert np.array_equal(a[sorting_order(a)], np.sort(a))
