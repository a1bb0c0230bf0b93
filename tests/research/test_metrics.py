"""The metrics of a plan, on a hand-made plan with every value worked out by hand."""

from __future__ import annotations

import pytest
from builders import cand, policy, post, scenario, unit

from planner import check_plan
from planner.research.metrics import pareto_front, plan_metrics

# Units on the equator, one degree of longitude apart: 2 x 6371 x asin(sin(0.5 deg)) = 111.19
# km, truncated to 111. C1 has no coordinates and takes D1's.
UNITS = [
    unit("MIN", "ministry", lat=0.0, lon=0.0),
    unit("P1", "province", lat=0.0, lon=1.0),
    unit("D1", "district", parent="P1", lat=0.0, lon=2.0),
    unit("C1", "commune", parent="D1"),
    unit("P2", "province", lat=0.0, lon=3.0),
]
POSTS = [
    post("P1-DIR", "P1", "director", priority=2),
    post("P1-DEP", "P1", "deputy_director"),
    post("D1-CH", "D1", "chief"),
    post("C1-CH", "C1", "chief"),
    post("P2-DIR", "P2", "director"),
    post("MIN-HEAD", "MIN", "department_head"),
]
CANDS = [
    # a: from the ministry, home P2: non-local in P1; moves 111 km; female, 36
    cand("a", home="P2", serves_at="MIN", gender="female", birth_year=1990, merit=80),
    # b: keeps P1-DEP; home D1 lies inside P1: local; male, 56
    cand("b", home="D1", serves_at="P1", current_post="P1-DEP", birth_year=1970, merit=60),
    # c: D1 -> C1 (same coordinates: 0 km); home C1: local; female, 41
    cand("c", home="C1", serves_at="D1", current_post="D1-CH", gender="female",
         birth_year=1985, merit=70),
    # d: P1 -> D1, 111 km; home P1 contains D1: local; 46, not young at 45
    cand("d", home="P1", serves_at="P1", birth_year=1980, merit=50, ties=["P2"]),
    # e: keeps P2-DIR; home P1: non-local in P2; not from the ministry; 66
    cand("e", home="P1", serves_at="P2", current_post="P2-DIR", birth_year=1960, merit=90),
    cand("f", home="P1", serves_at="MIN", merit=99),
]
PLAN = {"P1-DIR": "a", "P1-DEP": "b", "D1-CH": "d", "C1-CH": "c", "P2-DIR": "e",
        "MIN-HEAD": None}
POLICY = policy([
    {"rule": "non_local", "unit_kind": "province", "roles": ["director"]},
    {"rule": "gender_balance", "roles": ["director", "deputy_director"], "min_share": 0.5,
     "hard": False, "weight": 10},
])


@pytest.fixture(scope="module")
def metrics():
    scn = scenario(UNITS, POSTS, CANDS)
    report = check_plan(scn, PLAN, POLICY)
    assert report.valid
    return plan_metrics(scn, PLAN, report)


def test_counts(metrics):
    assert (metrics["posts"], metrics["filled"], metrics["vacant"], metrics["moved"]) == (6, 5, 1, 3)


def test_relocation_km_of_moved_officers(metrics):
    # a 111, c 0, d 111; b and e stay
    assert metrics["km_total"] == 222
    assert metrics["km_max"] == 111
    assert metrics["km_mean"] == 74.0


def test_non_local_share_by_level(metrics):
    assert metrics["non_local_province"] == round(2 / 3, 4)  # a and e non-local, b local
    assert metrics["non_local_district"] == 0.0  # d: home P1 contains D1
    assert metrics["non_local_commune"] == 0.0  # c: home C1


def test_ministry_quota_provinces(metrics):
    assert (metrics["quota_met"], metrics["quota_groups"]) == (1, 2)  # P1 through a; P2 not


def test_women_young_and_merit(metrics):
    assert metrics["female_share"] == 0.4  # a and c of 5
    assert metrics["young_share"] == 0.4  # a (36) and c (41); d is 46
    assert metrics["merit_total"] == 80 * 2 + 60 + 70 + 50 + 90
    assert metrics["merit_mean"] == 70.0


def test_soft_violations_by_rule(metrics):
    # women on director / deputy posts: a of a, b, e -> 1 of 3, 0.5 x 3 = 1.5 needed: short 1
    assert metrics["violations"] == {"gender_balance[roles=director/deputy_director, min_share=0.5]": 1}
    assert metrics["soft_violations"] == 1
    assert metrics["soft_penalty"] == 10
    assert metrics["rules"]["non_local[roles=director, unit_kind=province]"]["violation"] == 0


def test_young_age_is_a_parameter():
    scn = scenario(UNITS, POSTS, CANDS)
    assert plan_metrics(scn, PLAN, young_age=46)["young_share"] == 0.6


def test_empty_plan():
    scn = scenario(UNITS, POSTS, CANDS)
    m = plan_metrics(scn, {})
    assert (m["filled"], m["vacant"], m["moved"], m["km_mean"]) == (0, 6, 0, 0.0)
    assert m["female_share"] is None and m["non_local_province"] is None
    assert m["soft_violations"] is None


def test_pareto_front():
    # (moves: less is better, share: more is better)
    pts = [(10, 0.9), (12, 0.95), (11, 0.85), (15, 0.95), (8, 0.8), (10, 0.9)]
    assert pareto_front(pts, (-1, +1)) == [4, 0, 5, 1]
    assert pareto_front([], (-1, 1)) == []
