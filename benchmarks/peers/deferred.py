"""Deferred acceptance (Gale-Shapley, officer-proposing): the textbook fair assignment, as a
baseline for the careers rules (benchmarks/fairness.py).

Posts prefer higher `merit` (ties: the officer earlier in the scenario). Officers propose to
the posts they may take (the planner's eligible pairs: E1, `forbidden` and every hard pair rule
of the policy, e.g. `mobility`, `term_limit`, `career_step`), in this order:

1. the posts under their ranked `preferences`, unit by unit (a post under several preferred
   units counts at the first), within a unit by descending post `priority`, then scenario order;
2. with `fill` (the default), then their own current post, then every other post they may take,
   by the planner's pair score (merit, priority, move, distance, soft pair rules) descending —
   so that, like the planner, the baseline leaves few posts vacant.

The result is stable for those lists — no officer and post would both rather have each other —
and officer-optimal: every officer gets the best post of any stable assignment. Since the
contract's envy (docs/careers.md) is a blocking pair of these lists, a deferred-acceptance plan
has no envious pair except on posts a hard pair rule keeps the officer from (only E1 and
`forbidden` excuse envy). What it cannot express — shares (`non_local`, `continuity`), group
quotas (`ministry_quota`), `kinship` — the checker counts as shortfalls of the plan.

Why not the `matching` package: its hospital-resident solver needs both sides' full preference
lists as objects (a national scenario has millions of eligible pairs) and has no notion of the
planner's eligibility; the algorithm itself is the few lines of :func:`deferred_acceptance`.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

from benchmarks.peers.common import PeerResult
from benchmarks.peers.spec import build_model
from planner.check.checker import check_plan
from planner.check.tree import Tree
from planner.model.builder import ModelBuilder
from planner.scenario import Policy, Scenario, effective_policy

Priority = Callable[[int, int], float]
"""(post, officer) -> how much the post wants the officer: higher first."""


def deferred_acceptance(lists: Sequence[Sequence[int]], priority: Priority,
                        n_posts: int) -> list[int]:
    """Officer-proposing deferred acceptance, one officer per post.

    `lists[c]` is officer c's acceptable posts, most wanted first; `priority(p, c)` ranks the
    officers for post p (higher wins; equal: the lower index wins). Returns each post's officer,
    -1 where vacant."""
    holder = [-1] * n_posts
    nxt = [0] * len(lists)
    free = deque(range(len(lists)))
    while free:
        c = free.popleft()
        while nxt[c] < len(lists[c]):
            p = lists[c][nxt[c]]
            nxt[c] += 1
            h = holder[p]
            if h < 0 or _wins(priority, p, c, h):
                holder[p] = c
                if h >= 0:
                    free.append(h)
                break
    return holder


def blocking_pairs(lists: Sequence[Sequence[int]], priority: Priority,
                   holder: Sequence[int]) -> list[tuple[int, int]]:
    """The (officer, post) pairs that would both rather have each other than what `holder`
    gives them: the officer lists the post before its own, and the post is vacant or its holder
    ranks below the officer for it. None means stable."""
    own = {c: p for p, c in enumerate(holder) if c >= 0}
    out = []
    for c, wanted in enumerate(lists):
        for p in wanted:
            if own.get(c) == p:
                break
            if holder[p] < 0 or _wins(priority, p, c, holder[p]):
                out.append((c, p))
    return out


def _wins(priority: Priority, p: int, c: int, h: int) -> bool:
    """Does officer c rank above officer h for post p (ties: the lower index)?"""
    return (priority(p, c), -c) > (priority(p, h), -h)


def officer_lists(scenario: Scenario, mb: ModelBuilder, fill: bool = True) -> list[list[int]]:
    """Each officer's proposals, in the order of the module docstring, over its eligible posts."""
    inst = mb.inst
    eligible: list[dict[int, float]] = [{} for _ in range(inst.n_candidates)]
    for p, c, coef in zip(mb.pair_post.tolist(), mb.pair_cand.tolist(), mb.coef.tolist()):
        eligible[c][p] = coef
    tree = Tree(scenario.units)
    under: dict[str, list[int]] = {}
    for p, post in enumerate(inst.posts):
        for u in tree.up(post.unit):
            under.setdefault(u.id, []).append(p)
    for listed in under.values():
        listed.sort(key=lambda p: (-inst.posts[p].priority, p))
    post_index = {post.id: p for p, post in enumerate(inst.posts)}
    lists = []
    for c, cand in enumerate(inst.candidates):
        ok = eligible[c]
        ranked = [p for u in cand.preferences or () for p in under.get(u, ()) if p in ok]
        if fill:
            own = post_index.get(cand.current_post) if cand.current_post else None
            ranked += [own] if own in ok else []
            ranked += sorted(ok, key=lambda p: (-ok[p], p))
        lists.append(list(dict.fromkeys(ranked)))
    return lists


def deferred(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
             workers: int = 1, fill: bool = True) -> PeerResult:
    """Deferred acceptance on `scenario` (one period), checked by the independent checker;
    `time_limit` and `workers` are unused (it runs to the end, in well under a second per
    10,000 officers)."""
    if len(scenario.years) > 1:
        return PeerResult("deferred", "skipped", note="one period only")
    policy = effective_policy(scenario, policy)
    mb, prep = build_model(scenario, policy)
    tick = time.perf_counter()
    lists = officer_lists(scenario, mb, fill)
    inst = mb.inst
    merit = [c.merit for c in inst.candidates]
    holder = deferred_acceptance(lists, lambda p, c: merit[c], inst.n_posts)
    work = time.perf_counter() - tick
    plan = {post.id: (inst.candidates[h].id if h >= 0 else None)
            for post, h in zip(inst.posts, holder)}
    report = check_plan(scenario, plan, policy)
    note = "" if report.valid else \
        f"{len(report.violations)} hard violations, e.g. {report.violations[0]}"
    return PeerResult("deferred", "feasible" if report.valid else "invalid",
                      objective=report.objective, plan=plan, prep_seconds=prep,
                      solve_seconds=work, first_plan_seconds=prep + work, valid=report.valid,
                      note=note, extra={"filled": int(np.sum(np.array(holder) >= 0))})
