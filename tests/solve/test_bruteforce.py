"""Cross-check of the CP-SAT model against brute force on random tiny scenarios.

Each random scenario is small enough (at most 4 posts, 5 candidates) that every plan -- every
partial matching of posts to candidates -- can be enumerated and judged by the independent
checker (`planner.check_plan`). The solver must then agree with the enumeration:

* `infeasible` exactly when no plan is valid;
* otherwise `optimal`, with the brute-force optimum as its objective, and a plan that the
  checker finds valid with that same objective.

Model and checker share no constraint code (only `exact()` and `shortfall()` of
planner/rules/base.py), so agreement on a thousand random instances is strong evidence that both
read the contract the same way. They could still share one misreading; the hand-worked cases at
the end pin down the contract's arithmetic (exact shares, ceil shortfalls, `per` groups, `scope`,
ties, ministry_quota counting unfilled groups, kinship keys, objective terms) with answers
computed by hand from the contract text.
"""

from __future__ import annotations

from typing import Any

import pytest
from bruteforce import N_RANDOM, _expected_count, brute_force, random_scenario
from builders import assert_loads_back, cand, post, relation, scenario, unit

from planner import Scenario, check_plan, solve
from planner.rules import REGISTRY


@pytest.mark.parametrize("seed", range(N_RANDOM))
def test_solver_matches_brute_force(seed):
    scn = random_scenario(seed)
    count, best = brute_force(seed)
    assert count == _expected_count(len(scn.posts), len(scn.candidates))
    result = solve(scn, workers=1, time_limit=20)
    if best is None:
        assert result.status.value == "infeasible", (
            f"no plan is valid, yet the solver says {result.status.value} "
            f"with {result.plan} ({result.objective})")
        return
    assert result.status.value == "optimal", result.explanation
    assert result.objective == best
    rep = check_plan(scn, result.plan)
    assert rep.valid, rep.violations
    assert rep.objective == best
    assert set(result.plan) == {p.id for p in scn.posts}


def test_random_instances_cover_the_contract():
    """The generator really exercises every rule type hard and soft, and both outcomes."""
    seen: dict[str, set] = {}

    def note(key: str, value: Any) -> None:
        seen.setdefault(key, set()).add(value)

    outcomes = {"infeasible": 0, "feasible": 0}
    for seed in range(N_RANDOM):
        scn = random_scenario(seed)
        for r in scn.policy.rules:
            note("rule", (r.rule, r.hard))
            for param in ("scope", "per", "min_share", "same", "within", "max_km", "min_rating",
                          "min_share_of_units", "min_per_unit", "unit_kind", "roles"):
                if param in r.model_fields_set:
                    note(f"{r.rule}.{param}", True)
            if r.rule in ("non_local", "gender_balance", "young_cadres"):
                note("shares", r.min_share)
        w = scn.policy.weights
        note("weights", tuple(k for k in ("specialty", "preference", "move", "distance")
                              if getattr(w, k)))
        kinds = {u.id: u.kind.value for u in scn.units}
        note("ministry_origin", any(kinds[c.serves_at] == "ministry" for c in scn.candidates))
        note("ties", any(c.ties for c in scn.candidates))
        note("coords", any(u.lat is not None for u in scn.units))
        note("pins", bool(scn.fixed or scn.forbidden))
        count, best = brute_force(seed)
        outcomes["infeasible" if best is None else "feasible"] += 1
    assert seen["rule"] == {(k, h) for k in REGISTRY for h in (True, False)}
    for key in ("non_local.scope", "non_local.per", "non_local.min_share", "term_limit.same",
                "ministry_quota.min_share_of_units", "ministry_quota.min_per_unit",
                "ministry_quota.unit_kind", "gender_balance.per", "young_cadres.per",
                "mobility.within", "mobility.max_km", "difficult_areas.min_rating"):
        assert key in seen, key
    assert {0, 0.5, 0.7, 1} <= seen["shares"]
    assert seen["ministry_origin"] == seen["ties"] == seen["coords"] == seen["pins"] == {True, False}
    assert any("distance" in ws for ws in seen["weights"])
    assert outcomes["infeasible"] >= 20 and outcomes["feasible"] >= 100, outcomes


def test_random_scenarios_are_valid_input(tmp_path):
    """The generator writes only what the contract allows: a YAML dump loads back unchanged."""
    for seed in range(0, N_RANDOM, 4):
        assert_loads_back(random_scenario(seed), tmp_path / f"random-{seed}.yaml")


# -- hand-worked cases -------------------------------------------------------------------------
# The expected answers below come from the contract text alone, with the arithmetic in the
# comments. Defaults from builders.cand: male, born 1975, merit 50; default weights: merit 1,
# vacancy 1000, everything else 0; every post has priority 1 unless said otherwise.

def solved(scn: Scenario):
    """Solve, insist on a proven optimum, and have the checker confirm plan and objective."""
    res = solve(scn, workers=1, time_limit=20)
    assert res.status.value == "optimal", res.explanation
    rep = check_plan(scn, res.plan)
    assert rep.valid, rep.violations
    assert rep.objective == res.objective
    return res


def _ten_districts() -> list:
    return [unit("M", "ministry"), unit("P1", "province"), unit("P2", "province"),
            *[unit(f"D{i}", "district", parent="P1") for i in range(10)]]


def test_share_0_9_of_10_needs_exactly_9():
    # Ten district chiefs in P1, non_local at province scope, min_share 0.9 (hard).
    # L (home P1) is local to all ten; N0..N9 (home P2) to none.
    # Every post is filled (vacancy 1000 each). With L on a post: k = 9 non-local of n = 10, and
    # 9 >= 9/10 * 10 = 9 holds exactly, so L (merit 100) gets in: objective 100 + 9 * 0 = 100.
    # (Read as the binary float 0.9000000000000000222, 9 would fall short and the answer be 0.)
    scn = scenario(_ten_districts(), [post(f"X{i}", f"D{i}") for i in range(10)],
                   [cand("L", home="P1", merit=100), *[cand(f"N{i}", home="P2", merit=0) for i in range(10)]],
                   rules=[{"rule": "non_local", "roles": ["chief"], "scope": "province", "min_share": 0.9}])
    res = solved(scn)
    assert res.objective == 100
    assert "L" in res.plan.values() and None not in res.plan.values()


@pytest.mark.parametrize("weight, expected, locals_placed", [(150, 300, 3), (90, 310, 4)])
def test_soft_share_0_7_of_10_shortfall(weight, expected, locals_placed):
    # Same ten posts, soft non_local min_share 0.7. Four locals L0..L3 (merit 100), ten
    # non-locals (merit 0); all posts get filled. With j locals placed, k = 10 - j and the
    # shortfall is the least d with 10 - j + d >= 7, i.e. d = max(0, j - 3).
    #   objective(j) = 100 j - weight * max(0, j - 3)
    #   weight 150: j=3 -> 300, j=4 -> 400 - 150 = 250            => 300 with 3 locals
    #   weight  90: j=3 -> 300, j=4 -> 400 -  90 = 310            => 310 with 4 locals
    scn = scenario(_ten_districts(), [post(f"X{i}", f"D{i}") for i in range(10)],
                   [*[cand(f"L{i}", home="P1", merit=100) for i in range(4)],
                    *[cand(f"N{i}", home="P2", merit=0) for i in range(10)]],
                   rules=[{"rule": "non_local", "scope": "province", "min_share": 0.7,
                           "hard": False, "weight": weight}])
    res = solved(scn)
    assert res.objective == expected
    assert sum(1 for c in res.plan.values() if c and c.startswith("L")) == locals_placed


def test_shortfall_is_the_ceiling():
    # Three posts, soft gender_balance min_share 0.5 (weight 120): 0.5 * 3 = 1.5 women needed.
    # Men A, B, C have merit 100, the one woman F merit 0; all posts are filled.
    #   three men: k = 0, least d with 0 + d >= 1.5 is 2:  300 - 2 * 120 = 60
    #   F + two men: k = 1, d = 1:                        200 - 1 * 120 = 80   <- optimum
    # (A rounded-down shortfall would give 300 - 120 = 180 or 200; a fractional one 140.)
    units = [unit("P1", "province"), *[unit(f"D{i}", "district", parent="P1") for i in range(3)]]
    scn = scenario(units, [post(f"X{i}", f"D{i}") for i in range(3)],
                   [*[cand(x, home="P1", merit=100) for x in "ABC"],
                    cand("F", home="P1", merit=0, gender="female")],
                   rules=[{"rule": "gender_balance", "min_share": 0.5, "hard": False, "weight": 120}])
    res = solved(scn)
    assert res.objective == 80
    assert "F" in res.plan.values()
    three_men = check_plan(scn, {"X0": "A", "X1": "B", "X2": "C"})
    assert three_men.valid and three_men.objective == 60


def test_per_splits_the_share_and_leaves_posts_without_that_ancestor_out():
    # gender_balance min_share 0.5 per province (hard). P1 has two posts of priority 2, P2 two
    # of priority 1, the ministry one (no province above it: outside the rule). Five officers,
    # five posts, all filled. Women F1 (100), F2 (90); men M1 (80), M2 (10), M3 (50).
    # Each province needs >= 0.5 * 2 = 1 woman of its 2, so one woman each, none at the ministry:
    #   P1: F1 + M1 = 2 * (100 + 80) = 360; P2: F2 + M2 = 90 + 10 = 100; ministry: M3 = 50
    #   (or M3 in P2 and M2 at the ministry: the same 150)
    #   total 510 (F2 in P1 instead: 2 * 170 + 110 + 50 = 500; M3 in P1: 2 * 150 + 170 = 470).
    # Treating the ministry post as a group of its own would demand a third woman: infeasible.
    units = [unit("M", "ministry"), unit("P1", "province"), unit("P2", "province")]
    posts = [post("P1-A", "P1", "director", priority=2), post("P1-B", "P1", "deputy_director", priority=2),
             post("P2-A", "P2", "director"), post("P2-B", "P2", "deputy_director"),
             post("MIN", "M", "director")]
    cands = [cand("F1", home="M", merit=100, gender="female"), cand("F2", home="M", merit=90, gender="female"),
             cand("M1", home="M", merit=80), cand("M2", home="M", merit=10), cand("M3", home="M", merit=50)]
    scn = scenario(units, posts, cands,
                   rules=[{"rule": "gender_balance", "min_share": 0.5, "per": "province"}])
    res = solved(scn)
    assert res.objective == 510
    # M2 and M3 may swap between P2 and the ministry post: 10 + 50 = 50 + 10, a tie.
    assert {res.plan["P2-A"], res.plan["P2-B"], res.plan["MIN"]} == {"F2", "M2", "M3"}
    assert res.plan["MIN"] in ("M2", "M3")
    assert {res.plan["P1-A"], res.plan["P1-B"]} == {"F1", "M1"}
    both_women_in_p1 = {"P1-A": "F1", "P1-B": "F2", "P2-A": "M1", "P2-B": "M2", "MIN": "M3"}
    assert not check_plan(scn, both_women_in_p1).valid


@pytest.mark.parametrize("scope, expected", [("province", 10), (None, 90)])
def test_non_local_scope(scope, expected):
    # One district chief post in P1D1. A's home is the sibling district P1D2 (merit 90), C's
    # the province P1 itself (merit 95), B's the other province P2 (merit 10).
    #   scope province: S = P1 contains P1D2 and P1 -> A and C local, B takes it: 10.
    #   default scope (the post unit's own kind, district): S = P1D1; P1D2 neither contains nor
    #   is contained in it -> A non-local; C's home P1 contains S -> C local. A takes it: 90.
    units = [unit("P1", "province"), unit("P1D1", "district", parent="P1"),
             unit("P1D2", "district", parent="P1"), unit("P2", "province")]
    rule = {"rule": "non_local", "roles": ["chief"]} | ({"scope": scope} if scope else {})
    scn = scenario(units, [post("CH", "P1D1", "chief")],
                   [cand("A", home="P1D2", merit=90), cand("B", home="P2", merit=10),
                    cand("C", home="P1", merit=95)], rules=[rule])
    assert solved(scn).objective == expected


def test_locality_through_ties():
    # Posts: P1-DIR (director of province P1) and CH (chief of commune P1D1C, inside P1D1).
    # non_local for directors and for chiefs, default scope (province for P1-DIR, commune for CH).
    # All four officers live in P2; their ties decide:
    #   A ties [P1D1] (merit 90): P1 contains P1D1 -> local to P1-DIR; P1D1 contains P1D1C -> local to CH
    #   D ties [P1]   (merit 85): P1 is S of P1-DIR -> local; P1 contains P1D1C -> local to CH
    #   B ties [M]    (merit 80): local to neither.   C no ties (merit 10): local to neither.
    # So B and C fill the two posts: 80 + 10 = 90.
    units = [unit("M", "ministry"), unit("P1", "province"), unit("P1D1", "district", parent="P1"),
             unit("P1D1C", "commune", parent="P1D1"), unit("P2", "province")]
    scn = scenario(units, [post("P1-DIR", "P1", "director"), post("CH", "P1D1C", "chief")],
                   [cand("A", home="P2", ties=["P1D1"], merit=90), cand("D", home="P2", ties=["P1"], merit=85),
                    cand("B", home="P2", ties=["M"], merit=80), cand("C", home="P2", merit=10)],
                   rules=[{"rule": "non_local", "roles": ["director"]},
                          {"rule": "non_local", "roles": ["chief"]}])
    res = solved(scn)
    assert res.objective == 90
    assert set(res.plan.values()) == {"B", "C"}
    for who in ("A", "D"):
        assert not check_plan(scn, {"P1-DIR": who, "CH": None}).valid
        assert not check_plan(scn, {"P1-DIR": None, "CH": who}).valid


def _quota_scenario(rule: dict[str, Any]) -> Scenario:
    units = [unit("M", "ministry"), *[unit(f"P{i}", "province") for i in range(1, 5)]]
    posts = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director"),
             post("P3-DIR", "P3", "director"), post("P4-DEP", "P4", "deputy_director"),
             post("MIN-DIR", "M", "director")]
    cands = [cand("MO", home="P4", serves_at="M", merit=50), cand("L1", home="P1", merit=40)]
    return scenario(units, posts, cands, rules=[rule], weights={"vacancy": 10})


def test_ministry_quota_counts_unfilled_groups_soft():
    # ministry_quota roles [director], groups by province, min_share_of_units 0.5, soft (100).
    # Groups: P1, P2, P3 (each has a director post, filled or not). P4 has no director post and
    # MIN-DIR has no province above it: neither is a group. Needed: 0.5 * 3 = 1.5 -> 2 groups.
    # Only MO is ministry-origin, so at most one group complies: shortfall >= 1.
    #   MO on a provincial director post, L1 anywhere: 50 + 40 - 3 vacant * 10 - 100 * 1 = -40
    #   MO elsewhere: shortfall 2 -> 60 - 200; MO alone: 50 - 40 - 100 = -90
    # (Counting only filled groups: 1 of 1 complies and the answer would be 60.)
    scn = _quota_scenario({"rule": "ministry_quota", "roles": ["director"], "min_share_of_units": 0.5,
                           "hard": False, "weight": 100})
    res = solved(scn)
    assert res.objective == -40
    assert [p for p, c in res.plan.items() if c == "MO"][0] in ("P1-DIR", "P2-DIR", "P3-DIR")


def test_ministry_quota_counts_unfilled_groups_hard():
    # The same quota hard: two of three groups need a ministry-origin director, and there is one
    # ministry-origin officer, so no plan is valid (leaving groups vacant does not help).
    scn = _quota_scenario({"rule": "ministry_quota", "roles": ["director"], "min_share_of_units": 0.5})
    assert solve(scn, workers=1, time_limit=20).status.value == "infeasible"
    assert not check_plan(scn, {"P1-DIR": "MO"}).valid


def test_ministry_quota_share_0_2_of_5_needs_exactly_one():
    # Five provinces with a director post each; one ministry-origin officer MO and four locals.
    # Hard quota, min_share_of_units 0.2: 0.2 * 5 = 1 group (the binary float would ask for 2:
    # infeasible). All five filled, merit 50 each: objective 250.
    units = [unit("M", "ministry"), *[unit(f"P{i}", "province") for i in range(5)]]
    scn = scenario(units, [post(f"X{i}", f"P{i}", "director") for i in range(5)],
                   [cand("MO", home="M"), *[cand(f"L{i}", home=f"P{i}") for i in range(4)]],
                   rules=[{"rule": "ministry_quota", "min_share_of_units": 0.2}])
    assert solved(scn).objective == 250


def test_soft_term_limit_same_unit_applies_to_any_role_in_the_unit():
    # X has held P1-DIR (a director post) for 2 terms; term_limit roles [director], same: unit,
    # soft (100). The filter is on X's current post; the penalty applies to any post of unit P1,
    # the deputy post included. Y (merit 10) serves elsewhere. vacancy 0.
    #   X on either P1 post: 50 - 100 = -50 (+ Y on the other: -40);  Y alone: 10  <- optimum
    units = [unit("P1", "province"), unit("P2", "province")]
    scn = scenario(units, [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy_director")],
                   [cand("X", home="P2", serves_at="P1", current_post="P1-DIR", consecutive_terms=2),
                    cand("Y", home="P2", merit=10)],
                   rules=[{"rule": "term_limit", "roles": ["director"], "same": "unit",
                           "hard": False, "weight": 100}],
                   weights={"vacancy": 0})
    res = solved(scn)
    assert res.objective == 10
    assert "X" not in res.plan.values()
    assert check_plan(scn, {"P1-DIR": "Y", "P1-DEP": "X"}).objective == 10 + 50 - 100


@pytest.mark.parametrize("scope, expected", [("province", 390), ("district", 480)])
def test_kinship_scope(scope, expected):
    # A (merit 100) and B (90) are related; C has merit 0. Posts: D1 (priority 3) and D2
    # (priority 2), two districts of P1, and P2-DIR (priority 1). All three get filled.
    #   unconstrained: A on D1, B on D2, C on P2-DIR = 300 + 180 + 0 = 480
    #   scope province: A and B may not both be in P1:
    #     A D1, C D2, B P2 = 300 + 0 + 90 = 390;  B D1, A P2 = 270 + 100 = 370   => 390
    #   scope district: D1 and D2 are different keys                             => 480
    units = [unit("P1", "province"), unit("D1", "district", parent="P1"),
             unit("D2", "district", parent="P1"), unit("P2", "province")]
    scn = scenario(units, [post("D1-CH", "D1", priority=3), post("D2-CH", "D2", priority=2),
                           post("P2-DIR", "P2", "director")],
                   [cand("A", home="P2", merit=100), cand("B", home="P2", merit=90),
                    cand("C", home="P2", merit=0)],
                   relations=[relation("A", "B"), relation("B", "A", "spouse")],
                   rules=[{"rule": "kinship", "scope": scope}])
    assert solved(scn).objective == expected


def test_kinship_key_falls_back_to_the_post_unit():
    # Scope province, posts in ministry units: no province above them, so a post's key is its
    # own unit. M-A (priority 3) and M-B (2) share key M; M2-A (1) sits in child ministry M2.
    # A (100) and B (90) are related: not both in M.
    #   A M-A, C M-B, B M2-A = 300 + 0 + 90 = 390   (both in M would be 480; one key for the
    #   whole ministry tree would leave a post vacant: -1000)
    units = [unit("M", "ministry"), unit("M2", "ministry", parent="M")]
    scn = scenario(units, [post("M-A", "M", "director", priority=3),
                           post("M-B", "M", "deputy_director", priority=2),
                           post("M2-A", "M2", "director")],
                   [cand("A", home="M", merit=100), cand("B", home="M", merit=90),
                    cand("C", home="M", merit=0)],
                   relations=[relation("A", "B")], rules=[{"rule": "kinship"}])
    res = solved(scn)
    assert res.objective == 390
    assert res.plan == {"M-A": "A", "M-B": "C", "M2-A": "B"}


def test_objective_terms_with_inherited_coordinates():
    # Post X (priority 2, specialties [law]) in district P1D, which has no coordinates and takes
    # P1's (21.0, 105.8). Weights: merit 1, specialty 7, preference 11, move 5, distance 3.
    # A serves at P2 (10.8, 106.6): haversine 1137.39.. km -> 1137 -> floor(1137 / 100) = 11.
    #   A: 60 * 2 + 7 (law) + 11 (prefers P1, which contains P1D) - 5 (newcomer) - 3 * 11 = 100
    # B serves at M (no coordinates anywhere up its line: distance 0) and holds X already:
    #   B: 40 * 2 + 0 + 0 (prefers P2) - 0 (stays) - 0 = 80
    units = [unit("M", "ministry"), unit("P1", "province", lat=21.0, lon=105.8),
             unit("P1D", "district", parent="P1"), unit("P2", "province", lat=10.8, lon=106.6)]
    scn = scenario(units, [post("X", "P1D", priority=2, specialties=["law"])],
                   [cand("A", home="P2", merit=60, preferences=["P1"], specialties=["law", "finance"]),
                    cand("B", home="M", merit=40, preferences=["P2"], current_post="X")],
                   weights={"merit": 1, "specialty": 7, "preference": 11, "move": 5, "distance": 3})
    res = solved(scn)
    assert res.plan == {"X": "A"} and res.objective == 100
    assert check_plan(scn, {"X": "B"}).objective == 80


def test_difficult_area_inherited_from_the_province():
    # P1 is difficult, so its district P1D is too. difficult_areas min_rating good (hard):
    # the post must be filled by someone rated >= good. A (completed, merit 90) may not take
    # it; B (good, merit 10) must: objective 10, although vacancy costs nothing here.
    units = [unit("P1", "province", difficult=True), unit("P1D", "district", parent="P1")]
    scn = scenario(units, [post("X", "P1D")],
                   [cand("A", home="P1", rating="completed", merit=90), cand("B", home="P1", merit=10)],
                   rules=[{"rule": "difficult_areas", "min_rating": "good"}], weights={"vacancy": 0})
    assert solved(scn).plan == {"X": "B"}
    assert not check_plan(scn, {"X": "A"}).valid and not check_plan(scn, {"X": None}).valid
