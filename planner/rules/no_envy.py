"""`no_envy`: no officer envies a matching post (a constrained stable assignment).

Envy is the contract's (docs/careers.md; counted without the model by
:mod:`planner.check.envy`): c envies post p when p ranks strictly better in c's `preferences`
than c's own post (unassigned: infinity), c meets p's E1 requirements, (c, p) is not
forbidden, and p is vacant or held by an officer of lower merit. The rule's `roles` and
`unit_kind` pick the posts that may be envied; c's own post counts whatever it is.

Model. For every (c, p) with finite rank r, c E1-eligible for p and not forbidden (whether or
not the pair has a variable), no envy is exactly

    z(c, r) + h(p, merit(c)) >= 1

where z(c, r) sums c's pairs on posts of rank <= r (c holds a post at least as wanted: at most
one pair of c is taken, so z is 0/1) and h(p, m) sums p's pairs of holders with merit >= m (p
has a holder at least as deserving: equal merit is no envy). The literals are shared: one z
per (officer, distinct rank), one h per (post, distinct merit needed), each an equality row
that chains the previous one (z(c, r) = z(c, r') + the pairs of rank in (r', r]), so that
every pair variable appears in one z row and one h row. Hard, one 2-literal clause per pair.
Soft, the clauses of one officer's posts of one rank r add up to one exact row,
E(c, r) + sum of their h + n z(c, r) >= n, with E in 0..n worth the weight per unit: the number
of envious pairs among them (z = 1 forgives all n; z = 0 leaves the posts not held by merit).

Size: hard, one clause per constrained pair, so at national scale (officers ranking a province
of ~170 posts) the rule adds several clauses per pair variable; soft, one row per (officer,
rank) over the same literals; docs/careers.md gives the measured counts. `helps` keeps each
officer's ranked pairs on a shortlist.

Bound. The clauses of every constrained pair as LP rows would be one per pair, each over the
pairs of an officer and of a post: larger than the rest of the bound together. `lp_rows` states
exactly the part no plan can escape: a constrained (c, p) whose officer has no eligible pair
ranked as well (z(c, r) is 0 in every plan) is envy exactly when h(p, merit(c)) is 0, a linear
function of p's pairs. Soft, one row sums them: E + sum over p's pairs (d, p) of
#{such c envying p with merit(c) <= merit(d)} x(d, p) >= their number, E worth minus the
weight (on every plan E is the number of those envious pairs, and in the LP too, since no post
has more than one holder). Hard, one row per such post: a holder of merit at least the highest
of them. The rest of the envy stays out of the bound (valid, looser).

Horizons. Every period copy of an officer ranks the same period's unit copies (the
expansion maps `preferences`), its merit is static and its E1 age is taken in its own year;
its own post is a pair variable of its period. Envy reads no state that follows from the plan
(current post, terms, since, serves_at, served_local, served_difficult, grade), so a
later-period copy is constrained exactly by `build`, and the rule needs no `link`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import scipy.sparse as sp

from planner.check.envy import Envy, envious_pairs
from planner.check.verdict import RuleVerdict
from planner.rules.base import INF, PostFilter
from planner.rules.rows import Rows, rows_of
from planner.rules.wording import MemberText, few

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable
    from planner.schema import Post


@dataclass(frozen=True)
class Ranked:
    """Every (candidate, post) with a finite rank, sorted by candidate then post; `envy`
    marks the pairs the rule constrains (matching post, E1 met, not forbidden)."""

    cand: np.ndarray
    post: np.ndarray
    rank: np.ndarray
    envy: np.ndarray
    key: np.ndarray
    """cand * n_posts + post, sorted: the lookup of a pair's rank."""

    def rank_of(self, n_posts: int, cands: np.ndarray, posts: np.ndarray) -> np.ndarray:
        """The rank of each (cand, post), 0 where it has none."""
        if not len(self.key):
            return np.zeros(len(cands), dtype=np.int64)
        key = cands.astype(np.int64) * n_posts + posts
        at = np.minimum(np.searchsorted(self.key, key), len(self.key) - 1)
        return np.where(self.key[at] == key, self.rank[at], 0)


def _posts_under(inst: Instance) -> list[np.ndarray]:
    """Per unit, the posts in it or below it, in post order."""
    under: list[list[int]] = [[] for _ in inst.units]
    for p, u in enumerate(inst.post_unit):
        for a in inst.lineage[u]:
            under[a].append(p)
    return [np.array(ps, dtype=np.int64) for ps in under]


def _candidate_ranks(inst: Instance, under: list[np.ndarray], c: int) -> tuple[np.ndarray, np.ndarray]:
    """(posts, ranks) of candidate c's ranked posts, in post order: each post's rank is the
    position of the first preferred unit that contains it."""
    units = [inst.unit_index[u] for u in inst.candidates[c].preferences or ()]
    posts = np.concatenate([under[u] for u in units])
    ranks = np.repeat(np.arange(1, len(units) + 1), [len(under[u]) for u in units])
    uniq, first = np.unique(posts, return_index=True)  # first occurrence = the smallest rank
    return uniq, ranks[first]


def _meets_requirements(inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
    """E1 over `cands` for post p, on the model's arrays (age in each candidate's own year).

    The same test as `planner.model.eligibility.requirement_mask`, which a rule may not import
    (rules sit below the model: tests/test_architecture.py); the checker's own E1 is
    :func:`planner.check.envy.meets_requirements`."""
    arr, post = inst.arrays, inst.posts[p]
    ok = np.ones(len(cands), dtype=bool)
    for have, need in ((arr.edu, post.min_education), (arr.theory, post.min_political_theory),
                       (arr.rating, post.min_rating)):
        if need is not None:
            ok &= have[cands] >= need.rank
    if post.max_age is not None:
        ok &= arr.age[cands] <= post.max_age
    return ok


class NoEnvy(PostFilter):
    rule: Literal["no_envy"] = "no_envy"

    summary: ClassVar[str] = ("no officer envies a matching post: one ranked better than the "
                              "officer's own, which the officer is eligible for and which is "
                              "vacant or held by lower merit")

    def matches_post(self, view: PlanView) -> Callable[[Post], bool]:
        """The checker's post filter, for :func:`envious_pairs`."""
        def keep(post: Post) -> bool:
            return ((self.roles is None or post.role in self.roles)
                    and (self.unit_kind is None or view.tree.kind(post.unit) == self.unit_kind))
        return keep

    def ranked(self, inst: Instance) -> Ranked:
        """Every finitely ranked pair and which of them the rule constrains (memoised)."""
        return inst.memo((id(self), "ranked"), self, lambda: self._compute_ranked(inst))

    def _compute_ranked(self, inst: Instance) -> Ranked:
        under = _posts_under(inst)
        parts = [(c, *_candidate_ranks(inst, under, c)) for c, cand in enumerate(inst.candidates)
                 if cand.preferences and cand.available_in(inst.year[c])]
        cand = np.concatenate([np.full(len(ps), c) for c, ps, _ in parts] or [[]]).astype(np.int64)
        post = np.concatenate([ps for _, ps, _ in parts] or [[]]).astype(np.int64)
        rank = np.concatenate([rs for _, _, rs in parts] or [[]]).astype(np.int64)
        envy = np.array([self.matches(inst, p) for p in range(inst.n_posts)], dtype=bool)[post]
        order = np.argsort(post, kind="stable")
        bounds = np.searchsorted(post[order], np.arange(inst.n_posts + 1))
        for p in np.flatnonzero(np.diff(bounds)).tolist():
            seg = order[bounds[p]:bounds[p + 1]]
            envy[seg] &= _meets_requirements(inst, p, cand[seg])
        banned = np.array([inst.cand_index[f.candidate] * inst.n_posts + inst.post_index[f.post]
                           for f in inst.scenario.forbidden], dtype=np.int64)
        key = cand * inst.n_posts + post
        envy &= ~np.isin(key, banned)
        return Ranked(cand, post, rank, envy, key)

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """The envy of officers who cannot be placed as well as the post they envy, exactly
        (see the module's docstring, "Bound"); None when there is none."""
        ranked = self.ranked(inst)
        rows = np.flatnonzero(ranked.envy)
        if not len(rows) or not len(table):
            return None
        cands, posts, ranks = ranked.cand[rows], ranked.post[rows], ranked.rank[rows]
        at = ranked.rank_of(inst.n_posts, table.cand, table.post)
        best = np.full(inst.n_candidates, np.iinfo(np.int64).max)  # each officer's best rank
        np.minimum.at(best, table.cand[at > 0], at[at > 0])
        stuck = best[cands] > ranks  # z(c, r) = 0 in every plan
        if not stuck.any():
            return None
        posts, merit = posts[stuck], inst.arrays.merit[cands[stuck]].astype(np.int64)
        pair_merit = inst.arrays.merit[table.cand].astype(np.int64)
        if self.hard:
            return self._hard_rows(inst, table, posts, merit, pair_merit)
        span = int(max(merit.max(), pair_merit.max())) + 2  # (post, merit) as one sorted key
        keys = np.sort(posts * span + merit)
        post_key = table.post.astype(np.int64) * span
        held = np.searchsorted(keys, post_key + pair_merit, side="right") \
            - np.searchsorted(keys, post_key, side="left")  # enviers of p at most d's merit
        pairs = np.flatnonzero(held)
        matrix = rows_of([pairs], [held[pairs]], len(table))
        n = len(posts)
        return Rows(matrix, np.array([n], np.int64), sp.csr_matrix(np.ones((1, 1), np.int64)),
                    np.array([-self.cost], np.int64), np.array([n], np.int64))

    @staticmethod
    def _hard_rows(inst: Instance, table: PairTable, posts: np.ndarray, merit: np.ndarray,
                   pair_merit: np.ndarray) -> Rows:
        """Per post envied by an officer who cannot be placed as well: a holder of at least
        the highest such merit."""
        need = np.full(inst.n_posts, -1, np.int64)
        np.maximum.at(need, posts, merit)
        envied = np.flatnonzero(need >= 0)
        starts = table.starts(inst.n_posts)
        pairs = [starts[p] + np.flatnonzero(pair_merit[starts[p]:starts[p + 1]] >= need[p])
                 for p in envied.tolist()]
        matrix = rows_of(pairs, [np.ones(len(i), np.int64) for i in pairs], len(table))
        return Rows(matrix, np.ones(len(envied), np.int64))

    def build(self, mb: ModelBuilder) -> None:
        """Hard: one clause z(c, r) + h(p, merit(c)) >= 1 per constrained pair. Where no pair of
        p has a holder of c's merit, h is 0 and the clause is z(c, r) >= 1, the same for every
        such post of c's rank r: it is written once. Soft: one row per (officer, rank), see
        :meth:`_soft_rows`."""
        inst = mb.inst
        ranked = self.ranked(inst)
        rows = np.flatnonzero(ranked.envy)
        if not len(rows):
            return
        cands, posts, ranks = ranked.cand[rows], ranked.post[rows], ranked.rank[rows]
        merit = inst.arrays.merit[cands]
        z = self._z_literals(mb, ranked, cands, ranks)
        h = self._h_literals(mb, posts, merit)
        groups: dict[tuple[int, ...], list[int]] = {}  # (c, r) -> c's envied posts of rank r
        for c, p, r in zip(cands.tolist(), posts.tolist(), ranks.tolist()):
            groups.setdefault((c, r, p) if mb.explain else (c, r), []).append(p)
        for key, envied in groups.items():  # explain: each post keeps its own guard
            c, r = key[0], key[1]
            held = [h.get((p, int(inst.arrays.merit[c]))) for p in envied]
            if self.hard:
                for lit, p in zip(held, envied):
                    if lit is not None:
                        mb.add_hard(self, [z[(c, r)], lit], [1, 1], 1, INF, "", ("post", p))
                if None in held:
                    mb.add_hard(self, [z[(c, r)]], [1], 1, INF, "", ("post", envied[0]))
            else:
                self._soft_row(mb, z[(c, r)], [lit for lit in held if lit is not None], len(envied))

    def _soft_row(self, mb: ModelBuilder, z: int, held: list[int], n: int) -> None:
        """The envious pairs of one officer among its n constrained posts of one rank, exactly:
        E + sum(held) + n z >= n with E in 0..n paying the weight per unit. Holding a post at
        least as wanted (z = 1) leaves E = 0; else E is the number of those posts not held by
        an officer of at least its merit (`held`: their h literals; a post without one never
        is). One row and one integer per (officer, rank) instead of a clause and a literal per
        pair: at national scale 66,000 rows instead of 2.7 million clauses."""
        envious = mb.new_var(0, n, "")
        mb.add_linear([envious, *held, z], [1] * (len(held) + 1) + [n], n, INF)
        mb.add_penalty(envious, self.cost, self.title)

    @staticmethod
    def _chain(mb: ModelBuilder, steps: list[tuple[str, np.ndarray]]) -> list[int]:
        """0/1 literals l_1 <= l_2 <= ..., l_i = l_(i-1) + the pairs `steps[i]` (named), one
        equality row each: the running sums of disjoint sets of exclusive pairs."""
        out: list[int] = []
        for name, pairs in steps:
            var = mb.new_var(0, 1, name)
            chain = out[-1:]
            mb.add_linear([var, *chain, *pairs.tolist()], [1] + [-1] * (len(chain) + len(pairs)),
                          0, 0, name)
            out.append(var)
        return out

    def _z_literals(self, mb: ModelBuilder, ranked: Ranked, cands: np.ndarray,
                    ranks: np.ndarray) -> dict[tuple[int, int], int]:
        """z(c, r) = c's pairs on posts of rank <= r, for each (c, r) needed."""
        inst, out = mb.inst, {}
        needed: dict[int, set[int]] = {}
        for c, r in zip(cands.tolist(), ranks.tolist()):
            needed.setdefault(c, set()).add(r)
        for c, rs in needed.items():
            pairs = mb.cand_pairs(c)
            rank = ranked.rank_of(inst.n_posts, np.full(len(pairs), c), mb.pair_post[pairs])
            levels = sorted(rs)
            lows = [0, *levels[:-1]]
            cid = inst.candidates[c].id
            lits = self._chain(mb, [(f"envy:z:{cid}:{r}", pairs[(rank > lo) & (rank <= r)])
                                    for lo, r in zip(lows, levels)])
            out.update({(c, r): v for r, v in zip(levels, lits)})
        return out

    def _h_literals(self, mb: ModelBuilder, posts: np.ndarray,
                    merit: np.ndarray) -> dict[tuple[int, int], int]:
        """h(p, m) = p's pairs of holders with merit >= m, for each (p, m) needed; none where
        no pair of p has merit m or more (h would be 0)."""
        inst, out = mb.inst, {}
        needed: dict[int, set[int]] = {}
        for p, m in zip(posts.tolist(), merit.tolist()):
            needed.setdefault(p, set()).add(m)
        for p, ms in needed.items():
            pairs, cands = mb.post_pairs(p)
            order = np.argsort(-inst.arrays.merit[cands], kind="stable")
            down = -inst.arrays.merit[cands][order]  # minus merit, ascending
            top = -int(down[0]) if len(down) else -1
            levels = sorted((m for m in ms if m <= top), reverse=True)
            ends = np.searchsorted(down, [-m for m in levels], side="right")
            starts = [0, *ends[:-1].tolist()]
            pid = inst.posts[p].id
            lits = self._chain(mb, [(f"envy:h:{pid}:{m}", pairs[order[a:b]])
                                    for m, a, b in zip(levels, starts, ends.tolist())])
            out.update({(p, m): v for m, v in zip(levels, lits)})
        return out

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        """Large scenarios: the shortlist keeps the pairs of officers with posts they rank,
        so that officers can be placed where they would envy no one."""
        ranked = self.ranked(inst)
        if not len(ranked.key):
            return None
        return ranked.rank_of(inst.n_posts, table.cand, table.post) > 0

    def check(self, view: PlanView) -> RuleVerdict:
        found = envious_pairs(view, self.matches_post(view))
        merit = {c.id: c.merit for c in view.scenario.candidates}
        return self.report(len(found), {"envious_pairs": len(found),
                                        "envious_officers": len({e.officer for e in found})},
                           [envy_words(e, merit) for e in found])

    def post_words(self, inst: Instance, p: int) -> MemberText | None:
        """The guard at an envied post: who may envy it, and what keeps each from doing so."""
        ranked = self.ranked(inst)
        who = ranked.cand[ranked.envy & (ranked.post == p)]
        if not len(who):
            return None
        names = [f"{inst.candidates[c].id} (merit {inst.candidates[c].merit})" for c in who.tolist()]
        return MemberText(f"{self.title}: post {inst.posts[p].id} must not be envied by "
                          f"{few(names, 4)}: each holds a post they rank at least as high, or "
                          f"the post's holder has at least their merit", "must not be envied")


def envy_words(e: Envy, merit: dict[str, int]) -> str:
    """`C12 (merit 80) envies P07-DIR (choice 1; own post: choice 3), held by C40 (merit 60)`."""
    own = "none ranked" if e.own_rank is None else f"choice {e.own_rank}"
    held = "vacant" if e.holder is None else f"held by {e.holder} (merit {merit[e.holder]})"
    return f"{e.officer} (merit {merit[e.officer]}) envies {e.post} (choice {e.rank}; own post: " \
           f"{own}), {held}"
