"""The deferred-acceptance baseline: stable, officer-optimal, over the planner's eligibility."""

from __future__ import annotations

import itertools
import random

import pytest
from builders import cand, pin, post, scenario, unit

from benchmarks.peers.deferred import blocking_pairs, deferred, deferred_acceptance
from planner.check.envy import envious_pairs
from planner.check.view import PlanView

# Gale and Shapley's (1962) example: three officers, three posts, opposed preferences.
TEXTBOOK_LISTS = [[0, 1, 2], [1, 2, 0], [2, 0, 1]]
TEXTBOOK_RANKS = [[2, 0, 1], [1, 2, 0], [0, 1, 2]]
"""TEXTBOOK_RANKS[p][c]: post p's ranking of officer c (0 = best): post 0 wants 1 > 2 > 0."""


def textbook(p: int, c: int) -> float:
    return -TEXTBOOK_RANKS[p][c]


def all_matchings(lists, n_posts):
    """Every assignment of officers to acceptable posts (or none), one officer per post."""
    options = [[-1, *ps] for ps in lists]
    for choice in itertools.product(*options):
        used = [p for p in choice if p >= 0]
        if len(used) == len(set(used)):
            holder = [-1] * n_posts
            for c, p in enumerate(choice):
                if p >= 0:
                    holder[p] = c
            yield holder


def test_textbook_officer_optimal():
    holder = deferred_acceptance(TEXTBOOK_LISTS, textbook, 3)
    assert holder == [0, 1, 2]  # every officer gets its first choice
    assert blocking_pairs(TEXTBOOK_LISTS, textbook, holder) == []
    post_optimal = [1, 2, 0]  # what the posts proposing would give: also stable
    assert blocking_pairs(TEXTBOOK_LISTS, textbook, post_optimal) == []
    stable = [h for h in all_matchings(TEXTBOOK_LISTS, 3)
              if not blocking_pairs(TEXTBOOK_LISTS, textbook, h)]
    assert sorted(stable) == [[0, 1, 2], [1, 2, 0], [2, 0, 1]]


def test_blocking_pairs_found():
    # officer 0 holds its last choice while post 0, its first, is vacant
    assert blocking_pairs([[0, 1]], lambda p, c: 0, [-1, 0]) == [(0, 0)]
    # equal priority: the lower index wins, so officer 0 blocks officer 1's post
    assert blocking_pairs([[0], [0]], lambda p, c: 5, [1]) == [(0, 0)]
    assert deferred_acceptance([[0], [0]], lambda p, c: 5, 1) == [0]


@pytest.mark.parametrize("seed", range(30))
def test_random_instances_stable_and_officer_optimal(seed):
    rng = random.Random(seed)
    n_officers, n_posts = rng.randint(2, 5), rng.randint(2, 4)
    lists = [rng.sample(range(n_posts), rng.randint(0, n_posts)) for _ in range(n_officers)]
    ranks = [[rng.randint(0, 3) for _ in range(n_officers)] for _ in range(n_posts)]
    prio = lambda p, c: ranks[p][c]  # noqa: E731 - ties on purpose
    holder = deferred_acceptance(lists, prio, n_posts)
    assert blocking_pairs(lists, prio, holder) == []
    assert all(holder[p] < 0 or p in lists[holder[p]] for p in range(n_posts))
    own = {c: p for p, c in enumerate(holder) if c >= 0}
    position = lambda c, p: lists[c].index(p) if p is not None else len(lists[c])  # noqa: E731
    for other in all_matchings(lists, n_posts):
        if blocking_pairs(lists, prio, other):
            continue
        theirs = {c: p for p, c in enumerate(other) if c >= 0}
        for c in range(n_officers):  # no stable assignment gives any officer more
            assert position(c, own.get(c)) <= position(c, theirs.get(c)), (other, c)


def small():
    """Two provinces of two commune posts; four officers with ranked preferences."""
    units = [unit("P1", "province"), unit("P2", "province"),
             unit("C1", "commune", parent="P1"), unit("C2", "commune", parent="P1"),
             unit("C3", "commune", parent="P2"), unit("C4", "commune", parent="P2")]
    posts = [post(f"C{i}-chief", f"C{i}") for i in range(1, 5)]
    cands = [cand("A", "C1", merit=90, preferences=["C3", "P1"]),
             cand("B", "C2", merit=80, preferences=["C3", "C4"]),
             cand("C", "C3", merit=70, preferences=["P2"], current_post="C3-chief"),
             cand("D", "C4", merit=60, preferences=["C1"], rating="completed")]
    return units, posts, cands


def test_peer_plan_is_the_stable_one_without_envy():
    units, posts, cands = small()
    scn = scenario(units, posts, cands, weights={"move": 5})
    res = deferred(scn)
    # A takes C3 (first choice, best merit); B, outbid there, takes C4; C, outbid on both,
    # falls back to the posts it may take by score (C1 before C2 on a tie) and outbids D on C1;
    # D then falls back to C2
    assert res.plan == {"C1-chief": "C", "C2-chief": "D", "C3-chief": "A", "C4-chief": "B"}
    assert res.valid and res.status == "feasible" and res.extra == {"filled": 4}
    index = {c.id: i for i, c in enumerate(scn.candidates)}
    view = PlanView(scn, {p: index[res.plan[q.id]] for p, q in enumerate(scn.posts)})
    assert envious_pairs(view) == []


def test_peer_respects_eligibility_and_forbidden():
    units, posts, cands = small()
    posts[2] = post("C3-chief", "C3", min_rating="excellent")  # nobody qualifies: E1
    scn = scenario(units, posts, cands, forbidden=[pin("C1-chief", "A")], weights={"move": 5})
    res = deferred(scn)
    # A: C3 out of reach (E1), C1 forbidden, so C2; D, outbid everywhere it may go, stays out
    assert res.plan == {"C1-chief": "C", "C2-chief": "A", "C3-chief": None, "C4-chief": "B"}


def test_without_fill_only_ranked_posts():
    units, posts, cands = small()
    res = deferred(scenario(units, posts, cands), fill=False)
    assert res.plan == {"C1-chief": "D", "C2-chief": None, "C3-chief": "A", "C4-chief": "B"}
