"""`planner explain`, `diff` and `fit` on horizon runs (the bundled scenarios/horizon/ ones).

lookahead.yaml (its comment has the figures): the optimum is 2026 DIR n, DEP m; 2031 DIR m,
DEP l; 2036 DIR m, DEP l (360 + 410 + 420 = 1190). Lợi (l) on the deputy post in 2026 is +20
in 2026 alone, but then Minh has no difficult experience in 2031 (and Lợi would start a third
term in 2036): the horizon's reason for Minh. retire.yaml: one term at a time would make Hoa
deputy in 2031 (+2 in 2031), which costs 5 in 2036 (-3 over the horizon); An's chief post closes
in 2031.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import cand, post, scenario, unit, write_yaml
from click.testing import CliRunner

from planner.cli import main
from planner.explain.diff import diff_plans
from planner.explain.period_ids import readable
from planner.explain.periods import HorizonExplainer
from planner.explain.plan import load_run
from planner.io.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
LOOKAHEAD = str(ROOT / "scenarios/horizon/lookahead.yaml")
RETIRE = str(ROOT / "scenarios/horizon/retire.yaml")
SOLVE = ["-q", "--workers", "1", "--no-report", "--no-excel"]


def _solve(runner: CliRunner, scenario: str, out: Path, *extra: str, code: int = 0) -> str:
    res = runner.invoke(main, ["solve", scenario, "-o", str(out), *SOLVE, *extra])
    assert res.exit_code == code, res.output
    return str(out)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("horizon_explain")
    runner = CliRunner()
    short = load_scenario(LOOKAHEAD)
    short = short.model_copy(update={"periods": [2026, 2031]})
    return {"la": _solve(runner, LOOKAHEAD, tmp / "la"),
            "rt": _solve(runner, RETIRE, tmp / "rt"),
            "rt_noz": _solve(runner, RETIRE, tmp / "rt_noz", "--forbid", "HT-AB-CH=z"),
            "la_short": _solve(runner, write_yaml(short, tmp / "short.yaml"), tmp / "short"),
            "small": _solve(runner, str(ROOT / "scenarios/small.yaml"), tmp / "small"),
            "la_inf": _solve(runner, LOOKAHEAD, tmp / "la_inf", "--fix", "HG-DEP=l", code=1)}


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output


# -- 1. a post in a period ----------------------------------------------------------------------

def test_post_in_the_first_period_by_default_with_its_horizon_effect(runs):
    data = HorizonExplainer(load_run(runs["la"])).post("HG-DEP", 2026)
    assert data["period"] == 2026 and data["holder"] == "m"
    assert data["score_terms"]["merit"] == 160 and data["score_terms"]["move"] == -5
    lois = next(x for x in data["next"] if x["candidate"] == "l")
    assert lois["delta"] == 20  # better in 2026 alone ...
    effect = lois["horizon"]  # ... but Minh is then no director in 2031, and Lợi over-stays
    assert not effect["valid"]
    assert any(b.startswith("2031: ") and "difficult area" in b for b in effect["breaks"])
    code, text = _run("explain", runs["la"], "--post", "HG-DEP")
    assert code == 0, text
    assert "period     2026 (period 1 of 3" in text
    assert "objective +20 (m leaves HG-DEP (no post)); over the horizon" in text


def test_a_later_period_reads_the_state_the_plan_gives(runs):
    code, text = _run("explain", runs["la"], "--post", "HG-DIR", "--period", "2031")
    assert code == 0, text
    # Minh has served a term as deputy in Hà Giang by 2031: he serves at HG, now HG-DEP
    assert "held by    m Lê Văn Minh (serves at HG, home PT, merit 80, now HG-DEP)" in text
    assert "score      merit +240, move -5  = 235" in text
    assert "l          score    265  excluded: is local to HG (non-local director)" in text


def test_priced_alternative_in_a_later_period_over_the_horizon(runs):
    data = HorizonExplainer(load_run(runs["rt"])).post("HT-AB-CH", 2031)
    assert data["holder"] == "w"
    an = next(x for x in data["next"] if x["candidate"] == "a")
    assert an["delta"] == 2 and an["horizon"] == {"objective": 1218, "delta": -3, "valid": True,
                                                   "breaks": []}


def test_period_not_in_the_horizon_or_post_not_existing_is_a_usage_error(runs):
    code, text = _run("explain", runs["la"], "--post", "HG-DIR", "--period", "2027")
    assert code == 2 and "2027 is not one of the periods (2026, 2031, 2036)" in text
    code, text = _run("explain", runs["rt"], "--post", "HT-A-CH", "--period", "2031")
    assert code == 2 and "post HT-A-CH does not exist in 2031 (closes 2031)" in text


def test_one_period_run_is_unchanged_and_takes_only_its_own_year(runs):
    plain = _run("explain", runs["small"], "--post", "HG-DIR")
    same = _run("explain", runs["small"], "--post", "HG-DIR", "--period", "2026")
    assert plain[0] == 0 and same == plain and "period " not in plain[1]
    code, text = _run("explain", runs["small"], "--period", "2031")
    assert code == 2 and "the run has one period, 2026" in text


def test_overview_of_the_horizon_and_of_one_period(runs):
    data = HorizonExplainer(load_run(runs["la"])).overview()
    assert data["objective"] == 1190
    assert [(x["year"], x["objective"]) for x in data["periods"]] == \
        [(2026, 360), (2031, 410), (2036, 420)]
    code, text = _run("explain", runs["la"], "--period", "2031", "--json")
    assert code == 0, text
    period = json.loads(text)
    assert period["period"] == 2031 and period["objective"] == 410 and period["status"] is None


# -- 2. an officer's path -----------------------------------------------------------------------

def test_candidate_path_period_by_period(runs):
    data = HorizonExplainer(load_run(runs["la"])).candidate("m")
    path = data["path"]
    assert [(s["year"], s["post"], s["moved"]) for s in path] == \
        [(2026, "HG-DEP", True), (2031, "HG-DIR", True), (2036, "HG-DIR", False)]
    assert path[0]["state"]["ministry_origin"] and not path[0]["state"]["served_difficult"]
    assert path[1]["changed"]["served_difficult"] == [False, True]
    assert path[1]["changed"]["ministry_origin"] == [True, False]
    assert path[1]["changed"]["serves_at"] == ["MOHA", "HG"]
    assert path[2]["state"]["consecutive_terms"] == 1 and path[2]["state"]["since"] == 2031
    assert path[0]["explanation"]["post"] == "HG-DEP"
    code, text = _run("explain", runs["la"], "--candidate", "m")
    assert code == 0, text
    assert "2036  stays on HG-DIR (term 2 in a row)" in text
    assert "served_difficult no -> yes" in text
    assert "in 2031:\n  candidate  m Lê Văn Minh (serves at HG, home PT, merit 80, now HG-DEP)" in text


def test_candidate_not_available_and_one_period_only(runs):
    hx = HorizonExplainer(load_run(runs["rt"]))
    data = hx.candidate("z", year=2036)
    assert [s["available"] for s in data["path"]] == [False, False, True]
    assert ["explanation" in s for s in data["path"]] == [False, False, True]
    assert "2026  not available" in hx.candidate_text("z")
    # An's chief post closes in 2031: in 2031 he still has it as current post, and moves
    a = hx.candidate("a", year=2031)["path"][1]
    assert a["state"]["current_post"] == "HT-A-CH" and a["post"] == "HT-DEP" and a["moved"]
    assert a["explanation"]["post"] == "HT-DEP"


# -- 3. diff ------------------------------------------------------------------------------------

def test_diff_of_two_horizons_period_by_period(runs):
    d = diff_plans(runs["rt"], runs["rt_noz"])
    assert (d.objective_a, d.objective_b) == (1221, 1216)
    assert [(p.year, p.objective_a, p.objective_b, len(p.posts)) for p in d.periods] == \
        [(2026, 408, 408, 0), (2031, 384, 384, 0), (2036, 429, 424, 2)]
    moved = {m.candidate: (m.before, m.after, m.score_before, m.score_after)
             for m in d.periods[2].moved}
    assert moved == {"z": ("HT-AB-CH", "HT-C-CH", 135, 65), "y": ("HT-C-CH", "HT-AB-CH", 60, 125)}
    assert sum(p.objective_b - p.objective_a for p in d.periods) == d.change
    code, text = _run("diff", runs["rt"], runs["rt_noz"])
    assert code == 0, text
    assert "2036  objective 429 -> 424 (-5): 2 officers moved, 2 posts changed holder" in text
    code, text = _run("diff", runs["rt"], runs["rt_noz"], "--json")
    assert [p["change"] for p in json.loads(text)["periods"]] == [0, 0, -5]


def test_diff_refuses_plans_of_other_periods(runs):
    code, text = _run("diff", runs["rt"], runs["small"])
    assert code == 2
    assert "A is a horizon plan over the periods 2026, 2031, 2036 and B is a plan of one " \
           "period (2026)" in text
    code, text = _run("diff", runs["la_short"], runs["la"])
    assert code == 2
    assert "over the periods 2026, 2031 and B is a horizon plan over the periods 2026, " \
           "2031, 2036" in text


# -- 4. fit -------------------------------------------------------------------------------------

def test_fit_in_a_period_of_a_horizon(runs):
    plan = str(Path(runs["rt"]) / "plan.csv")
    code, text = _run("fit", RETIRE, "--candidate", "a", "--plan", plan, "--period", "2031",
                      "--json")
    assert code == 0, text
    data = json.loads(text)
    assert data["period"] == 2031 and data["base_objective"] == 384 and data["base_post"] == "HT-DEP"
    (x,) = data["placements"]
    assert (x["post"], x["delta"]) == ("HT-AB-CH", 2)
    assert x["horizon"]["delta"] == -3 and x["horizon"]["valid"]
    code, text = _run("fit", RETIRE, "--candidate", "a", "--plan", plan, "--period", "2031")
    assert "HT-AB-CH             +2   w moves HT-AB-CH -> HT-DEP; over the horizon -3" in text


def test_fit_period_errors(runs):
    plan = str(Path(runs["rt"]) / "plan.csv")
    code, text = _run("fit", RETIRE, "--candidate", "a", "--plan", plan, "--period", "2030")
    assert code == 2 and "2030 is not one of the periods" in text
    code, text = _run("fit", RETIRE, "--candidate", "z", "--plan", plan)
    assert code == 2 and "z is not available in 2026 (joins 2036)" in text


# -- 5. an infeasible horizon, in words ---------------------------------------------------------

def test_infeasible_horizon_reads_in_periods(runs):
    summary = json.loads((Path(runs["la_inf"]) / "summary.json").read_text(encoding="utf-8"))
    lines = summary["explanation"]
    assert lines and not any("@" in line for line in lines)
    text = " ".join(lines)
    assert "director in post: post HG-DIR in 2031 must be filled" in text
    assert "l is fixed to post HG-DEP in 2026 (fixed pair)" in text
    assert "non-local director at post HG-DIR in 2031: 1 candidate is local to HG (l)" in text
    members = summary["conflict"]["conflict"]
    assert all("@" not in m["text"] for m in members)
    assert {m["place"] for m in members} >= {"HG-DIR@2031", "HG-DEP@2026=l@2026"}
    code, out = _run("explain", runs["la_inf"])
    assert code == 1 and "post HG-DIR in 2031" in out


def test_readable_says_each_year_once():
    known = {"P1@2031": ("P1", 2031, "post"), "U@2031": ("U", 2031, "unit"),
             "c@2031": ("c", 2031, "candidate"), "c@2036": ("c", 2036, "candidate"),
             "P1@2036": ("P1", 2036, "post")}
    assert readable("c@2031 is fixed to post P1@2031 in U@2031", known) == \
        "c is fixed to post P1 in 2031 in U"
    assert readable("Hall: posts P1@2031, P1@2036 (c@2036)", known) == \
        "Hall: posts P1 in 2031, P1 in 2036 (c)"
    assert readable("only c@2031 here", known) == "only c in 2031 here"
    assert readable("x@2031 is no copy", known) == "x@2031 is no copy"


def test_one_period_run_whose_current_post_is_closed(tmp_path):
    """A one-period scenario where X's post closed before the term (X must go elsewhere): the
    re-planner works on the posts that exist, so explaining X works and prices B for Y."""
    scn = scenario([unit("P1", "province")],
                   [post("OLD", "P1", closes=2026), post("A", "P1"), post("B", "P1")],
                   [cand("X", home="P1", current_post="OLD", merit=60),
                    cand("Y", home="P1", merit=50), cand("Z", home="P1", merit=40)],
                   weights={"merit": 1})
    out = _solve(CliRunner(), write_yaml(scn, tmp_path / "s.yaml"), tmp_path / "out")
    code, text = _run("explain", out, "--candidate", "X", "--json")
    assert code == 0, text
    data = json.loads(text)
    assert data["post"] in ("A", "B") and data["current_post"] is None
    assert {x["post"] for x in data["elsewhere"]} == {"A", "B"} - {data["post"]}
    assert all(x["delta"] == 0 for x in data["elsewhere"])  # the same merit on either post
