"""Pins and what-if: `--fix`, `--forbid` and `--stay-close-to` (the stay_close rule), with
objectives worked out by hand.

Two provinces, two director posts: A (priority 2) and B (priority 1); officers X (merit 60),
Y (50), Z (40); merit weight 1, no other score terms. The best plan is A=X, B=Y: 2*60 + 50 = 170.
"""

from __future__ import annotations

import json

import pytest
from builders import cand, pin, post, scenario, unit, write_yaml
from click.testing import CliRunner

from planner import check_plan, solve
from planner.cli import main
from planner.errors import InputError
from planner.explain.whatif import read_previous, with_pins, with_stay_close
from planner.scenario import Policy

UNITS = [unit("P1", "province"), unit("P2", "province")]
POSTS = [post("A", "P1", "director", priority=2), post("B", "P2", "director")]
CANDS = [cand("X", home="P1", merit=60), cand("Y", home="P1", merit=50),
         cand("Z", home="P2", merit=40)]


def base(**kw):
    return scenario(UNITS, POSTS, CANDS, weights={"merit": 1}, **kw)


def optimal(scn, policy=None, **kw):
    result = solve(scn, policy, workers=1, **kw)
    assert result.status.value == "optimal", result.explanation
    return result


def test_baseline():
    res = optimal(base())
    assert res.plan == {"A": "X", "B": "Y"} and res.objective == 170


# -- --fix / --forbid ------------------------------------------------------------------------

def test_fix_changes_the_objective_exactly():
    res = optimal(with_pins(base(), fix=[("A", "Z")]))
    assert res.plan == {"A": "Z", "B": "X"}
    assert res.objective == 2 * 40 + 60 == 170 - 30


def test_forbid_changes_the_objective_exactly():
    res = optimal(with_pins(base(), forbid=[("A", "X")]))
    assert res.plan == {"A": "Y", "B": "X"}
    assert res.objective == 2 * 50 + 60 == 170 - 10


def test_pins_add_to_the_scenario_lists():
    scn = with_pins(base(fixed=[pin("B", "Z")]), fix=[("A", "Y")], forbid=[("A", "X")])
    assert [(p.post, p.candidate) for p in scn.fixed] == [("B", "Z"), ("A", "Y")]
    assert [(p.post, p.candidate) for p in scn.forbidden] == [("A", "X")]


def test_unknown_ids_are_reported_all_at_once():
    with pytest.raises(InputError) as err:
        with_pins(base(), fix=[("NOPE", "X"), ("A", "GHOST")], forbid=[("B", "NOBODY")])
    text = str(err.value)
    assert "unknown post 'NOPE'" in text and "unknown candidate 'GHOST'" in text
    assert "--forbid" in text and "unknown candidate 'NOBODY'" in text


@pytest.mark.parametrize("args,message", [
    (["--fix", "A=GHOST"], "--fix: unknown candidate 'GHOST' in A=GHOST"),
    (["--forbid", "NOPE=X"], "--forbid: unknown post 'NOPE' in NOPE=X"),
    (["--fix", "A"], "--fix: expected POST=CANDIDATE, got 'A'"),
    (["--stay-close-to", "missing.csv"], "cannot read file"),
])
def test_cli_bad_whatif_exits_2(tmp_path, args, message):
    path = write_yaml(base(), tmp_path / "s.yaml")
    res = CliRunner().invoke(main, ["solve", path, "-o", str(tmp_path / "out"), "-q",
                                    "--no-report", "--no-excel", *args])
    assert res.exit_code == 2
    assert message in res.output
    assert not (tmp_path / "out").exists()


def test_cli_fix_and_forbid(tmp_path):
    path = write_yaml(base(), tmp_path / "s.yaml")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["solve", path, "-o", str(out), "-q", "--workers", "1",
                                    "--no-report", "--no-excel", "--fix", "B=Z", "--forbid", "A=Y"])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objective"] == 2 * 60 + 40
    assert summary["stats"]["inputs"]["fix"] == [["B", "Z"]]
    assert summary["stats"]["inputs"]["forbid"] == [["A", "Y"]]


# -- stay close to a previous plan ------------------------------------------------------------

def close(previous, weight, hard=False):
    pol = Policy(name="p", weights={"merit": 1})
    if hard:
        return pol.model_copy(update={"rules": [
            *pol.rules, with_stay_close(pol, previous, 1).rules[-1].model_copy(update={"hard": True})]})
    return with_stay_close(pol, previous, weight, label="close")


@pytest.mark.parametrize("weight,plan,objective", [
    # Previous A=Y, B=X (160). Moving to the best plan changes both posts.
    (6, {"A": "Y", "B": "X"}, 160),            # 170 - 2*6 = 158 < 160: stay
    (4, {"A": "X", "B": "Y"}, 170 - 2 * 4),    # 162 > 160: move
])
def test_stay_close_prices_every_change(weight, plan, objective):
    pol = close({"A": "Y", "B": "X"}, weight)
    res = optimal(base(), pol)
    assert res.plan == plan and res.objective == objective
    rep = check_plan(base(), res.plan, pol)  # the checker counts the changes itself
    assert rep.objective == objective
    changes = 0 if plan == {"A": "Y", "B": "X"} else 2
    assert rep.terms["rule:close"] == -weight * changes
    assert next(r for r in rep.rules if r.rule == "close").figures["changed"] == changes


def test_stay_close_counts_filling_a_vacant_post_and_unknown_officers():
    # B was vacant: filling it is a change (100), far cheaper than the vacancy (1000).
    res = optimal(base(), close({"A": "X", "B": None}, 100))
    assert res.plan == {"A": "X", "B": "Y"} and res.objective == 170 - 100
    # A was held by someone no longer in the scenario: A changes whatever the plan.
    res = optimal(base(), close({"A": "GHOST"}, 4))
    assert res.plan == {"A": "X", "B": "Y"} and res.objective == 170 - 4
    # Posts the scenario does not know are not compared.
    res = optimal(base(), close({"NOPE": "X", "B": "Z"}, 7))
    assert res.objective == 170 - 7


def test_stay_close_hard_keeps_every_listed_post():
    res = optimal(base(), close({"A": "Y", "B": "X"}, 1, hard=True))
    assert res.plan == {"A": "Y", "B": "X"} and res.objective == 160
    assert check_plan(base(), {"A": "X", "B": "Y"}, close({"A": "Y", "B": "X"}, 1, hard=True)).valid \
        is False


def test_stay_close_from_yaml_policy():
    pol = Policy.model_validate({"name": "p", "weights": {"merit": 1}, "rules": [
        {"rule": "stay_close", "previous": {"A": "Y", "B": "X"}, "hard": False, "weight": 4}]})
    assert pol.rules[0].title == "stay_close[2 posts]"
    assert optimal(base(), pol).objective == 162


def test_cli_stay_close_to_previous_plan(tmp_path):
    path = write_yaml(base(), tmp_path / "s.yaml")
    prev = tmp_path / "prev.csv"
    prev.write_text("post_id,candidate_id\nA,Y\nB,X\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["solve", path, "-o", str(out), "-q", "--workers", "1",
                                    "--no-report", "--no-excel", "--stay-close-to", str(prev),
                                    "--change-weight", "4"])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objective"] == 162
    term = f"rule:stay close to {prev.resolve()}"
    assert summary["objective_terms"][term] == -8
    res = CliRunner().invoke(main, ["solve", path, "-o", str(tmp_path / "out2"), "-q",
                                    "--workers", "1", "--no-report", "--no-excel",
                                    "--stay-close-to", str(prev)])  # default weight 100: stay
    assert json.loads((tmp_path / "out2" / "summary.json").read_text())["objective"] == 160


def test_read_previous_notes_what_will_not_match(tmp_path):
    prev = tmp_path / "prev.csv"
    prev.write_text("post_id,candidate_id\nA,GHOST\nNOPE,X\n")
    plan, notes = read_previous(prev, base())
    assert plan == {"A": "GHOST"}
    text = " ".join(notes)
    assert "unknown post 'NOPE'" in text and "post B is missing" in text
    assert "candidate GHOST of post A is not in the scenario" in text
