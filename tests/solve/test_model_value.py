"""A feasible CP-SAT solution may leave a soft rule's penalty literal at 1 where its plan does
not need it; the answer then takes the plan's own value in the model, which the independent
checker must still recompute exactly (planner/solver/search.py `model_value`)."""

from __future__ import annotations

import itertools

from builders import cand, post, scenario, unit

from planner.check.checker import check_plan
from planner.model.builder import ModelBuilder
from planner.model.horizon import index
from planner.solver.judge import Judge
from planner.solver.pipeline import Searched, _search_answer
from planner.solver.result import Clock, RunStats, Status
from planner.solver.search import model_value


def _envy_scenario():
    units = [unit("P1", "province"), unit("D1", "district", parent="P1"),
             unit("D2", "district", parent="P1")]
    posts = [post("A", "D1"), post("B", "D2")]
    cands = [cand("hi", "D1", merit=90, preferences=["D1", "D2"]),
             cand("lo", "D2", merit=40, preferences=["D1"]),
             cand("mid", "D2", merit=60, preferences=["D2"])]
    return scenario(units, posts, cands, rules=[
        {"rule": "no_envy", "hard": False, "weight": 7},
        {"rule": "non_local", "roles": ["chief"], "hard": False, "weight": 11}])


def test_the_model_value_of_every_plan_is_the_checkers_objective():
    scn = _envy_scenario()
    mb = ModelBuilder(index(scn), scn.policy).build()
    people = [None, "hi", "lo", "mid"]
    for a, b in itertools.product(people, people):
        if a is not None and a == b:
            continue
        plan = {"A": a, "B": b}
        assert model_value(mb, plan) == check_plan(scn, plan).objective, plan


def test_an_answer_with_slack_penalties_takes_its_plans_value():
    scn = _envy_scenario()
    inst = index(scn)
    mb = ModelBuilder(inst, scn.policy).build()
    plan = {"A": "lo", "B": "hi"}  # hi envies A (its first choice, held by lower merit)
    true = check_plan(scn, plan).objective
    slack = Searched(Status.feasible, mb, plan, true - 7, true + 100)  # one needless penalty
    answer = _search_answer(Judge(scn, inst, scn.policy), slack, Clock(None), RunStats())
    assert answer.objective == true
    assert answer.status is Status.feasible and answer.check.valid
