"""The independent checker on horizon plans (/work/shared/spec/horizon.md, sections 2, 3, 5 and
6), answers worked out by hand.

    M (ministry) ── M-DIR          P1 (province) ── P1-DIR (priority 2)
                                     └ D1 (district, difficult) ── D1-CH
    P2 (province) ── P2-DIR (closes 2031), P2-NEW (opens 2031)

Periods 2026, 2031, 2036. Officers (merit, where they serve, their post):
A (80, P1, P1-DIR since 2024, 1 term, born 1970), B (60, M, M-DIR, 1 term, since unknown),
C (40, P2, P2-DIR since 2016, 2 terms), D (30, M, joins 2031), E (20, P2, leaves 2031).
Weights: merit 1, move 5, vacancy 100 (no coordinates: every distance is 0).
"""

from pathlib import Path

from builders import cand, pin, policy, post, relation, scenario, unit, write_yaml
from click.testing import CliRunner

from planner import check_plan
from planner.check.horizon import OfficerState, check_horizon, derive_states, period_scenario
from planner.check.verdict import HorizonReport
from planner.check.view import PlanView
from planner.cli import main
from planner.scenario import Scenario
from planner.schema import Pin

UNITS = [unit("M", "ministry"), unit("P1", "province"),
         unit("D1", "district", parent="P1", difficult=True), unit("P2", "province")]
POSTS = [post("M-DIR", "M", "director"), post("P1-DIR", "P1", "director", priority=2),
         post("D1-CH", "D1"), post("P2-DIR", "P2", "director", closes=2031),
         post("P2-NEW", "P2", opens=2031)]
CANDS = [cand("A", home="P1", merit=80, birth_year=1970, current_post="P1-DIR", since=2024),
         cand("B", home="M", merit=60, current_post="M-DIR"),
         cand("C", home="P2", merit=40, current_post="P2-DIR", consecutive_terms=2, since=2016),
         cand("D", home="M", merit=30, joins=2031),
         cand("E", home="P2", merit=20, leaves=2031)]
WEIGHTS = {"merit": 1, "move": 5, "vacancy": 100}
YEARS = [2026, 2031, 2036]

PLANS = {2026: {"M-DIR": "B", "P1-DIR": "A", "D1-CH": "E", "P2-DIR": "C"},
         2031: {"M-DIR": "D", "P1-DIR": "A", "D1-CH": "B", "P2-NEW": None},
         2036: {"M-DIR": "C", "P1-DIR": "B", "D1-CH": "D", "P2-NEW": "A"}}


def horizon(units=UNITS, posts=POSTS, cands=CANDS, years=YEARS, rules=None, **kw) -> Scenario:
    scn = scenario(units, posts, cands, rules=rules, weights=WEIGHTS, **kw)
    return scn.model_copy(update={"periods": years})


def state(age, post, terms, since, at, local=False, difficult=False, ministry=False) -> OfficerState:
    return OfficerState(age, post, terms, since, at, local, difficult, ministry)


# -- section 3: the states, derived from the plan ---------------------------------------------

def test_every_state_is_derived_from_the_plan_before():
    first, second, third = derive_states(horizon(), PLANS)
    assert [p.id for p in first.posts] == ["M-DIR", "P1-DIR", "D1-CH", "P2-DIR"]
    assert [p.id for p in second.posts] == [p.id for p in third.posts] == \
        ["M-DIR", "P1-DIR", "D1-CH", "P2-NEW"]
    assert [c.id for c in first.officers] == ["A", "B", "C", "E"]
    assert [c.id for c in second.officers] == [c.id for c in third.officers] == ["A", "B", "C", "D"]
    # period 1: the scenario's own fields (D, not yet available, has a state all the same)
    assert first.state == {"A": state(56, "P1-DIR", 1, 2024, "P1"),
                           "B": state(51, "M-DIR", 1, None, "M", ministry=True),
                           "C": state(51, "P2-DIR", 2, 2016, "P2"),
                           "D": state(51, None, 0, None, "M", ministry=True),
                           "E": state(51, None, 0, None, "P2")}
    assert second.state == {
        "A": state(61, "P1-DIR", 2, 2024, "P1", local=True),     # a stay: terms + 1, since kept
        "B": state(56, "M-DIR", 2, None, "M", ministry=True),    # a stay, since still unknown
        "C": state(56, "P2-DIR", 3, 2016, "P2", local=True),     # still holds the closed post
        "D": state(56, None, 0, None, "M", ministry=True),       # not available before: unassigned
        # a move onto a difficult district post (E then leaves; the state is kept)
        "E": state(56, "D1-CH", 1, 2026, "D1", local=True, difficult=True)}
    assert third.state == {
        "A": state(66, "P1-DIR", 3, 2024, "P1", local=True),
        # a move: since is the year of the period before; no longer ministry-origin
        "B": state(61, "D1-CH", 1, 2031, "D1", local=True, difficult=True),
        "C": state(61, None, 0, None, "P2", local=True),         # unassigned: serves_at carries on
        "D": state(61, "M-DIR", 1, 2031, "M", ministry=True),    # a newcomer placed
        # unavailable in 2031: no current post, the rest carried on
        "E": state(61, None, 0, None, "D1", local=True, difficult=True)}


def test_reassigned_after_a_period_unassigned_starts_over():
    plans = {2026: {**PLANS[2026], "P2-DIR": None}, 2031: {**PLANS[2031], "P2-NEW": "C"},
             2036: {**PLANS[2036], "P2-NEW": "A", "M-DIR": "C"}}
    _, second, third = derive_states(horizon(), plans)
    assert second.state["C"] == state(56, None, 0, None, "P2")
    assert third.state["C"] == state(61, "P2-NEW", 1, 2031, "P2", local=True)


def test_the_period_scenario_holds_the_derived_state():
    scn = horizon(forbidden=[pin("M-DIR", "D"), Pin(post="D1-CH", candidate="A", period=2036)],
                  fixed=[pin("P1-DIR", "A"), Pin(post="M-DIR", candidate="D", period=2031)],
                  relations=[relation("A", "E"), relation("A", "D")])
    periods = derive_states(scn, PLANS)
    one, two, three = (period_scenario(scn, p) for p in periods)
    assert (one.term_start, two.term_start, three.term_start) == (2026, 2031, 2036)
    assert one.periods is two.periods is None
    row = {c.id: c for c in two.candidates}["C"]
    assert (row.current_post, row.consecutive_terms, row.since, row.serves_at, row.served_local) == \
        ("P2-DIR", 3, 2016, "P2", True)
    assert [(p.post, p.candidate) for p in one.fixed] == [("P1-DIR", "A")]
    assert [(p.post, p.candidate) for p in two.fixed] == [("M-DIR", "D")] and three.fixed == []
    assert len(one.forbidden) == len(two.forbidden) == 1 and len(three.forbidden) == 2
    assert [(r.a, r.b) for r in one.relations] == [("A", "E")]
    assert [(r.a, r.b) for r in two.relations] == [("A", "D")]
    # the view finds the closed current post by id, and knows it is not in the period
    view = PlanView(two, {}, scn.posts)
    assert view.post_by_id("P2-DIR").closes == 2031
    assert not view.has_post("P2-DIR") and view.has_post("P2-NEW") and view.term_start == 2031


# -- the objective and the report -------------------------------------------------------------

def test_the_objective_is_the_sum_of_the_periods():
    rep = check_horizon(horizon(), PLANS)
    assert isinstance(rep, HorizonReport) and rep.valid and rep.violations == []
    # 2026: merit 60 + 80 x 2 + 20 + 40, E moves; 2031: 30 + 160 + 60, D and B move, P2-NEW
    # vacant; 2036: 40 + 60 x 2 + 30 + 80, all four move
    by_year = {year: (r.objective, r.filled, r.vacant, r.moved) for year, r in rep.periods}
    assert by_year == {2026: (275, 4, 0, 1), 2031: (140, 3, 1, 2), 2036: (250, 4, 0, 4)}
    assert rep.objective == 665
    assert rep.terms == {"merit": 800, "specialty": 0, "preference": 0, "move": -35,
                         "distance": 0, "vacancy": -100}
    assert (rep.filled, rep.vacant, rep.moved) == (11, 1, 7)
    out = rep.to_json()
    assert out["objective"] == 665 and out["valid"] is True
    assert out["periods"][1] == {"year": 2031, "filled": 3, "vacant": 1, "moved": 2,
                                 "objective": 140, "rules": []}
    # check_plan takes a horizon too
    assert check_plan(horizon(), PLANS).objective == 665


def test_soft_rules_are_summed_over_the_periods():
    rules = [{"rule": "local_experience", "hard": False, "weight": 7}]
    rep = check_horizon(horizon(rules=rules), PLANS)
    # posts in ministry units: M-DIR; B on it in 2026 (not local), D in 2031 (not local),
    # C in 2036 (local since 2026)
    (verdict,) = rep.rules
    assert (verdict.violation, verdict.penalty) == (2, 14)
    assert verdict.figures == {"breaking_posts": 2}
    assert verdict.breaches == ["2026: post M-DIR holds B: has not served at local level",
                                "2031: post M-DIR holds D: has not served at local level"]
    assert rep.objective == 665 - 14 and rep.terms["rule:local_experience"] == -14
    per_period = [r["rules"][0]["violation"] for r in rep.to_json()["periods"]]
    assert per_period == [1, 1, 0]


# -- rules bind with the derived states -------------------------------------------------------

SMALL_POSTS = [post("M-DIR", "M", "director"), post("P1-DIR", "P1", "director")]


def test_term_limit_binds_in_period_2_because_of_period_1():
    scn = horizon(posts=SMALL_POSTS, cands=[CANDS[0], CANDS[1]], years=[2026, 2031],
                  rules=[{"rule": "term_limit", "max_consecutive_terms": 2}])
    stay = {2026: {"M-DIR": "B", "P1-DIR": "A"}, 2031: {"M-DIR": "B", "P1-DIR": "A"}}
    rep = check_horizon(scn, stay)
    # A and B start their second term in 2026 (allowed), their third in 2031
    assert not rep.valid
    assert rep.violations == [
        "2031: hard rule term_limit: post M-DIR holds B: would start term 3 in the same post",
        "2031: hard rule term_limit: post P1-DIR holds A: would start term 3 in the same post"]
    swap = {2026: stay[2026], 2031: {"M-DIR": "A", "P1-DIR": "B"}}
    assert check_horizon(scn, swap).valid


def test_local_experience_is_gained_in_period_1():
    scn = horizon(posts=SMALL_POSTS, cands=[CANDS[1]], years=[2026, 2031],
                  rules=[{"rule": "local_experience"}])
    assert check_horizon(scn, {2026: {"M-DIR": None, "P1-DIR": "B"},
                               2031: {"M-DIR": "B", "P1-DIR": None}}).valid
    rep = check_horizon(scn, {2026: {"M-DIR": None, "P1-DIR": None},
                              2031: {"M-DIR": "B", "P1-DIR": None}})
    assert rep.violations == [("2031: hard rule local_experience: post M-DIR holds B: "
                               "has not served at local level")]


def test_ministry_origin_follows_serves_at():
    scn = horizon(posts=[post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")],
                  cands=[CANDS[1], cand("F", home="P2")], years=[2026, 2031],
                  rules=[{"rule": "ministry_quota", "roles": ["director"], "min_per_unit": 1,
                          "min_share_of_units": 0.5}])
    # B is ministry-origin in 2026; after a term on P1-DIR, no longer in 2031
    plans = {2026: {"P1-DIR": "B", "P2-DIR": "F"}, 2031: {"P1-DIR": "F", "P2-DIR": "B"}}
    rep = check_horizon(scn, plans)
    assert [year for year, r in rep.periods if r.valid] == [2026]
    assert rep.violations[0].startswith("2031: hard rule ministry_quota")


def test_age_is_the_periods():
    scn = horizon(posts=[post("P1-DIR", "P1", "director", max_age=60)], cands=[CANDS[0]],
                  years=[2026, 2031])
    rep = check_horizon(scn, {2026: {"P1-DIR": "A"}, 2031: {"P1-DIR": "A"}})
    assert rep.violations == ["2031: post P1-DIR holds A: age 61 is above max_age 60"]


# -- section 5: structural problems -----------------------------------------------------------

def test_every_structural_problem_is_named():
    plans = {2026: {**PLANS[2026], "XX": "A"},
             2031: {"M-DIR": "ZZ", "P1-DIR": "A", "D1-CH": "E", "P2-DIR": "C"},
             2036: PLANS[2036], 2030: {}}
    rep = check_horizon(horizon(), plans)
    assert not rep.valid
    assert rep.violations == [
        "period 2030 is not one of the periods (2026, 2031, 2036)",
        "period 2031: post P2-NEW is missing from the plan",
        "period 2031: post D1-CH: officer E is not available in 2031 (leaves 2031)",
        "period 2031: post P2-DIR does not exist in 2031 (closes 2031)",
        "2026: unknown post 'XX'",
        "2031: post M-DIR: unknown candidate 'ZZ'"]
    # what the invalid entries would say holds nothing: E is unassigned in 2031 (not available)
    assert derive_states(horizon(), plans)[2].state["E"] == \
        state(61, None, 0, None, "D1", local=True, difficult=True)


def test_a_missing_period_misses_every_post():
    rep = check_horizon(horizon(), {2026: PLANS[2026], 2031: PLANS[2031]})
    assert rep.violations == [f"period 2036: post {p} is missing from the plan"
                              for p in ("M-DIR", "P1-DIR", "D1-CH", "P2-NEW")]
    assert rep.periods[2][1].vacant == 4


# -- clarification 6.1: one period with posts that do not exist, officers not available ------

def test_one_period_lists_only_existing_posts_and_available_officers():
    posts = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director", closes=2026),
             post("P2-NEW", "P2", opens=2026)]
    cands = [CANDS[2], cand("E", home="P2", merit=20, leaves=2026), CANDS[0]]
    scn = scenario(UNITS, posts, cands, weights=WEIGHTS,
                   rules=[{"rule": "term_limit", "max_consecutive_terms": 2, "same": "unit"}])
    # C's current post has closed: C is still its holder, so P1-DIR is a move
    rep = check_plan(scn, {"P1-DIR": "C", "P2-NEW": "A"})
    assert rep.valid and rep.moved == 2 and rep.objective == 40 + 80 - 10
    # ... and in unit P2 after two terms: the term limit (same: unit) binds on P2-NEW
    rep = check_plan(scn, {"P1-DIR": "A", "P2-NEW": "C"})
    assert rep.violations == [("hard rule term_limit[same=unit]: post P2-NEW holds C: "
                               "would stay in unit P2 after 2 terms")]
    rep = check_plan(scn, {"P1-DIR": "E", "P2-NEW": None, "P2-DIR": "C"})
    assert rep.violations == ["post P1-DIR: officer E is not available in 2026 (leaves 2026)",
                              "post P2-DIR does not exist in 2026 (closes 2026)"]
    assert (rep.filled, rep.vacant) == (0, 2)


# -- `planner check` ---------------------------------------------------------------------------

def _run(tmp_path: Path, scn: Scenario, text: str):
    (tmp_path / "plan.csv").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["check", write_yaml(scn, tmp_path / "scn.yaml"),
                                     str(tmp_path / "plan.csv")])


def _csv(plans) -> str:
    rows = [f"{year},{pid},{cid or ''}" for year, plan in plans.items() for pid, cid in plan.items()]
    return "period,post_id,candidate_id\n" + "\n".join(rows) + "\n"


def test_cli_checks_a_horizon_plan(tmp_path):
    res = _run(tmp_path, horizon(), _csv(PLANS))
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "period 2026: objective 275, filled 4, vacant 0, moved 1"
    assert "period 2031: objective 140, filled 3, vacant 1, moved 2" in lines
    assert "objective  665" in lines
    assert lines[-1] == "valid: every hard rule holds in each of 3 periods"


def test_cli_horizon_plan_invalid(tmp_path):
    plans = {2026: PLANS[2026], 2031: {k: v for k, v in PLANS[2031].items() if k != "P2-NEW"},
             2036: PLANS[2036]}
    res = _run(tmp_path, horizon(), _csv(plans) + "2036,M-DIR,A\n")
    assert res.exit_code == 1, res.output
    # the missing row is reported once, though the reader and the checker both see it
    assert res.output.count("post P2-NEW is missing") == 1
    assert "  - row 13: post M-DIR is listed twice for period 2036" in res.output


def test_cli_a_plan_of_the_wrong_shape_is_unreadable(tmp_path):
    res = _run(tmp_path, horizon(), "post_id,candidate_id\nM-DIR,B\n")
    assert res.exit_code == 2
    assert "a plan of one period, but the scenario has several periods" in res.output
    one = horizon().model_copy(update={"periods": None})
    res = _run(tmp_path, one, _csv(PLANS))
    assert res.exit_code == 2
    assert "a plan over several periods, but the scenario has one period" in res.output


def test_default_policy_is_the_scenarios():
    rules = [{"rule": "local_experience", "hard": False, "weight": 7}]
    scn = horizon(rules=rules)
    assert check_horizon(scn, PLANS).objective == check_horizon(scn, PLANS, scn.policy).objective
    assert check_horizon(scn, PLANS, policy(None, WEIGHTS)).objective == 665
