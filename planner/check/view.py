"""The plan as the rules' solver-independent checks read it: post and candidate rows by index,
the unit tree walked through parent pointers (:mod:`planner.check.tree`), never the model's
index arrays."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from planner.check.tree import Tree
from planner.schema import Candidate, Post, Unit

if TYPE_CHECKING:
    from planner.scenario import Scenario


def current_holders(current: Iterable[tuple[str, str | None]]) -> dict[str, set[str]]:
    """Post id -> the officers holding it as their current post, from (officer, current post)."""
    out: dict[str, set[str]] = {}
    for cid, pid in current:
        if pid is not None:
            out.setdefault(pid, set()).add(cid)
    return out


class PlanView:
    """A plan with the scenario, as the rules' `check` methods read it."""

    def __init__(self, scenario: Scenario, holder: dict[int, int],
                 all_posts: Iterable[Post] | None = None,
                 holders_before: dict[str, set[str]] | None = None):
        """`scenario` is one period's (its posts are those that exist in it); `all_posts` are
        every post of the horizon's scenario, so that an officer's current post that does not
        exist in the period (closed, or not yet open) can still be looked up by id.
        `holders_before` (post id -> ids of the officers whose current post it is) counts
        officers no longer available too, whom a period's scenario does not list; without
        it, the scenario's own officers are all there are."""
        self.scenario = scenario
        self.term_start = scenario.term_start
        self.tree = Tree(scenario.units)
        self._holder = dict(sorted(holder.items()))
        self._existing = {p.id for p in scenario.posts}
        self._posts_by_id = {p.id: p for p in (all_posts if all_posts is not None else scenario.posts)}
        self.holders_before = holders_before if holders_before is not None else \
            current_holders((c.id, c.current_post) for c in scenario.candidates)
        """Post id -> the officers whose current post it is, unavailable ones included."""

    def assigned(self) -> Iterator[tuple[int, int]]:
        """(post index, candidate index) of every filled post, in post order."""
        return iter(self._holder.items())

    def post(self, p: int) -> Post:
        return self.scenario.posts[p]

    def post_by_id(self, pid: str) -> Post:
        """Any post of the scenario, whether or not it exists in this period."""
        return self._posts_by_id[pid]

    def has_post(self, pid: str) -> bool:
        """Does post `pid` exist in this period (a current post may have closed)?"""
        return pid in self._existing

    def cand(self, c: int) -> Candidate:
        return self.scenario.candidates[c]

    def post_id(self, p: int) -> str:
        return self.scenario.posts[p].id

    def cand_id(self, c: int) -> str:
        return self.scenario.candidates[c].id

    def unit_of_post(self, p: int) -> Unit:
        return self.tree.units[self.scenario.posts[p].unit]

    def relation_pairs(self) -> list[tuple[int, int]]:
        index = {c.id: i for i, c in enumerate(self.scenario.candidates)}
        pairs = {frozenset((index[r.a], index[r.b])) for r in self.scenario.relations}
        return sorted(tuple(sorted(p)) for p in pairs)  # type: ignore[misc]
