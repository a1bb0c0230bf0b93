"""The tiny scenario the peers' tests share: every rule shape the peers translate, small
enough for CP-SAT to prove its optimum in a moment."""

from __future__ import annotations

import random

import pytest
from builders import cand, post, relation, scenario, unit

from benchmarks.peers import derive_spec
from planner import solve

RULES = [
    {"rule": "non_local", "unit_kind": "province", "roles": ["director"], "min_share": 0.5},
    {"rule": "non_local", "unit_kind": "district", "roles": ["chief"]},
    {"rule": "term_limit", "max_consecutive_terms": 2},
    # share < 1 of 3 groups: `complies` literals with enforced linear constraints (big-M in HiGHS)
    {"rule": "ministry_quota", "roles": ["director", "deputy_director"], "min_share_of_units": 0.6},
    {"rule": "kinship", "scope": "province"},
    {"rule": "gender_balance", "roles": ["director", "deputy_director"], "min_share": 0.5,
     "hard": False, "weight": 40},  # a penalty variable
    {"rule": "fill", "roles": ["director"]},
]


def tiny():
    """Three provinces of a director, a deputy and two district chiefs each; 22 officers."""
    rng = random.Random(7)
    units = [unit("M", "ministry", lat=21.0, lon=105.8)]
    posts = []
    for i in range(1, 4):
        p = f"P{i}"
        units.append(unit(p, "province", lat=10.0 + 4 * i, lon=105.0 + i * 0.5))
        posts += [post(f"{p}-DIR", p, "director", priority=3),
                  post(f"{p}-DEP", p, "deputy_director", priority=2)]
        for j in range(1, 3):
            d = f"{p}D{j}"
            units.append(unit(d, "district", parent=p))
            posts.append(post(f"{d}-CH", d, "chief"))
    homes = [u.id for u in units if u.kind.value != "ministry"]
    cands = []
    for k in range(22):
        serves = "M" if k < 5 else rng.choice(homes)
        current = rng.choice(posts).id if rng.random() < 0.4 else None
        extra = {"current_post": current, "consecutive_terms": rng.randint(1, 3)} if current else {}
        cands.append(cand(f"C{k:02d}", home=rng.choice(homes), serves_at=serves,
                          merit=rng.randint(30, 95), gender="female" if k % 4 == 0 else "male",
                          political_theory="advanced" if rng.random() < 0.8 else "intermediate",
                          **extra))
    relations = [relation("C00", "C07"), relation("C03", "C11"), relation("C12", "C13")]
    return scenario(units, posts, cands, relations=relations, rules=RULES,
                    weights={"merit": 1, "move": 5, "distance": 1, "vacancy": 1000})


@pytest.fixture(scope="session")
def tiny_scenario():
    return tiny()


@pytest.fixture(scope="session")
def case(tiny_scenario):
    """(scenario, the planner's proven optimum, its model as arrays)."""
    scn = tiny_scenario
    ref = solve(scn, time_limit=20, workers=2)
    assert ref.status.value == "optimal"
    return scn, ref, derive_spec(scn)
