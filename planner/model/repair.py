"""A first plan that keeps the side rules, from the assignment core and rule-driven nudges.

The core plan (a max-weight matching) ignores shares, quotas and kinship. Each hard rule that
is broken by the current plan names pairs to favour (e.g. non-local pairs of a group short of
its share, ministry-origin officers on the posts of a province without one) or to disfavour
(one of two relatives in one province), through `Rule.nudge`. Their coefficients move by a step
that doubles every round (up to a cap), and the matching is solved again, until no rule is
broken or the rounds or the time budget run out. The accumulated push then shrinks by
bisection to the least that still keeps every rule, since overshooting a share costs moves. This is a Lagrangian-style heuristic: it only chooses a starting plan for
CP-SAT, which the independent checker then judges; bounds never come from here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from planner.model.core import assignment_core
from planner.model.instance import Instance
from planner.model.pairs import PairTable
from planner.scenario import Policy


@dataclass
class Repaired:
    chosen: np.ndarray
    """Table indices of the plan's pairs."""
    rounds: int
    broken: list[str]
    """Titles of hard rules still broken after the last round (empty: none)."""
    seconds: float


def holders(table: PairTable, chosen: np.ndarray, n_posts: int) -> np.ndarray:
    """Per post: the table index of its pair in the plan, or -1 for vacant."""
    out = np.full(n_posts, -1, dtype=np.int64)
    out[table.post[chosen]] = chosen
    return out


def repair(inst: Instance, policy: Policy, table: PairTable, chosen: np.ndarray,
           rounds: int = 30, base_step: int = 4, budget: float = 20.0) -> Repaired:
    start = time.perf_counter()
    rules = [r for r in policy.rules if r.hard and not r.filters_pairs]
    shift = np.zeros(len(table), dtype=np.int64)
    broken: list[str] = []
    done = 0
    for done in range(rounds + 1):
        step = base_step * 2 ** min(done, 10)  # doubling, then steady
        broken = _broken(inst, rules, table, chosen, shift, step)
        if not broken or done == rounds or time.perf_counter() - start > budget:
            break
        chosen = _match(inst, table, shift)
    if not broken and shift.any():
        chosen = _shrink(inst, rules, table, chosen, shift, start, budget)
    return Repaired(chosen, done, broken, time.perf_counter() - start)


def _broken(inst: Instance, rules: list, table: PairTable, chosen: np.ndarray,
            shift: np.ndarray | None = None, step: int = 0) -> list[str]:
    """Titles of the rules the plan breaks; with `shift`, add each rule's nudge to it."""
    plan = holders(table, chosen, inst.n_posts)
    broken = []
    for rule in rules:
        push = rule.nudge(inst, table, plan)
        if push is None:
            continue
        broken.append(rule.title)
        if shift is not None:
            favour, disfavour = push
            np.add.at(shift, favour, step)
            np.add.at(shift, disfavour, -step)
    return broken


def _match(inst: Instance, table: PairTable, shift: np.ndarray) -> np.ndarray:
    shifted = PairTable(table.post, table.cand, table.coef + shift, table.constant)
    return assignment_core(shifted, inst.n_posts, inst.n_candidates).chosen


def _shrink(inst: Instance, rules: list, table: PairTable, chosen: np.ndarray,
            shift: np.ndarray, start: float, budget: float, steps: int = 6) -> np.ndarray:
    """Bisect a scale on the accumulated nudges: the smallest that still keeps every rule.

    Nudges overshoot (a share of 90% met at 99.9%, paid for in moves); a plan matched with
    less push usually keeps the rules at a lower cost. The best such plan by score is kept."""
    best, best_score = chosen, int(table.coef[chosen].sum())
    lo, hi = 0.0, 1.0
    for _ in range(steps):
        if time.perf_counter() - start > budget:
            break
        mid = (lo + hi) / 2
        trial = _match(inst, table, np.round(shift * mid).astype(np.int64))
        if _broken(inst, rules, table, trial):
            lo = mid
        else:
            hi = mid
            score = int(table.coef[trial].sum())
            if score > best_score:
                best, best_score = trial, score
    return best
