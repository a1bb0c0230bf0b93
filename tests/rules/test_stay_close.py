"""`stay_close` (an extension rule, planner/rules/stay_close.py): re-planning against a previous
plan. A post *changes* when its holder differs from `previous` (another officer, an officer on
a post that was vacant, a vacancy where there was an officer); posts not listed are not
compared, an unknown post id is ignored, an unknown candidate id can never be kept. Soft, each
change costs the weight; hard, every listed post keeps its holder."""

import pytest
from bare_model import assert_binding, assert_infeasible, assert_soft_penalty
from builders import cand, pin, policy, post, scenario, unit

from planner import check_plan

UNITS = [unit("P1", "province"), unit("D1", "district", parent="P1")]
POSTS = [post("P1-DIR", "P1", "director"), post("D1-CH", "D1")]
CANDS = [cand("A", home="P1", merit=30), cand("B", home="P1", merit=90)]


def stay(previous: dict[str, str | None], **kw) -> dict:
    return {"rule": "stay_close", "previous": previous, **kw}


@pytest.mark.parametrize("previous,plan,changed", [
    ({"P1-DIR": "A"}, {"P1-DIR": "A"}, []),
    ({"P1-DIR": "A"}, {"P1-DIR": "B"}, ["post P1-DIR: A -> B"]),
    ({"P1-DIR": "A"}, {}, ["post P1-DIR: A -> vacant"]),
    ({"P1-DIR": None}, {"P1-DIR": "A"}, ["post P1-DIR: vacant -> A"]),
    ({"P1-DIR": None, "D1-CH": "B"}, {"D1-CH": "B"}, []),
    ({"XX": "A", "P1-DIR": "A"}, {"P1-DIR": "A"}, []),                 # unknown post: ignored
    ({"P1-DIR": "ZZ"}, {"P1-DIR": "A"}, ["post P1-DIR: ZZ -> A"]),     # unknown officer: a change
])
def test_checker_counts_changes(previous, plan, changed):
    rep = check_plan(scenario(UNITS, POSTS, CANDS), plan, policy([stay(previous)])).rules[0]
    assert rep.violation == len(changed) and rep.breaches == changed
    compared = sum(1 for pid in previous if pid != "XX")
    assert rep.figures == {"posts_compared": compared, "changed": len(changed),
                           "kept": compared - len(changed)}


# -- the rule alone on a bare model (tests/bare_model.py) ---------------------------------------

def test_bare_model_keeps_the_previous_holder():
    held = assert_binding(scenario(UNITS, POSTS[:1], CANDS), stay({"P1-DIR": "A"}))
    assert held.plan == {"P1-DIR": "A"} and held.objective == 30   # free: B, 90


@pytest.mark.parametrize("previous,pins", [
    ({"P1-DIR": "A"}, {"forbidden": [pin("P1-DIR", "A")]}),
    ({"P1-DIR": None}, {"fixed": [pin("P1-DIR", "B")]}),
])
def test_bare_model_infeasible_when_the_previous_plan_cannot_stand(previous, pins):
    assert_infeasible(scenario(UNITS, POSTS[:1], CANDS, **pins), stay(previous))


def test_bare_model_soft_pays_the_weight_per_change():
    scn = scenario(UNITS, POSTS, CANDS)
    soft = assert_soft_penalty(scn, stay({"P1-DIR": "A", "D1-CH": None}, hard=False, weight=20))
    # A keeps P1-DIR; filling D1-CH, vacant before, is the one change (120 - 20); swapping
    # A and B would change both posts for the same merit
    assert soft.plan == {"P1-DIR": "A", "D1-CH": "B"} and soft.objective == 100


def test_bare_model_soft_trades_a_change_for_merit():
    scn = scenario(UNITS, POSTS[:1], CANDS)
    soft = assert_soft_penalty(scn, stay({"P1-DIR": "A"}, hard=False, weight=20))
    assert soft.plan == {"P1-DIR": "B"} and soft.objective == 70   # 90 - 20 > 30
