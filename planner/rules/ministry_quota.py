"""`ministry_quota`: most groups (provinces by default) get leaders transferred from the ministry."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.rules.base import INF, Rule, RuleReport, exact, shortfall
from planner.schema import Texts, UnitKind

if TYPE_CHECKING:
    from planner.check import PlanView
    from planner.instance import Instance
    from planner.model.builder import ModelBuilder


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

    def build(self, mb: ModelBuilder) -> None:
        inst = mb.inst
        groups = self.groups(inst)
        share = exact(self.min_share_of_units)
        need = shortfall(0, len(groups), share)  # complying groups required
        k = self.min_per_unit
        if need == 0 or k == 0:
            return
        every = need == len(groups) and self.hard
        ministry = inst.arrays.ministry
        complies = []
        for g, posts in groups.items():
            parts = [mb.post_pairs(p) for p in posts]
            terms = np.concatenate([pairs[ministry[cands]] for pairs, cands in parts])
            name = f"{self.title}@{inst.units[g].id}"
            if every:  # more than len(terms) can never be met: cap k so it fits the solver
                mb.add_hard(self, terms, np.ones(len(terms), np.int64), min(k, len(terms) + 1),
                            INF, name)
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

    def check(self, view: PlanView) -> RuleReport:
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
