"""A plan, explained: `planner explain OUTDIR [--post P | --candidate C]`, with every figure
worked out by hand.

Provinces P1 (district P1-D1) and P2; posts P1-DIR and P2-DIR (directors, priority 2, P1-DIR
needs advanced political theory) and D1-CH (chief); directors must be non-local; term limit 2;
weights merit 1, move 5.

    A  merit 90  home P1  holds P1-DIR (1 term)   advanced
    B  merit 80  home P2  holds P2-DIR (2 terms)  advanced
    C  merit 70  home P2  serves at P1-D1         intermediate
    D  merit 60  home P1-D1  holds D1-CH          advanced
    E  merit 50  home P2                          advanced

P1-DIR is open to B and E only (A and D are local to P1, C lacks the theory); P2-DIR to A and D
(B, C, E are local to P2). The best plan: P1-DIR=B (160-5), P2-DIR=A (180-5), D1-CH=C (70-5):
395.
"""

from __future__ import annotations

import json

import pytest
from builders import cand, post, scenario, unit, write_yaml
from click.testing import CliRunner

from planner.cli import main
from planner.explain.plan import PlanExplainer, load_run

UNITS = [unit("P1", "province"), unit("P1-D1", "district", parent="P1"), unit("P2", "province")]
POSTS = [post("P1-DIR", "P1", "director", priority=2, min_political_theory="advanced"),
         post("P2-DIR", "P2", "director", priority=2), post("D1-CH", "P1-D1", "chief")]
CANDS = [cand("A", home="P1", merit=90, political_theory="advanced", current_post="P1-DIR"),
         cand("B", home="P2", merit=80, political_theory="advanced", current_post="P2-DIR",
              consecutive_terms=2),
         cand("C", home="P2", serves_at="P1-D1", merit=70),
         cand("D", home="P1-D1", merit=60, political_theory="advanced", current_post="D1-CH"),
         cand("E", home="P2", merit=50, political_theory="advanced")]
RULES = [{"rule": "non_local", "label": "non-local directors", "roles": ["director"]},
         {"rule": "term_limit"}]


@pytest.fixture(scope="module")
def outdir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("explain")
    path = write_yaml(scenario(UNITS, POSTS, CANDS, rules=RULES, weights={"merit": 1, "move": 5}),
                      tmp / "s.yaml")
    res = CliRunner().invoke(main, ["solve", path, "-o", str(tmp / "out"), "-q", "--workers", "1",
                                    "--no-report", "--no-excel"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp / "out" / "summary.json").read_text())
    assert summary["status"] == "optimal" and summary["objective"] == 395
    return tmp / "out"


@pytest.fixture(scope="module")
def explainer(outdir):
    return PlanExplainer(load_run(outdir))


def test_overview_by_term_and_rule(explainer):
    data = explainer.overview()
    assert data["objective"] == 395
    assert data["terms"]["merit"] == 2 * 80 + 2 * 90 + 70
    assert data["terms"]["move"] == -15
    assert [(r["rule"], r["holds"]) for r in data["rules"]] == [("non-local directors", True),
                                                                ("term_limit", True)]
    text = explainer.overview_text()
    assert "merit" in text and "410" in text and "ok      non-local directors  (hard" in text


def test_post_holder_terms_and_next_best(explainer):
    data = explainer.post("P1-DIR", top=4)
    assert data["holder"] == "B"
    assert data["score_terms"] == {"merit": 160, "specialty": 0, "preference": 0, "move": -5,
                                   "distance": 0}
    nxt = {x["candidate"]: x for x in data["next"]}
    # By score on P1-DIR: A 180 (its own post: no move), C 140-5, D 120-5, E 100-5.
    assert [x["candidate"] for x in data["next"]] == ["A", "C", "D", "E"]
    assert [x["score"] for x in data["next"]] == [180, 135, 115, 95]
    assert nxt["A"]["why_not"] == ["is local to P1 (non-local directors)"]
    assert nxt["C"]["why_not"] == ["lacks advanced political theory (has intermediate) "
                                   "(min_political_theory of post P1-DIR)"]
    assert nxt["D"]["why_not"] == ["is local to P1 (non-local directors)"]
    # E on P1-DIR: B goes to D1-CH (80-5) and C has no post: 95 + 175 + 75 = 345.
    assert nxt["E"]["eligible"] and nxt["E"]["delta"] == 345 - 395
    assert nxt["E"]["moves"] == [{"candidate": "B", "before": "P1-DIR", "after": "D1-CH"},
                                 {"candidate": "C", "before": "D1-CH", "after": None}]
    text = explainer.post_text("P1-DIR", top=4)
    assert "held by    B" in text and "merit +160, move -5  = 155" in text
    assert "objective -50 (B moves P1-DIR -> D1-CH; C leaves D1-CH (no post))" in text


def test_candidate_where_and_why_not_elsewhere(explainer):
    data = explainer.candidate("C", top=2)
    assert data["post"] == "D1-CH" and sum(data["score_terms"].values()) == 65
    assert [(x["post"], x["score"]) for x in data["elsewhere"]] == [("P1-DIR", 135), ("P2-DIR", 135)]
    assert data["elsewhere"][1]["why_not"] == ["is local to P2 (non-local directors)"]
    data = explainer.candidate("E", top=3)
    assert data["post"] is None
    where = {x["post"]: x for x in data["elsewhere"]}
    assert where["P1-DIR"]["delta"] == -50
    # E on D1-CH (50-5): C loses the post and can go nowhere else: 45 - 65.
    assert where["D1-CH"]["delta"] == -20
    assert where["D1-CH"]["moves"] == [{"candidate": "C", "before": "D1-CH", "after": None}]
    text = explainer.candidate_text("E", top=3)
    assert "placed on  nothing" in text


def test_cli_explain(outdir):
    runner = CliRunner()
    res = runner.invoke(main, ["explain", str(outdir)])
    assert res.exit_code == 0, res.output
    assert "objective  395" in res.output
    res = runner.invoke(main, ["explain", str(outdir), "--post", "P2-DIR", "--top", "2"])
    assert res.exit_code == 0 and "held by    A" in res.output
    res = runner.invoke(main, ["explain", str(outdir), "--candidate", "B", "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["post"] == "P1-DIR"
    res = runner.invoke(main, ["explain", str(outdir), "--post", "NOPE"])
    assert res.exit_code == 2 and "unknown post 'NOPE'" in res.output


def test_cli_explain_needs_a_known_scenario(outdir, tmp_path):
    (tmp_path / "plan.csv").write_text((outdir / "plan.csv").read_text())
    res = CliRunner().invoke(main, ["explain", str(tmp_path)])
    assert res.exit_code == 2 and "--scenario" in res.output
    scn = json.loads((outdir / "summary.json").read_text())["stats"]["inputs"]["scenario"]
    res = CliRunner().invoke(main, ["explain", str(tmp_path), "--scenario", scn])
    assert res.exit_code == 0 and "objective  395" in res.output
