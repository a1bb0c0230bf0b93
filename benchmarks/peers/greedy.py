"""A greedy heuristic: posts by descending priority, each the best remaining candidate.

It works on the planner's eligible pairs and pair coefficients (so E1, E2's `forbidden`, hard
pair rules and soft pair rules are already in), and keeps the other hard rules satisfiable in
a simple sense, in this order:

1. `fixed` pairs are placed first;
2. hard `ministry_quota`: group by group, ministry-origin officers are placed on the group's
   posts (best first) until enough groups comply;
3. posts a hard rule requires filled (`fill`, `difficult_areas`), by descending priority;
4. every other post, by descending priority (then scenario order), if its best candidate is
   worth more than the vacancy.

A candidate is taken only if the plan so far still meets every hard share rule (`non_local`,
`gender_balance`, `young_cadres` with 0 < min_share < 1) in every group — a prefix that meets
a share keeps meeting it, so the final plan does too — and has no relative placed under the
same `kinship` key. Soft rules are ignored (the checker charges them). The plan is verified
with :func:`planner.check.checker.check_plan`: nothing guarantees it is valid (e.g. a quota group may
find no free ministry officer), and the result says so.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.peers.common import PeerResult
from benchmarks.peers.spec import build_model
from planner.check.checker import check_plan
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.rules.base import Rule, ShareRule, exact, shortfall
from planner.rules.kinship import Kinship
from planner.rules.ministry_quota import MinistryQuota
from planner.scenario import Policy, Scenario, effective_policy


def greedy(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
           workers: int = 1) -> PeerResult:
    """Greedy plan for `scenario`, checked; `time_limit` and `workers` are unused."""
    policy = effective_policy(scenario, policy)
    mb, prep = build_model(scenario, policy)
    tick = time.perf_counter()
    plan = _GreedyPlan(mb, scenario, [r for r in policy.rules if r.hard])
    plan.place_fixed(scenario)
    for rule in plan.hard:
        if isinstance(rule, MinistryQuota):
            plan.meet_ministry_quota(rule)
    required = set(mb.required)
    plan.fill([p for p in plan.by_priority if p in required], positive=False)
    plan.fill(plan.by_priority, positive=True)
    work = time.perf_counter() - tick
    return _checked(scenario, policy, plan, prep, work)


def _checked(scenario: Scenario, policy: Policy, plan: _GreedyPlan, prep: float,
             work: float) -> PeerResult:
    """The greedy plan as a :class:`PeerResult`, with the independent checker's verdict: the
    heuristic guarantees no hard rule, so its objective and validity are the checker's."""
    inst, holder = plan.inst, plan.holder
    assignment = {post.id: (inst.candidates[holder[p]].id if holder[p] >= 0 else None)
                  for p, post in enumerate(inst.posts)}
    report = check_plan(scenario, assignment, policy)
    note = "" if report.valid else f"{len(report.violations)} hard violations, e.g. {report.violations[0]}"
    return PeerResult("greedy", "feasible" if report.valid else "invalid", objective=report.objective,
                      plan=assignment, prep_seconds=prep, build_seconds=0.0, solve_seconds=work,
                      first_plan_seconds=prep + work, valid=report.valid, note=note,
                      extra={"filled": int((holder >= 0).sum())})


class _GreedyPlan:
    """The plan being built: who holds each post, and the counts that keep the hard share and
    kinship rules met as candidates are placed one by one."""

    def __init__(self, mb: ModelBuilder, scenario: Scenario, hard: list[Rule]):
        inst = self.inst = mb.inst
        n_posts = inst.n_posts
        self.hard = hard
        self.cands_of, self.coefs_of = _candidates_by_post(mb)
        """Per post, its eligible candidates and their pair coefficients, best first."""
        self.holder = np.full(n_posts, -1, dtype=np.int64)
        self.seat = np.full(inst.n_candidates, -1, dtype=np.int64)
        self.shares = [r for r in hard if isinstance(r, ShareRule) and 0 < r.share < 1]
        self.share_group = [[r.group(inst, p) if r.subject(inst, p) else None for p in range(n_posts)]
                            for r in self.shares]
        self.share_count: list[dict[int, list[int]]] = [{} for _ in self.shares]
        """Per share rule and group: [candidates who count towards the share, posts filled]."""
        self._good: dict[tuple[int, int], np.ndarray] = {}
        self.kin_keys = _kinship_keys(inst, hard)
        self.relatives = _relatives(scenario, inst)
        self.priority = np.array([post.priority for post in inst.posts])
        self.by_priority = sorted(range(n_posts), key=lambda p: (-self.priority[p], p))

    def good(self, i: int, p: int) -> np.ndarray:
        """Which of post `p`'s candidates count towards share rule `i` (cached)."""
        if (i, p) not in self._good:
            self._good[(i, p)] = self.shares[i].good(self.inst, p, self.cands_of[p])
        return self._good[(i, p)]

    def fits(self, p: int, j: int) -> bool:
        """Whether post `p`'s `j`-th candidate can take it: both free, every share still met
        in p's groups, and no relative placed under the same kinship key."""
        c = int(self.cands_of[p][j])
        if self.seat[c] >= 0 or self.holder[p] >= 0:
            return False
        for i, r in enumerate(self.shares):
            g = self.share_group[i][p]
            if g is None:
                continue
            k, n = self.share_count[i].get(g, (0, 0))
            s = r.share
            if s.denominator * (k + bool(self.good(i, p)[j])) < s.numerator * (n + 1):
                return False
        for keys in self.kin_keys:
            for other in self.relatives.get(c, ()):
                q = self.seat[other]
                if q >= 0 and keys[q] == keys[p]:
                    return False
        return True

    def place(self, p: int, j: int) -> None:
        """Give post `p` to its `j`-th candidate and count it in p's share groups."""
        c = int(self.cands_of[p][j])
        self.holder[p], self.seat[c] = c, p
        for i in range(len(self.shares)):
            g = self.share_group[i][p]
            if g is not None:
                k, n = self.share_count[i].get(g, (0, 0))
                self.share_count[i][g] = [k + bool(self.good(i, p)[j]), n + 1]

    def best(self, p: int, allowed: np.ndarray | None = None, positive: bool = True) -> int | None:
        """Post `p`'s best candidate (index) that `fits` and is `allowed`; with `positive`,
        only one worth more than the vacancy."""
        for j in range(len(self.cands_of[p])):
            if positive and self.coefs_of[p][j] <= 0:
                return None
            if (allowed is None or allowed[j]) and self.fits(p, j):
                return j
        return None

    def place_fixed(self, scenario: Scenario) -> None:
        """Step 1: the scenario's fixed pairs, where eligible and both still free."""
        inst = self.inst
        for pin in scenario.fixed:
            p, c = inst.post_index[pin.post], inst.cand_index[pin.candidate]
            hit = np.flatnonzero(self.cands_of[p] == c)
            if len(hit) and self.holder[p] < 0 and self.seat[c] < 0:
                self.place(p, int(hit[0]))

    def meet_ministry_quota(self, rule: MinistryQuota) -> None:
        """Step 2: ministry-origin officers on a quota's groups, group by group (each group's
        posts by descending priority), until enough groups comply."""
        ministry = self.inst.arrays.ministry
        groups = rule.groups(self.inst)
        need = shortfall(0, len(groups), exact(rule.min_share_of_units))
        k = rule.min_per_unit

        def count(posts: list[int]) -> int:
            return sum(1 for p in posts if self.holder[p] >= 0 and ministry[self.holder[p]])

        complying = sum(1 for posts in groups.values() if count(posts) >= k)
        for posts in groups.values():
            if complying >= need:
                break
            if count(posts) >= k:
                continue
            for p in sorted(posts, key=lambda p: (-self.priority[p], p)):
                if self.holder[p] >= 0:
                    continue
                j = self.best(p, ministry[self.cands_of[p]], positive=False)
                if j is not None:
                    self.place(p, j)
                if count(posts) >= k:
                    complying += 1
                    break

    def fill(self, posts: list[int], positive: bool) -> None:
        """Steps 3 and 4: each of `posts` still vacant, in order, to its best candidate."""
        for p in posts:
            if self.holder[p] < 0:
                j = self.best(p, positive=positive)
                if j is not None:
                    self.place(p, j)


def _candidates_by_post(mb: ModelBuilder) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per post, its eligible candidates and their pair coefficients, by descending coefficient."""
    n_posts = mb.inst.n_posts
    order = np.lexsort((-mb.coef, mb.pair_post))
    post_of = mb.pair_post[order]
    starts = np.searchsorted(post_of, np.arange(n_posts + 1))
    cands_of = [mb.pair_cand[order[starts[p]:starts[p + 1]]] for p in range(n_posts)]
    coefs_of = [mb.coef[order[starts[p]:starts[p + 1]]] for p in range(n_posts)]
    return cands_of, coefs_of


def _kinship_keys(inst: Instance, hard: list[Rule]) -> list[list[int]]:
    """Per hard kinship rule, each post's key: the unit at the rule's scope above it (the
    post's own unit where there is none); two relatives may not share a key."""
    keys = []
    for r in hard:
        if isinstance(r, Kinship):
            keys.append([inst.anc(u, r.scope) if inst.anc(u, r.scope) is not None else u
                         for u in inst.post_unit])
    return keys


def _relatives(scenario: Scenario, inst: Instance) -> dict[int, list[int]]:
    """Candidate index -> the indices of its relatives (both ways)."""
    relatives: dict[int, list[int]] = {}
    for rel in scenario.relations:
        a, b = inst.cand_index[rel.a], inst.cand_index[rel.b]
        relatives.setdefault(a, []).append(b)
        relatives.setdefault(b, []).append(a)
    return relatives
