"""Policy variants: drop, relax one step, the --vary grammar and its errors (exit 2)."""

from __future__ import annotations

import pytest
from builders import policy
from research_data import TINY, invoke, write

from planner.research import variants as V

NATIONAL = policy([
    {"rule": "non_local", "unit_kind": "province", "roles": ["director"], "min_share": 0.97},
    {"rule": "non_local", "unit_kind": "district", "roles": ["chief"]},
    {"rule": "non_local", "unit_kind": "commune", "roles": ["chief"], "min_share": 0.9},
    {"rule": "term_limit", "max_consecutive_terms": 2},
    {"rule": "ministry_quota", "roles": ["director", "deputy_director"],
     "min_share_of_units": 0.95},
    {"rule": "kinship"},
], {"move": 5}, name="national")


def test_drop_rule_keeps_the_rest_in_order():
    dropped = V.drop_rule(NATIONAL, 1)
    assert [r.title for r in dropped.rules] == [r.title for i, r in enumerate(NATIONAL.rules) if i != 1]
    assert dropped.weights == NATIONAL.weights
    assert len(NATIONAL.rules) == 6  # the base is untouched


def test_relax_one_step_is_exact_and_stops_at_zero():
    relaxed, old, new = V.lower_share(NATIONAL.rules[2], 0.05)
    assert (old, new, relaxed.min_share) == (0.9, 0.85, 0.85)
    assert relaxed.share.numerator == 17 and relaxed.share.denominator == 20
    _, _, new = V.lower_share(NATIONAL.rules[4], 0.1)
    assert new == 0.85  # min_share_of_units of ministry_quota
    low = policy([{"rule": "gender_balance", "min_share": 0.03}]).rules[0]
    assert V.lower_share(low, 0.05)[2] == 0
    assert V.lower_share(NATIONAL.rules[3], 0.05) is None  # term_limit has no share
    zero = policy([{"rule": "gender_balance", "min_share": 0}]).rules[0]
    assert V.lower_share(zero, 0.05) is None


def test_price_variants():
    out = V.price_variants(NATIONAL, step=0.05)
    kinds = [(v.info["kind"], v.info.get("index")) for v in out]
    # base; drop each rule; relax the four share rules (non_local x3, ministry_quota)
    assert kinds == [("base", None), ("drop", 0), ("relax", 0), ("drop", 1), ("relax", 1),
                     ("drop", 2), ("relax", 2), ("drop", 3), ("drop", 4), ("relax", 4),
                     ("drop", 5)]
    relax = out[2]
    assert relax.label == "relax non_local[roles=director, unit_kind=province, min_share=0.97]: " \
                          "min_share 0.97 -> 0.92"
    assert relax.policy.rules[0].min_share == 0.92
    assert [v.info["kind"] for v in V.price_variants(NATIONAL, relax=False)].count("relax") == 0


def test_vary_range_is_inclusive_and_exact():
    vary = V.parse_vary("non_local[unit_kind=commune].min_share=0.8:1.0:0.02")
    assert vary.target == "non_local" and vary.selector == (("unit_kind", "commune"),)
    assert vary.param == "min_share"
    assert vary.values == ("0.8", "0.82", "0.84", "0.86", "0.88", "0.9", "0.92", "0.94", "0.96",
                           "0.98", "1")
    assert V.parse_vary("term_limit.max_consecutive_terms=1:3:1").values == ("1", "2", "3")
    assert V.parse_vary("weights.move=0,5,20").values == ("0", "5", "20")


def test_grid_1d_selects_by_parameters():
    points = V.grid(NATIONAL, [V.parse_vary("non_local[unit_kind=commune].min_share=0.8:1.0:0.1")])
    assert [p.label for p in points] == [
        "non_local[unit_kind=commune].min_share=0.8", "non_local[unit_kind=commune].min_share=0.9",
        "non_local[unit_kind=commune].min_share=1"]
    assert [p.policy.rules[2].min_share for p in points] == [0.8, 0.9, 1.0]
    assert all(p.policy.rules[0].min_share == 0.97 for p in points)  # other rules untouched
    assert points[0].info == {"kind": "grid", "axes": ["non_local[unit_kind=commune].min_share"],
                              "values": {"non_local[unit_kind=commune].min_share": "0.8"}}


def test_grid_2d_and_list_selectors():
    points = V.grid(NATIONAL, [
        V.parse_vary("ministry_quota[roles=director/deputy_director].min_share_of_units=0.5,1"),
        V.parse_vary("weights.move=0:10:5")])
    assert len(points) == 6
    assert [(p.policy.rules[4].min_share_of_units, p.policy.weights.move) for p in points] == [
        (0.5, 0), (0.5, 5), (0.5, 10), (1.0, 0), (1.0, 5), (1.0, 10)]


def test_a_selector_matching_several_rules_changes_them_all():
    points = V.grid(NATIONAL, [V.parse_vary("non_local[roles=chief].min_share=0.5")])
    assert [r.min_share for r in points[0].policy.rules[:3]] == [0.97, 0.5, 0.5]


@pytest.mark.parametrize("spec, words", [
    ("non_local.min_share", "cannot read it"),
    ("nonlocal[unit_kind=commune].min_share=0.8:1:0.1", "unknown rule type 'nonlocal'"),
    ("non_local[unit_kind=ministry].min_share=0.8:1:0.1", "matches no rule of the policy"),
    ("non_local[unit=commune].min_share=0.8:1:0.1", "no parameter 'unit' to select by"),
    ("non_local[unit_kind=commune].max_share=0.8:1:0.1", "no parameter 'max_share'"),
    ("non_local[unit_kind=commune].min_share=0.8:1.2:0.2", "min_share=1.2 is not valid"),
    ("non_local[unit_kind=commune].min_share=1:0.8:0.1", "below the start"),
    ("non_local[unit_kind=commune].min_share=0.8:1:0", "the step must be > 0"),
    ("non_local[unit_kind=commune].min_share=0.8:1", "three parts"),
    ("non_local[unit_kind=commune].min_share=a:1:0.1", "'a' is not a number"),
    ("non_local[unit_kind=commune].min_share=0:1:0.0001", "more than the 1000 allowed"),
    ("weights.moves=1,2", "no weight 'moves'"),
    ("weights.move=-1,2", "weights.move=-1 is not valid"),
    ("gender_balance.min_share=0.1", "it has no gender_balance rule"),
])
def test_vary_errors(spec, words):
    with pytest.raises(V.VaryError) as err:
        V.grid(NATIONAL, [V.parse_vary(spec)])
    assert words in str(err.value)


def test_cli_vary_errors_exit_2_with_a_clear_message(tmp_path):
    scn = write(tmp_path, "tiny.yaml", TINY)
    res = invoke("sweep", scn, "--vary", "non_local[unit_kind=commune].min_share=0.5:1:0.5",
                 "-o", tmp_path / "out")
    assert res.exit_code == 2
    assert "matches no rule of the policy 'tiny-policy'" in res.output
    assert "non_local[roles=chief, unit_kind=district]" in res.output  # the rules it has
    assert "Traceback" not in res.output
    res = invoke("sweep", scn, "--vary", "non_local.min_share=0.5", "--vary", "weights.move=1",
                 "--vary", "weights.merit=1", "-o", tmp_path / "out")
    assert res.exit_code == 2 and "one or two --vary" in res.output
    res = invoke("sweep", scn, "--vary", "bad", "-o", tmp_path / "out")
    assert res.exit_code == 2 and "expected RULE[PARAM=VALUE,...].PARAM=START:STOP:STEP" in res.output
    res = invoke("sweep", scn, "-o", tmp_path / "out")
    assert res.exit_code == 2 and "--vary" in res.output
    res = invoke("sweep", scn, "--vary", "non_local.min_share=0.5", "--pareto", "moved,happiness")
    assert res.exit_code == 2 and "unknown metric 'happiness'" in res.output
    assert not (tmp_path / "out" / "results.sqlite").exists()  # nothing solved


def test_missing_extra_names_it_and_exits_2(tmp_path, monkeypatch):
    from planner.cli import research as commands

    monkeypatch.setattr(commands, "missing_modules", lambda *names: ["matplotlib"])
    scn = write(tmp_path, "tiny.yaml", TINY)
    for cmd in ("compare", "price", "sweep"):
        res = invoke(cmd, scn)
        assert res.exit_code == 2
        assert "pip install 'rotation-planner[research]'" in res.output
        assert "matplotlib" in res.output


def test_bad_input_files_exit_2(tmp_path):
    scn = write(tmp_path, "tiny.yaml", TINY)
    pol = write(tmp_path, "bad.yaml", "name: bad\nrules:\n  - {rule: non_local, min_share: 2}\n")
    res = invoke("compare", scn, "--policy", pol, "-o", tmp_path / "out")
    assert res.exit_code == 2
    assert "bad.yaml" in res.output and "min_share" in res.output
