"""The independent checker (planner/check/) on hand-made plans, answers worked out by hand from
the contract (/work/shared/spec/scenario.md, sections 3 and 4).

    P1 (province, lat 0, lon 0) ── D1 (district, difficult) ── C1 (commune)
    P2 (province, lat 0, lon 2.7: 300 km from P1 and from D1, which takes P1's place)
    M (ministry, no coordinates: every distance to it is 0)

Posts: P1-DIR (priority 3; min_education master, min_rating good; specialties law, tax),
D1-CH (priority 2; min_political_theory advanced, max_age 50), P2-DIR (priority 1).
Officers (term_start 2026): A (master, advanced, good, merit 80, aged 56, holds P1-DIR,
specialty law, serves at P1); B (university, intermediate, excellent, merit 60, aged 46, serves
at P2); C (phd, advanced, good, merit 40, aged 36, prefers P1, serves at M); D (master,
advanced, completed, merit 10, serves at M).
Weights: merit 1, specialty 7, preference 3, move 5, distance 2, vacancy 100.
"""

from typing import Any

import pytest
from builders import cand, pin, policy, post, relation, scenario, unit

from planner import check_plan
from planner.check.tree import Tree
from planner.check.view import PlanView
from planner.scenario import Scenario
from planner.schema import UnitKind

UNITS = [unit("P1", "province", lat=0.0, lon=0.0), unit("D1", "district", parent="P1", difficult=True),
         unit("C1", "commune", parent="D1"), unit("P2", "province", lat=0.0, lon=2.7),
         unit("M", "ministry")]
POSTS = [post("P1-DIR", "P1", "director", priority=3, min_education="master", min_rating="good",
              specialties=["law", "tax"]),
         post("D1-CH", "D1", "chief", priority=2, min_political_theory="advanced", max_age=50),
         post("P2-DIR", "P2", "director")]
CANDS = [cand("A", home="P1", education="master", political_theory="advanced", merit=80,
              birth_year=1970, current_post="P1-DIR", specialties=["law"]),
         cand("B", home="P2", rating="excellent", merit=60, birth_year=1980),
         cand("C", home="M", education="phd", political_theory="advanced", merit=40,
              birth_year=1990, preferences=["P1"]),
         cand("D", home="M", education="master", political_theory="advanced", rating="completed",
              merit=10)]
WEIGHTS = {"merit": 1, "specialty": 7, "preference": 3, "move": 5, "distance": 2, "vacancy": 100}
NO_RULES = policy(None, WEIGHTS)


def micro(**kw: Any) -> Scenario:
    return scenario(UNITS, POSTS, CANDS, **kw)


# -- the objective, term by term -----------------------------------------------------------------

@pytest.mark.parametrize("plan,terms,moved", [
    # A stays on P1-DIR: 80 x 3, shares law (+7), no move, 0 km; C on D1-CH: 40 x 2, prefers
    # P1 which holds D1 (+3), moves (-5), serves at M (0 km); P2-DIR vacant: -100 x 1
    ({"P1-DIR": "A", "D1-CH": "C", "P2-DIR": None},
     {"merit": 320, "specialty": 7, "preference": 3, "move": -5, "distance": 0, "vacancy": -100}, 1),
    # A moves to P2-DIR: 80 x 1, 300 km from P1 (-2 x 3); C as before; P1-DIR vacant: -100 x 3
    ({"P2-DIR": "A", "D1-CH": "C"},
     {"merit": 160, "specialty": 0, "preference": 3, "move": -10, "distance": -6, "vacancy": -300}, 2),
    # nothing listed: every post vacant, -100 x (3 + 2 + 1)
    ({}, {"merit": 0, "specialty": 0, "preference": 0, "move": 0, "distance": 0, "vacancy": -600}, 0),
])
def test_objective_by_term(plan, terms, moved):
    rep = check_plan(micro(), plan, NO_RULES)
    assert rep.valid and rep.violations == []
    assert rep.terms == terms and rep.objective == sum(terms.values())
    filled = sum(1 for c in plan.values() if c)
    assert (rep.filled, rep.vacant, rep.moved) == (filled, 3 - filled, moved)
    assert rep.to_json() == {"valid": True, "objective": rep.objective, "terms": terms,
                             "violations": [], "filled": filled, "vacant": 3 - filled, "moved": moved}


def test_default_weights_and_the_scenarios_own_policy():
    # no policy anywhere: merit 1, vacancy 1000, the rest 0; D1-CH (2) and P2-DIR (1) vacant
    rep = check_plan(micro(), {"P1-DIR": "A"})
    assert rep.objective == 240 - 1000 * 3 and rep.terms["vacancy"] == -3000
    # the scenario's policy is used when none is given
    assert check_plan(micro(weights=WEIGHTS), {"P1-DIR": "A"}).objective == 240 + 7 - 300


def test_soft_rule_is_a_term_and_hard_rule_a_violation():
    rules = [{"rule": "fill", "roles": ["director"]},
             {"rule": "gender_balance", "min_share": 0.5, "hard": False, "weight": 9}]
    rep = check_plan(micro(), {"P1-DIR": "A", "D1-CH": "C"}, policy(rules, WEIGHTS))
    # P2-DIR is vacant: the hard fill breaks; no woman among two: short by 1, -9
    assert not rep.valid
    assert rep.violations == ["hard rule fill[roles=director]: post P2-DIR is vacant"]
    assert rep.terms["rule:gender_balance[min_share=0.5]"] == -9
    assert rep.objective == 225 - 9
    fill, balance = rep.rules
    assert (fill.violation, fill.penalty, balance.violation, balance.penalty) == (1, 0, 1, 9)


# -- E1 and E2 ------------------------------------------------------------------------------------

def test_e1_violations_named():
    rep = check_plan(micro(), {"P1-DIR": "B", "D1-CH": "A"}, NO_RULES)
    assert not rep.valid
    assert rep.violations == ["post P1-DIR holds B: education university is below min_education master",
                              "post D1-CH holds A: age 56 is above max_age 50"]
    rep = check_plan(micro(), {"P1-DIR": "D", "D1-CH": "B"}, NO_RULES)
    assert rep.violations == [
        "post P1-DIR holds D: rating completed is below min_rating good",
        "post D1-CH holds B: political_theory intermediate is below min_political_theory advanced"]


def test_e2_violations_named():
    scn = micro(fixed=[pin("P2-DIR", "B")], forbidden=[pin("D1-CH", "C")])
    rep = check_plan(scn, {"P1-DIR": "A", "D1-CH": "C"}, NO_RULES)
    assert rep.violations == ["fixed pair P2-DIR = B is not in the plan",
                              "forbidden pair D1-CH = C is in the plan"]
    assert check_plan(scn, {"P1-DIR": "A", "P2-DIR": "B"}, NO_RULES).valid


def test_unknown_posts_and_candidates_and_a_candidate_on_two_posts():
    plan = {"XX": "A", "P1-DIR": "ZZ", "P2-DIR": "B", "D1-CH": "B"}
    rep = check_plan(micro(), plan, NO_RULES)
    assert rep.violations == ["unknown post 'XX'", "post P1-DIR: unknown candidate 'ZZ'",
                              "candidate B is on two posts: P2-DIR and D1-CH"]
    # what is left is read as the plan: B on P2-DIR, the other two vacant
    assert (rep.filled, rep.vacant) == (1, 2)
    assert rep.objective == 60 - 5 - 300 - 200


# -- what the rules' checks read: the plan view and the unit tree ------------------------------

def test_plan_view():
    scn = micro(relations=[relation("A", "B"), relation("B", "A", "spouse"), relation("C", "A")])
    view = PlanView(scn, {2: 0, 0: 2})
    assert list(view.assigned()) == [(0, 2), (2, 0)]   # post order, whatever the dict's
    assert (view.post_id(2), view.cand_id(0), view.post_by_id("D1-CH").priority) == ("P2-DIR", "A", 2)
    assert view.unit_of_post(1).id == "D1" and view.term_start == 2026
    assert view.relation_pairs() == [(0, 1), (0, 2)]   # unordered, each once


def test_tree():
    tree = Tree(UNITS)
    assert [u.id for u in tree.up("C1")] == ["C1", "D1", "P1"] and list(tree.up(None)) == []
    assert tree.contains("P1", "C1") and tree.contains("C1", "C1")
    assert not tree.contains("C1", "P1") and not tree.contains(None, "P1")
    assert tree.anc("C1", UnitKind.province) == "P1" and tree.anc("C1", UnitKind.commune) == "C1"
    assert tree.anc("M", UnitKind.province) is None
    assert tree.kind("D1") == UnitKind.district
    assert tree.difficult("C1") and tree.difficult("D1") and not tree.difficult("P1")
    assert tree.coord("C1") == (0.0, 0.0) and tree.coord("P2") == (0.0, 2.7)
    assert tree.coord("M") is None
