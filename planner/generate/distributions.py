"""The published national distributions of leaders' attributes, and how to draw from them.

Shares of the officer pool (percent, or fractions where named ``*_SHARE``), after the
published national statistics on leaders and civil servants. Every draw goes through one
``random.Random(seed)`` in a fixed order, so one seed always gives the same scenario.
"""

from __future__ import annotations

import random
from functools import lru_cache
from itertools import accumulate

EDUCATION = {"college": 18.4, "university": 77.6, "master": 3.9, "phd": 0.1}
POLITICAL_THEORY = {"primary": 26.0, "intermediate": 66.0, "advanced": 7.8}
RATING = {"not_completed": 2.7, "completed": 2.2, "good": 81.6, "excellent": 13.7}
FEMALE_SHARE = 0.20
DISCIPLINED_SHARE = 0.015
TERMS = {1: 0.60, 2: 0.30, 3: 0.10}
"""Consecutive terms of an incumbent in the current post (the current one included)."""
INCUMBENT_SHARE = 0.88
"""Share of posts that have an incumbent."""
RELATION_SHARE = 0.04
"""Kin relations per officer."""
TIE_SHARE = 0.08
"""Officers with one tie (a place of close family or interests)."""

EDU_RANK = {k: i for i, k in enumerate(EDUCATION)}
THEORY_RANK = {k: i for i, k in enumerate(POLITICAL_THEORY)}
"""Levels in order, lowest first: a post's minimum is met by its level and every one above."""


def pick(rng: random.Random, dist: dict[str, float]) -> str:
    """One key of `dist`, drawn with its weight."""
    keys, cum = _cumulative(tuple(dist.items()))
    return rng.choices(keys, cum_weights=cum)[0]


@lru_cache(maxsize=64)
def _cumulative(items: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    """Keys and cumulative weights, computed once per distribution (tens of thousands of draws)."""
    return [k for k, _ in items], list(accumulate(w for _, w in items))


def terms(rng: random.Random) -> int:
    """Consecutive terms of an incumbent, drawn from :data:`TERMS`."""
    return int(pick(rng, {str(k): v for k, v in TERMS.items()}))


def split(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders, ties by position)."""
    s = sum(weights)
    if s == 0:
        return [0] * len(weights)
    exact = [total * w / s for w in weights]
    out = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out
