"""`gender_balance` pinned to the contract: among assigned matching posts, women >= min_share x
assigned (exact rationals), separately per `per` unit; soft, per post short."""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve

UNITS = [unit("M", "ministry"), unit("P1", "province"), unit("D11", "district", parent="P1"),
         unit("P2", "province"), unit("D21", "district", parent="P2")]
LEADERS = ["director", "deputy_director"]


def man(id, merit=50, **kw):
    return cand(id, home="P2", merit=merit, **kw)


def woman(id, merit=50, **kw):
    return cand(id, home="P2", merit=merit, gender="female", **kw)


# -- hard form -------------------------------------------------------------------------------

def test_hard_half_needs_one_woman_of_two():
    posts = [post("P1-DIR", "P1", "director", priority=2), post("P1-DEP", "P1", "deputy_director")]
    cands = [man("M1", 90), man("M2", 80), woman("F1", 30)]
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "gender_balance", "roles": LEADERS, "min_share": 0.5}])
    result = optimal(scn)
    # M1 on the priority-2 post, F1 deputy: 180 + 30 (F1 director: 60 + 90 = 150)
    assert result.plan == {"P1-DIR": "M1", "P1-DEP": "F1"}
    assert result.objective == 210
    rep = result.check.rules[0]
    assert (rep.figures["achieved"], rep.figures["assigned"], rep.violation) == (1, 2, 0)
    assert rep.figures["achieved_share"] == 0.5 and rep.figures["required_share"] == 0.5


def test_hard_counts_assigned_posts_only():
    # no woman: the only way to hold is to assign nobody (0 >= 0.5 x 0)
    scn = scenario(UNITS, [post("P1-DIR", "P1", "director")], [man("M1", 90)],
                   rules=[{"rule": "gender_balance", "min_share": 0.5}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": None}
    assert result.objective == -1000
    assert result.check.rules[0].figures["assigned"] == 0


def test_hard_infeasible():
    posts = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy_director")]
    cands = [man("M1"), man("M2"), woman("F1")]
    scn = scenario(UNITS, posts, cands, fixed=[pin("P1-DIR", "M1"), pin("P1-DEP", "M2")],
                   rules=[{"rule": "gender_balance", "min_share": 0.5}])
    assert solve(scn, workers=1).status.value == "infeasible"
    scn = scenario(UNITS, posts, cands[:2], rules=[{"rule": "gender_balance", "min_share": 0.1},
                                                   {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_share_one_means_women_only():
    posts = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy")]
    cands = [man("M1", 90), woman("F1", 20), man("M2", 80)]
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "gender_balance", "roles": ["director"],
                                                "min_share": 1}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "F1", "P1-DEP": "M1"}
    assert result.objective == 110


def test_exact_share_tenth_of_ten():
    # 0.1 x 10 = 1 exactly (the binary float 0.1 is slightly more and would ask for 2)
    units = [unit("P1", "province"), unit("P2", "province")] + \
        [unit(f"D{i}", "district", parent="P1") for i in range(10)]
    posts = [post(f"D{i}-CH", f"D{i}") for i in range(10)]
    cands = [man(f"M{i}", 90) for i in range(10)] + [woman("F", 10)]
    scn = scenario(units, posts, cands, rules=[{"rule": "gender_balance", "min_share": 0.1}])
    result = optimal(scn)
    assert result.objective == 9 * 90 + 10
    assert "F" in result.plan.values() and all(result.plan.values())
    rep = result.check.rules[0]
    assert (rep.figures["achieved"], rep.figures["assigned"], rep.violation) == (1, 10, 0)
    assert check_plan(scn, {f"D{i}-CH": f"M{i}" for i in range(10)}).rules[0].violation == 1


# -- checker: filters, per, vacancies -------------------------------------------------------------

POSTS = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy_director"),
         post("D11-CH", "D11", "chief"), post("P2-DIR", "P2", "director"),
         post("D21-DIR", "D21", "director"), post("M-DIR", "M", "director")]
CANDS = [man("A"), man("B"), man("C"), woman("F"), woman("G")]


@pytest.mark.parametrize("rule,plan,violation,assigned", [
    # no filters: 1 woman of 3 assigned, 0.5 x 3 = 1.5 -> short 1
    ({"min_share": 0.5}, {"P1-DIR": "A", "D11-CH": "B", "P2-DIR": "F"}, 1, 3),
    # roles: the chief post is out: 1 of 2
    ({"min_share": 0.5, "roles": LEADERS}, {"P1-DIR": "A", "D11-CH": "B", "P2-DIR": "F"}, 0, 2),
    # unit_kind province: D21-DIR and M-DIR out
    ({"min_share": 0.5, "unit_kind": "province"},
     {"P1-DIR": "A", "D21-DIR": "B", "M-DIR": "C", "P2-DIR": "F"}, 0, 2),
    # 0.5 of 3 with no woman: short 2
    ({"min_share": 0.5}, {"P1-DIR": "A", "D11-CH": "B", "P2-DIR": "C"}, 2, 3),
    # vacant posts do not count
    ({"min_share": 0.5}, {"P1-DIR": "F"}, 0, 1),
    # per province: P1 has 0 of 2 -> short 1; P2 (P2-DIR, D21-DIR) has 2 of 2; M-DIR outside
    ({"min_share": 0.5, "per": "province"},
     {"P1-DIR": "A", "P1-DEP": "B", "P2-DIR": "F", "D21-DIR": "G", "M-DIR": "C"}, 1, 4),
    # same plan without per: 2 of 5, 0.5 x 5 = 2.5 -> short 1 too, but 5 assigned
    ({"min_share": 0.5},
     {"P1-DIR": "A", "P1-DEP": "B", "P2-DIR": "F", "D21-DIR": "G", "M-DIR": "C"}, 1, 5),
    # per district: only D11-CH and D21-DIR are in groups
    ({"min_share": 1, "per": "district"}, {"P1-DIR": "A", "D11-CH": "F", "D21-DIR": "G"}, 0, 2),
    ({"min_share": 1, "per": "district"}, {"P1-DIR": "F", "D11-CH": "A", "D21-DIR": "B"}, 2, 2),
    ({"min_share": 0}, {"P1-DIR": "A"}, 0, 1),
])
def test_checker(rule, plan, violation, assigned):
    scn = scenario(UNITS, POSTS, CANDS)
    rep = check_plan(scn, plan, policy([{"rule": "gender_balance", **rule}]))
    assert rep.valid is (violation == 0)
    assert rep.rules[0].violation == violation
    assert rep.rules[0].figures["assigned"] == assigned


def test_checker_per_breach_names_group():
    scn = scenario(UNITS, POSTS, CANDS)
    rep = check_plan(scn, {"P1-DIR": "A", "P1-DEP": "B", "P2-DIR": "F"},
                     policy([{"rule": "gender_balance", "min_share": 0.5, "per": "province"}]))
    assert rep.rules[0].breaches == ["P1: 0 of 2 assigned, 1/2 x 2 needed, short by 1"]
    assert rep.rules[0].figures["groups"] == 2 and rep.rules[0].figures["groups_short"] == 1


def test_hard_per_solver():
    # per province, share 1/2: P1 has two leader posts, P2 one; two women, both merit 10
    posts = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy_director"),
             post("P2-DIR", "P2", "director")]
    cands = [man("A", 90), man("B", 80), man("C", 70), woman("F", 10), woman("G", 5)]
    scn = scenario(UNITS, posts, cands,
                   rules=[{"rule": "gender_balance", "min_share": 0.5, "per": "province"}])
    result = optimal(scn)
    # P2 alone needs its only post held by a woman (0.5 x 1 -> 1), P1 needs 1 of 2:
    # A in P1, a woman in P1, the other woman on P2-DIR: 90 + 10 + 5
    assert result.objective == 105
    assert result.plan["P2-DIR"] in ("F", "G")
    assert "A" in result.plan.values()
    rep = result.check.rules[0]
    assert rep.figures["groups"] == 2 and rep.violation == 0


# -- soft form -------------------------------------------------------------------------------

@pytest.mark.parametrize("weight,objective,violation,women", [
    # 3 director posts, three men (90) and one woman (0); share 0.5 -> need 2 of 3
    (50, 270 - 2 * 50, 2, 0),    # k=0: 170; k=1: 180 - 50 = 130
    (100, 180 - 100, 1, 1),      # k=0: 270 - 200 = 70; k=1: 80
])
def test_soft_shortfall(weight, objective, violation, women):
    posts = [post(f"{p}-DIR", p, "director") for p in ("P1", "P2", "D11")]
    cands = [man("A", 90), man("B", 90), man("C", 90), woman("F", 0)]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "gender_balance", "min_share": 0.5, "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation
    assert rep.figures["achieved"] == women and rep.figures["assigned"] == 3


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

BARE_POSTS = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")]
BARE_CANDS = [man("M1", 90), man("M2", 80), woman("F", 10)]
HALF = {"rule": "gender_balance", "min_share": 0.5}


def test_bare_model_keeps_the_share():
    held = assert_binding(scenario(UNITS, BARE_POSTS, BARE_CANDS), HALF)
    # the free optimum is M1 and M2 (170); one post of two must go to F
    assert sorted(held.plan.values()) == ["F", "M1"] and held.objective == 100


def test_bare_model_infeasible_when_both_posts_are_fixed_to_men():
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS, fixed=[pin("P1-DIR", "M1"), pin("P2-DIR", "M2")])
    assert_infeasible(scn, HALF)


def test_bare_model_soft_pays_the_weight_per_post_short():
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS)
    soft = assert_soft_penalty(scn, {**HALF, "hard": False, "weight": 20})
    assert sorted(soft.plan.values()) == ["M1", "M2"] and soft.objective == 150   # 170 - 20 > 100
