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
from benchmarks.peers.spec import _effective, build_model
from planner.check.checker import check_plan
from planner.rules.base import ShareRule, exact, shortfall
from planner.scenario import Policy, Scenario


def greedy(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
           workers: int = 1) -> PeerResult:
    """Greedy plan for `scenario`, checked; `time_limit` and `workers` are unused."""
    from planner.rules.kinship import Kinship
    from planner.rules.ministry_quota import MinistryQuota

    policy = _effective(scenario, policy)
    mb, prep = build_model(scenario, policy)
    tick = time.perf_counter()
    inst = mb.inst
    n_posts = inst.n_posts
    order = np.lexsort((-mb.coef, mb.pair_post))
    post_of = mb.pair_post[order]
    starts = np.searchsorted(post_of, np.arange(n_posts + 1))
    cands_of = [mb.pair_cand[order[starts[p]:starts[p + 1]]] for p in range(n_posts)]
    coefs_of = [mb.coef[order[starts[p]:starts[p + 1]]] for p in range(n_posts)]

    holder = np.full(n_posts, -1, dtype=np.int64)
    seat = np.full(inst.n_candidates, -1, dtype=np.int64)

    hard = [r for r in policy.rules if r.hard]
    shares = [r for r in hard if isinstance(r, ShareRule) and 0 < r.share < 1]
    share_group = [[r.group(inst, p) if r.subject(inst, p) else None for p in range(n_posts)]
                   for r in shares]
    share_count: list[dict[int, list[int]]] = [{} for _ in shares]
    good_cache: dict[tuple[int, int], np.ndarray] = {}

    def good(i: int, p: int) -> np.ndarray:
        if (i, p) not in good_cache:
            good_cache[(i, p)] = shares[i].good(inst, p, cands_of[p])
        return good_cache[(i, p)]

    kin_keys = []
    for r in hard:
        if isinstance(r, Kinship):
            kin_keys.append([inst.anc(u, r.scope) if inst.anc(u, r.scope) is not None else u
                             for u in inst.post_unit])
    relatives: dict[int, list[int]] = {}
    for rel in scenario.relations:
        a, b = inst.cand_index[rel.a], inst.cand_index[rel.b]
        relatives.setdefault(a, []).append(b)
        relatives.setdefault(b, []).append(a)

    def fits(p: int, j: int) -> bool:
        c = int(cands_of[p][j])
        if seat[c] >= 0 or holder[p] >= 0:
            return False
        for i, r in enumerate(shares):
            g = share_group[i][p]
            if g is None:
                continue
            k, n = share_count[i].get(g, (0, 0))
            s = r.share
            if s.denominator * (k + bool(good(i, p)[j])) < s.numerator * (n + 1):
                return False
        for keys in kin_keys:
            for other in relatives.get(c, ()):
                q = seat[other]
                if q >= 0 and keys[q] == keys[p]:
                    return False
        return True

    def place(p: int, j: int) -> None:
        c = int(cands_of[p][j])
        holder[p], seat[c] = c, p
        for i in range(len(shares)):
            g = share_group[i][p]
            if g is not None:
                k, n = share_count[i].get(g, (0, 0))
                share_count[i][g] = [k + bool(good(i, p)[j]), n + 1]

    def best(p: int, allowed=None, positive: bool = True) -> int | None:
        for j in range(len(cands_of[p])):
            if positive and coefs_of[p][j] <= 0:
                return None
            if (allowed is None or allowed[j]) and fits(p, j):
                return j
        return None

    priority = np.array([post.priority for post in inst.posts])
    by_priority = sorted(range(n_posts), key=lambda p: (-priority[p], p))

    # 1. fixed pairs
    for pin in scenario.fixed:
        p, c = inst.post_index[pin.post], inst.cand_index[pin.candidate]
        hit = np.flatnonzero(cands_of[p] == c)
        if len(hit) and holder[p] < 0 and seat[c] < 0:
            place(p, int(hit[0]))

    # 2. hard ministry quotas
    ministry = inst.arrays.ministry
    for r in hard:
        if not isinstance(r, MinistryQuota):
            continue
        groups = r.groups(inst)
        need = shortfall(0, len(groups), exact(r.min_share_of_units))
        k = r.min_per_unit

        def count(posts: list[int]) -> int:
            return sum(1 for p in posts if holder[p] >= 0 and ministry[holder[p]])

        complying = sum(1 for posts in groups.values() if count(posts) >= k)
        for posts in groups.values():
            if complying >= need:
                break
            if count(posts) >= k:
                continue
            for p in sorted(posts, key=lambda p: (-priority[p], p)):
                if holder[p] >= 0:
                    continue
                j = best(p, ministry[cands_of[p]], positive=False)
                if j is not None:
                    place(p, j)
                if count(posts) >= k:
                    complying += 1
                    break

    # 3. posts that must be filled, then 4. the rest
    required = set(mb.required)
    for p in by_priority:
        if p in required and holder[p] < 0:
            j = best(p, positive=False)
            if j is not None:
                place(p, j)
    for p in by_priority:
        if holder[p] < 0:
            j = best(p)
            if j is not None:
                place(p, j)
    work = time.perf_counter() - tick

    plan = {post.id: (inst.candidates[holder[p]].id if holder[p] >= 0 else None)
            for p, post in enumerate(inst.posts)}
    report = check_plan(scenario, plan, policy)
    note = "" if report.valid else f"{len(report.violations)} hard violations, e.g. {report.violations[0]}"
    return PeerResult("greedy", "feasible" if report.valid else "invalid", objective=report.objective,
                      plan=plan, prep_seconds=prep, build_seconds=0.0, solve_seconds=work,
                      first_plan_seconds=prep + work, valid=report.valid, note=note,
                      extra={"filled": int((holder >= 0).sum())})
