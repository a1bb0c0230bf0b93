"""Where does this officer fit? Placing one officer on one post, against a base plan.

`planner fit SCENARIO --candidate C` ranks the posts C could take, each with the change in
objective and the other moves it takes. Re-solving the whole scenario once per post would
take minutes; a *local re-plan* takes a fraction of a second:

* the base plan is kept, except around the placement: C is pinned on the post P; the posts P
  and C's own post Q may go to any candidate, and C and P's holder H may go to any post
  (so swaps, H into a vacancy, a newcomer into Q, and short chains are all found);
* that neighbourhood is modelled with CP-SAT, every rule of the policy included (it is the
  same model on a subset of the pairs), and solved to optimality in a few milliseconds; if no
  plan keeps every hard rule there, the neighbourhood grows to every post of the areas of P and
  Q (their province, or the top ministry unit) before the placement is declared blocked;
* the resulting plan is re-checked by the independent checker, whose objective gives the
  change. A full re-solve may find a better plan (the rest of the plan may also move), so the
  change is a lower bound on what the placement costs at best: exact for the local re-plan.

Posts are first ranked by a cheap estimate from the pair scores (C's score on P, minus what C
leaves on Q and what H loses on P, plus the best that H or a free officer can take on Q); the
best `top` of them are re-planned exactly. The same machinery prices "the next best candidate"
in `planner explain --post` and "why not elsewhere" in `planner explain --candidate`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from planner.check.checker import check_plan
from planner.check.tree import Tree
from planner.check.verdict import CheckReport
from planner.errors import InputError, Problem
from planner.explain.whatif import with_stay_close
from planner.explain.words import Words
from planner.model.builder import ModelBuilder
from planner.model.cpsat import new_solver
from planner.model.horizon import index
from planner.model.instance import Instance
from planner.model.pairs import pair_table
from planner.scenario import Policy, Scenario

CHANGE_FIRST = 1_000_000
"""Weight of each changed post in a wide local re-plan: fewest changes first."""


@dataclass
class Move:
    """One officer whose post changes against the base plan (None: no post)."""

    candidate: str
    before: str | None
    after: str | None

    def __str__(self) -> str:
        if self.before is None:
            return f"{self.candidate} takes {self.after}"
        if self.after is None:
            return f"{self.candidate} leaves {self.before} (no post)"
        return f"{self.candidate} moves {self.before} -> {self.after}"


@dataclass
class Placement:
    """Candidate on post, priced against the base plan by a local re-plan."""

    candidate: str
    post: str
    eligible: bool
    estimate: int | None = None
    """Cheap estimate of the change (pair scores only); None when ineligible."""
    delta: int | None = None
    """Change in objective of the best local re-plan with the placement; None if not priced
    or blocked."""
    objective: int | None = None
    moves: list[Move] = field(default_factory=list)
    """Every other officer who moves, and the posts left vacant or filled."""
    vacated: list[str] = field(default_factory=list)
    """Posts filled in the base plan and vacant after the re-plan."""
    why_not: list[str] = field(default_factory=list)
    """Why the placement is impossible or blocked, in domain words."""
    plan: dict[str, str | None] | None = None
    seconds: float = 0.0

    @property
    def blocked(self) -> bool:
        return self.eligible and self.delta is None and bool(self.why_not)

    def to_json(self) -> dict[str, Any]:
        return {"candidate": self.candidate, "post": self.post, "eligible": self.eligible,
                "estimate": self.estimate, "delta": self.delta, "objective": self.objective,
                "moves": [vars(m) for m in self.moves], "vacated": self.vacated,
                "why_not": self.why_not, "seconds": round(self.seconds, 3)}


class Replanner:
    """Local re-plans around a base plan: built once per scenario, policy and base plan."""

    def __init__(self, scenario: Scenario, policy: Policy, base: dict[str, str | None],
                 time_limit: float = 5.0):
        self.scenario, self.policy = scenario, policy
        self.inst: Instance = index(scenario)  # only the posts and officers of its period
        # a pin's other pairs kept: a move onto them is blocked, in the pin's own words
        self.table = pair_table(self.inst, policy, narrow_pins=False)
        self.time_limit = time_limit
        inst = self.inst
        self.base = {p.id: base.get(p.id) for p in scenario.posts
                     if p.exists_in(scenario.term_start)}
        self.base_check = check_plan(scenario, self.base, policy)
        if not self.base_check.valid:
            raise InputError([Problem("base plan", "is not a valid plan of this scenario and "
                                                   "policy: " + v) for v in self.base_check.violations[:5]])
        self.holder = np.full(inst.n_posts, -1, dtype=np.int64)
        self.post_of = np.full(inst.n_candidates, -1, dtype=np.int64)
        for pid, cid in self.base.items():
            if cid is not None and cid in inst.cand_index:
                p, c = inst.post_index[pid], inst.cand_index[cid]
                self.holder[p], self.post_of[c] = c, p
        self.starts = self.table.starts(inst.n_posts)
        in_base = self.holder[self.table.post] == self.table.cand
        self.base_pairs = in_base
        tree = Tree(inst.units)  # each unit's area by index: a failed re-plan grows to its areas
        self._area = [inst.unit_index[tree.area(u.id)] for u in inst.units]

    # -- helpers -----------------------------------------------------------------------------
    def pair(self, c: int, p: int) -> int | None:
        lo, hi = self.starts[p], self.starts[p + 1]
        hit = np.flatnonzero(self.table.cand[lo:hi] == c)
        return int(lo + hit[0]) if len(hit) else None

    @cached_property
    def words(self) -> Words:
        """Why a candidate may not take a post, in words (made when first asked)."""
        return Words(self.inst, self.policy)

    def why_ineligible(self, c: int, p: int) -> list[str]:
        return [f"{w.long} ({w.source})" for w in self.words.exclusions(c, p)] or \
            ["no pair: excluded before the model (unknown reason)"]

    def estimate(self, c: int, p: int) -> int | None:
        """Change in the pair-score part of the objective if c takes p, H and Q re-filled at best."""
        coef, table = self.table.coef, self.table
        i = self.pair(c, p)
        if i is None:
            return None
        q, h = int(self.post_of[c]), int(self.holder[p])
        if q == p:
            return 0
        gain = int(coef[i])
        if q >= 0:
            j = self.pair(c, q)
            gain -= int(coef[j]) if j is not None else 0
        if h >= 0:
            j = self.pair(h, p)
            gain -= int(coef[j]) if j is not None else 0
        if q >= 0:  # Q re-filled at best by H or by an officer without a post
            lo, hi = self.starts[q], self.starts[q + 1]
            cands = table.cand[lo:hi]
            ok = (self.post_of[cands] < 0) | (cands == h)
            ok &= cands != c
            if ok.any():
                gain += max(0, int(coef[lo:hi][ok].max()))
        return gain

    # -- the local re-plan -------------------------------------------------------------------
    def place(self, cid: str, pid: str) -> Placement:
        """The best local re-plan of the base plan with `cid` on `pid`."""
        t0 = time.perf_counter()
        inst = self.inst
        c, p = inst.cand_index[cid], inst.post_index[pid]
        out = Placement(cid, pid, eligible=self.pair(c, p) is not None)
        if not out.eligible:
            out.why_not = self.why_ineligible(c, p)
            out.seconds = time.perf_counter() - t0
            return out
        out.estimate = self.estimate(c, p)
        pinned = [f"post {f.post} is fixed to {f.candidate} (fixed pair)" for f in self.scenario.fixed
                  if f.post == pid and f.candidate != cid] + \
                 [f"{cid} is fixed to post {f.post} (fixed pair)" for f in self.scenario.fixed
                  if f.candidate == cid and f.post != pid]
        if pinned:
            out.why_not = pinned
            out.seconds = time.perf_counter() - t0
            return out
        if self.holder[p] == c:
            out.delta, out.objective, out.plan = 0, self.base_check.objective, dict(self.base)
            out.seconds = time.perf_counter() - t0
            return out
        q, h = int(self.post_of[c]), int(self.holder[p])
        posts = {p} | ({q} if q >= 0 else set())
        cands = {c} | ({h} if h >= 0 else set())
        result = self._solve(c, p, posts, cands)
        if result is None:  # the groups of P and Q under group rules (quota, shares) too
            grouped = posts | self.group_posts(p) | (self.group_posts(q) if q >= 0 else set())
            if grouped != posts:
                result = self._solve(c, p, grouped, cands, few_changes=True)
        if result is None:  # grow to every post of the areas of P and Q
            areas = {self._area[inst.post_unit[x]] for x in posts}
            wider = {x for x in range(inst.n_posts) if self._area[inst.post_unit[x]] in areas}
            result = self._solve(c, p, wider, cands, few_changes=True)
        if result is None:
            areas = ", ".join(sorted({inst.units[self._area[inst.post_unit[x]]].id for x in posts}))
            naive = dict(self.base)
            for post_id, holder in self.base.items():
                if holder == cid:
                    naive[post_id] = None
            naive[pid] = cid
            broken = check_plan(self.scenario, naive, self.policy).violations
            out.why_not = ([f"moving {cid} there breaks {'; '.join(broken[:3])}"] if broken else []) + \
                [f"no re-plan of {areas} repairs it; `planner solve --fix {pid}={cid}` tries "
                 "a full re-solve"]
            out.seconds = time.perf_counter() - t0
            return out
        plan, report = result
        out.plan, out.objective = plan, report.objective
        out.delta = report.objective - self.base_check.objective
        out.moves, out.vacated = self.changes(plan, skip=cid)
        out.seconds = time.perf_counter() - t0
        return out

    def open_posts(self, c: int) -> list[int]:
        """Posts candidate c may take (its pairs), in post order."""
        return [int(p) for p in self.table.post[self.table.cand == c]]

    def closed(self, c: int) -> dict[str, int]:
        """Posts closed to candidate c, counted by the first reason, most common first."""
        opened = set(self.open_posts(c))
        out: dict[str, int] = {}
        for p in range(self.inst.n_posts):
            if p in opened:
                continue
            why = self.words.exclusions(c, p, first=True)
            key = ("excluded" if not why else why[0].key
                   if not why[0].key.startswith(("min_", "max_")) else f"{why[0].key} ({why[0].short})")
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    def group_posts(self, p: int, limit: int = 40) -> set[int]:
        """Posts that share a group with p under a hard group rule: the same province's quota
        posts, the same `per` group of a share rule (groups of at most `limit` posts)."""
        inst, out = self.inst, set()
        for rule in self.policy.rules:
            groups = rule.post_groups(inst) if rule.hard and not rule.filters_pairs else None
            for ps in (groups or {}).values():
                if p in ps and len(ps) <= limit:
                    out.update(ps)
        return out

    def changes(self, plan: dict[str, str | None], skip: str | None = None) -> tuple[list[Move], list[str]]:
        """Officers who move between the base plan and `plan` (but `skip`), and posts vacated."""
        before = {c: p for p, c in self.base.items() if c is not None}
        after = {c: p for p, c in plan.items() if c is not None}
        moves = [Move(c, before.get(c), after.get(c)) for c in sorted(set(before) | set(after),
                 key=lambda x: self.inst.cand_index.get(x, -1))
                 if before.get(c) != after.get(c) and c != skip]
        vacated = [p for p, c in plan.items() if c is None and self.base.get(p) is not None]
        return moves, vacated

    def _solve(self, c: int, p: int, posts: set[int], cands: set[int],
               few_changes: bool = False) -> tuple[dict[str, str | None], CheckReport] | None:
        """Best plan that keeps the base plan outside `posts` and `cands`, with c on p.

        `few_changes` (the wide neighbourhood): the fewest posts changed first, the objective
        second (a stay_close term of weight CHANGE_FIRST), so that the re-plan repairs what the
        placement breaks rather than re-optimising a whole province; the change in objective is
        still the checker's, under the scenario's own policy."""
        table = self.table
        keep = self.base_pairs | np.isin(table.post, list(posts)) | np.isin(table.cand, list(cands))
        sub = table.subset(keep)
        policy = self.policy
        if few_changes:
            ids = {self.inst.posts[x].id for x in posts}
            policy = with_stay_close(policy, {k: v for k, v in self.base.items() if k in ids},
                                     CHANGE_FIRST, label="(few changes)")
        mb = ModelBuilder(self.inst, policy, table=sub).build()
        starts = sub.starts(self.inst.n_posts)
        lo, hi = starts[p], starts[p + 1]
        at = np.flatnonzero(sub.cand[lo:hi] == c)
        if not len(at):
            return None
        var = int(lo + at[0])
        dom = mb.model.proto.variables[var].domain
        dom.clear()
        dom.extend([1, 1])
        start = dict(self.base)
        for pid, cid in self.base.items():  # the hint: the base plan with c moved onto p
            if cid == self.inst.candidates[c].id:
                start[pid] = None
        start[self.inst.posts[p].id] = self.inst.candidates[c].id
        mb.hint(start)
        solver = new_solver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = self.time_limit
        code = solver.solve(mb.model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        plan = mb.plan_from(solver.response_proto.solution)
        report = check_plan(self.scenario, plan, self.policy)
        if not report.valid:  # not expected: the model keeps every hard rule
            return None
        return plan, report


@dataclass
class Fit:
    """Where one officer could go, ranked."""

    candidate: str
    base_objective: int
    base_post: str | None
    placements: list[Placement]
    """Priced placements, best first."""
    not_priced: list[Placement]
    """Eligible posts left unpriced (beyond `top`), best estimate first."""
    closed: dict[str, int]
    """Posts closed to the officer, counted by the first reason."""
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {"candidate": self.candidate, "base_objective": self.base_objective,
                "base_post": self.base_post, "placements": [x.to_json() for x in self.placements],
                "not_priced": [{"post": x.post, "estimate": x.estimate} for x in self.not_priced],
                "closed": self.closed, "seconds": round(self.seconds, 3)}


def fit(replanner: Replanner, cid: str, top: int = 10) -> Fit:
    """Rank the posts `cid` could take: the `top` best by estimate are re-planned and priced."""
    t0 = time.perf_counter()
    rp, inst = replanner, replanner.inst
    c = inst.cand_index[cid]
    open_posts = rp.open_posts(c)
    closed = rp.closed(c)
    q = int(rp.post_of[c])
    options = [Placement(cid, inst.posts[p].id, True, estimate=rp.estimate(c, p))
               for p in open_posts if p != q]
    options.sort(key=lambda x: (-(x.estimate or 0), inst.post_index[x.post]))
    priced = [rp.place(cid, x.post) for x in options[:top]]
    priced.sort(key=lambda x: (x.delta is None, -(x.delta if x.delta is not None else 0),
                               inst.post_index[x.post]))
    return Fit(cid, rp.base_check.objective, inst.posts[q].id if q >= 0 else None, priced,
               options[top:], closed, time.perf_counter() - t0)
