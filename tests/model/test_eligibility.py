"""E1 (a candidate meets the post's min_education, min_political_theory, min_rating, max_age)
and E2 (fixed pairs are in the plan, forbidden ones are not), always in force, whatever the
policy. Ages are `term_start - birth_year` (term_start 2026)."""

import pytest
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve
from planner.model.horizon import index
from planner.model.pairs import pair_table
from planner.scenario import effective_policy
from planner.schema import Pin

UNITS = [unit("P1", "province"), unit("P2", "province")]


# -- E1, one requirement at a time, on both sides (checker and solver) ---------------------------

E1 = [
    # post requirement, candidate field, value, eligible?
    ({"min_education": "master"}, "education", "college", False),
    ({"min_education": "master"}, "education", "university", False),
    ({"min_education": "master"}, "education", "master", True),
    ({"min_education": "master"}, "education", "phd", True),
    ({"min_education": "college"}, "education", "college", True),
    ({"min_political_theory": "advanced"}, "political_theory", "intermediate", False),
    ({"min_political_theory": "advanced"}, "political_theory", "advanced", True),
    ({"min_political_theory": "intermediate"}, "political_theory", "primary", False),
    ({"min_political_theory": "intermediate"}, "political_theory", "advanced", True),
    ({"min_rating": "good"}, "rating", "not_completed", False),
    ({"min_rating": "good"}, "rating", "completed", False),
    ({"min_rating": "good"}, "rating", "good", True),
    ({"min_rating": "good"}, "rating", "excellent", True),
    ({"min_rating": "excellent"}, "rating", "good", False),
    ({"max_age": 45}, "birth_year", 2026 - 44, True),
    ({"max_age": 45}, "birth_year", 2026 - 45, True),    # at most max_age
    ({"max_age": 45}, "birth_year", 2026 - 46, False),
]


@pytest.mark.parametrize("req,field,value,eligible", E1)
def test_e1_single_requirement(req, field, value, eligible):
    scn = scenario(UNITS, [post("X", "P1", "director", **req)],
                   [cand("A", home="P2", merit=70, **{field: value})])
    rep = check_plan(scn, {"X": "A"})
    assert rep.valid is eligible
    if not eligible:
        (msg,) = rep.violations
        name = next(iter(req))
        assert msg.startswith("post X holds A: ") and name in msg
    result = optimal(scn)
    assert result.plan == {"X": "A" if eligible else None}
    assert result.objective == (70 if eligible else -1000)


def test_e1_messages():
    scn = scenario(UNITS, [post("X", "P1", min_education="phd", max_age=40)],
                   [cand("A", home="P2", education="master", birth_year=1976)])
    rep = check_plan(scn, {"X": "A"})
    assert rep.violations == ["post X holds A: education master is below min_education phd",
                              "post X holds A: age 50 is above max_age 40"]


def test_e1_all_requirements_together_pick_the_qualified():
    req = dict(min_education="master", min_political_theory="advanced", min_rating="good", max_age=50)
    ok = dict(education="master", political_theory="advanced", rating="good", birth_year=1980)
    cands = [cand("EDU", home="P2", merit=99, **{**ok, "education": "university"}),
             cand("POL", home="P2", merit=98, **{**ok, "political_theory": "intermediate"}),
             cand("RAT", home="P2", merit=97, **{**ok, "rating": "completed"}),
             cand("OLD", home="P2", merit=96, **{**ok, "birth_year": 1975}),
             cand("OK", home="P2", merit=10, **ok)]
    scn = scenario(UNITS, [post("X", "P1", "director", **req)], cands)
    result = optimal(scn)
    assert result.plan == {"X": "OK"}
    assert result.objective == 10


def test_e1_holds_under_any_policy():
    # a policy of soft rules only does not relax E1
    scn = scenario(UNITS, [post("X", "P1", min_rating="excellent")], [cand("A", home="P2")],
                   rules=[{"rule": "fill", "hard": False, "weight": 5000}])
    result = optimal(scn)
    assert result.plan == {"X": None}
    assert result.objective == -1000 - 5000


# -- E2: fixed and forbidden ----------------------------------------------------------------------

def test_fixed_pair_overrides_the_objective():
    posts = [post("X", "P1", priority=3), post("Y", "P2")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=10)]
    scn = scenario(UNITS, posts, cands, fixed=[pin("X", "B")])
    result = optimal(scn)
    assert result.plan == {"X": "B", "Y": "A"}
    assert result.objective == 3 * 10 + 90   # 120, against 3 x 90 + 10 = 280 unpinned


def _pairs(scn) -> set[tuple[str, str]]:
    inst = index(scn)
    table = pair_table(inst, effective_policy(scn, None))
    return {(inst.posts[p].id, inst.candidates[c].id) for p, c in zip(table.post, table.cand)}


def test_a_fixed_pair_leaves_its_post_and_its_officer_no_other_pair():
    """Exact: in every plan the pinned officer holds the pinned post, so the post's other
    pairs and the officer's are in none (a scenario that pins most of a national plan then
    models only what is left to decide)."""
    posts = [post("X", "P1", priority=3), post("Y", "P2"), post("Z", "P2")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=10),
             cand("C", home="P1", merit=50)]
    assert len(_pairs(scenario(UNITS, posts, cands))) == 9
    scn = scenario(UNITS, posts, cands, fixed=[pin("X", "B")])
    assert _pairs(scn) == {("X", "B"), ("Y", "A"), ("Y", "C"), ("Z", "A"), ("Z", "C")}
    assert optimal(scn).plan == {"X": "B", "Y": "A", "Z": "C"}
    # pins that clash are left whole to the model, which reports them
    clash = scenario(UNITS, posts, cands, fixed=[pin("X", "B"), pin("Y", "B")])
    assert len(_pairs(clash)) == 9
    assert solve(clash, workers=1).status.value == "infeasible"


def test_a_horizon_pin_narrows_its_own_period_only():
    posts = [post("X", "P1"), post("Y", "P2")]
    cands = [cand("A", home="P2"), cand("B", home="P2")]
    scn = scenario(UNITS, posts, cands, fixed=[Pin(post="X", candidate="B", period=2031)])
    scn = scn.model_copy(update={"periods": [2026, 2031]})
    pairs = _pairs(scn)
    assert {pair for pair in pairs if pair[0].endswith("@2026")} == \
        {(f"{q}@2026", f"{o}@2026") for q in "XY" for o in "AB"}
    assert {pair for pair in pairs if pair[0].endswith("@2031")} == \
        {("X@2031", "B@2031"), ("Y@2031", "A@2031")}


def test_forbidden_pair_is_avoided():
    posts = [post("X", "P1", priority=3), post("Y", "P2")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=10)]
    scn = scenario(UNITS, posts, cands, forbidden=[pin("X", "A")])
    result = optimal(scn)
    assert result.plan == {"X": "B", "Y": "A"}
    assert result.objective == 120
    # forbidding A everywhere leaves Y vacant
    scn = scenario(UNITS, posts, cands, forbidden=[pin("X", "A"), pin("Y", "A")])
    result = optimal(scn)
    assert result.plan == {"X": "B", "Y": None}
    assert result.objective == 30 - 1000


@pytest.mark.parametrize("req,field,value,reason", [
    ({"min_education": "phd"}, "education", "master", "min_education"),
    ({"min_political_theory": "advanced"}, "political_theory", "primary", "min_political_theory"),
    ({"min_rating": "excellent"}, "rating", "good", "min_rating"),
    ({"max_age": 30}, "birth_year", 1990, "max_age"),
])
def test_fixed_ineligible_pair_is_infeasible(req, field, value, reason):
    scn = scenario(UNITS, [post("X", "P1", **req)],
                   [cand("A", home="P2", **{field: value}), cand("B", home="P2", education="phd",
                                                            political_theory="advanced",
                                                            rating="excellent", birth_year=2000)],
                   fixed=[pin("X", "A")])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert result.plan == {} and result.objective is None
    text = " ".join(result.explanation)
    assert "X" in text and "A" in text and reason in text


def test_fixed_and_forbidden_same_pair_is_infeasible():
    scn = scenario(UNITS, [post("X", "P1")], [cand("A", home="P2")],
                   fixed=[pin("X", "A")], forbidden=[pin("X", "A")])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert "forbidden" in " ".join(result.explanation)


def test_checker_e2():
    posts = [post("X", "P1"), post("Y", "P2")]
    cands = [cand("A", home="P2"), cand("B", home="P2")]
    scn = scenario(UNITS, posts, cands, fixed=[pin("X", "A")], forbidden=[pin("Y", "B")])
    assert check_plan(scn, {"X": "A", "Y": None}).valid is True
    assert check_plan(scn, {"X": "A"}).valid is True   # unlisted posts are vacant
    rep = check_plan(scn, {"X": "B", "Y": "A"})
    assert rep.valid is False
    assert rep.violations == ["fixed pair X = A is not in the plan"]
    rep = check_plan(scn, {"X": None, "Y": "B"})
    assert rep.violations == ["fixed pair X = A is not in the plan",
                              "forbidden pair Y = B is in the plan"]


def test_checker_e1_and_e2_ignore_the_policy():
    scn = scenario(UNITS, [post("X", "P1", min_education="phd")], [cand("A", home="P2")],
                   fixed=[pin("X", "A")])
    # an empty policy, a soft policy: the plan is still invalid on E1
    for pol in (policy([]), policy([{"rule": "fill", "hard": False, "weight": 1}])):
        rep = check_plan(scn, {"X": "A"}, pol)
        assert rep.valid is False
        assert rep.violations == ["post X holds A: education university is below min_education phd"]
