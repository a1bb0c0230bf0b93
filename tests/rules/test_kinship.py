"""`kinship` pinned to the contract: no relation has both ends on posts with the same key,
the key being `anc(post unit, scope)` (default province) or the post's own unit where that is
none. Relations are unordered pairs; a pair listed twice (either way round) is one relation.
"""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, relation, scenario, unit

from planner import check_plan, solve

UNITS = [unit("M", "ministry"), unit("M2", "ministry", parent="M"),
         unit("P1", "province"), unit("D11", "district", parent="P1"),
         unit("C111", "commune", parent="D11"), unit("D12", "district", parent="P1"),
         unit("P2", "province")]
POSTS = [post("P1-DIR", "P1", "director"), post("D11-CH", "D11"), post("C111-CH", "C111"),
         post("D12-CH", "D12"), post("P2-DIR", "P2", "director"), post("M-DIR", "M", "director"),
         post("M-DEP", "M", "deputy"), post("M2-DIR", "M2", "director")]
CANDS = [cand("A", home="P1"), cand("B", home="P1"), cand("C", home="P2")]


# -- key: scope ancestor, or the post's own unit ----------------------------------------------

@pytest.mark.parametrize("scope,pa,pb,together", [
    (None, "P1-DIR", "D11-CH", True),      # both in province P1
    (None, "D11-CH", "C111-CH", True),
    (None, "D11-CH", "D12-CH", True),
    (None, "P1-DIR", "P2-DIR", False),
    (None, "M-DIR", "M-DEP", True),        # no province: key is the unit itself (M = M)
    (None, "M-DIR", "M2-DIR", False),      # ... M and M2 differ
    (None, "M-DIR", "P1-DIR", False),
    ("district", "D11-CH", "C111-CH", True),
    ("district", "D11-CH", "D12-CH", False),
    ("district", "P1-DIR", "D11-CH", False),   # P1 has no district: key P1 vs D11
    ("commune", "D11-CH", "C111-CH", False),   # keys D11 (fallback) and C111
    ("ministry", "M-DIR", "M2-DIR", False),    # anc(M2, ministry) = M2 itself
    ("province", "D12-CH", "C111-CH", True),
])
def test_key_checker_and_solver(scope, pa, pb, together):
    rule = {"rule": "kinship"} if scope is None else {"rule": "kinship", "scope": scope}
    scn = scenario(UNITS, POSTS, CANDS, relations=[relation("A", "B")], rules=[rule])
    rep = check_plan(scn, {pa: "A", pb: "B"})
    assert rep.valid is (not together)
    assert rep.rules[0].violation == (1 if together else 0)
    assert rep.rules[0].figures["related_pairs_together"] == (1 if together else 0)
    if together:
        assert any("A and B are related" in v for v in rep.violations)
    # solver: only these two posts, pinned A there; B must not join A when they share a key
    scn = scenario(UNITS, [p for p in POSTS if p.id in (pa, pb)], CANDS[:2],
                   relations=[relation("A", "B")], fixed=[pin(pa, "A")], rules=[rule])
    result = optimal(scn)
    assert result.plan == {pa: "A", pb: None if together else "B"}
    assert result.objective == 50 + (-1000 if together else 50)


# -- hard form -------------------------------------------------------------------------------

def test_hard_relatives_split_across_provinces():
    posts = [post("P1-DIR", "P1", "director", priority=2), post("D11-CH", "D11"),
             post("P2-DIR", "P2", "director")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=80),
             cand("C", home="P2", merit=10)]
    scn = scenario(UNITS, posts, cands, relations=[relation("A", "B", "spouse")],
                   rules=[{"rule": "kinship"}])
    result = optimal(scn)
    # A (90) on P1-DIR (x2); B may not join A in P1, so B on P2-DIR and C on D11-CH:
    # 180 + 80 + 10 = 270 (B on P1-DIR, A on P2-DIR: 160 + 90 + 10 = 260)
    assert result.plan == {"P1-DIR": "A", "D11-CH": "C", "P2-DIR": "B"}
    assert result.objective == 270
    assert result.check.rules[0].violation == 0


def test_hard_leaves_post_vacant_rather_than_place_relatives_together():
    posts = [post("P1-DIR", "P1", "director", priority=2), post("D11-CH", "D11")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=80)]
    scn = scenario(UNITS, posts, cands, relations=[relation("A", "B")], rules=[{"rule": "kinship"}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "A", "D11-CH": None}
    assert result.objective == 180 - 1000


def test_hard_infeasible_when_fixed_together():
    scn = scenario(UNITS, POSTS, CANDS, relations=[relation("A", "B")],
                   fixed=[pin("P1-DIR", "A"), pin("C111-CH", "B")], rules=[{"rule": "kinship"}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_infeasible_with_fill():
    posts = [post("P1-DIR", "P1", "director"), post("D11-CH", "D11")]
    scn = scenario(UNITS, posts, CANDS[:2], relations=[relation("A", "B")],
                   rules=[{"rule": "kinship"}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_unrelated_and_half_assigned_pairs_are_fine():
    scn = scenario(UNITS, POSTS, CANDS, relations=[relation("A", "B")])
    pol = policy([{"rule": "kinship"}])
    # A and C are not related
    assert check_plan(scn, {"P1-DIR": "A", "D11-CH": "C"}, pol).valid is True
    # B not assigned
    assert check_plan(scn, {"P1-DIR": "A"}, pol).valid is True


# -- relations: undirected, deduplicated ------------------------------------------------------

def test_duplicate_relations_count_once():
    rels = [relation("A", "B", "kin"), relation("B", "A", "spouse"), relation("A", "B", "clan")]
    scn = scenario(UNITS, POSTS, CANDS, relations=rels)
    rep = check_plan(scn, {"P1-DIR": "A", "D11-CH": "B"},
                     policy([{"rule": "kinship", "hard": False, "weight": 30}]))
    assert rep.valid is True
    assert rep.rules[0].figures["relations"] == 1
    assert rep.rules[0].violation == 1 and rep.rules[0].penalty == 30
    assert rep.objective == 50 + 50 - 30 - 1000 * (len(POSTS) - 2)


def test_duplicate_relations_solver_pays_once():
    posts = [post("P1-DIR", "P1", "director"), post("D11-CH", "D11")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=80)]
    rels = [relation("A", "B"), relation("B", "A", "spouse")]
    scn = scenario(UNITS, posts, cands, relations=rels,
                   rules=[{"rule": "kinship", "hard": False, "weight": 30}])
    result = optimal(scn)
    # together: 170 - 30 = 140 (counted twice it would be 170 - 60 = 110)
    assert set(result.plan.values()) == {"A", "B"}
    assert result.objective == 140
    assert result.check.rules[0].violation == 1


def test_each_relation_counts_separately():
    # A~B, B~C, A~C all placed inside P1: three relations broken
    rels = [relation("A", "B"), relation("B", "C"), relation("C", "A")]
    scn = scenario(UNITS, POSTS, CANDS, relations=rels)
    rep = check_plan(scn, {"P1-DIR": "A", "D11-CH": "B", "D12-CH": "C"},
                     policy([{"rule": "kinship", "hard": False, "weight": 7}]))
    assert rep.rules[0].violation == 3 and rep.rules[0].penalty == 21
    assert rep.rules[0].figures["relations"] == 3
    # C moved to P2: only A~B remains together
    rep = check_plan(scn, {"P1-DIR": "A", "D11-CH": "B", "P2-DIR": "C"},
                     policy([{"rule": "kinship", "hard": False, "weight": 7}]))
    assert rep.rules[0].violation == 1


# -- soft form -------------------------------------------------------------------------------

@pytest.mark.parametrize("weight,plan,objective,violation", [
    # P1-DIR priority 2. A with B: 180 + 80 - w; A with C: 180 + 10
    (50, {"P1-DIR": "A", "D11-CH": "B"}, 210, 1),
    (80, {"P1-DIR": "A", "D11-CH": "C"}, 190, 0),
])
def test_soft_per_relation(weight, plan, objective, violation):
    posts = [post("P1-DIR", "P1", "director", priority=2), post("D11-CH", "D11")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=80),
             cand("C", home="P2", merit=10)]
    scn = scenario(UNITS, posts, cands, relations=[relation("A", "B")],
                   rules=[{"rule": "kinship", "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == plan
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


def test_soft_three_relatives_in_one_province():
    # A~B, B~C, A~C; two posts in P1 and one in P2, weight 20 per relation. Filling every
    # post puts two relatives in P1 (one relation): 90 + 80 + 70 - 20 = 220; leaving a P1 post
    # vacant instead costs 1000.
    posts = [post("P1-DIR", "P1", "director"), post("D11-CH", "D11"), post("P2-DIR", "P2", "director")]
    cands = [cand("A", home="P2", merit=90), cand("B", home="P2", merit=80),
             cand("C", home="P2", merit=70)]
    rels = [relation("A", "B"), relation("B", "C"), relation("A", "C")]
    scn = scenario(UNITS, posts, cands, relations=rels,
                   rules=[{"rule": "kinship", "hard": False, "weight": 20}])
    result = optimal(scn)
    # every post filled (3 posts, 3 candidates): two share P1, one relation broken: 240 - 20
    assert result.objective == 220
    assert result.check.rules[0].violation == 1


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

# P1-DIR and D11-CH both lie in province P1; A and B are related.
BARE_CANDS = [cand("A", home="P1", merit=90), cand("B", home="P1", merit=80),
              cand("C", home="P2", merit=10)]
BARE_RELATIONS = [relation("A", "B")]


def test_bare_model_keeps_relatives_apart():
    scn = scenario(UNITS, POSTS[:2], BARE_CANDS, relations=BARE_RELATIONS)
    held = assert_binding(scn, {"rule": "kinship"})
    # the free optimum is A and B (170); one of them must give way to C
    assert sorted(held.plan.values()) == ["A", "C"] and held.objective == 100


def test_bare_model_infeasible_when_relatives_are_fixed_in_one_province():
    scn = scenario(UNITS, POSTS[:2], BARE_CANDS, relations=BARE_RELATIONS,
                   fixed=[pin("P1-DIR", "A"), pin("D11-CH", "B")])
    assert_infeasible(scn, {"rule": "kinship"})


def test_bare_model_soft_pays_the_weight_per_relation():
    scn = scenario(UNITS, POSTS[:2], BARE_CANDS, relations=BARE_RELATIONS * 2)  # twice: one relation
    soft = assert_soft_penalty(scn, {"rule": "kinship", "hard": False, "weight": 20})
    assert sorted(soft.plan.values()) == ["A", "B"] and soft.objective == 150   # 170 - 20 > 100
