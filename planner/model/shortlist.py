"""Which pairs a large scenario is solved on: a shortlist that keeps the plan's likely moves.

With millions of eligible pairs, building and searching the full model takes minutes. Scores
are nearly separable (merit plus small move and distance terms), so no exact reduction bites
(reduced costs from the core's duals are <= 5 for most pairs). The shortlist is a heuristic:
the core plan's pairs, each post's best candidates, each candidate's best posts, and the same
again among the pairs that help each rule hold (`Rule.helps`: e.g. non-local pairs for
`non_local`, ministry-origin officers on quota posts). Taking the best per candidate, not only
per post, matters: every post ranks the same high-merit officers first. The
plan found on it is a valid plan; its optimality is judged only against the core's bound,
never against CP-SAT's bound on the shortlist.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.model.core import assignment_core
from planner.model.instance import Instance
from planner.model.pairs import PairTable
from planner.scenario import Policy


def top_k(group: np.ndarray, coef: np.ndarray, k: int, tiebreak: np.ndarray) -> np.ndarray:
    """Mask of the k best pairs (highest coef, then lowest `tiebreak`) within each group."""
    return group_rank(group, coef, tiebreak) < k


def group_rank(group: np.ndarray, coef: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Each pair's place (0 = best: highest coef, then lowest `tiebreak`) within its group.

    `tiebreak` holds distinct non-negative integers (each pair's rank among all the table's
    pairs, :func:`_closeness`); the three keys are folded into one int64 so that a single
    argsort does (a three-key lexsort with floats took 2 s per call at 3.7M pairs). The
    tiebreak's span is its largest value, not the number of pairs given: a rule's helpful
    pairs are a subset whose ranks run up to the whole table's size. (Sorting the folded keys
    and naming their pairs through the tiebreak was measured too: twice as slow on a national
    horizon's 34 million pairs, 7.4 s against 3.3 s, for the random gather it needs.)"""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    n = np.int64(int(tiebreak.max()) + 1)
    span = np.int64(int(coef.max() - coef.min()) + 1)
    if int(group.max() + 1) * int(span) * int(n) < 2**62:
        key = group.astype(np.int64) * (span * n) + (coef.max() - coef).astype(np.int64) * n \
            + tiebreak
        order = np.argsort(key, kind="stable")
    else:
        order = np.lexsort((tiebreak, -coef, group))
    sorted_group = group[order]
    first = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first
    return rank


def _closeness(inst: Instance, table: PairTable) -> np.ndarray:
    """Tie-break ranks for equal scores: distance from duty unit to post, then a fixed scramble.

    Scores within a province mostly tie (distance counts per 100 km), and breaking ties by
    list order would send every officer's shortlist to the same first posts."""
    coord = np.array([c if c is not None else (0.0, 0.0) for c in inst.coord], dtype=float)
    a = coord[inst.arrays.serves_at[table.cand]]
    b = coord[np.array(inst.post_unit)[table.post]]
    dist = np.hypot(a[:, 0] - b[:, 0], (a[:, 1] - b[:, 1]) * np.cos(np.radians(a[:, 0])))
    scramble = ((table.cand.astype(np.int64) * 2654435761 + table.post) % 1_000_003) / 1e9
    closeness = dist + scramble
    rank = np.empty(len(closeness), dtype=np.int64)
    rank[np.argsort(closeness, kind="stable")] = np.arange(len(closeness))
    return rank


def _matching_layers(inst: Instance, table: PairTable, idx: np.ndarray, layers: int) -> np.ndarray:
    """Pairs of `layers` successive max-weight matchings over the pairs `idx`.

    Rankings concentrate (every ministry officer's best posts are the same provinces near the
    ministry); a matching spreads distinct officers over distinct posts by construction."""
    out, left = [], idx
    for _ in range(layers):
        if len(left) == 0:
            break
        chosen = assignment_core(table.subset(left), inst.n_posts, inst.n_candidates).chosen
        out.append(left[chosen])
        left = np.delete(left, chosen)
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Shortlist:
    """Masks over the pair table."""

    keep: np.ndarray
    """The pairs to model."""
    seed: np.ndarray
    """The LP's first columns, a subset of `keep` (:func:`planner.model.lp.lp_bound`): the
    core plan, the best two pairs per post and the best per officer, and the best two helpful
    pairs per post of each rule."""


def shortlist(inst: Instance, policy: Policy, table: PairTable, core: np.ndarray,
              per_post: int = 5, per_cand: int = 3, per_rule: int = 4,
              layers: int = 2) -> Shortlist:
    """The pairs to model and the LP's first columns. Fixed pairs are always kept."""
    near = _closeness(inst, table)
    by_post, by_cand = group_rank(table.post, table.coef, near), group_rank(table.cand, table.coef, near)
    keep = (by_post < per_post) | (by_cand < per_cand)
    seed = (by_post < 2) | (by_cand < 1)
    keep[core] = seed[core] = True
    starts = table.starts(inst.n_posts)
    for rule in policy.rules:
        helps = rule.helps(inst, table)
        idx = np.flatnonzero(helps) if helps is not None else []
        if len(idx):
            rule_post = group_rank(table.post[idx], table.coef[idx], near[idx])
            sub = (rule_post < per_rule) | \
                top_k(table.cand[idx], table.coef[idx], per_rule, near[idx])
            keep[idx[sub]] = True
            seed[idx[rule_post < 2]] = True
            if len(idx) <= len(table) // 4:  # scarce helpers concentrate; plentiful ones do not
                keep[_matching_layers(inst, table, idx, layers)] = True
    for pin in inst.scenario.fixed:
        p, c = inst.post_index[pin.post], inst.cand_index[pin.candidate]
        keep[starts[p]:starts[p + 1]] |= table.cand[starts[p]:starts[p + 1]] == c
    return Shortlist(keep, seed)
