"""Set operations on large integer arrays (pair keys, officer-unit keys), by sorting.

numpy 2's `np.unique` without `return_*` hashes its input, and `np.isin` and `np.searchsorted`
look up keys in random order; on the keys of a national horizon (tens of millions of int64
spread over ranges of 10^9 and more) each access misses the cache. Measured on this project's
machine (2 cores, Intel Xeon, numpy 2.4), 20 million keys: `np.unique` 31.8 s against 0.36 s by
sorting, `np.isin` of 34 million keys 70 s against 2.3 s here. Sorting streams through memory;
a lookup of sorted keys walks the sorted table forward.
"""

from __future__ import annotations

import numpy as np

SMALL = 1 << 16
"""A sorted table this small stays in the cache: keys are looked up in it in any order."""


def distinct(a: np.ndarray) -> np.ndarray:
    """The distinct values of `a`, ascending (`np.unique(a)`)."""
    s = np.sort(a)
    if len(s) < 2:
        return s
    first = np.empty(len(s), dtype=bool)
    first[0] = True
    np.not_equal(s[1:], s[:-1], out=first[1:])
    return s[first]


def groups(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of `a` and, per element, the index of its value among them
    (`np.unique(a, return_inverse=True)`, whose stable argsort is the slow part)."""
    order = sorting_order(a)
    s = a[order]
    first = np.ones(len(s), dtype=bool)
    if len(s) > 1:
        np.not_equal(s[1:], s[:-1], out=first[1:])
    back = np.empty(len(a), dtype=np.int64)
    back[order] = np.cumsum(first) - 1
    return s[first], back


def sorting_order(a: np.ndarray) -> np.ndarray:
    """A permutation that sorts the integers `a` (ties in any order). Value and position are
    packed into one int64 and sorted where the range allows (a plain sort is 2.6 times as
    fast as `np.argsort` at 20 million), else `np.argsort`."""
    n = len(a)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    bits = max(1, (n - 1).bit_length())
    lo, hi = int(a.min()), int(a.max())
    if hi - lo >= 1 << (62 - bits):
        return np.argsort(a)
    packed = np.sort(((a.astype(np.int64) - lo) << bits) | np.arange(n, dtype=np.int64))
    return packed & ((1 << bits) - 1)


def member(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mask over `a`: is each value in `b` (`np.isin(a, b)`)?"""
    table = np.sort(b)
    if len(table) == 0 or len(a) == 0:
        return np.zeros(len(a), dtype=bool)
    if len(table) <= SMALL:
        return _found(table, a)
    order = sorting_order(a)
    out = np.empty(len(a), dtype=bool)
    out[order] = _found(table, a[order])
    return out


def _found(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    at = np.searchsorted(table, keys)
    np.minimum(at, len(table) - 1, out=at)
    return table[at] == keys
