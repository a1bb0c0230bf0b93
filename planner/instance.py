"""A validated scenario turned into integer-indexed arrays that rules and the model share.

Loading gives rows keyed by text ids; the model and the checker want to ask "is unit u an
ancestor of v", "how old is c", "is c ministry-origin" millions of times. Everything such a
question needs is computed here once, from the scenario alone (no policy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from planner.geo import Coord, km
from planner.scenario import Scenario
from planner.schema import Candidate, Post, Unit, UnitKind

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
    ministry_origin: list[bool] = field(init=False)

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

    @cached_property
    def ancestor_sets(self) -> list[frozenset[int]]:
        """`contains(u, v)` is `u in ancestor_sets[v]`."""
        return [frozenset(line) for line in self.lineage]

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
