"""`ministry_quota`: most groups (provinces by default) get leaders transferred from the ministry."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp
from pydantic import Field

from planner.check.verdict import RuleVerdict
from planner.rules.base import INF, Quota, Rule, exact, shortfall
from planner.rules.rows import Rows, rows_of
from planner.rules.wording import post_ids, unit_name
from planner.schema import Texts, UnitKind

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


def _pairs_by_post(table: PairTable, idx: np.ndarray) -> dict[int, np.ndarray]:
    """The table indices `idx` (ascending, so in post order) grouped by post."""
    if len(idx) == 0:
        return {}
    posts = table.post[idx]
    cuts = np.flatnonzero(np.diff(posts)) + 1
    return {int(posts[lo]): idx[lo:hi]
            for lo, hi in zip(np.concatenate([[0], cuts]), np.concatenate([cuts, [len(idx)]]))}


class MinistryQuota(Rule):
    rule: Literal["ministry_quota"] = "ministry_quota"
    roles: Texts | None = None
    unit_kind: UnitKind = UnitKind.province
    """Names the groups (not a post filter): a post belongs to anc(post unit, unit_kind)."""
    min_per_unit: int = Field(1, ge=0)
    min_share_of_units: float = Field(1, ge=0, le=1)

    summary: ClassVar[str] = ("at least min_share_of_units of the groups have >= min_per_unit "
                              "posts held by ministry-origin officers")

    def groups(self, inst: Instance) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for p, post in enumerate(inst.posts):
            if self.roles is not None and post.role not in self.roles:
                continue
            g = inst.anc(inst.post_unit[p], self.unit_kind)
            if g is not None:
                out.setdefault(g, []).append(p)
        return out

    def post_groups(self, inst: Instance) -> dict[int, list[int]]:
        return self.groups(inst)

    def period_groups(self, inst: Instance) -> list[dict[int, list[int]]]:
        """The groups of each period: the share of complying groups holds per period (a
        horizon's expansion has a copy of every group per period); one period: all of them."""
        groups = self.groups(inst)
        hz = inst.horizon
        if hz is None:
            return [groups]
        out: list[dict[int, list[int]]] = [{} for _ in hz.years]
        for g, posts in groups.items():
            out[int(hz.post_period[posts[0]])][g] = posts
        return [part for part in out if part]

    def quota(self, inst: Instance) -> Quota:
        groups = self.groups(inst)
        return Quota(groups, self.min_per_unit, shortfall(0, len(groups), exact(self.min_share_of_units)),
                     inst.arrays.ministry, self.unit_kind.value, "ministry-origin leader",
                     "ministry-origin officers")

    def group_words(self, inst: Instance, g: int) -> str:
        posts = self.groups(inst).get(g, [])
        return (f"{self.title}: {unit_name(inst, g)} needs {self.min_per_unit} of its posts "
                f"({post_ids(inst, posts, 6)}) held by ministry-origin officers")

    def whole_words(self, inst: Instance) -> str:
        q = self.quota(inst)
        return (f"{self.title}: at least {q.need} of the {len(q.groups)} {q.kind}s "
                f"need {q.per_group} of their posts held by ministry-origin officers")

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        groups = self.groups(inst)
        need = shortfall(0, len(groups), exact(self.min_share_of_units))
        ministry = inst.arrays.ministry
        by_post = inst.memo((id(self), "ministry_pairs"), table,
                            lambda: _pairs_by_post(table, np.flatnonzero(ministry[table.cand])))
        lacking, needed_by, disfavour = [], set(), []
        for g, posts in groups.items():
            held = [int(plan[p]) for p in posts if plan[p] >= 0 and ministry[table.cand[plan[p]]]]
            if len(held) < self.min_per_unit:
                lacking.append(g)
                continue
            by_value = sorted(held, key=lambda i: -table.coef[i])
            needed_by.update(int(table.cand[i]) for i in by_value[: self.min_per_unit])
            # Ministry officers beyond the group's need are better spent elsewhere.
            disfavour += by_value[self.min_per_unit:]
        if len(groups) - len(lacking) >= need:
            return None
        # Match lacking groups to ministry officers no complying group needs, and favour each
        # matched officer on every post of its group: the matching then picks a post that
        # suits the other rules too (one exact pair would fight, e.g., non_local).
        # Integer nodes (groups as unit ids, officers shifted past them): tuples with strings
        # would hash per process and make the matching, and so the plan, vary between runs.
        shift = len(inst.units)
        graph, pairs = nx.Graph(), {}
        for g in lacking:
            for p in groups[g]:
                for i in by_post.get(p, ()):
                    c = int(table.cand[i])
                    if c not in needed_by:
                        graph.add_edge(g, shift + c)
                        pairs.setdefault((g, c), []).append(int(i))
        tops = [n for n in graph if n < shift]
        matched = nx.bipartite.maximum_matching(graph, top_nodes=tops) if tops else {}
        favour = [i for g in tops if g in matched for i in pairs[(g, matched[g] - shift)]]
        return np.array(favour, dtype=np.int64), np.array(disfavour, dtype=np.int64)

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        in_group = np.zeros(inst.n_posts, dtype=bool)
        in_group[[p for posts in self.groups(inst).values() for p in posts]] = True
        return in_group[table.post] & inst.arrays.ministry[table.cand]

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """Per group, (its ministry pairs) - k * complies >= 0; and sum of complies (plus a
        shortfall, soft) >= need. Linearises the model's "complies => k ministry leaders"."""
        parts = [rows for groups in self.period_groups(inst)
                 if (rows := self._lp_rows(inst, table, groups)) is not None]
        return Rows.stack(parts) if parts else None

    def _lp_rows(self, inst: Instance, table: PairTable, groups: dict[int, list[int]]) -> Rows | None:
        need = shortfall(0, len(groups), exact(self.min_share_of_units))
        k = self.min_per_unit
        if need == 0 or k == 0:
            return None
        starts = table.starts(inst.n_posts)
        ministry = inst.arrays.ministry[table.cand]
        terms = []
        for posts in groups.values():
            idx = np.concatenate([np.arange(starts[p], starts[p + 1]) for p in posts])
            terms.append(idx[ministry[idx]] if len(posts) >= k else idx[:0])
        able = [i for i, t in enumerate(terms) if len(t) >= k]  # the others never comply
        rows = [terms[i] for i in able] + [np.zeros(0, np.int64)]
        matrix = rows_of(rows, [np.ones(len(t), np.int64) for t in rows], len(table))
        n = len(able)
        lo = np.append(np.zeros(n, np.int64), need)
        aux = sp.vstack([sp.identity(n, dtype=np.int64) * -k,
                         sp.csr_matrix(np.ones((1, n), np.int64))], format="csr")
        worth, ub = np.zeros(n, np.int64), np.ones(n, np.int64)
        if not self.hard:
            short = sp.csr_matrix(([1], ([n], [0])), shape=(n + 1, 1), dtype=np.int64)
            aux = sp.hstack([aux, short], format="csr")
            worth, ub = np.append(worth, -self.cost), np.append(ub, need)
        return Rows(matrix, lo, aux, worth, ub)

    def build(self, mb: ModelBuilder) -> None:
        for groups in self.period_groups(mb.inst):
            self._build(mb, groups)

    def _build(self, mb: ModelBuilder, groups: dict[int, list[int]]) -> None:
        inst = mb.inst
        share = exact(self.min_share_of_units)
        need = shortfall(0, len(groups), share)  # complying groups required
        k = self.min_per_unit
        if need == 0 or k == 0:
            return
        every = need == len(groups) and self.hard
        static = inst.arrays.ministry & ~inst.dynamic
        complies = []
        for g, posts in groups.items():
            parts = [mb.post_pairs(p) for p in posts]
            terms = np.concatenate([pairs[static[cands]] for pairs, cands in parts])
            name = f"{self.title}@{inst.units[g].id}"
            if mb.links is not None:  # a later period: ministry origin follows from the plan
                later = [(pairs[inst.dynamic[cands]], cands[inst.dynamic[cands]]) for pairs, cands in parts]
                terms = np.concatenate([terms, mb.links.from_ministry(
                    np.concatenate([v for v, _ in later]), np.concatenate([c for _, c in later]),
                    name)]).astype(np.int64)
            if every:  # more than len(terms) can never be met: cap k so it fits the solver
                mb.add_hard(self, terms, np.ones(len(terms), np.int64), min(k, len(terms) + 1),
                            INF, name, ("unit", g))
                continue
            if len(terms) < k or len(posts) < k:
                continue  # this group can never comply
            ok = mb.new_var(0, 1, f"complies:{name}")
            mb.add_linear(terms, np.ones(len(terms), np.int64), k, INF, name, [ok])
            complies.append(ok)
        if every:
            return
        ones = np.ones(len(complies), np.int64)
        if self.hard:
            mb.add_hard(self, complies, ones, need, INF, self.title)
        else:
            short = mb.new_var(0, need, f"short:{self.title}")
            mb.add_linear(complies + [short], np.append(ones, 1), need, INF, self.title)
            mb.add_penalty(short, self.cost, self.title)

    def check(self, view: PlanView) -> RuleVerdict:
        holder = dict(view.assigned())
        counts: dict[str, int] = {}
        for p, post in enumerate(view.scenario.posts):
            if self.roles is not None and post.role not in self.roles:
                continue
            g = view.tree.anc(post.unit, self.unit_kind)
            if g is None:
                continue
            c = holder.get(p)
            from_ministry = c is not None and view.tree.kind(view.cand(c).serves_at) == "ministry"
            counts[g] = counts.get(g, 0) + from_ministry
        share = exact(self.min_share_of_units)
        complying = sum(1 for n in counts.values() if n >= self.min_per_unit)
        d = shortfall(complying, len(counts), share)
        missing = [g for g, n in counts.items() if n < self.min_per_unit]
        figures = {"groups": len(counts), "complying_groups": complying,
                   "required_share": float(share),
                   "achieved_share": round(complying / len(counts), 4) if counts else None,
                   "groups_without_quota": missing[:50]}
        breaches = [f"{complying} of {len(counts)} groups comply, {share} x {len(counts)} needed, "
                    f"short by {d}"] if d else []
        return self.report(d, figures, breaches)
