"""The objective's per-pair scores (contract section 4), as integer coefficients, per post."""

from __future__ import annotations

import numpy as np

from planner.geo import km
from planner.instance import Instance
from planner.schema import Weights


def pair_scores(inst: Instance, w: Weights, p: int, cands: np.ndarray) -> np.ndarray:
    """score(c, p) for each of `cands`, plus the vacancy cost the pair saves by filling p."""
    arr, post = inst.arrays, inst.posts[p]
    u = inst.post_unit[p]
    score = w.merit * arr.merit[cands] * post.priority + w.vacancy * post.priority
    if w.specialty and post.specialties:
        wanted = set(post.specialties)
        score += w.specialty * np.fromiter(
            (bool(inst.candidates[c].specialties) and not wanted.isdisjoint(inst.candidates[c].specialties)
             for c in cands), dtype=bool, count=len(cands))
    if w.preference:
        line = inst.ancestor_sets[u]
        score += w.preference * np.fromiter(
            (any(inst.unit_index[x] in line for x in inst.candidates[c].preferences or ())
             for c in cands), dtype=bool, count=len(cands))
    if w.move:
        score -= w.move * (arr.current_post[cands] != p)
    if w.distance:
        # Distances computed once per distinct duty unit, with the scalar formula, so the
        # truncation to whole kilometres matches the checker's to the last bit.
        units, back = np.unique(arr.serves_at[cands], return_inverse=True)
        hundreds = np.array([km(inst.coord[a], inst.coord[u]) // 100 for a in units], dtype=np.int64)
        score -= w.distance * hundreds[back]
    return score.astype(np.int64)


def vacancy_constant(inst: Instance, w: Weights) -> int:
    """The objective when every post is vacant: what `pair_scores` counts back per filled post."""
    return -w.vacancy * sum(post.priority for post in inst.posts)
