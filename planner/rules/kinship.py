"""`kinship`: no two related officers lead inside the same area."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from planner.rules.base import Rule, RuleReport
from planner.schema import UnitKind

if TYPE_CHECKING:
    from planner.check import PlanView
    from planner.model.builder import ModelBuilder


class Kinship(Rule):
    rule: Literal["kinship"] = "kinship"
    scope: UnitKind = UnitKind.province

    summary: ClassVar[str] = "no relation has both ends on posts in the same scope unit"

    def build(self, mb: ModelBuilder) -> None:
        inst = mb.inst

        def by_key(c: int) -> dict[int, list]:
            out: dict[int, list] = {}
            for p, var in mb.pairs_of_cand[c]:
                u = inst.post_unit[p]
                key = inst.anc(u, self.scope)
                out.setdefault(u if key is None else key, []).append(var)
            return out

        for a, b in mb.relations:
            ka, kb = by_key(a), by_key(b)
            shared = [k for k in ka if k in kb]
            if not shared:
                continue
            name = f"{self.title}:{inst.candidates[a].id}~{inst.candidates[b].id}"
            if self.hard:
                for k in shared:
                    mb.add_hard(self, sum(ka[k]) + sum(kb[k]) <= 1, f"{name}@{inst.units[k].id}")
            else:
                both = mb.model.new_bool_var(f"both:{name}")
                for k in shared:
                    mb.model.add(sum(ka[k]) + sum(kb[k]) <= 1 + both)
                mb.add_penalty(both, self.cost, name)

    def check(self, view: PlanView) -> RuleReport:
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
