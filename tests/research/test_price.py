"""`planner price`: one rule binds, one is slack; and the cause of an infeasible policy."""

from __future__ import annotations

import csv

from research_data import TINY, TINY_FILL, invoke, write

from planner.research import analysis
from planner.research.store import Store


def _rows(path):
    with open(path, encoding="utf-8") as fh:
        return {r["change"]: r for r in csv.DictReader(fh)}


def test_price_names_the_binding_and_the_slack_rule(tmp_path):
    scn = write(tmp_path, "tiny.yaml", TINY)
    out = tmp_path / "out"
    res = invoke("price", scn, "-j", "1", "-o", out)
    assert res.exit_code == 0, res.output
    assert "slack (dropping them changes nothing): clean_record[roles=chief]" in res.output
    rows = _rows(out / "price.csv")
    base = rows["base"]
    assert (base["status"], base["objective"], base["moved"]) == ("optimal", "160", "2")
    drop = rows["drop non_local[roles=chief, unit_kind=district]"]
    # without non_local nobody moves: 170 = 160 + the two moves (5 each)
    assert (drop["objective"], drop["d_objective"], drop["d_moved"], drop["d_vacant"]) == \
           ("170", "10", "-2", "0")
    assert drop["verdict"] == "binding"
    slack = rows["drop clean_record[roles=chief]"]
    assert (slack["d_objective"], slack["verdict"]) == ("0", "slack")
    relax = rows["relax non_local[roles=chief, unit_kind=district]: min_share 1 -> 0.95"]
    assert relax["d_objective"] == "0"  # 0.95 x 2 posts still needs both non-local
    for name in ("price.csv", "price.md", "price.png", "results.sqlite"):
        assert (out / name).stat().st_size > 0
    assert "| drop clean_record[roles=chief] |" in (out / "price.md").read_text(encoding="utf-8")


def test_price_names_the_cause_of_infeasibility(tmp_path):
    # young_cadres at 1: both required posts would need an officer aged <= 50; only A is
    scn = write(tmp_path, "fill.yaml", TINY_FILL.replace("min_share: 0.5}", "min_share: 1}"))
    out = tmp_path / "out"
    res = invoke("price", scn, "-j", "1", "--step", "0.5", "-o", out)
    assert res.exit_code == 0, res.output
    assert "the base policy has no plan" in res.output
    priced = analysis.price(Store(out / "results.sqlite").rows())
    verdicts = {r["label"]: r["verdict"] for r in priced}
    assert verdicts["base"] == "base"
    assert verdicts["drop fill"] == "cause of infeasibility"
    assert verdicts["drop young_cadres[min_share=1.0, max_age=50]"] == "cause of infeasibility"
    assert verdicts["relax young_cadres[min_share=1.0, max_age=50]: min_share 1 -> 0.5"] == \
           "cause of infeasibility"
    assert analysis.causes(priced) == ["fill", "young_cadres[min_share=1.0, max_age=50]"]
