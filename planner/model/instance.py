"""A validated scenario turned into integer-indexed arrays that rules and the model share.

Loading gives rows keyed by text ids; the model and the checker want to ask "is unit u an
ancestor of v", "how old is c", "is c ministry-origin" millions of times. Everything such a
question needs is computed here once, from the scenario alone (no policy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from planner.geo import Coord, km
from planner.model.sets import distinct
from planner.scenario import Scenario
from planner.schema import Candidate, Post, Unit, UnitKind

if TYPE_CHECKING:
    from planner.model.horizon import Horizon

KINDS = tuple(UnitKind)


@dataclass
class Instance:
    """Index arrays of one scenario. Units, posts and candidates keep their scenario order."""

    scenario: Scenario
    units: list[Unit] = field(init=False)
    posts: list[Post] = field(init=False)
    candidates: list[Candidate] = field(init=False)
    unit_index: dict[str, int] = field(init=False)
    post_index: dict[str, int] = field(init=False)
    cand_index: dict[str, int] = field(init=False)
    parent: list[int] = field(init=False)
    """Parent unit index, -1 for roots."""
    lineage: list[tuple[int, ...]] = field(init=False)
    """Each unit and its ancestors, the unit itself first, the root last."""
    anc_kind: list[dict[UnitKind, int]] = field(init=False)
    """`anc(u, kind)`: the nearest unit of each kind among u and its ancestors."""
    difficult: list[bool] = field(init=False)
    coord: list[Coord | None] = field(init=False)
    post_unit: list[int] = field(init=False)
    home: list[int] = field(init=False)
    ties: list[tuple[int, ...]] = field(init=False)
    serves_at: list[int] = field(init=False)
    current_post: list[int] = field(init=False)
    """Index of each candidate's current post, -1 for none."""
    age: list[int] = field(init=False)
    year: list[int] = field(init=False)
    """The year of the period each candidate is placed in: `term_start`, or in a horizon's
    expanded instance (planner/model/horizon.py) the year of the candidate's period copy."""
    dynamic: np.ndarray = field(init=False)
    """Mask over candidates: the copies of later periods in a horizon, whose state (current
    post, terms, serves_at, served_local, ...) follows from the plan. Their rows hold neutral
    values that relax every rule; the exact terms are the horizon links (planner/model/links.py).
    All false for a single period."""
    ministry_origin: list[bool] = field(init=False)
    horizon: Horizon | None = field(init=False, default=None)
    """Set on a horizon's expanded instance (planner/model/horizon.py): how it maps back."""
    cache: dict = field(init=False, default_factory=dict)
    """Per-rule precomputations, keyed by (id(rule), name): rules are frozen and hold lists."""

    def __post_init__(self) -> None:
        s = self.scenario
        self.units, self.posts, self.candidates = list(s.units), list(s.posts), list(s.candidates)
        self.unit_index = {u.id: i for i, u in enumerate(self.units)}
        self.post_index = {p.id: i for i, p in enumerate(self.posts)}
        self.cand_index = {c.id: i for i, c in enumerate(self.candidates)}
        ui = self.unit_index
        self.parent = [ui[u.parent] if u.parent is not None else -1 for u in self.units]
        self.lineage = [()] * len(self.units)
        for i in range(len(self.units)):
            self._lineage_of(i)
        self.anc_kind = []
        self.difficult = []
        self.coord = []
        for line in self.lineage:
            kinds: dict[UnitKind, int] = {}
            for a in line:
                kinds.setdefault(self.units[a].kind, a)
            self.anc_kind.append(kinds)
            self.difficult.append(any(self.units[a].difficult for a in line))
            self.coord.append(next(((self.units[a].lat, self.units[a].lon) for a in line
                                    if self.units[a].lat is not None), None))
        self.post_unit = [ui[p.unit] for p in self.posts]
        pi = self.post_index
        self.home = [ui[c.home] for c in self.candidates]
        self.ties = [tuple(ui[t] for t in (c.ties or ())) for c in self.candidates]
        self.serves_at = [ui[c.serves_at] for c in self.candidates]
        self.current_post = [pi[c.current_post] if c.current_post is not None else -1
                             for c in self.candidates]
        self.age = [s.term_start - c.birth_year for c in self.candidates]
        self.year = [s.term_start] * len(self.candidates)
        self.dynamic = np.zeros(len(self.candidates), dtype=bool)
        self.ministry_origin = [self.units[u].kind is UnitKind.ministry for u in self.serves_at]

    def _lineage_of(self, i: int) -> tuple[int, ...]:
        if not self.lineage[i]:
            chain = [i]
            p = self.parent[i]
            while p != -1 and not self.lineage[p]:
                chain.append(p)
                p = self.parent[p]
            tail = self.lineage[p] if p != -1 else ()
            for j in reversed(range(len(chain))):
                tail = (chain[j], *tail)
                self.lineage[chain[j]] = tail
        return self.lineage[i]

    def memo(self, key: tuple, owner: object, compute):
        """`compute()` once per `key` and `owner` (e.g. a pair table): cached while the same
        object is passed, recomputed for another (ids of dead objects can be reused)."""
        hit = self.cache.get(key)
        if hit is not None and hit[0] is owner:
            return hit[1]
        value = compute()
        self.cache[key] = (owner, value)
        return value

    @cached_property
    def arrays(self) -> "Arrays":
        """Candidate attributes as numpy arrays (built on first use)."""
        return Arrays(self)

    @cached_property
    def coord_array(self) -> np.ndarray:
        """Each unit's (lat, lon), NaN where it has none (for :func:`planner.geo.km_between`)."""
        return np.array([c if c is not None else (np.nan, np.nan) for c in self.coord], dtype=float)

    @cached_property
    def ancestor_sets(self) -> list[frozenset[int]]:
        """`contains(u, v)` is `u in ancestor_sets[v]`."""
        return [frozenset(line) for line in self.lineage]

    def candidates_for(self, p: int) -> np.ndarray:
        """The candidates that may be paired with post p at all: everyone, or in a horizon's
        expansion the copies of the post's own period (they are contiguous)."""
        if self.horizon is None:
            return self._everyone
        t = int(self.horizon.post_period[p])
        return np.arange(self._period_starts[t], self._period_starts[t + 1], dtype=np.int32)

    @cached_property
    def _everyone(self) -> np.ndarray:
        return np.arange(self.n_candidates, dtype=np.int32)

    @cached_property
    def _period_starts(self) -> np.ndarray:
        hz = self.horizon
        assert hz is not None
        return np.searchsorted(hz.cand_period, np.arange(hz.n_periods + 1))

    def anc(self, unit: int, kind: UnitKind) -> int | None:
        return self.anc_kind[unit].get(kind)

    def km(self, a: int, b: int) -> int:
        return km(self.coord[a], self.coord[b])

    @property
    def n_posts(self) -> int:
        return len(self.posts)

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)


class Arrays:
    """Candidate attributes as numpy arrays, for testing one post against many candidates at once.

    `contains(A, x)` for many x at once is `at_depth[depth[A]][x] == A`: the ancestor of x at A's
    depth is A itself. That holds for nested ministries too, where "nearest ancestor of a kind"
    would not.
    """

    def __init__(self, inst: Instance):
        self.inst = inst
        cands = inst.candidates
        n_units = len(inst.units)
        self.depth = np.array([len(line) - 1 for line in inst.lineage], dtype=np.int32)
        max_depth = int(self.depth.max()) if n_units else 0
        self.at_depth = np.full((max_depth + 1, n_units), -1, dtype=np.int32)
        """`at_depth[d][u]`: the ancestor of unit u at depth d (roots have depth 0), or -1."""
        for u, line in enumerate(inst.lineage):
            for d, a in enumerate(reversed(line)):
                self.at_depth[d, u] = a
        self.edu = np.array([c.education.rank for c in cands], dtype=np.int8)
        self.theory = np.array([c.political_theory.rank for c in cands], dtype=np.int8)
        self.rating = np.array([c.rating.rank for c in cands], dtype=np.int8)
        self.age = np.array(inst.age, dtype=np.int32)
        self.merit = np.array([c.merit for c in cands], dtype=np.int64)
        self.female = np.array([c.gender.value == "female" for c in cands], dtype=bool)
        self.disciplined = np.array([c.disciplined for c in cands], dtype=bool)
        self.served_local = np.array([c.served_local for c in cands], dtype=bool)
        self.ministry = np.array(inst.ministry_origin, dtype=bool)
        self.home = np.array(inst.home, dtype=np.int32)
        self.serves_at = np.array(inst.serves_at, dtype=np.int32)
        self.current_post = np.array(inst.current_post, dtype=np.int32)
        self.terms = np.array([c.consecutive_terms for c in cands], dtype=np.int32)
        self.n_ties = np.array([len(t) for t in inst.ties], dtype=np.int32)
        self.tie_owner = np.repeat(np.arange(len(cands), dtype=np.int32), self.n_ties)
        self.tie_unit = np.array([t for ts in inst.ties for t in ts], dtype=np.int32)
        self.tie_start = np.concatenate([[0], np.cumsum(self.n_ties)]).astype(np.int64)

    def serving_inside(self, area: int):
        """Candidates whose duty unit is inside `area` (for rules that keep officers local)."""
        if not hasattr(self, "_inside_pools"):
            self._inside_pools = self.pools_inside(np.arange(len(self.serves_at)), self.serves_at)
        return self._inside_pools.get(area, np.zeros(0, dtype=np.int32))

    def pools_inside(self, members: np.ndarray, units: np.ndarray) -> "InsidePools":
        """Per area: the members (ascending, int32, each once) that have some unit inside it,
        member i having unit `units[i]` (a member may come with several units). The pools of
        `serving_inside`, and of a horizon's later periods (planner/model/horizon.py)."""
        return InsidePools(self.at_depth, self.depth, np.asarray(members), np.asarray(units))

    def inside(self, area: int, units):
        """Mask: is each of `units` inside `area` (area is it or an ancestor of it)?"""
        return self.at_depth[self.depth[area]][units] == area

    def related(self, areas: np.ndarray, units: np.ndarray) -> np.ndarray:
        """Per pair: is units[i] inside areas[i], or areas[i] inside units[i]?"""
        return (self.at_depth[self.depth[areas], units] == areas) | \
            (self.at_depth[self.depth[units], areas] == units)

    def overlaps_pairs(self, areas: np.ndarray, cands: np.ndarray) -> np.ndarray:
        """Per pair (areas[i], cands[i]): the candidate's home or a tie is inside the area or an
        ancestor of it. Ties are gathered for all candidates at once, then folded back."""
        hit = self.related(areas, self.home[cands])
        counts = self.n_ties[cands]
        if int(counts.sum()):
            owner = np.repeat(np.arange(len(cands)), counts)
            first = np.repeat(self.tie_start[cands] - np.concatenate([[0], np.cumsum(counts)[:-1]]),
                              counts)
            ties = self.tie_unit[first + np.arange(int(counts.sum()))]
            hit[owner[self.related(areas[owner], ties)]] = True
        return hit

    def overlaps(self, area: int, cands):
        """Mask over `cands`: home or a tie is inside `area` or an ancestor of it (locality)."""
        cands = np.asarray(cands, dtype=np.int64)
        return self.overlaps_pairs(np.full(len(cands), area, dtype=np.int64), cands)


class InsidePools:
    """Per area, the members with some unit inside it (:meth:`Arrays.pools_inside`),
    worked out one depth of the unit tree at a time, when an area of that depth is first asked
    for: a rule that keeps officers inside their province never asks for a district's or a
    commune's. All depths at once sorted four times the keys; on the national horizon the
    later periods' pools took 11.5 s of its 27.5 s of pairs."""

    def __init__(self, at_depth: np.ndarray, depth: np.ndarray, members: np.ndarray,
                 units: np.ndarray):
        self._at_depth, self._depth = at_depth, depth
        self._members, self._units = members.astype(np.int64), units
        self._by_depth: dict[int, dict[int, np.ndarray]] = {}

    def get(self, area: int, default: np.ndarray) -> np.ndarray:
        """The pool of `area`, or `default` where no member is inside it."""
        d = int(self._depth[area])
        pools = self._by_depth.get(d)
        if pools is None:
            pools = self._by_depth[d] = self._at(d)
        return pools.get(area, default)

    def _at(self, d: int) -> dict[int, np.ndarray]:
        ancestor = self._at_depth[d, self._units]  # each unit's ancestor at depth d, or -1
        inside = ancestor >= 0
        who = self._members[inside]
        n = int(who.max(initial=0)) + 1
        area, who = np.divmod(distinct(ancestor[inside].astype(np.int64) * n + who), n)
        starts = np.flatnonzero(np.diff(area, prepend=-1))
        ends = np.append(starts[1:], len(area))
        who = who.astype(np.int32)
        return {int(area[s]): who[s:e] for s, e in zip(starts.tolist(), ends.tolist())}
