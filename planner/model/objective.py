"""The objective's per-pair scores (contract section 4), as integer coefficients, for all pairs."""

from __future__ import annotations

import numpy as np

from planner.geo import km_between
from planner.model.instance import Instance
from planner.model.sets import groups
from planner.schema import Weights


def unit_km(inst: Instance, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`km` between units a[i] and b[i] (:func:`planner.geo.km_between`)."""
    return km_between(inst.coord_array, a, b)


def pair_scores(inst: Instance, w: Weights, post: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """score(c, p) for each pair, plus the vacancy cost the pair saves by filling p.

    For a horizon's dynamic copies (planner/model/horizon.py) `move` and `distance` depend on
    the period before and are left out here (a relaxation: they only cost); the links add them
    (planner/model/links.py)."""
    arr = inst.arrays
    prio = np.array([p.priority for p in inst.posts], dtype=np.int64)[post]
    score = (w.merit * arr.merit[cand] + w.vacancy) * prio
    static = ~inst.dynamic[cand]  # a horizon's later periods: move and distance are linked
    if w.move:
        score -= w.move * ((arr.current_post[cand] != post) & static)
    if w.distance and static.any():
        # only static pairs: grouping a national horizon's 34 million pairs by (duty unit,
        # post unit) and measuring every distinct one took 13 s, for the 3.7 million of its
        # first period that keep the term
        at = np.flatnonzero(static) if not static.all() else slice(None)
        unit = np.array(inst.post_unit, dtype=np.int64)[post[at]]
        key = arr.serves_at[cand[at]].astype(np.int64) * len(inst.units) + unit
        uniq, back = groups(key)
        hundreds = unit_km(inst, uniq // len(inst.units), uniq % len(inst.units)) // 100
        score[at] -= w.distance * hundreds[back]
    if w.specialty:
        score += w.specialty * _pairwise(inst, post, cand, _shares_specialty)
    if w.preference:
        score += w.preference * _pairwise(inst, post, cand, _prefers)
    return score


def _pairwise(inst: Instance, post: np.ndarray, cand: np.ndarray, test) -> np.ndarray:
    """A 0/1 term that depends on who the candidate is, tested only for candidates it can hit."""
    out = np.zeros(len(post), dtype=np.int64)
    for i in np.flatnonzero(test.relevant(inst)[cand]):
        out[i] = test(inst, int(post[i]), int(cand[i]))
    return out


def _shares_specialty(inst: Instance, p: int, c: int) -> bool:
    wanted = inst.posts[p].specialties
    return bool(wanted) and not set(wanted).isdisjoint(inst.candidates[c].specialties or ())


_shares_specialty.relevant = lambda inst: np.array(  # type: ignore[attr-defined]
    [bool(c.specialties) for c in inst.candidates], dtype=bool)


def _prefers(inst: Instance, p: int, c: int) -> bool:
    line = inst.ancestor_sets[inst.post_unit[p]]
    return any(inst.unit_index[x] in line for x in inst.candidates[c].preferences or ())


_prefers.relevant = lambda inst: np.array(  # type: ignore[attr-defined]
    [bool(c.preferences) for c in inst.candidates], dtype=bool)


def vacancy_constant(inst: Instance, w: Weights) -> int:
    """The objective when every post is vacant: what `pair_scores` counts back per filled post."""
    return -w.vacancy * sum(post.priority for post in inst.posts)
