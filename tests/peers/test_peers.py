"""The benchmark peers (planner/peers) on a tiny scenario: same optimum, valid bound, checked greedy."""

from __future__ import annotations

import random

import pytest
from builders import cand, post, relation, scenario, unit

from benchmarks.peers import derive_spec, flow_bound, greedy, naive_cpsat
from benchmarks.peers.flow import flow_from_spec
from benchmarks.peers.naive import naive_from_spec
from planner import check_plan, solve

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


@pytest.fixture(scope="module")
def case():
    scn = tiny()
    ref = solve(scn, time_limit=20, workers=2)
    assert ref.status.value == "optimal"
    return scn, ref, derive_spec(scn)


def test_spec_has_the_rule_shapes(case):
    _, _, spec = case
    assert spec.n_vars > spec.n_pairs  # penalty and `complies` variables
    assert (spec.enf_start[1:] > spec.enf_start[:-1]).any()  # enforced constraints


def test_naive_cpsat_reaches_the_planner_optimum(case):
    scn, ref, spec = case
    res = naive_from_spec(spec, time_limit=20, workers=2)
    assert res.status == "optimal"
    assert res.objective == ref.objective == res.bound
    report = check_plan(scn, res.plan)
    assert report.valid and report.objective == ref.objective
    assert res.first_plan_seconds is not None and res.gap1_seconds is not None
    assert naive_cpsat(scn, time_limit=20, workers=2).objective == ref.objective  # public entry


def test_highs_reaches_the_planner_optimum(case):
    from benchmarks.peers.highs import (
        highs_from_spec,  # highspy comes with the test extra
    )

    scn, ref, spec = case
    res = highs_from_spec(spec, time_limit=20, workers=2)
    assert res.status == "optimal"
    assert res.objective == ref.objective
    report = check_plan(scn, res.plan)
    assert report.valid and report.objective == ref.objective


def test_flow_bound_is_an_upper_bound(case):
    scn, ref, spec = case
    res = flow_from_spec(spec)
    assert res.bound is not None and res.bound >= ref.objective
    assert flow_bound(scn).bound == res.bound


def test_greedy_plan_is_checked(case):
    scn, ref, _ = case
    res = greedy(scn)
    report = check_plan(scn, res.plan)
    assert res.valid == report.valid
    assert res.objective == report.objective
    if report.valid:
        assert res.objective <= ref.objective
