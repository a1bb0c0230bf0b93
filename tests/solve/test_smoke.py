from builders import cand, post, scenario, unit

from planner import check_plan, solve


def test_two_posts_two_candidates_best_merit_wins():
    scn = scenario(
        units=[unit("P1", "province"), unit("D1", "district", parent="P1")],
        posts=[post("P1-DIR", "P1", "director", priority=2), post("D1-CH", "D1")],
        candidates=[cand("A", home="P1", merit=90), cand("B", home="D1", merit=10)],
        weights={"vacancy": 1000},
    )
    result = solve(scn, workers=1)
    assert result.status.value == "optimal"
    assert result.plan == {"P1-DIR": "A", "D1-CH": "B"}
    assert result.objective == 90 * 2 + 10
    assert check_plan(scn, result.plan).objective == result.objective
