"""Where does this officer fit? `planner fit` on a hand-made case with hand-computed deltas, and
its speed on the medium scenario.

Posts: A (director of P1, priority 2), B (director of P2, priority 1), C (chief of P1-D1, needs
a master's degree). Officers X (merit 60), Y (50), Z (40) with university degrees, W (30) with a
master's. Merit weight 1, nothing else. Base plan: A=X, B=Y, C=W: 120 + 50 + 30 = 200.

Fitting Z: on B, Y loses the post (A=X, B=Z, C=W: 190, -10); on A, X moves to B and Y loses it
(80 + 60 + 30 = 170, -30); C is closed to Z (no master's).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from builders import cand, pin, post, scenario, unit, write_yaml
from click.testing import CliRunner

from planner import load_scenario, solve
from planner.cli import main
from planner.explain.fit import Replanner, fit

UNITS = [unit("P1", "province"), unit("P1-D1", "district", parent="P1"), unit("P2", "province")]
POSTS = [post("A", "P1", "director", priority=2), post("B", "P2", "director"),
         post("C", "P1-D1", "chief", min_education="master")]
CANDS = [cand("X", home="P2", merit=60), cand("Y", home="P2", merit=50),
         cand("Z", home="P2", merit=40), cand("W", home="P2", merit=30, education="master")]
BASE = {"A": "X", "B": "Y", "C": "W"}


def tiny():
    return scenario(UNITS, POSTS, CANDS, weights={"merit": 1})


def test_base_plan_is_the_optimum():
    res = solve(tiny(), workers=1)
    assert res.status.value == "optimal" and res.plan == BASE and res.objective == 200


def test_fit_ranks_posts_with_hand_computed_deltas():
    scn = tiny()
    rp = Replanner(scn, scn.policy, BASE)
    f = fit(rp, "Z")
    assert f.base_objective == 200 and f.base_post is None
    assert [(x.post, x.delta) for x in f.placements] == [("B", -10), ("A", -30)]
    b, a = f.placements
    assert [str(m) for m in b.moves] == ["Y leaves B (no post)"]
    assert [str(m) for m in a.moves] == ["X moves A -> B", "Y leaves B (no post)"]
    assert a.plan == {"A": "Z", "B": "X", "C": "W"}
    assert f.closed == {"min_education (lacks master education)": 1}
    assert f.not_priced == []


def test_fit_an_officer_who_holds_a_post():
    scn = tiny()
    f = fit(Replanner(scn, scn.policy, BASE), "Y")
    # Y on A: X moves to B (100 + 60 + 30 = 190): -10. C stays closed to Y.
    assert [(x.post, x.delta) for x in f.placements] == [("A", -10)]
    assert [str(m) for m in f.placements[0].moves] == ["X moves A -> B"]


def test_fit_top_limits_pricing_and_keeps_the_rest_by_estimate():
    scn = tiny()
    f = fit(Replanner(scn, scn.policy, BASE), "Z", top=1)
    assert [x.post for x in f.placements] == ["B"]
    # Estimates from pair scores: Z on B takes 40 for Y's 50 (-10); on A, 2*40 for X's 2*60.
    assert [(x.post, x.estimate) for x in f.not_priced] == [("A", -40)]


def test_fit_blocked_placement_names_the_broken_rule():
    # Y, from the ministry, is the only officer who can meet the quota (one province of two),
    # and only on B: A needs advanced political theory, which Y lacks.
    units = [*UNITS, unit("M", "ministry")]
    posts = [post("A", "P1", "director", priority=2, min_political_theory="advanced"), *POSTS[1:]]
    cands = [cand("X", home="P2", merit=60, political_theory="advanced"),
             cand("Y", home="P1", serves_at="M", merit=50),
             cand("Z", home="P2", merit=40, political_theory="advanced"), CANDS[3]]
    rules = [{"rule": "ministry_quota", "roles": ["director"], "min_share_of_units": 0.5}]
    scn = scenario(units, posts, cands, weights={"merit": 1}, rules=rules)
    res = solve(scn, workers=1)
    assert res.plan == BASE and res.objective == 200
    f = fit(Replanner(scn, scn.policy, res.plan), "Z")
    a, b = f.placements
    # Z on A: X cannot take B without breaking the quota, so X has no post: 80 + 50 + 30.
    assert (a.post, a.delta) == ("A", 160 - 200)
    assert [str(m) for m in a.moves] == ["X leaves A (no post)"]
    assert b.post == "B" and b.delta is None and b.blocked
    assert "breaks hard rule ministry_quota" in b.why_not[0]


def test_a_pin_blocks_in_its_own_words():
    """The solve drops the pairs a `fixed` pin excludes (planner/model/eligibility.py); fit
    keeps them, so that a move onto a pinned post, or of a pinned officer, reads as the pin's
    and not as an unexplained closed post."""
    scn = scenario(UNITS, POSTS, CANDS, weights={"merit": 1}, fixed=[pin("B", "Y")])
    res = solve(scn, workers=1)
    assert res.plan == BASE
    f = fit(Replanner(scn, scn.policy, res.plan), "Z")
    (b,) = [x for x in f.placements if x.post == "B"]
    assert b.blocked and b.why_not == ["post B is fixed to Y (fixed pair)"]
    assert f.closed == {"min_education (lacks master education)": 1}
    y = fit(Replanner(scn, scn.policy, res.plan), "Y")
    assert [(x.post, x.why_not) for x in y.placements] == [("A", ["Y is fixed to post B (fixed pair)"])]


def test_cli_fit(tmp_path):
    path = write_yaml(tiny(), tmp_path / "s.yaml")
    plan = tmp_path / "plan.csv"
    plan.write_text("post_id,candidate_id\nA,X\nB,Y\nC,W\n")
    res = CliRunner().invoke(main, ["fit", path, "--candidate", "Z", "--plan", str(plan)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert "objective 200; Z has no post" in lines[0]
    assert lines[2].split() == ["B", "-10", "Y", "leaves", "B", "(no", "post)"]
    assert lines[3].split()[:2] == ["A", "-30"]
    assert "closed to Z: 1 posts by min_education (lacks master education)" in res.output
    res = CliRunner().invoke(main, ["fit", path, "--candidate", "Z", "--json", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert [x["delta"] for x in json.loads(res.output)["placements"]] == [-10, -30]
    res = CliRunner().invoke(main, ["fit", path, "--candidate", "NOBODY"])
    assert res.exit_code == 2 and "unknown candidate 'NOBODY'" in res.output


def test_fit_is_fast_on_the_medium_scenario():
    medium = Path(__file__).resolve().parents[2] / "scenarios" / "medium" / "scenario.yaml"
    scn = load_scenario(medium)
    plan = _quick_plan(scn)
    t0 = time.perf_counter()
    rp = Replanner(scn, scn.policy, plan)
    assert rp.base_check.valid
    holder = next(c for c in plan.values() if c)
    f = fit(rp, holder, top=10)
    seconds = time.perf_counter() - t0
    assert seconds < 15, seconds
    assert len(f.placements) == 10
    for x in f.placements:  # every priced re-plan is a valid plan, its change exact
        if x.delta is not None:
            assert x.plan[x.post] == holder
            assert x.objective - rp.base_check.objective == x.delta


def _quick_plan(scn):
    """A valid base plan in a second: the assignment core repaired for the side rules (the
    planner's own first plan for large scenarios), without waiting for CP-SAT."""
    from planner.model.core import assignment_core
    from planner.model.instance import Instance
    from planner.model.pairs import pair_table
    from planner.model.repair import repair

    inst = Instance(scn)
    table = pair_table(inst, scn.policy)
    fixed = repair(inst, scn.policy, table,
                   assignment_core(table, inst.n_posts, inst.n_candidates).chosen)
    plan = {p.id: None for p in scn.posts}
    for i in fixed.chosen:
        plan[inst.posts[table.post[i]].id] = inst.candidates[table.cand[i]].id
    return plan
