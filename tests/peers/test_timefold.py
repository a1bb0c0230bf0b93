"""The Timefold peer (benchmarks/peers/timefold_streams.py): its constraint streams carry the
core rules (one post per officer, the side rows over pairs, the pair scores), so on a small
national province it returns a plan the checker accepts, and where the best plan is obvious it
finds it."""

from __future__ import annotations

from builders import cand, post, scenario, unit

from benchmarks.peers.spec import derive_spec
from benchmarks.peers.timefold_streams import side_rows, timefold_from_spec
from planner import check_plan, solve
from planner.generate.national import generate


def test_a_generated_province_gets_a_plan_the_checker_accepts():
    scn = generate("legacy", fraction=0.01, officers_per_post=2.0, seed=2).to_scenario()
    spec = derive_spec(scn)
    kept, left_out = side_rows(spec)
    assert left_out == 0 and len(kept) > 0  # the national policy's side rows are all carried
    res = timefold_from_spec(spec, time_limit=5)
    assert res.status == "feasible" and res.note == ""
    report = check_plan(scn, res.plan)
    assert report.valid
    assert report.objective == res.objective
    assert res.objective <= solve(scn, time_limit=30, gap=0.0).objective
    assert res.first_plan_seconds is not None and res.gap1_seconds is None  # no bound of its own


def _two_chiefs():
    """Two district chiefs, D1 and D2, and two officers who serve in the province; district
    chiefs serve away from home. A (merit 95, from another province) may take either post, B
    (70, from D2) only D1. A cannot take both (one post per officer), so the best plan is
    A -> D2, B -> D1, where a post-by-post greedy gives D1 to A and leaves D2 vacant."""
    units = [unit("P", "province", lat=16.0, lon=106.0), unit("Q", "province", lat=21.0, lon=105.8),
             unit("D1", "district", parent="P"), unit("D2", "district", parent="P")]
    posts = [post("D1-CH", "D1", "chief"), post("D2-CH", "D2", "chief")]
    cands = [cand(c, home=home, serves_at="P", merit=merit, political_theory="advanced")
             for c, home, merit in (("A", "Q", 95), ("B", "D2", 70))]
    rules = [{"rule": "non_local", "unit_kind": "district", "roles": ["chief"]}]
    return scenario(units, posts, cands, rules=rules,
                    weights={"merit": 1, "move": 0, "distance": 0, "vacancy": 1000})


def test_the_obvious_best_plan_is_found():
    scn = _two_chiefs()
    res = timefold_from_spec(derive_spec(scn), time_limit=3)
    assert res.plan == {"D1-CH": "B", "D2-CH": "A"}
    ref = solve(scn, time_limit=10, gap=0.0)
    assert res.objective == ref.objective == check_plan(scn, res.plan).objective
