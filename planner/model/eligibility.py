"""Which (candidate, post) pairs may appear in a plan at all, and why the others may not.

A pair is eligible when the candidate meets the post's requirements (E1), the pair is not
`forbidden` (E2), and no hard pair rule of the policy excludes it. Only eligible pairs get a
variable. Every exclusion here is exact: an excluded pair can be in no valid plan.

Posts are taken one at a time against many candidates at once (numpy masks). A hard rule may
also offer a *pool* for a post — a superset of the candidates it allows, e.g. the officers
serving inside the province for `mobility within: province` — so that national scenarios never
test every officer against every commune post.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from planner.model.instance import Instance
from planner.rules.base import Rule


def requirement_mask(inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
    """E1 over `cands`: meets min_education, min_political_theory, min_rating and max_age."""
    arr, post = inst.arrays, inst.posts[p]
    ok = np.ones(len(cands), dtype=bool)
    if post.min_education is not None:
        ok &= arr.edu[cands] >= post.min_education.rank
    if post.min_political_theory is not None:
        ok &= arr.theory[cands] >= post.min_political_theory.rank
    if post.min_rating is not None:
        ok &= arr.rating[cands] >= post.min_rating.rank
    if post.max_age is not None:
        ok &= arr.age[cands] <= post.max_age
    return ok


def why_ineligible(inst: Instance, rules: list[Rule], forbidden: set[tuple[int, int]],
                   c: int, p: int) -> str | None:
    """The first reason pair (c, p) cannot be in a plan, in domain words; None if eligible."""
    one = np.array([c], dtype=np.int32)
    post, cand = inst.posts[p], inst.candidates[c]
    if not requirement_mask(inst, p, one)[0]:
        for field in ("education", "political_theory", "rating"):
            need = getattr(post, f"min_{field}")
            if need is not None and getattr(cand, field).rank < need.rank:
                return f"has {field} {getattr(cand, field).value}, below min_{field} {need.value}"
        return f"is {inst.age[c]}, above max_age {post.max_age}"
    if (c, p) in forbidden:
        return "the pair is forbidden"
    for rule in rules:
        if rule.filters_pairs and rule.breaks(inst, p, one)[0]:
            return f"is excluded by hard rule {rule.title}"
    return None


def narrowest_pool(inst: Instance, filters: list[Rule], p: int) -> np.ndarray:
    """The candidates post p is tested against: everyone who may take it, narrowed by each
    hard rule that offers a pool (an array the rule keeps, or one intersection of them)."""
    pool = everyone = inst.candidates_for(p)
    for rule in filters:
        narrower = rule.pool(inst, p)
        if narrower is not None and len(narrower) < len(pool):
            pool = narrower if pool is everyone else np.intersect1d(pool, narrower)
    return pool


def pinned(inst: Instance) -> dict[int, int]:
    """Post -> candidate of the `fixed` pins that bind alone: no other pin names their post or
    their candidate. Such a pin leaves its post to its candidate and its candidate to its post,
    so every other pair of either is in no valid plan (a horizon's pins are per period: the
    expansion copies posts and candidates per period). Pins that clash are left to the model,
    which reports them."""
    posts = [inst.post_index[f.post] for f in inst.scenario.fixed]
    cands = [inst.cand_index[f.candidate] for f in inst.scenario.fixed]
    per_post, per_cand = Counter(posts), Counter(cands)
    return {p: c for p, c in zip(posts, cands) if per_post[p] == 1 and per_cand[c] == 1}


def eligible_pairs(inst: Instance, rules: list[Rule], forbidden: set[tuple[int, int]],
                   pins: dict[int, int] | None = None) -> list[np.ndarray]:
    """For each post, the candidates that may take it, in candidate order; `pins` (see
    :func:`pinned`) narrow a pinned post to its candidate and keep a pinned candidate off
    every other post."""
    filters = [r for r in rules if r.filters_pairs]
    banned: dict[int, list[int]] = {}
    for c, p in forbidden:
        banned.setdefault(p, []).append(c)
    taken = np.zeros(inst.n_candidates, dtype=bool)
    taken[list((pins or {}).values())] = True
    out = []
    for p in range(inst.n_posts):
        if inst.horizon is not None:
            inst.horizon.entering(inst, p, out)
        if pins and p in pins:
            pool = np.array([pins[p]], dtype=np.int32)
        else:
            pool = narrowest_pool(inst, filters, p)
            if pins:
                pool = pool[~taken[pool]]
        keep = requirement_mask(inst, p, pool)
        for rule in filters:
            if keep.any():
                keep &= ~rule.breaks(inst, p, pool)
        if p in banned:
            keep &= ~np.isin(pool, banned[p])
        out.append(pool[keep])
    return out
