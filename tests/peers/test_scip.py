"""The SCIP peer (benchmarks/peers/scip.py): on small scenarios its proven optimum is the
planner's (solved with gap 0), and its plan passes the checker with that objective."""

from __future__ import annotations

import random

import pytest
from builders import cand, post, scenario, unit

from benchmarks.peers.scip import scip_from_spec, scip_mip
from benchmarks.peers.spec import derive_spec
from planner import check_plan, solve


def test_scip_reaches_the_planner_optimum_on_every_rule_shape(case):
    scn, ref, spec = case
    res = scip_from_spec(spec, time_limit=20)
    assert res.status == "optimal"
    assert res.objective == res.bound == ref.objective
    report = check_plan(scn, res.plan)
    assert report.valid and report.objective == ref.objective
    assert res.first_plan_seconds is not None and res.gap1_seconds is not None
    assert scip_mip(scn, time_limit=20).objective == ref.objective  # public entry


def _province(seed: int):
    """A province of a director, a deputy and four district chiefs, twelve officers drawn from
    `seed`; district chiefs serve away from home, half the leaders are women (hard), every
    director's post is filled."""
    rng = random.Random(seed)
    units = [unit("P", "province", lat=16.0, lon=106.0)]
    posts = [post("P-DIR", "P", "director", priority=3), post("P-DEP", "P", "deputy_director", priority=2)]
    for j in range(1, 5):
        units.append(unit(f"D{j}", "district", parent="P"))
        posts.append(post(f"D{j}-CH", f"D{j}", "chief"))
    homes = [u.id for u in units]
    cands = [cand(f"C{k:02d}", home=rng.choice(homes), serves_at="P", merit=rng.randint(30, 95),
                  gender="female" if rng.random() < 0.4 else "male") for k in range(12)]
    rules = [{"rule": "non_local", "unit_kind": "district", "roles": ["chief"]},
             {"rule": "gender_balance", "roles": ["director", "deputy_director"], "min_share": 0.5},
             {"rule": "fill", "roles": ["director"]}]
    return scenario(units, posts, cands, rules=rules,
                    weights={"merit": 1, "move": 5, "distance": 1, "vacancy": 1000})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scip_reaches_the_planner_optimum_on_a_drawn_province(seed):
    scn = _province(seed)
    ref = solve(scn, time_limit=20, workers=2, gap=0.0)
    assert ref.status.value == "optimal"
    res = scip_from_spec(derive_spec(scn), time_limit=20)
    assert res.status == "optimal"
    assert res.objective == ref.objective
    assert check_plan(scn, res.plan).objective == ref.objective
