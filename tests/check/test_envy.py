"""Envy counted on hand-made plans (planner/check/envy.py): the contract's conditions one by
one, each with a case where it decides."""

from __future__ import annotations

from builders import cand, pin, post, scenario, unit

from planner.check.envy import Envy, choice_counts, envious_pairs, has_preferences
from planner.check.view import PlanView
from planner.scenario import Scenario

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1"),
         unit("D2", "district", parent="P1"), unit("P2", "province"),
         unit("D3", "district", parent="P2")]


def view(scn: Scenario, plan: dict[str, str]) -> PlanView:
    """The plan (post id -> officer id) as the checker reads it."""
    posts = {p.id: i for i, p in enumerate(scn.posts)}
    cands = {c.id: i for i, c in enumerate(scn.candidates)}
    return PlanView(scn, {posts[p]: cands[c] for p, c in plan.items()})


def two_posts(a: dict, b: dict, **kw) -> Scenario:
    """A prefers D1 then D3; it holds D3-C, B holds D1-C (unless a plan says otherwise)."""
    return scenario(UNITS, [post("D1-C", "D1", **kw.pop("post", {})), post("D3-C", "D3")],
                    [cand("A", "D1", preferences=["D1", "D3"], **a), cand("B", "D1", **b)], **kw)


def test_lower_merit_holder_is_envied_with_both_ranks() -> None:
    scn = two_posts({"merit": 80}, {"merit": 60})
    assert envious_pairs(view(scn, {"D1-C": "B", "D3-C": "A"})) == [Envy("A", "D1-C", "B", 1, 2)]


def test_equal_or_higher_merit_is_no_envy() -> None:
    for merit in (80, 90):
        scn = two_posts({"merit": 80}, {"merit": merit})
        assert envious_pairs(view(scn, {"D1-C": "B", "D3-C": "A"})) == []


def test_vacant_post_is_envied_by_the_unassigned() -> None:
    scn = two_posts({"merit": 0}, {"merit": 60})
    assert envious_pairs(view(scn, {})) == [Envy("A", "D1-C", None, 1, None),
                                            Envy("A", "D3-C", None, 2, None)]


def test_unranked_own_post_has_infinite_rank() -> None:
    scn = scenario(UNITS, [post("D1-C", "D1"), post("D2-C", "D2")],
                   [cand("A", "D1", preferences=["D1"], merit=80)])
    assert envious_pairs(view(scn, {"D2-C": "A"})) == [Envy("A", "D1-C", None, 1, None)]


def test_first_choice_envies_nothing_and_better_rank_only() -> None:
    scn = two_posts({"merit": 80}, {"merit": 60})
    assert envious_pairs(view(scn, {"D1-C": "A", "D3-C": "B"})) == []


def test_e1_excuses_envy() -> None:
    for req in ({"min_education": "master"}, {"min_political_theory": "advanced"},
                {"min_rating": "excellent"}, {"max_age": 50}):
        scn = two_posts({"merit": 80}, {"merit": 60}, post=req)
        assert envious_pairs(view(scn, {"D3-C": "A"})) == [], req
    scn = two_posts({"merit": 80}, {"merit": 60}, post={"max_age": 51})  # age 51 in 2026
    assert envious_pairs(view(scn, {"D3-C": "A"})) == [Envy("A", "D1-C", None, 1, 2)]


def test_forbidden_excuses_envy_but_non_local_does_not() -> None:
    scn = two_posts({"merit": 80}, {"merit": 60}, forbidden=[pin("D1-C", "A")])
    assert envious_pairs(view(scn, {"D3-C": "A"})) == []
    local = two_posts({"merit": 80}, {"merit": 60},
                      rules=[{"rule": "non_local", "roles": ["chief"]}])
    assert envious_pairs(view(local, {"D3-C": "A"})) == [Envy("A", "D1-C", None, 1, 2)]


def test_unavailable_officer_envies_nothing() -> None:
    scn = two_posts({"merit": 80, "leaves": 2026}, {"merit": 60})
    assert envious_pairs(view(scn, {})) == []


def test_ancestor_contains_and_first_containing_unit_ranks() -> None:
    """P1 (rank 2) contains D1, ranked 3 later: D1's post ranks 2; P2's D3 post ranks 1."""
    scn = scenario(UNITS, [post("D1-C", "D1"), post("D3-C", "D3"), post("D2-C", "D2")],
                   [cand("A", "D1", preferences=["P2", "P1", "D1"], merit=80)])
    assert envious_pairs(view(scn, {})) == [Envy("A", "D1-C", None, 2, None),
                                            Envy("A", "D3-C", None, 1, None),
                                            Envy("A", "D2-C", None, 2, None)]
    assert envious_pairs(view(scn, {"D1-C": "A"})) == [Envy("A", "D3-C", None, 1, 2)]


def test_posts_filter_limits_the_envied_posts_not_the_own_rank() -> None:
    scn = scenario(UNITS, [post("D1-C", "D1", role="director"), post("D3-C", "D3")],
                   [cand("A", "D1", preferences=["D1", "D3"], merit=80)])
    only_chief = envious_pairs(view(scn, {"D1-C": "A"}), lambda p: p.role == "chief")
    assert only_chief == []
    assert envious_pairs(view(scn, {}), lambda p: p.role == "director") == \
        [Envy("A", "D1-C", None, 1, None)]


def test_officers_then_posts_in_scenario_order() -> None:
    scn = scenario(UNITS, [post("D3-C", "D3"), post("D1-C", "D1")],
                   [cand("B", "D1", preferences=["D1", "D3"], merit=70),
                    cand("A", "D1", preferences=["D1", "D3"], merit=80)])
    assert [(e.officer, e.post) for e in envious_pairs(view(scn, {}))] == \
        [("B", "D3-C"), ("B", "D1-C"), ("A", "D3-C"), ("A", "D1-C")]


def test_choice_counts_and_has_preferences() -> None:
    scn = scenario(UNITS, [post("D1-C", "D1"), post("D2-C", "D2"), post("D3-C", "D3"),
                           post("D3-B", "D3"), post("P1-D", "P1")],
                   [cand("A", "D1", preferences=["D1"]), cand("B", "D1", preferences=["D1", "P2"]),
                    cand("C", "D1", preferences=["D2", "D1", "P1"]), cand("E", "D1")])
    plan = {"D1-C": "A", "D3-C": "B", "D2-C": "C", "D3-B": "E"}
    assert choice_counts(view(scn, plan)) == {1: 2, 2: 1, 3: 0}
    assert choice_counts(view(scn, {"D1-C": "C", "P1-D": "A"})) == {1: 0, 2: 1, 3: 0}
    assert choice_counts(view(scn, {"P1-D": "C"})) == {1: 0, 2: 0, 3: 1}
    assert choice_counts(view(scn, {"D2-C": "B"})) == {1: 0, 2: 0, 3: 0}
    assert has_preferences(scn)
    assert not has_preferences(scenario(UNITS, [], [cand("E", "D1")]))
