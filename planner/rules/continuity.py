"""`continuity`: a leadership team is not replaced all at once (careers contract, section 2).

In each group `anc(post unit, per)` of n matching posts that exist in the period, at most
`max_changed_share x n` posts are *changed* (the share counted exactly from its decimal text).
The holders of post p *before* a period are the officers whose current post it is (in a
horizon's later period: the officer who held p in the period before), officers no longer
available included. p is changed when its holder now is not one of them, or when it is vacant
now and had a holder before; vacant before and now is not a change, filling a post that had no
holder is one. A matching post with no ancestor of kind `per` is outside the rule. Soft, each
changed post over the share costs `weight`.

The model counts changes per group in the pair variables. Period 1 (and a single period):
"changed" is 1 minus the stay pairs of p's holders where p had a holder (a holder who retired
has no pair, so the post always changes), else the sum of p's pairs; one linear row per group.
A horizon's later period: the holder before is the plan's holder of p in the period before, so
`link` adds a 0/1 literal per post with changed >= filled_before - kept and changed >=
filled_now - kept (kept: the same officer holds p in both periods), exact under the cap, which
only bounds the literals from above. `build` leaves later-period groups to `link` entirely.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import scipy.sparse as sp
from pydantic import Field

from planner.check.verdict import RuleVerdict
from planner.rules.base import INF, PostFilter, exact
from planner.rules.rows import Rows, rows_of
from planner.rules.wording import percent, post_ids, unit_name
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


def _posts_words(n: int) -> str:
    return "1 post" if n == 1 else f"{n} posts"


class Continuity(PostFilter):
    rule: Literal["continuity"] = "continuity"
    per: UnitKind
    """The groups: a matching post belongs to anc(post unit, per) (required)."""
    max_changed_share: float = Field(ge=0, le=1)
    """At most this share of each group's posts may change holder (required)."""

    summary: ClassVar[str] = ("in each `per` group of n matching posts, at most "
                              "max_changed_share x n posts change holder")

    @property
    def share(self) -> Fraction:
        return exact(self.max_changed_share)

    def allowed(self, n: int) -> int:
        """How many of a group's n posts may change: floor(share x n), exactly."""
        return self.share.numerator * n // self.share.denominator

    # -- the groups, model side -------------------------------------------------------------
    def post_groups(self, inst: Instance) -> dict[int, list[int]]:
        """Matching posts by their `per` unit (a horizon's expansion has one per period)."""
        groups: dict[int, list[int]] = {}
        for p in self.matching_posts(inst):
            g = inst.anc(inst.post_unit[p], self.per)
            if g is not None:
                groups.setdefault(g, []).append(p)
        return groups

    def capped_groups(self, inst: Instance) -> dict[int, list[int]]:
        """The groups the share can bind (fewer than all their posts may change)."""
        return {g: posts for g, posts in self.post_groups(inst).items()
                if self.allowed(len(posts)) < len(posts)}

    @staticmethod
    def later(inst: Instance, p: int) -> bool:
        """Is p a post of a horizon's later period (its holders before follow from the plan)?"""
        return inst.horizon is not None and int(inst.horizon.post_period[p]) > 0

    def holders(self, inst: Instance) -> tuple[np.ndarray, dict[int, set[int]]]:
        """Period 1 (or the one period): per post, whether anyone holds it as current post,
        retired officers included, and the available holders' candidate indices (the copies
        that can keep it). Computed once per instance."""
        def compute() -> tuple[np.ndarray, dict[int, set[int]]]:
            had = np.zeros(inst.n_posts, dtype=bool)
            keep: dict[int, set[int]] = {}
            hz = inst.horizon
            if hz is None:
                for c, p in enumerate(inst.current_post):
                    if p >= 0:
                        had[p] = True
                        keep.setdefault(p, set()).add(c)
                return had, keep
            base_post = {q.id: i for i, q in enumerate(hz.base.posts)}
            for o, cand in enumerate(hz.base.candidates):  # available or not
                p = hz.post_copy.get((0, base_post.get(cand.current_post, -1)))
                if p is not None:
                    had[p] = True
                    c = hz.cand_copy.get((0, o))
                    if c is not None:
                        keep.setdefault(p, set()).add(c)
            return had, keep
        return inst.memo((id(self), "holders"), self, compute)

    # -- the model ---------------------------------------------------------------------------
    def build(self, mb: ModelBuilder) -> None:
        """Period 1 (or the one period): per group, sum of changed posts <= allowed."""
        inst = mb.inst
        had, keep = self.holders(inst)
        for g, posts in self.capped_groups(inst).items():
            if self.later(inst, posts[0]):
                continue  # a later period's holders before follow from the plan: see link
            variables, coefs, const = [], [], 0
            for p in posts:
                pairs, cands = mb.post_pairs(p)
                if had[p]:  # changed = 1 - (a holder stays)
                    const += 1
                    stay = pairs[np.isin(cands, list(keep.get(p, ())))]
                    variables += stay.tolist()
                    coefs += [-1] * len(stay)
                else:  # changed = filled
                    variables += pairs.tolist()
                    coefs += [1] * len(pairs)
            self._cap(mb, g, len(posts), variables, coefs, const)

    def link(self, mb: ModelBuilder) -> None:
        """A horizon's later periods: per group, its posts' changes <= allowed."""
        inst = mb.inst
        for g, posts in self.capped_groups(inst).items():
            if self.later(inst, posts[0]):
                variables: list[int] = []
                for p in posts:
                    variables += self._changed(mb, p)
                self._cap(mb, g, len(posts), variables, [1] * len(variables), 0)

    def _changed(self, mb: ModelBuilder, p: int) -> list[int]:
        """Variables whose sum is "p changed" in a later period: p's pairs where it had no
        pair in the period before (changed = filled), else a 0/1 literal >= filled_before -
        kept and >= filled_now - kept (kept: one officer holds p in both periods)."""
        links = mb.links
        assert links is not None
        t, q = int(links.hz.post_period[p]), int(links.hz.post_base[p])
        now, cands = mb.post_pairs(p)
        prev = links.hz.post_copy.get((t - 1, q))
        before = mb.post_pairs(prev)[0] if prev is not None else now[:0]
        if len(before) == 0:
            return now.tolist()
        name = f"{self.title}:{mb.inst.posts[p].id}"
        changed = mb.new_var(0, 1, f"changed:{name}")
        kept = []
        for o in sorted({links.officer(int(c))[0] for c in cands}):
            a, b = links.held(o, t - 1, q), links.held(o, t, q)
            if a is not None and b is not None:
                k = mb.new_var(0, 1, f"kept:{name}:{o}")
                mb.add_linear([k, a], [1, -1], -INF, 0)
                mb.add_linear([k, b], [1, -1], -INF, 0)
                kept.append(k)
        for filled in (now, before):
            if len(filled):
                mb.add_linear([changed, *kept, *filled.tolist()],
                              [1] * (1 + len(kept)) + [-1] * len(filled), 0, INF)
        return [changed]

    def _cap(self, mb: ModelBuilder, g: int, n: int, variables: list[int], coefs: list[int],
             const: int) -> None:
        """const + sum(coefs x variables) (the group's changed posts) <= allowed; soft, a
        shortfall of 0..n, each unit costing the weight."""
        name = f"{self.title}@{mb.inst.units[g].id}"
        top = self.allowed(n) - const
        if self.hard:
            mb.add_hard(self, variables, coefs, -INF, top, name, ("unit", g))
            return
        short = mb.new_var(0, n, f"short:{name}")
        mb.add_linear([*variables, short], [*coefs, -1], -INF, top, name)
        mb.add_penalty(short, self.cost, name)

    # -- large scenarios ---------------------------------------------------------------------
    def _stay_mask(self, inst: Instance, table: PairTable) -> np.ndarray:
        """Mask over `table`: a period-1 pair that keeps one of its post's holders before."""
        _, keep = self.holders(inst)
        keys = np.array([p * inst.n_candidates + c for p, cs in keep.items() for c in cs],
                        dtype=np.int64)
        return np.isin(table.post.astype(np.int64) * inst.n_candidates + table.cand, keys)

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        """The shortlist keeps the holders' stay pairs (later periods' stays come with them)."""
        return self._stay_mask(inst, table)

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """Period 1's groups: stays - fillings of posts without a holder (+ shortfall, soft)
        >= posts with a holder - allowed. Later periods are left out (valid, looser)."""
        had, _ = self.holders(inst)
        stay = self._stay_mask(inst, table)
        starts = table.starts(inst.n_posts)
        idx, coefs, lo, sizes = [], [], [], []
        for posts in self.capped_groups(inst).values():
            if self.later(inst, posts[0]):
                continue
            mine = np.concatenate([np.arange(starts[p], starts[p + 1]) for p in posts])
            counted = mine[stay[mine] | ~had[table.post[mine]]]
            idx.append(counted)
            coefs.append(np.where(stay[counted], 1, -1))
            lo.append(int(had[posts].sum()) - self.allowed(len(posts)))
            sizes.append(len(posts))
        if not idx:
            return None
        matrix, lo_arr = rows_of(idx, coefs, len(table)), np.array(lo, np.int64)
        if self.hard:
            return Rows(matrix, lo_arr)
        return Rows(matrix, lo_arr, sp.identity(len(idx), dtype=np.int64, format="csr"),
                    np.full(len(idx), -self.cost, np.int64), np.array(sizes, np.int64))

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """None when no group changes too many posts, else favour, on the posts of the groups
        that do, the pairs that keep the holder before (period 1: the holders' stay pairs;
        later: the officer the plan has on the post in the period before)."""
        over: list[int] = []  # the posts of the groups over their share
        for posts in self.capped_groups(inst).values():
            if sum(self._plan_changed(inst, table, plan, p) for p in posts) > self.allowed(len(posts)):
                over += posts
        if not over:
            return None
        favour = np.isin(table.post, over) & self._stay_mask(inst, table)
        hz = inst.horizon
        for p in (p for p in over if self.later(inst, p)):
            prev = hz.post_copy.get((int(hz.post_period[p]) - 1, int(hz.post_base[p])))
            if prev is not None and plan[prev] >= 0:
                officer = hz.cand_base[table.cand[plan[prev]]]
                favour |= (table.post == p) & (hz.cand_base[table.cand] == officer)
        return np.flatnonzero(favour), np.zeros(0, dtype=np.int64)

    def _plan_changed(self, inst: Instance, table: PairTable, plan: np.ndarray, p: int) -> bool:
        """Is post p changed in `plan` (post -> table index or -1)?"""
        now = int(table.cand[plan[p]]) if plan[p] >= 0 else -1
        if not self.later(inst, p):
            had, keep = self.holders(inst)
            return now not in keep.get(p, ()) if had[p] else now >= 0
        hz = inst.horizon
        prev = hz.post_copy.get((int(hz.post_period[p]) - 1, int(hz.post_base[p])))
        before = int(hz.cand_base[table.cand[plan[prev]]]) if prev is not None and plan[prev] >= 0 else -1
        return before != (int(hz.cand_base[now]) if now >= 0 else -1)

    # -- the check ---------------------------------------------------------------------------
    def check(self, view: PlanView) -> RuleVerdict:
        holder = {p: view.cand_id(c) for p, c in view.assigned()}
        groups: dict[str, list[int]] = {}  # unit id -> [n, changed]
        for p, post in enumerate(view.scenario.posts):
            if self.roles is not None and post.role not in self.roles:
                continue
            if self.unit_kind is not None and view.unit_of_post(p).kind != self.unit_kind:
                continue
            g = view.tree.anc(post.unit, self.per)
            if g is None:
                continue
            before, now = view.holders_before.get(post.id, set()), holder.get(p)
            counts = groups.setdefault(g, [0, 0])
            counts[0] += 1
            counts[1] += bool(before) if now is None else now not in before
        share, violation, shown, breaches = self.share, 0, [], []
        for g, (n, k) in groups.items():
            allowed = self.allowed(n)
            violation += max(0, k - allowed)
            if k >= allowed:  # breaks or reaches its share: no further post may change
                shown.append({"group": g, "size": n, "changed": k, "allowed": allowed})
            if k > allowed:
                breaches.append(f"{g}: {k} of {n} posts changed, at most {allowed} may "
                                f"({share} x {n}), {k - allowed} too many")
        return self.report(violation, {"groups": shown}, breaches)

    # -- words -------------------------------------------------------------------------------
    def group_words(self, inst: Instance, g: int) -> str:
        posts = self.post_groups(inst).get(g, [])
        return (f"{self.title}: at most {self.allowed(len(posts))} of the "
                f"{_posts_words(len(posts))} of {unit_name(inst, g)} may change "
                f"({post_ids(inst, posts, 6)})")

    def whole_words(self, inst: Instance) -> str:
        return (f"{self.title}: in each {self.per.value}, at most {percent(self.share)} of the "
                f"matching posts may change holder")
