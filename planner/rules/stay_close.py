"""`stay_close`: re-planning with as few changes as possible against a previous plan.

An extension rule type (not in the contract's table), used by `planner solve --stay-close-to`.
`previous` maps post ids to the candidate id that held the post in the earlier plan (null for a
post that was vacant). A post *changes* when its holder in the new plan differs from that: a
different officer, an officer on a post that was vacant, or a vacancy where there was an
officer. Posts not listed in `previous` are not compared; a post id the scenario does not know
is ignored; a candidate id it does not know can never be kept, so that post always changes.

Soft (`hard: false`, the way `--stay-close-to` adds it), each change costs `weight`: the model
pays it as pair coefficients (exact, since a post has one holder), and the checker counts the
changes itself, so that `planner check` recomputes the objective of a re-plan exactly. Hard,
every listed post keeps its holder (a plan-wide `fixed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from planner.check.verdict import RuleVerdict
from planner.rules.base import Rule
from planner.rules.wording import MemberText
from planner.schema import Text

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


class StayClose(Rule):
    rule: Literal["stay_close"] = "stay_close"
    previous: dict[Text, Text | None]
    """Post id -> the candidate id that held it in the previous plan (None: vacant)."""

    summary: ClassVar[str] = ("extension: each post whose holder differs from `previous` "
                              "(post -> candidate of an earlier plan) is one change")

    @property
    def title(self) -> str:
        return self.label or f"stay_close[{len(self.previous)} posts]"

    def kept_holder(self, inst: Instance) -> np.ndarray:
        """Per post: the index of the candidate that keeps it unchanged, or -1 (none can)."""
        out = np.full(inst.n_posts, -1, dtype=np.int64)
        hz = inst.horizon
        if hz is None:
            for pid, cid in self.previous.items():
                p = inst.post_index.get(pid)
                if p is not None and cid is not None:
                    out[p] = inst.cand_index.get(cid, -1)
            return out
        # A horizon compares every period with `previous`, as the checker does period by period.
        officer = {c.id: o for o, c in enumerate(hz.base.candidates)}
        for (t, q), p in hz.post_copy.items():
            cid = self.previous.get(hz.base.posts[q].id)
            if cid is not None:
                out[p] = hz.cand_copy.get((t, officer.get(cid, -1)), -1)
        return out

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        """Large scenarios: the shortlist keeps every pair of the previous plan."""
        return table.cand == self.kept_holder(inst)[table.post]

    def compared(self, inst: Instance) -> list[tuple[int, str, str | None]]:
        """(post index, scenario post id, previous holder) of every post `previous` lists
        (in a horizon: every period's copy of it)."""
        hz = inst.horizon
        if hz is None:
            return [(inst.post_index[pid], pid, cid) for pid, cid in self.previous.items()
                    if pid in inst.post_index]
        return [(p, hz.base.posts[q].id, self.previous[hz.base.posts[q].id])
                for (t, q), p in sorted(hz.post_copy.items(), key=lambda kv: kv[1])
                if hz.base.posts[q].id in self.previous]

    def build(self, mb: ModelBuilder) -> None:
        inst = mb.inst
        keeper = self.kept_holder(inst)
        for p, pid, cid in self.compared(inst):
            pairs, cands = mb.post_pairs(p)
            c = int(keeper[p])
            keep = pairs[cands == c] if c >= 0 else pairs[:0]
            if self.hard:
                if cid is None:
                    mb.add_hard(self, pairs, np.ones(len(pairs), np.int64), 0, 0,
                                f"{self.title}@{pid}", ("post", p))
                else:
                    mb.add_hard(self, keep, np.ones(len(keep), np.int64), 1, 1,
                                f"{self.title}@{pid}", ("post", p))
                continue
            if cid is None:  # filling a post that was vacant is a change
                mb.add_pair_coef(pairs, -self.cost)
            else:  # a change unless the same officer holds the post
                mb.add_constant(-self.cost)
                mb.add_pair_coef(keep, self.cost)

    def post_words(self, inst: Instance, p: int) -> MemberText | None:
        pid = inst.posts[p].id
        prev = self.previous.get(pid)
        return MemberText(f"{self.title}: " + (f"post {pid} must keep {prev}" if prev
                                                else f"post {pid} must stay vacant"))

    def changes(self, view: PlanView) -> list[tuple[str, str | None, str | None]]:
        """(post, previous holder, new holder) of every changed post, in `previous` order."""
        holder = {view.post_id(p): view.cand_id(c) for p, c in view.assigned()}
        known = {p.id for p in view.scenario.posts}
        return [(pid, cid, holder.get(pid)) for pid, cid in self.previous.items()
                if pid in known and holder.get(pid) != cid]

    def check(self, view: PlanView) -> RuleVerdict:
        changed = self.changes(view)
        known = {p.id for p in view.scenario.posts}
        compared = sum(1 for pid in self.previous if pid in known)
        breaches = [f"post {pid}: {old or 'vacant'} -> {new or 'vacant'}" for pid, old, new in changed]
        return self.report(len(changed), {"posts_compared": compared, "changed": len(changed),
                                          "kept": compared - len(changed)}, breaches)
