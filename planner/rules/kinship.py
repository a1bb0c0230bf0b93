"""`kinship`: no two related officers lead inside the same area."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import scipy.sparse as sp

from planner.check.verdict import RuleVerdict
from planner.rules.base import INF, Rule
from planner.rules.rows import Rows, rows_of
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


class Kinship(Rule):
    rule: Literal["kinship"] = "kinship"
    scope: UnitKind = UnitKind.province

    summary: ClassVar[str] = "no relation has both ends on posts in the same scope unit"

    def build(self, mb: ModelBuilder) -> None:
        inst = mb.inst
        post_key = np.array([self._unit_key(inst, u) for u in inst.post_unit], dtype=np.int32)

        def by_key(c: int) -> dict[int, np.ndarray]:
            pairs = mb.cand_pairs(c)
            keys = post_key[mb.pair_post[pairs]]
            return {int(k): pairs[keys == k] for k in np.unique(keys)}

        for a, b in mb.relations:
            ka, kb = by_key(a), by_key(b)
            shared = [k for k in ka if k in kb]
            if not shared:
                continue
            name = f"{self.title}:{inst.candidates[a].id}~{inst.candidates[b].id}"
            both = None if self.hard else mb.new_var(0, 1, f"both:{name}")
            for k in shared:
                pairs = np.concatenate([ka[k], kb[k]])
                ones = np.ones(len(pairs), np.int64)
                if self.hard:
                    mb.add_hard(self, pairs, ones, 0, 1, f"{name}@{inst.units[k].id}",
                                ("relation", a, b))
                else:  # both ends in one area forces `both` to 1
                    mb.add_linear(np.append(pairs, both), np.append(ones, -1), -INF, 1,
                                  f"{name}@{inst.units[k].id}")
            if both is not None:
                mb.add_penalty(both, self.cost, name)

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        held = plan[plan >= 0]
        pair_of = dict(zip(table.cand[held].tolist(), held.tolist()))
        pair_key = self._pair_key(inst, table)
        moved: set[tuple[int, int]] = set()
        for r in inst.scenario.relations:
            a, b = pair_of.get(inst.cand_index[r.a]), pair_of.get(inst.cand_index[r.b])
            if a is None or b is None or pair_key[a] != pair_key[b]:
                continue
            weaker = a if table.coef[a] <= table.coef[b] else b
            moved.add((int(table.cand[weaker]), int(pair_key[weaker])))
        if not moved:
            return None
        # Move the relative whose place is worth less out of the shared area altogether.
        out = [np.flatnonzero((table.cand == c) & (pair_key == k)) for c, k in sorted(moved)]
        return np.zeros(0, dtype=np.int64), np.concatenate(out)

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """-(pairs of a and of b inside area k) >= -1 for each relation and each area both
        can serve in; soft, a `both` auxiliary per relation (worth minus the weight) adds 1."""
        key = self._pair_key(inst, table)
        order = np.argsort(table.cand, kind="stable")
        starts = np.searchsorted(table.cand[order], np.arange(inst.n_candidates + 1))
        seen: set[tuple[int, int]] = set()
        rows, owner = [], []
        for r in inst.scenario.relations:
            a, b = sorted((inst.cand_index[r.a], inst.cand_index[r.b]))
            if (a, b) in seen:
                continue
            seen.add((a, b))
            pa, pb = order[starts[a]:starts[a + 1]], order[starts[b]:starts[b + 1]]
            for k in np.intersect1d(key[pa], key[pb]):
                rows.append(np.concatenate([pa[key[pa] == k], pb[key[pb] == k]]))
                owner.append(len(seen) - 1)
        if not rows:
            return None
        matrix = rows_of(rows, [np.full(len(i), -1, np.int64) for i in rows], len(table))
        lo = np.full(len(rows), -1, np.int64)
        if self.hard:
            return Rows(matrix, lo)
        both = sp.csr_matrix((np.ones(len(rows), np.int64), (np.arange(len(rows)), owner)),
                             shape=(len(rows), len(seen)))
        return Rows(matrix, lo, both, np.full(len(seen), -self.cost, np.int64),
                    np.ones(len(seen), np.int64))

    def relation_words(self, inst: Instance, a: int, b: int) -> str:
        return super().relation_words(inst, a, b) + f" and may not both lead in the same {self.scope.value}"

    def _pair_key(self, inst: Instance, table: PairTable) -> np.ndarray:
        """Per pair of `table`: the area (scope unit, else the post's unit) it places in."""
        return inst.memo((id(self), "pair_key"), table, lambda: np.array(
            [self._unit_key(inst, u) for u in inst.post_unit], dtype=np.int64)[table.post])

    def _unit_key(self, inst: Instance, u: int) -> int:
        key = inst.anc(u, self.scope)
        return u if key is None else key

    def check(self, view: PlanView) -> RuleVerdict:
        post_of = {c: p for p, c in view.assigned()}
        breaches = []
        for a, b in view.relation_pairs():
            if a not in post_of or b not in post_of:
                continue
            ka, kb = (self._key(view, post_of[x]) for x in (a, b))
            if ka == kb:
                breaches.append(f"{view.cand_id(a)} and {view.cand_id(b)} are related and both "
                                f"placed in {ka}")
        return self.report(len(breaches), {"relations": len(view.relation_pairs()),
                                           "related_pairs_together": len(breaches)}, breaches)

    def _key(self, view: PlanView, p: int) -> str:
        unit = view.post(p).unit
        return view.tree.anc(unit, self.scope) or unit
