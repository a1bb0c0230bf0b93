"""Which (candidate, post) pairs may appear in a plan at all, and why the others may not.

A pair is eligible when the candidate meets the post's requirements (E1), the pair is not
`forbidden` (E2), and no hard pair rule of the policy excludes it. Only eligible pairs get a
variable. Every exclusion here is exact: an excluded pair can be in no valid plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.instance import Instance
from planner.rules.base import Rule


@dataclass(frozen=True)
class Requirements:
    """A post's E1 requirements as ranks (None: no requirement)."""

    education: int | None
    political_theory: int | None
    rating: int | None
    max_age: int | None

    def unmet(self, inst: Instance, c: int) -> str | None:
        cand = inst.candidates[c]
        if self.education is not None and cand.education.rank < self.education:
            return "education"
        if self.political_theory is not None and cand.political_theory.rank < self.political_theory:
            return "political_theory"
        if self.rating is not None and cand.rating.rank < self.rating:
            return "rating"
        if self.max_age is not None and inst.age[c] > self.max_age:
            return "max_age"
        return None


def requirements(inst: Instance, p: int) -> Requirements:
    post = inst.posts[p]
    rank = lambda v: None if v is None else v.rank  # noqa: E731
    return Requirements(rank(post.min_education), rank(post.min_political_theory),
                        rank(post.min_rating), post.max_age)


def why_ineligible(inst: Instance, rules: list[Rule], forbidden: set[tuple[int, int]],
                   c: int, p: int) -> str | None:
    """The first reason pair (c, p) cannot be in a plan, in domain words; None if eligible."""
    unmet = requirements(inst, p).unmet(inst, c)
    if unmet is not None:
        return f"does not meet the post's {'max_age' if unmet == 'max_age' else 'min_' + unmet}"
    if (c, p) in forbidden:
        return "the pair is forbidden"
    for rule in rules:
        if rule.filters_pairs and rule.breaks(inst, c, p):
            return f"hard rule {rule.title}"
    return None


def eligible_pairs(inst: Instance, rules: list[Rule],
                   forbidden: set[tuple[int, int]]) -> list[list[int]]:
    """For each post, the candidates that may take it, in candidate order."""
    filters = [r for r in rules if r.filters_pairs]
    out: list[list[int]] = []
    for p in range(inst.n_posts):
        req = requirements(inst, p)
        ok = []
        for c in range(inst.n_candidates):
            if req.unmet(inst, c) is not None or (c, p) in forbidden:
                continue
            if any(r.breaks(inst, c, p) for r in filters):
                continue
            ok.append(c)
        out.append(ok)
    return out
