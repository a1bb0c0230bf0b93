"""The objective's per-pair scores (contract section 4), as integer coefficients."""

from __future__ import annotations

from planner.instance import Instance
from planner.schema import Weights


def pair_score(inst: Instance, w: Weights, c: int, p: int) -> int:
    """score(c, p) plus the vacancy cost the pair saves by filling p."""
    cand, post = inst.candidates[c], inst.posts[p]
    u = inst.post_unit[p]
    score = w.merit * cand.merit * post.priority + w.vacancy * post.priority
    if w.specialty and cand.specialties and post.specialties \
            and not set(cand.specialties).isdisjoint(post.specialties):
        score += w.specialty
    if w.preference and cand.preferences:
        line = inst.ancestor_sets[u]
        if any(inst.unit_index[pref] in line for pref in cand.preferences):
            score += w.preference
    if w.move and inst.current_post[c] != p:
        score -= w.move
    if w.distance:
        score -= w.distance * (inst.km(inst.serves_at[c], u) // 100)
    return score


def vacancy_constant(inst: Instance, w: Weights) -> int:
    """The objective when every post is vacant: what `pair_score` counts back per filled post."""
    return -w.vacancy * sum(post.priority for post in inst.posts)
