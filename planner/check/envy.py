"""Envy (docs/careers.md, contract section 2 "Envy" and clarifications 3 and 4), counted on a
plan without the model: the `no_envy` rule's check and the reports of every run with
preferences both read it, so that the count a report prints is the one the checker verifies.

For officer c the rank of a post q is the 1-based position of the first unit of c's
`preferences` that contains q's unit (infinity where none does). c envies an existing post p
when p ranks strictly better than c's own post (an unassigned officer's own rank is infinity),
c is available, meets p's E1 requirements, (c, p) is not forbidden, and p is vacant or held by
an officer of strictly lower merit. Nothing else excuses envy: the other rules are ignored on
purpose.

Speed (national scale: 22,000 officers, 11,000 posts, ~3 preferred units of ~170 posts each):
the posts under every unit are listed once, sorted by their holder's merit, so that each
officer reads only the posts of the units ranked better than its own post, and of those only
the ones held by lower merit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.schema import Candidate, Education, PoliticalTheory, Post, Rating, Scale

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.scenario import Scenario

_ORDER = {(type(m), m): i for scale in (Education, PoliticalTheory, Rating)
          for i, m in enumerate(scale)}
"""Each scale member's position, looked up (`Scale.rank` searches the scale every time)."""

_VACANT = -1
"""The holder merit of a vacant post: below every officer's merit (merit >= 0)."""


@dataclass(frozen=True)
class Envy:
    """One envious (officer, post) pair of a period."""

    officer: str
    """The envious officer's id."""
    post: str
    """The envied post's id."""
    holder: str | None
    """Its holder's id, None when vacant."""
    rank: int
    """The post's rank for the officer (1 = first choice)."""
    own_rank: int | None
    """The rank of the officer's own post; None = infinity (unassigned or unranked)."""


def has_preferences(scenario: Scenario) -> bool:
    """Does any candidate state preferences (then the reports show choices and envy)?"""
    return any(c.preferences for c in scenario.candidates)


def post_rank(view: PlanView, cand: Candidate, post: Post) -> int | None:
    """The rank of `post` for `cand`: the position of the first preferred unit that contains
    the post's unit; None = infinity."""
    prefs = cand.preferences or ()
    if not prefs:
        return None
    above = {u.id for u in view.tree.up(post.unit)}
    return next((i for i, u in enumerate(prefs, 1) if u in above), None)


def choice_counts(view: PlanView) -> dict[int, int]:
    """{1: n1, 2: n2, 3: n3}: the officers placed on a post of rank 1, 2 and 3."""
    counts = {1: 0, 2: 0, 3: 0}
    for p, c in view.assigned():
        rank = post_rank(view, view.cand(c), view.post(p))
        if rank in counts:
            counts[rank] += 1
    return counts


def meets_requirements(cand: Candidate, post: Post, year: int) -> bool:
    """E1: education, political theory and rating at least the post's minimums, and the age in
    `year` at most its `max_age`."""
    for have, need in ((cand.education, post.min_education),
                       (cand.political_theory, post.min_political_theory),
                       (cand.rating, post.min_rating)):
        if need is not None and _position(have) < _position(need):
            return False
    return post.max_age is None or year - cand.birth_year <= post.max_age


def _position(member: Scale) -> int:
    return _ORDER[type(member), member]


def envious_pairs(view: PlanView, posts: Callable[[Post], bool] | None = None) -> list[Envy]:
    """Every envious pair of the period: officers in scenario order, then posts in scenario
    order. `posts` picks the posts that may be envied (a rule's roles/unit_kind); None = all."""
    table = _Table(view, posts)
    out: list[Envy] = []
    for c, cand in enumerate(view.scenario.candidates):
        if cand.preferences and cand.available_in(view.term_start):
            out += table.envies(c, cand)
    return out


class _Table:
    """The period's posts indexed for envy: per unit, its posts by holder merit."""

    def __init__(self, view: PlanView, posts: Callable[[Post], bool] | None):
        self.view = view
        self.holder = dict(view.assigned())
        self.own = {c: p for p, c in self.holder.items()}
        self.merit = {p: view.cand(c).merit for p, c in self.holder.items()}
        self.forbidden = {(pin.candidate, pin.post) for pin in view.scenario.forbidden}
        under: dict[str, list[int]] = {}
        for p, post in enumerate(view.scenario.posts):
            if posts is None or posts(post):
                for unit in view.tree.up(post.unit):
                    under.setdefault(unit.id, []).append(p)
        for listed in under.values():
            listed.sort(key=lambda p: self.merit.get(p, _VACANT))
        self.under = under

    def envies(self, c: int, cand: Candidate) -> list[Envy]:
        """Officer c's envious pairs, in post order."""
        view = self.view
        own = self.own.get(c)
        own_rank = post_rank(view, cand, view.post(own)) if own is not None else None
        ranked: dict[int, int] = {}
        for rank, unit in enumerate(cand.preferences or (), 1):
            if own_rank is not None and rank >= own_rank:
                break
            for p in self.under.get(unit, ()):
                if self.merit.get(p, _VACANT) >= cand.merit:
                    break
                ranked.setdefault(p, rank)
        out = []
        for p in sorted(ranked):
            post = view.post(p)
            if (cand.id, post.id) in self.forbidden or \
                    not meets_requirements(cand, post, view.term_start):
                continue
            holder = self.holder.get(p)
            out.append(Envy(cand.id, post.id, None if holder is None else view.cand_id(holder),
                            ranked[p], own_rank))
        return out
