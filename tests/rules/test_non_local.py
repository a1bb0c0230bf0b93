"""`non_local` pinned to the contract (section 4, "Locality" and "Short").

Unit tree used throughout:

    M (ministry)
    P1 (province) ── D11 (district) ── C111 (commune)
                  └─ D12 (district)
    P2 (province) ── D21 (district)
"""

import numpy as np
import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, optimal, pin, policy, post, scenario, unit

from planner import check_plan, solve
from planner.model.instance import Instance
from planner.scenario import effective_policy

UNITS = [
    unit("M", "ministry"),
    unit("P1", "province"),
    unit("D11", "district", parent="P1"),
    unit("C111", "commune", parent="D11"),
    unit("D12", "district", parent="P1"),
    unit("P2", "province"),
    unit("D21", "district", parent="P2"),
]


# -- locality: home / ties against the scope unit, both directions ---------------------------

LOCALITY = [
    # post unit, scope, home, ties, local?, subject?
    ("P1", None, "P1", None, True, True),            # home is the scope unit itself
    ("P1", None, "D11", None, True, True),           # home inside the scope unit
    ("P1", None, "C111", None, True, True),          # ... at any depth
    ("P1", None, "P2", None, False, True),
    ("P1", None, "M", None, False, True),
    ("D11", None, "P1", None, True, True),           # home is an ancestor of the scope unit
    ("D11", None, "D12", None, False, True),         # sibling district: not local
    ("D11", "province", "D12", None, True, True),    # scope province: S = P1 contains D12
    ("D11", "province", "D21", None, False, True),
    ("C111", "district", "D11", None, True, True),
    ("C111", "district", "D12", None, False, True),
    ("C111", None, "D11", None, True, True),         # default scope = C111, D11 is its ancestor
    ("D11", None, "P2", ["C111"], True, True),       # a tie inside S counts like home
    ("D11", None, "P2", ["P1"], True, True),         # a tie that is an ancestor of S too
    ("D11", None, "P2", ["D12", "M"], False, True),  # ties elsewhere: still non-local
    ("P1", "district", "P1", None, True, False),     # anc(P1, district) is none: not subject
    ("M", "province", "M", None, True, False),       # ministry post has no province: not subject
    ("M", None, "M", None, True, True),              # default scope on a ministry post
]


@pytest.mark.parametrize("post_unit,scope,home,ties,local,subject", LOCALITY)
def test_locality_checker_and_solver(post_unit, scope, home, ties, local, subject):
    rule = {"rule": "non_local"}
    if scope:
        rule["scope"] = scope
    scn = scenario(UNITS, [post("X", post_unit, "chief")],
                   [cand("A", home=home, serves_at="M", ties=ties, merit=70)], rules=[rule])
    rep = check_plan(scn, {"X": "A"})
    breaks = subject and local
    assert rep.valid is (not breaks)
    assert rep.rules[0].violation == (1 if breaks else 0)
    assert rep.rules[0].figures["assigned"] == (1 if subject else 0)
    assert rep.rules[0].figures["achieved"] == (1 if subject and not local else 0)
    # hard share 1: a local candidate can never take the post, so it stays vacant
    result = optimal(scn)
    assert result.plan == {"X": None if breaks else "A"}
    assert result.objective == (-1000 if breaks else 70)


@pytest.mark.parametrize("scope", [None, "province", "district"])
def test_every_pair_at_once_is_the_same_locality_as_post_by_post(scope):
    """`good_pairs` (one pass over all pairs, used for the LP rows and the shortlist) against
    `good` (one post at a time): every post unit against every home, with and without ties."""
    ids = [u.id for u in UNITS]
    posts = [post(f"X{u}", u, "chief") for u in ids]
    cands = [cand(f"A{h}{i}", home=h, serves_at="M", merit=70, ties=ties)
             for h in ids for i, ties in enumerate([None, ["C111"], ["D12", "M"], ["P1"]])]
    rule = {"rule": "non_local", "min_share": 0.5, **({"scope": scope} if scope else {})}
    scn = scenario(UNITS, posts, cands, rules=[rule])
    inst = Instance(scn)
    nl = effective_policy(scn, None).rules[0]
    subject = [p for p in range(inst.n_posts) if nl.subject(inst, p)]
    pairs_p = np.repeat(subject, inst.n_candidates)
    pairs_c = np.tile(np.arange(inst.n_candidates), len(subject))
    by_post = np.concatenate([nl.good(inst, p, np.arange(inst.n_candidates)) for p in subject])
    at_once = nl.good_pairs(inst, pairs_p, pairs_c)
    assert at_once.tolist() == by_post.tolist()
    assert 0 < at_once.sum() < len(at_once)  # both kinds of pair occur


# -- hard form -------------------------------------------------------------------------------

def test_hard_picks_non_local_over_better_local():
    scn = scenario(UNITS, [post("P1-DIR", "P1", "director")],
                   [cand("A", home="D11", merit=90), cand("B", home="P2", merit=40)],
                   rules=[{"rule": "non_local", "unit_kind": "province", "roles": ["director"]}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "B"}
    assert result.objective == 40
    rep = result.check.rules[0]
    assert rep.violation == 0
    assert rep.figures["achieved"] == 1 and rep.figures["assigned"] == 1


def test_hard_infeasible_when_fixed_local():
    scn = scenario(UNITS, [post("P1-DIR", "P1", "director")],
                   [cand("A", home="D11"), cand("B", home="P2")],
                   fixed=[pin("P1-DIR", "A")],
                   rules=[{"rule": "non_local", "roles": ["director"]}])
    result = solve(scn, workers=1)
    assert result.status.value == "infeasible"
    assert any("P1-DIR" in line and "non_local" in line for line in result.explanation)


def test_hard_infeasible_with_fill_and_only_locals():
    scn = scenario(UNITS, [post("D11-CH", "D11", "chief")],
                   [cand("A", home="C111"), cand("B", home="P1")],
                   rules=[{"rule": "non_local"}, {"rule": "fill"}])
    assert solve(scn, workers=1).status.value == "infeasible"


def test_hard_fractional_share_rounds_up():
    # 3 district chiefs, min_share 0.5: 0.5 x 3 = 1.5, so 2 non-locals are needed.
    # Locals (home P1) have merit 90, non-locals (home P2) 50 and 49 and only two exist.
    posts = [post("D11-CH", "D11"), post("D12-CH", "D12"), post("C111-CH", "C111")]
    cands = [cand("L1", home="P1", merit=90), cand("L2", home="P1", merit=90),
             cand("L3", home="P1", merit=90), cand("N1", home="P2", merit=50),
             cand("N2", home="P2", merit=49)]
    scn = scenario(UNITS, posts, cands,
                   rules=[{"rule": "non_local", "scope": "province", "min_share": 0.5}])
    result = optimal(scn)
    # 1 local + 2 non-locals: 90 + 50 + 49 = 189 (which local is not determined)
    assert result.objective == 189
    held = sorted(result.plan.values())
    assert held[1:] == ["N1", "N2"] and held[0].startswith("L")
    rep = result.check.rules[0]
    assert (rep.figures["achieved"], rep.figures["assigned"], rep.violation) == (2, 3, 0)


def test_exact_share_two_tenths_of_five_is_one():
    # 0.2 x 5 = 1 exactly; with the binary float 0.2 (> 1/5) two would be needed.
    units = [unit("P1", "province")] + [unit(f"D{i}", "district", parent="P1") for i in range(5)] \
        + [unit("P2", "province")]
    posts = [post(f"D{i}-CH", f"D{i}") for i in range(5)]
    cands = [cand(f"L{i}", home="P1", merit=90) for i in range(5)] + [cand("N", home="P2", merit=10)]
    scn = scenario(units, posts, cands,
                   rules=[{"rule": "non_local", "scope": "province", "min_share": 0.2}])
    result = optimal(scn)
    # four locals and N: 4 x 90 + 10 = 370 (the post left to N is not determined)
    assert result.objective == 370
    assert "N" in result.plan.values()
    assert all(c is not None for c in result.plan.values())
    rep = result.check.rules[0]
    assert (rep.figures["achieved"], rep.figures["assigned"], rep.violation) == (1, 5, 0)
    # the checker on a plan with no non-local: short by exactly 1
    bad = {f"D{i}-CH": f"L{i}" for i in range(5)}
    rep = check_plan(scn, bad)
    assert rep.valid is False
    assert rep.rules[0].violation == 1
    assert any("0 of 5 assigned" in v and "short by 1" in v for v in rep.violations)


def test_exact_share_seven_tenths_checker():
    # 0.7 x 10 = 7: 7 non-locals hold, 6 are short by exactly 1.
    units = [unit("P1", "province")] + [unit(f"D{i}", "district", parent="P1") for i in range(10)] \
        + [unit("P2", "province")]
    posts = [post(f"D{i}-CH", f"D{i}") for i in range(10)]
    cands = [cand(f"L{i}", home="P1") for i in range(10)] + [cand(f"N{i}", home="P2") for i in range(10)]
    pol = policy([{"rule": "non_local", "min_share": 0.7, "hard": False, "weight": 3}])
    scn = scenario(units, posts, cands)
    seven = {f"D{i}-CH": (f"N{i}" if i < 7 else f"L{i}") for i in range(10)}
    six = {f"D{i}-CH": (f"N{i}" if i < 6 else f"L{i}") for i in range(10)}
    rep7, rep6 = check_plan(scn, seven, pol), check_plan(scn, six, pol)
    assert rep7.rules[0].violation == 0 and rep7.rules[0].penalty == 0
    assert rep6.rules[0].violation == 1 and rep6.rules[0].penalty == 3
    # soft rules never invalidate a plan; the penalty goes into the objective
    assert rep6.valid is True
    assert rep6.objective == 10 * 50 - 3
    assert rep6.rules[0].figures["required_share"] == 0.7


# -- soft form -------------------------------------------------------------------------------

@pytest.mark.parametrize("weight,expected,objective,violation", [
    (10, "A", 90 - 10, 1),   # local A: 90 - 10 = 80 > 70 for non-local B
    (30, "B", 70, 0),        # local A: 90 - 30 = 60 < 70
])
def test_soft_share_one_per_local_post(weight, expected, objective, violation):
    scn = scenario(UNITS, [post("P1-DIR", "P1", "director")],
                   [cand("A", home="P1", merit=90), cand("B", home="P2", merit=70)],
                   rules=[{"rule": "non_local", "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": expected}
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation and rep.penalty == weight * violation


@pytest.mark.parametrize("weight,n_merits,objective,violation,non_locals", [
    # 3 assigned district chiefs, min_share 0.5: with k non-locals the shortfall is
    # the least d with k + d >= 1.5, i.e. 2, 1, 0, 0 for k = 0..3.
    # Locals have merit 90; objective = sum of merits - weight x shortfall.
    (30, (50, 50, 50), 270 - 2 * 30, 2, 0),  # k=0: 210; k=1: 230 - 30 = 200; k=2: 190; k=3: 150
    (100, (50, 50, 50), 190, 0, 2),          # k=0: 70; k=1: 130; k=2: 190; k=3: 150
    (50, (50, 0, 0), 230 - 50, 1, 1),        # k=0: 170; k=1: 180; k=2: 90+50+0 = 140; k=3: 50
])
def test_soft_fractional_shortfall(weight, n_merits, objective, violation, non_locals):
    posts = [post("D11-CH", "D11"), post("D12-CH", "D12"), post("C111-CH", "C111")]
    cands = [cand(f"L{i}", home="P1", merit=90) for i in (1, 2, 3)] + \
            [cand(f"N{i + 1}", home="P2", merit=m) for i, m in enumerate(n_merits)]
    scn = scenario(UNITS, posts, cands, rules=[
        {"rule": "non_local", "scope": "province", "min_share": 0.5, "hard": False, "weight": weight}])
    result = optimal(scn)
    assert result.objective == objective
    rep = result.check.rules[0]
    assert rep.violation == violation
    assert rep.penalty == weight * violation
    assert rep.figures["achieved"] == non_locals and rep.figures["assigned"] == 3
    assert result.check.terms[f"rule:{rep.rule}"] == -weight * violation


# -- filters, per --------------------------------------------------------------------------

def test_roles_and_unit_kind_filters_checker():
    posts = [post("P1-DIR", "P1", "director"), post("P1-DEP", "P1", "deputy"),
             post("D11-DIR", "D11", "director")]
    cands = [cand("A", home="P1"), cand("B", home="P1"), cand("C", home="D11")]
    scn = scenario(UNITS, posts, cands)
    pol = policy([{"rule": "non_local", "roles": ["director"], "unit_kind": "province"}])
    # locals on the deputy post and on the district director post are outside the rule
    keep = check_plan(scn, {"P1-DIR": None, "P1-DEP": "B", "D11-DIR": "C"}, pol)
    assert keep.valid is True
    assert keep.rules[0].figures["assigned"] == 0
    brk = check_plan(scn, {"P1-DIR": "A", "P1-DEP": "B", "D11-DIR": "C"}, pol)
    assert brk.valid is False
    assert brk.rules[0].violation == 1
    assert brk.rules[0].figures["assigned"] == 1
    assert any("hard rule non_local" in v for v in brk.violations)


def test_per_groups_checker():
    posts = [post("D11-CH", "D11"), post("D12-CH", "D12"), post("D21-CH", "D21"),
             post("M-CH", "M")]
    cands = [cand("X1", home="P2"), cand("X2", home="P2"), cand("Y", home="D21"),
             cand("Z", home="M")]
    scn = scenario(UNITS, posts, cands)
    plan = {"D11-CH": "X1", "D12-CH": "X2", "D21-CH": "Y", "M-CH": "Z"}
    # P1: 2 of 2 non-local; P2: 0 of 1 -> short 1 (0.5 x 1); M-CH has no province: outside
    per = check_plan(scn, plan, policy([{"rule": "non_local", "min_share": 0.5, "per": "province"}]))
    assert per.valid is False
    assert per.rules[0].violation == 1
    assert per.rules[0].figures["groups"] == 2
    assert per.rules[0].figures["assigned"] == 3
    assert any("P2: 0 of 1 assigned" in v for v in per.violations)
    # without per: 2 of 4 (M-CH's Z is local to M) >= 0.5 x 4 -> holds
    whole = check_plan(scn, plan, policy([{"rule": "non_local", "min_share": 0.5}]))
    assert whole.valid is True
    assert whole.rules[0].figures["assigned"] == 4
    assert whole.rules[0].figures["groups"] == 1


def test_per_hard_solver_leaves_group_post_vacant():
    # per province, share 1. D21-CH: Y (home D21) and Z (home P2) are both local, so it stays
    # vacant. M-CH (priority 3, phd only) has no province ancestor: outside the rule, so W,
    # local to M, may hold it. D11-CH takes the better of Y and Z.
    posts = [post("D11-CH", "D11"), post("D21-CH", "D21"),
             post("M-CH", "M", priority=3, min_education="phd")]
    cands = [cand("W", home="M", education="phd", merit=95), cand("Y", home="D21", merit=80),
             cand("Z", home="P2", merit=30)]
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "non_local", "per": "province"}])
    result = optimal(scn)
    assert result.plan == {"D11-CH": "Y", "D21-CH": None, "M-CH": "W"}
    assert result.objective == 3 * 95 + 80 - 1000
    # without per, M-CH is subject (scope M, W local): W goes to D21 instead, M-CH vacant
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "non_local"}])
    result = optimal(scn)
    assert result.plan == {"D11-CH": "Y", "D21-CH": "W", "M-CH": None}
    assert result.objective == 95 + 80 - 3 * 1000


def test_many_candidates_with_ties_solver_matches_checker():
    # several candidates, with 0, 1 or 2 ties, judged together (default scope: the post's unit)
    cands = [cand("A", home="P2", ties=["C111", "M"]), cand("B", home="M"),
             cand("C", home="P2", ties=["D12"]), cand("D", home="D21", ties=["P1"]),
             cand("E", home="M", ties=["D21", "P2"])]
    posts = [post("P1-DIR", "P1", "director"), post("D11-CH", "D11"), post("D21-CH", "D21"),
             post("M-CH", "M")]
    non_local = {"P1-DIR": {"B", "E"},             # A (C111), C (D12), D (tie P1) are local
                 "D11-CH": {"B", "C", "E"},        # A (C111 inside), D (P1 above) are local
                 "D21-CH": {"B"},                  # A, C: home P2 above D21; D home; E tie
                 "M-CH": {"C", "D"}}               # A tie M; B, E home M
    for p in posts:
        for c in cands:
            ok = c.id in non_local[p.id]
            scn = scenario(UNITS, posts, cands, fixed=[pin(p.id, c.id)], rules=[{"rule": "non_local"}])
            assert check_plan(scn, {p.id: c.id}).valid is ok, (p.id, c.id)
            assert solve(scn, workers=1).status.value == ("optimal" if ok else "infeasible"), (p.id, c.id)
    # unpinned: every post can get a non-local officer; B is the only one for D21-CH
    scn = scenario(UNITS, posts, cands, rules=[{"rule": "non_local"}])
    result = optimal(scn)
    assert result.plan["D21-CH"] == "B"
    assert all(result.plan[p] in non_local[p] for p in non_local)
    assert result.objective == 4 * 50


def test_several_non_local_rules_report_separately():
    # the contract's example: one rule per level, each judged on its own posts
    posts = [post("P1-DIR", "P1", "director"), post("D11-CH", "D11", "chief"),
             post("C111-CH", "C111", "chief")]
    cands = [cand("A", home="P2"), cand("B", home="P1"), cand("C", home="D12")]
    pol = policy([
        {"rule": "non_local", "unit_kind": "province", "roles": ["director"], "min_share": 0.97},
        {"rule": "non_local", "unit_kind": "district", "roles": ["chief"], "hard": False, "weight": 4},
        {"rule": "non_local", "unit_kind": "commune", "roles": ["chief"], "min_share": 0.9}])
    scn = scenario(UNITS, posts, cands)
    # A non-local on P1-DIR; B (home P1, above D11) local on D11-CH; C (D12) non-local on C111
    rep = check_plan(scn, {"P1-DIR": "A", "D11-CH": "B", "C111-CH": "C"}, pol)
    assert [r.violation for r in rep.rules] == [0, 1, 0]
    assert rep.valid is True
    assert rep.objective == 150 - 4
    # B on the commune post instead: local too (P1 is above C111), hard -> invalid
    rep = check_plan(scn, {"P1-DIR": "A", "D11-CH": "C", "C111-CH": "B"}, pol)
    assert [r.violation for r in rep.rules] == [0, 0, 1]
    assert rep.valid is False
    scn = scenario(UNITS, posts, cands, rules=[r.model_dump(exclude_none=True) for r in pol.rules])
    result = optimal(scn)
    assert result.plan == {"P1-DIR": "A", "D11-CH": "B", "C111-CH": "C"}
    assert result.objective == 146


def test_model_share_asks_as_many_good_posts_as_the_exact_share():
    from fractions import Fraction

    from planner.rules.base import model_share, shortfall

    for share in [Fraction(97, 100), Fraction(1, 10**300), Fraction(2, 7), Fraction(999, 1000),
                  Fraction(1, 3), Fraction(0), Fraction(1)] + \
            [Fraction(k, 1009) for k in range(0, 1010, 37)]:
        for n in range(1, 25):
            small = model_share(share, n)
            assert small.denominator <= max(n, share.denominator if share.denominator <= n else n)
            assert small >= share
            for m in range(n + 1):
                for k in range(m + 1):
                    assert (shortfall(k, m, small) == 0) == (shortfall(k, m, share) == 0)


@pytest.mark.parametrize("hard", [True, False])
def test_a_tiny_share_is_one_non_local_post_and_solves(hard):
    # min_share 1e-300 is 1/10^300 exactly: any non-local among the three posts meets it.
    posts = [post("D11-CH", "D11"), post("D12-CH", "D12"), post("C111-CH", "C111")]
    cands = [cand("L1", home="P1", merit=90), cand("L2", home="P1", merit=90),
             cand("L3", home="P1", merit=90), cand("N1", home="P2", merit=50)]
    rule = {"rule": "non_local", "scope": "province", "min_share": 1e-300}
    if not hard:
        rule.update(hard=False, weight=100)
    result = optimal(scenario(UNITS, posts, cands, rules=[rule]))
    assert result.objective == 90 * 2 + 50
    assert "N1" in result.plan.values()


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

# A and B, equal in merit, each asked for their home province: the free optimum puts both at
# home (90 + 5 twice); the rule makes them swap (90 twice), both then non-local.
BARE_POSTS = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")]
BARE_CANDS = [cand("A", home="P1", merit=90, preferences=["P1"]),
              cand("B", home="P2", merit=90, preferences=["P2"])]
BARE_WEIGHTS = {"preference": 5}


@pytest.mark.parametrize("share", [0.5, 1])   # a share row in the model; share 1 filters pairs
def test_bare_model_keeps_the_share(share):
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS)
    held = assert_binding(scn, {"rule": "non_local", "min_share": share}, BARE_WEIGHTS)
    assert held.plan == {"P1-DIR": "B", "P2-DIR": "A"} and held.objective == 180


def test_bare_model_infeasible_when_both_are_fixed_at_home():
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS, fixed=[pin("P1-DIR", "A"), pin("P2-DIR", "B")])
    assert_infeasible(scn, {"rule": "non_local", "min_share": 0.5}, BARE_WEIGHTS)


@pytest.mark.parametrize("share,violation", [(0.5, 1), (1, 2)])
def test_bare_model_soft_pays_the_weight_per_post_short(share, violation):
    scn = scenario(UNITS, BARE_POSTS, BARE_CANDS)
    rule = {"rule": "non_local", "min_share": share, "hard": False, "weight": 3}
    soft = assert_soft_penalty(scn, rule, BARE_WEIGHTS)
    # both stay at home: 190 - 3 x (posts short) beats the swap's 180
    assert soft.plan == {"P1-DIR": "A", "P2-DIR": "B"} and soft.objective == 190 - 3 * violation
