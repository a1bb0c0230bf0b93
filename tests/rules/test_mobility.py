"""`mobility` pinned to the contract: a candidate on a matching post serves at a unit inside
`anc(post unit, within)` (where `within` is given and that unit exists) and within `max_km`
of the post's unit (km as in the objective: missing coordinates pass; units inherit their
nearest ancestor's coordinates).

Distances from P1 (and D11, which inherits P1's coordinates): P3 67 km, D12 114 km, P2 1143 km;
M and P5 have no coordinates.
"""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve
from planner.geo import km

UNITS = [unit("M", "ministry"),
         unit("P1", "province", lat=21.03, lon=105.85),
         unit("D11", "district", parent="P1"),
         unit("C111", "commune", parent="D11"),
         unit("D12", "district", parent="P1", lat=20.0, lon=105.85),
         unit("P2", "province", lat=10.78, lon=106.70),
         unit("P3", "province", lat=21.0, lon=106.5),
         unit("P5", "province")]
POSTS = [post("D11-CH", "D11"), post("P1-DIR", "P1", "director"), post("C111-CH", "C111")]
AT = ["P1", "D11", "C111", "D12", "P2", "P3", "M", "P5"]
CANDS = [cand(f"X{u}", home="P1", serves_at=u) for u in AT]


def test_distances_used_here():
    p1, d12, p2, p3 = (21.03, 105.85), (20.0, 105.85), (10.78, 106.70), (21.0, 106.5)
    assert (km(p1, p3), km(p1, d12), km(p1, p2)) == (67, 114, 1143)


@pytest.mark.parametrize("rule,post_id,ok_at", [
    # within province: D11-CH's area is P1
    ({"within": "province"}, "D11-CH", {"P1", "D11", "C111", "D12"}),
    # within district: D11-CH's area is D11; P1 (an ancestor) is not inside it
    ({"within": "district"}, "D11-CH", {"D11", "C111"}),
    # P1-DIR has no district ancestor: `within` does not apply
    ({"within": "district"}, "P1-DIR", set(AT)),
    ({"within": "commune"}, "C111-CH", {"C111"}),
    # max_km: missing coordinates (M, P5) pass; the boundary is inclusive
    ({"max_km": 100}, "D11-CH", {"P1", "D11", "C111", "P3", "M", "P5"}),
    ({"max_km": 114}, "D11-CH", {"P1", "D11", "C111", "P3", "D12", "M", "P5"}),
    ({"max_km": 113}, "C111-CH", {"P1", "D11", "C111", "P3", "M", "P5"}),
    ({"max_km": 0}, "P1-DIR", {"P1", "D11", "C111", "M", "P5"}),
    # both: inside P1 and within 100 km
    ({"within": "province", "max_km": 100}, "D11-CH", {"P1", "D11", "C111"}),
    # the filters
    ({"within": "province", "roles": ["director"]}, "D11-CH", set(AT)),
    ({"within": "province", "roles": ["director"]}, "P1-DIR", {"P1", "D11", "C111", "D12"}),
    ({"within": "province", "unit_kind": "commune"}, "D11-CH", set(AT)),
])
def test_checker_and_solver(rule, post_id, ok_at):
    scn = scenario(UNITS, POSTS, CANDS)
    pol = policy([{"rule": "mobility", **rule}])
    for at in AT:
        rep = check_plan(scn, {post_id: f"X{at}"}, pol)
        assert rep.valid is (at in ok_at), at
        assert rep.rules[0].violation == (0 if at in ok_at else 1)
    # solver: the single post, each candidate in turn pinned -> feasible exactly when allowed
    p = next(p for p in POSTS if p.id == post_id)
    for at in AT:
        s = scenario(UNITS, [p], CANDS, fixed=[pin(post_id, f"X{at}")], rules=[{"rule": "mobility", **rule}])
        status = solve(s, workers=1).status.value
        assert status == ("optimal" if at in ok_at else "infeasible"), at


def test_checker_messages():
    scn = scenario(UNITS, POSTS, CANDS)
    rep = check_plan(scn, {"D11-CH": "XP3"}, policy([{"rule": "mobility", "within": "province"}]))
    assert any("serves at P3, outside province P1" in v for v in rep.violations)
    rep = check_plan(scn, {"D11-CH": "XP2"}, policy([{"rule": "mobility", "max_km": 500}]))
    assert any("serves 1143 km away, more than 500 km" in v for v in rep.violations)


def test_hard_picks_nearby_candidate():
    cands = [cand("FAR", home="P1", serves_at="P2", merit=90), cand("NEAR", home="P1", serves_at="P3", merit=40)]
    scn = scenario(UNITS, [POSTS[0]], cands, rules=[{"rule": "mobility", "max_km": 100}])
    result = optimal(scn)
    assert result.plan == {"D11-CH": "NEAR"}
    assert result.objective == 40


def test_hard_within_picks_inside_candidate():
    cands = [cand("OUT", home="P1", serves_at="P3", merit=90), cand("IN", home="P2", serves_at="D12", merit=40)]
    scn = scenario(UNITS, [POSTS[0]], cands, rules=[{"rule": "mobility", "within": "province"}])
    result = optimal(scn)
    assert result.plan == {"D11-CH": "IN"}
    assert result.objective == 40


def test_hard_infeasible_with_fill():
    scn = scenario(UNITS, [POSTS[0]], [cand("FAR", home="P1", serves_at="P2")],
                   rules=[{"rule": "mobility", "max_km": 100}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


@pytest.mark.parametrize("weight,holder,objective,violation", [
    (30, "FAR", 60, 1),    # 90 - 30 > 50
    (45, "NEAR", 50, 0),   # 90 - 45 < 50
])
def test_soft_per_post(weight, holder, objective, violation):
    # FAR breaks both conditions (outside P1, 1143 km): still one unit of violation per post
    cands = [cand("FAR", home="P1", serves_at="P2", merit=90), cand("NEAR", home="P1", serves_at="C111", merit=50)]
    scn = scenario(UNITS, [POSTS[0]], cands,
                   rules=[{"rule": "mobility", "within": "province", "max_km": 100, "hard": False,
                           "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"D11-CH": holder}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

# FAR serves 1143 km away in another province; NEAR inside P1, 0 km away (D11 inherits P1's place)
BARE = [cand("FAR", home="P1", serves_at="P2", merit=90), cand("NEAR", home="P1", serves_at="D11")]


@pytest.mark.parametrize("rule", [{"rule": "mobility", "within": "province"},
                                  {"rule": "mobility", "max_km": 200}])
def test_bare_model_gives_no_variable_to_an_officer_from_too_far(rule):
    held = assert_binding(scenario(UNITS, [POSTS[1]], BARE), rule)
    assert held.plan == {"P1-DIR": "NEAR"} and held.builder.n_pairs == 1


def test_bare_model_infeasible_when_the_fixed_officer_serves_outside_the_area():
    scn = scenario(UNITS, [POSTS[1]], BARE, fixed=[pin("P1-DIR", "FAR")])
    assert_infeasible(scn, {"rule": "mobility", "within": "province"})


def test_bare_model_soft_pays_the_weight_per_post():
    scn = scenario(UNITS, [POSTS[1]], BARE)
    soft = assert_soft_penalty(scn, {"rule": "mobility", "within": "province", "hard": False,
                                     "weight": 20})
    assert soft.plan == {"P1-DIR": "FAR"} and soft.objective == 70   # 90 - 20 > 50
