"""`career_step`: moves go between posts of comparable grade, and a step up needs a plan.

Cadre rules move officers between posts of comparable level, and promote only officers in the
succession pool of the post (planned, "quy hoạch"). An officer *moved* onto a matching post
(assigned a post other than the current one; newcomers included), where the post and the
officer both have a grade, must have `-max_down <= post.grade - grade <= max_up`; with
`planned`, a post above the officer's grade must be in the officer's `planned_for`. Staying on
the current post always passes. One unit of violation per post, whichever condition fails.

A pair rule: hard, the breaching pairs never get a variable; soft, each costs `weight` (exact:
a post has one holder). In a horizon's expanded instance the later-period copies carry no grade
and pass here; :meth:`CareerStep.link` makes them exact. There grade_t is the grade of the last
graded post held before t, else the scenario's grade; a stay on a graded post gives its own
grade, a step of 0, so the breach rows need no "moved" term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field

from planner.check.verdict import RuleVerdict
from planner.rules.base import INF, PairRule
from planner.rules.wording import MemberText, few
from planner.schema import Candidate, Flag, Post

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable

NO_CANDS = np.zeros(0, dtype=np.int32)
GradeLits = dict[int, "int | None"]
"""An officer's possible grades in a period: grade -> a literal that is at least "the officer
holds this grade then", or None when the grade is certain (then it is the only key)."""


def _grades_words(n: int) -> str:
    return f"{n} grade" if n == 1 else f"{n} grades"


class CareerStep(PairRule):
    rule: Literal["career_step"] = "career_step"
    max_up: int = Field(1, ge=0)
    """A move may go at most this many grades up."""
    max_down: int = Field(0, ge=0)
    """... and at most this many grades down."""
    planned: Flag = True
    """A move to a post above the officer's grade needs the post in `planned_for`."""

    summary: ClassVar[str] = ("every officer moved onto a matching post steps at most `max_up` "
                              "grades up and `max_down` down, and up only to a post planned for")
    moves_only: ClassVar[bool] = True

    # -- the model ---------------------------------------------------------------------------
    def _grades(self, inst: Instance) -> np.ndarray:
        """Per candidate: its grade, -1 where none (dynamic copies: their grade follows from
        the plan)."""
        def compute() -> np.ndarray:
            return np.array([-1 if c.grade is None else c.grade for c in inst.candidates],
                            dtype=np.int64)
        return inst.memo((id(self), "grades"), self, compute)

    def _planned_for(self, inst: Instance) -> dict[int, np.ndarray]:
        """Post -> the candidates planned for it, sorted (ids that name no post of the
        instance, e.g. a post that does not exist in the copy's period, are skipped)."""
        def compute() -> dict[int, np.ndarray]:
            out: dict[int, list[int]] = {}
            for c, cand in enumerate(inst.candidates):
                for pid in cand.planned_for or ():
                    p = inst.post_index.get(pid)
                    if p is not None:
                        out.setdefault(p, []).append(c)
            return {p: np.array(sorted(set(cs)), dtype=np.int32) for p, cs in out.items()}
        return inst.memo((id(self), "planned_for"), self, compute)

    def _breach(self, post_grade: int, grade: np.ndarray, planned: np.ndarray) -> np.ndarray:
        """Model side: does a move from each `grade` onto a post of `post_grade` breach the
        rule (`planned`: is the officer planned for the post)?"""
        step = post_grade - grade
        bad = (step > self.max_up) | (-step > self.max_down)
        if self.planned:
            bad |= (step > 0) & ~planned
        return bad

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        post_grade = inst.posts[p].grade
        if post_grade is None or not self.matches(inst, p):
            return np.zeros(len(cands), dtype=bool)
        grade = self._grades(inst)[cands]
        known = (grade >= 0) & ~inst.dynamic[cands] & (inst.arrays.current_post[cands] != p)
        planned = np.isin(cands, self._planned_for(inst).get(p, NO_CANDS))
        return known & self._breach(post_grade, grade, planned)

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        """Soft, on large scenarios: the shortlist keeps the best pairs that keep the rule on
        every graded matching post (the pair scores do not carry the rule's weight). Hard,
        every pair left keeps it already."""
        if self.hard:
            return None
        starts, out = table.starts(inst.n_posts), np.zeros(len(table), dtype=bool)
        for p in range(inst.n_posts):
            lo, hi = starts[p], starts[p + 1]
            if hi > lo and self._graded(inst, p):
                out[lo:hi] = ~self.breaks(inst, p, table.cand[lo:hi])
        return out

    def link(self, mb: ModelBuilder) -> None:
        """Later periods: a pair (o, t, p) is a breach when taken while o's grade_t is one of
        the grades from which the move breaks. Only pairs on graded matching posts whose breach
        some history allows get terms (the possible grades: the scenario's and those of the
        graded posts o may hold before t)."""
        links, inst = mb.links, mb.inst
        assert links is not None
        planned, cache = self._planned_for(inst), {}
        for c in np.flatnonzero(inst.dynamic).tolist():
            o, t = links.officer(c)
            here = [int(v) for v in links.pairs(c)
                    if self._graded(inst, int(mb.pair_post[v]))]
            if not here:
                continue
            possible = self._possible(mb, o, t)
            for v in here:
                p = int(mb.pair_post[v])
                is_planned = np.array(c in planned.get(p, NO_CANDS))
                bad = possible[self._breach(inst.posts[p].grade, possible, is_planned)]
                if len(bad):
                    self._link_pair(mb, v, p, self._state(mb, cache, o, t), set(bad.tolist()))

    def _graded(self, inst: Instance, p: int) -> bool:
        return inst.posts[p].grade is not None and self.matches(inst, p)

    def _possible(self, mb: ModelBuilder, o: int, t: int) -> np.ndarray:
        """The grades officer o may hold in period t, whatever the plan before."""
        links = mb.links
        assert links is not None
        first = links.hz.base.candidates[o].grade
        held = links.earlier(o, t, lambda p: mb.inst.posts[p].grade is not None)
        grades = {mb.inst.posts[int(mb.pair_post[v])].grade for v in held}
        return np.array(sorted(grades | ({first} if first is not None else set())), dtype=np.int64)

    def _link_pair(self, mb: ModelBuilder, v: int, p: int, state: GradeLits, bad: set[int]) -> None:
        """Pair v (on post p) taken excludes every grade in `bad` of the officer's `state`
        (soft: a 0/1 penalty literal at least the breach). A certain bad grade is a plain
        exclusion or a pair cost."""
        lits = [state[g] for g in sorted(bad) if g in state]
        if not lits:
            return
        name, group = f"{self.title}:{v}", ("grade", p)
        if None in lits:  # the officer certainly holds a bad grade: the pair itself breaches
            if self.hard:
                mb.add_hard(self, [v], [1], 0, 0, name, group)
            else:
                mb.add_pair_coef(v, -self.cost)
            return
        if self.hard:
            mb.add_hard(self, [v, *lits], [1] * (1 + len(lits)), -INF, 1, name, group)
            return
        short = mb.new_var(0, 1, f"short:{name}")
        mb.add_linear([v, *lits, short], [1] * (1 + len(lits)) + [-1], -INF, 1, name)
        mb.add_penalty(short, self.cost, self.title)

    def _state(self, mb: ModelBuilder, cache: dict[tuple[int, int], GradeLits], o: int,
               t: int) -> GradeLits:
        """Officer o's grade in period t (built once per `link`, in `cache`): for every grade
        it may hold, a literal bounded from below by "holds it" — exact here, since the
        literals only appear where a larger value can only hurt (a breach row, a penalty)."""
        if (o, t) not in cache:
            cache[(o, t)] = self._state_now(mb, cache, o, t)
        return cache[(o, t)]

    def _state_now(self, mb: ModelBuilder, cache: dict[tuple[int, int], GradeLits], o: int,
                   t: int) -> GradeLits:
        links = mb.links
        assert links is not None
        if t == 0:
            first = links.hz.base.candidates[o].grade
            return {} if first is None else {first: None}
        before = self._state(mb, cache, o, t - 1)
        by_grade: dict[int, list[int]] = {}
        for v in links.pairs(links.copy(o, t - 1)).tolist():
            grade = mb.inst.posts[int(mb.pair_post[v])].grade
            if grade is not None:
                by_grade.setdefault(grade, []).append(int(v))
        if not by_grade:
            return before
        graded = [v for vs in by_grade.values() for v in vs]
        now: GradeLits = {}
        for g in dict.fromkeys([*before, *by_grade]):
            a = mb.new_var(0, 1, f"grade:{o}@{t}:{g}")
            now[g] = a
            if g in by_grade:  # held a post of grade g in t-1
                mb.add_linear([*by_grade[g], a], [1] * len(by_grade[g]) + [-1], -INF, 0)
            if g in before:  # held grade g in t-1 and no graded post then
                lit = before[g]
                if lit is None:
                    mb.add_linear([*graded, a], [-1] * (len(graded) + 1), -INF, -1)
                else:
                    mb.add_linear([lit, *graded, a], [1] + [-1] * (len(graded) + 1), -INF, 0)
        return now

    # -- the check ---------------------------------------------------------------------------
    def failures(self, cand: Candidate, post: Post) -> list[tuple[str, str]]:
        """Checker side: (kind, words) of each condition that a move of `cand` onto `post`
        fails — `up`, `down`, `unplanned` — or [] (a grade unknown: nothing fails)."""
        if post.grade is None or cand.grade is None:
            return []
        step, out = post.grade - cand.grade, []
        move = f"grade {cand.grade} to grade {post.grade}"
        if step > self.max_up:
            out.append(("up", f"{move} is a step of {step} up, above max_up {self.max_up}"))
        if -step > self.max_down:
            out.append(("down", f"{move} is a step of {-step} down, above max_down {self.max_down}"))
        if self.planned and step > 0 and post.id not in (cand.planned_for or ()):
            why = f"not planned for {post.id} (grade {post.grade}, above grade {cand.grade})"
            out.append(("unplanned", why))
        return out

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        cand = view.cand(c)
        if cand.current_post == view.post_id(p):
            return None
        return "; ".join(words for _, words in self.failures(cand, view.post(p))) or None

    def check(self, view: PlanView) -> RuleVerdict:
        moved, breaches = 0, []
        kinds = {"up": 0, "down": 0, "unplanned": 0}
        for p, c in view.assigned():
            if not self.checks(view, c, p):
                continue
            moved += 1
            fails = self.failures(view.cand(c), view.post(p))
            for kind, _ in fails:
                kinds[kind] += 1
            if fails:
                breaches.append(f"post {view.post_id(p)} holds {view.cand_id(c)}: "
                                + "; ".join(words for _, words in fails))
        figures = {"moved_checked": moved, "breaking_posts": len(breaches),
                   "over_max_up": kinds["up"], "over_max_down": kinds["down"],
                   "unplanned": kinds["unplanned"]}
        return self.report(len(breaches), figures, breaches)

    # -- words -------------------------------------------------------------------------------
    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        """Short: the plan first (`is not planned for P07-DIR`), then the step; long: the
        officer's grade and every condition that fails."""
        cand, post = view.cand(c), view.post(p)
        fails = dict(self.failures(cand, post))
        if not fails:
            return super().excluded_words(inst, view, c, p, short)
        if not short:
            return f"holds grade {cand.grade}: " + "; ".join(fails.values())
        if "unplanned" in fails:
            return f"is not planned for {post.id}"
        if "up" in fails:
            return f"is more than {_grades_words(self.max_up)} below post {post.id}"
        if self.max_down == 0:
            return f"holds a higher grade than post {post.id}"
        return f"is more than {_grades_words(self.max_down)} above post {post.id}"

    def _pool_words(self, inst: Instance, p: int) -> str:
        """Who is planned for post p in its period: `no officer planned for P07-DIR is
        available in 2031`, or the officers who are."""
        hz = inst.horizon
        base = hz.base.posts[hz.post_base[p]].id if hz is not None else inst.posts[p].id
        year = hz.years[hz.post_period[p]] if hz is not None else inst.scenario.term_start
        who = self._planned_for(inst).get(p, NO_CANDS).tolist()
        if not who:
            return f"no officer planned for {base} is available in {year}"
        names = few([inst.candidates[c].id for c in who], 5)
        return f"the officers planned for {base} in {year}: {names}"

    def _need_words(self, inst: Instance, p: int) -> str:
        """What the rule asks at post p, e.g. `an officer moved onto it must hold grade 3 to 4,
        and one below grade 4 must be planned for it`."""
        grade = inst.posts[p].grade
        assert grade is not None
        lo, hi = max(0, grade - self.max_up), grade + self.max_down
        span = f"grade {lo}" if lo == hi else f"grade {lo} to {hi}"
        text = (f"{self.title} at post {inst.posts[p].id} (grade {grade}): an officer moved onto "
                f"it must hold {span}")
        if self.planned and lo < grade:
            text += f", and one below grade {grade} must be planned for it"
        return text

    def whole_words(self, inst: Instance) -> str:
        """The rule with its own figures: `... at most 1 grade up and 0 grades down, and up
        only to a post the officer is planned for`."""
        text = (f"hard rule {self.title}: an officer moved onto a matching post steps at most "
                f"{_grades_words(self.max_up)} up and {_grades_words(self.max_down)} down")
        return text + (", and up only to a post the officer is planned for" if self.planned else "")

    def post_words(self, inst: Instance, p: int) -> MemberText | None:
        """Where nobody is planned for a graded post, that is the point; else the default
        (what the rule excludes at p, counted)."""
        nobody = not len(self._planned_for(inst).get(p, NO_CANDS))
        if not (self.planned and self._graded(inst, p) and nobody):
            return None
        return MemberText(f"{self._need_words(inst, p)}; {self._pool_words(inst, p)}")

    def guard_words(self, inst: Instance, group: tuple) -> str:
        """A horizon link's guard at post p of a later period (`("grade", p)`): the need, with
        the grade each officer holds by then following from the plan."""
        p = group[1]
        pool = f"; {self._pool_words(inst, p)}" if self.planned else ""
        return f"{self._need_words(inst, p)} (the grade held after the periods before){pool}"
