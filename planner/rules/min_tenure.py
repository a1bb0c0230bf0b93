"""`min_tenure`: an officer who took a matching current post less than `years` ago keeps it.

The rule binds an officer, not a post: one whose `current_post` exists in the period, matches
the filters (as for `term_limit`, the filters read the *current* post) and whose `since` is
known with `year - since < years`. Hard, that officer's stay pair must be taken (no stay pair,
the model is infeasible, which the explanations word at the post). Soft, each bound officer not
kept costs `weight`: a constant -weight per bound officer and +weight on the stay pair, exact
because an officer holds at most one post. In a horizon's expanded instance only the period-1
copies bind here; later copies' state follows from the plan (the horizon links).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import scipy.sparse as sp
from pydantic import Field

from planner.check.verdict import RuleVerdict
from planner.rules.base import INF, PostFilter
from planner.rules.rows import Rows, rows_of
from planner.rules.wording import MemberText, years_words
from planner.schema import Candidate

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


class MinTenure(PostFilter):
    rule: Literal["min_tenure"] = "min_tenure"
    years: int = Field(ge=1)
    """Officers who took their current post less than this many years before keep it (required)."""

    summary: ClassVar[str] = ("an officer who took a matching current post less than `years` "
                              "before the period keeps it")

    # -- which officers the rule binds ------------------------------------------------------
    def bound(self, inst: Instance) -> list[tuple[int, int]]:
        """(candidate, its current post) of every officer the rule binds statically.

        Dynamic copies (later periods of a horizon) never bind here: their current post and
        `since` follow from the plan. A current post that does not exist in the officer's period
        binds no one: there is nothing to keep. Computed once per instance."""
        def compute() -> list[tuple[int, int]]:
            now = inst.arrays.current_post
            out = []
            for c in np.flatnonzero(~inst.dynamic & (now >= 0)):
                p, since, year = int(now[c]), inst.candidates[c].since, inst.year[c]
                if (since is not None and year - since < self.years
                        and inst.posts[p].exists_in(year) and self.matches(inst, p)):
                    out.append((int(c), p))
            return out
        return inst.memo((id(self), "bound"), self, compute)

    def _stay_post(self, inst: Instance) -> np.ndarray:
        """Per candidate: the post it must keep, or -1."""
        out = np.full(inst.n_candidates, -1, dtype=np.int64)
        for c, p in self.bound(inst):
            out[c] = p
        return out

    def _stay_pairs(self, inst: Instance, table: PairTable) -> list[np.ndarray]:
        """Per bound officer (in :meth:`bound` order): its stay pair's table index, if any."""
        starts = table.starts(inst.n_posts)
        return [starts[p] + np.flatnonzero(table.cand[starts[p]:starts[p + 1]] == c)
                for c, p in self.bound(inst)]

    # -- the model ---------------------------------------------------------------------------
    def build(self, mb: ModelBuilder) -> None:
        inst = mb.inst
        for c, p in self.bound(inst):
            pairs, cands = mb.post_pairs(p)
            stay = pairs[cands == c]
            if self.hard:
                mb.add_hard(self, stay, np.ones(len(stay), np.int64), 1, 1,
                            f"{self.title}@{inst.candidates[c].id}", ("post", p))
            else:  # -weight unless kept: a constant, and the weight back on the stay pair
                mb.add_constant(-self.cost)
                mb.add_pair_coef(stay, self.cost)

    def link(self, mb: ModelBuilder) -> None:
        """Later periods: officer o holds post q in t-1 (its current post in t) on a run that
        started in period s; `since` is the year of s, or the scenario's own `since` when the
        run goes back to the scenario's current post. Where that is less than `years` before
        y_t, "the run on q starts exactly at s" (held in s..t-1, not in s-1) forces the stay."""
        links, inst = mb.links, mb.inst
        assert links is not None
        for c in np.flatnonzero(inst.dynamic).tolist():
            o, t = links.officer(c)
            for v in links.pairs(links.copy(o, t - 1)).tolist():
                q = links.base_post(v)
                here = links.hz.post_copy.get((t, q))
                if here is not None and self.matches(inst, here):
                    self._runs(mb, o, t, q)

    def _runs(self, mb: ModelBuilder, o: int, t: int, q: int) -> None:
        links = mb.links
        assert links is not None
        years, first = links.hz.years, links.hz.base.candidates[o]
        run: list[int] = []
        for s in range(t - 1, -1, -1):
            v = links.held(o, s, q)
            if v is None:
                return
            run.append(v)
            before = links.held(o, s - 1, q)
            since = years[s]
            if s == 0 and first.current_post == links.hz.base.posts[q].id:
                since = first.since  # the run goes on from the scenario's current post
            if since is None or years[t] - since >= self.years:
                continue
            stay = links.held(o, t, q)
            variables = run + ([before] if before is not None else []) + ([stay] if stay is not None else [])
            coefs = [1] * len(run) + ([-1] if before is not None else []) + ([-1] if stay is not None else [])
            name = f"{self.title}:{o}@{t}"
            if self.hard:
                mb.add_hard(self, variables, coefs, -INF, len(run) - 1, name)
            else:
                short = mb.new_var(0, 1, f"short:{name}")
                mb.add_linear([*variables, short], [*coefs, -1], -INF, len(run) - 1, name)
                mb.add_penalty(short, self.cost, self.title)

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """Each bound officer's stay pair is taken (soft: or a 0/1 auxiliary worth -weight).
        An officer without a stay pair in `table` gets no row: looser, still valid."""
        idx = [i for i in self._stay_pairs(inst, table) if len(i)]
        if not idx:
            return None
        matrix = rows_of(idx, [np.ones(len(i), np.int64) for i in idx], len(table))
        lo = np.ones(len(idx), np.int64)
        if self.hard:
            return Rows(matrix, lo)
        return Rows(matrix, lo, sp.identity(len(idx), dtype=np.int64, format="csr"),
                    np.full(len(idx), -self.cost, np.int64), np.ones(len(idx), np.int64))

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        """The shortlist keeps every bound officer's stay pair."""
        return self._stay_post(inst)[table.cand] == table.post

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """None when every bound officer keeps the post, else favour the stay pairs of those
        who do not."""
        held = set(plan[plan >= 0].tolist())
        stays = self._stay_pairs(inst, table)
        if all(len(i) and int(i[0]) in held for i in stays):
            return None
        favour = [int(i[0]) for i in stays if len(i) and int(i[0]) not in held]
        return np.array(favour, dtype=np.int64), np.zeros(0, dtype=np.int64)

    # -- the check ---------------------------------------------------------------------------
    def binds(self, view: PlanView, cand: Candidate) -> bool:
        """Checker side: does the rule bind this officer in the view's period?"""
        if cand.current_post is None or cand.since is None or not view.has_post(cand.current_post):
            return False
        if not cand.available_in(view.term_start) or view.term_start - cand.since >= self.years:
            return False
        now = view.post_by_id(cand.current_post)
        return ((self.roles is None or now.role in self.roles)
                and (self.unit_kind is None or view.tree.kind(now.unit) == self.unit_kind))

    def check(self, view: PlanView) -> RuleVerdict:
        held = {c: view.post_id(p) for p, c in view.assigned()}
        bound, breaches = 0, []
        for c, cand in enumerate(view.scenario.candidates):
            if not self.binds(view, cand):
                continue
            bound += 1
            there = held.get(c)
            if there != cand.current_post:
                where = f"moved to {there}" if there else "left without a post"
                breaches.append(f"{cand.id} took {cand.current_post} in {cand.since}, less than "
                                f"{years_words(self.years)} before {view.term_start}, but is {where}")
        return self.report(len(breaches), {"bound_officers": bound, "kept": bound - len(breaches)},
                           breaches)

    # -- words -------------------------------------------------------------------------------
    def post_words(self, inst: Instance, p: int) -> MemberText | None:
        """The guard at a bound officer's current post: that officer must stay."""
        who = [inst.candidates[c] for c, q in self.bound(inst) if q == p]
        if not who:
            return None
        names = " and ".join(f"{c.id} (took it in {c.since})" for c in who)
        return MemberText(f"{self.title}: {names} must stay on post {inst.posts[p].id}, taken "
                          f"less than {years_words(self.years)} before",
                          f"must keep its holder of less than {years_words(self.years)}")
