"""`planner.model.builder.ModelBuilder` on a micro instance, every figure worked out by hand.

    P1 (province, lat 0, lon 0) ── D1 (district, lat 0, lon 2.7: 300 km from P1)
    M (ministry, no coordinates)

Posts: P1-DIR (priority 2, min_education master, specialties [law]) and D1-CH (priority 1).
Officers: A (master, merit 80, holds P1-DIR, specialty law, serves at P1); B (university, so
not eligible for P1-DIR; merit 60, prefers P1, serves at D1); C (phd, merit 40, serves at M;
the pair D1-CH = C is forbidden). The eligible pairs, in post order with candidates ascending,
are therefore P1-DIR: A, C and D1-CH: A, B -- variables 0 to 3.

With weights merit 1, specialty 7, preference 3, move 5, distance 2, vacancy 100 the contract's
score (section 4) plus the vacancy a pair saves (100 x priority) is:

    P1-DIR = A   80 x 2 + 7 (law)      - 0 (stays) - 2 x 0 (0 km)                  + 200 = 367
    P1-DIR = C   40 x 2                - 5         - 2 x 0 (M has no coordinates)  + 200 = 275
    D1-CH  = A   80 x 1                - 5         - 2 x 3 (300 km)                + 100 = 169
    D1-CH  = B   60 x 1 + 3 (P1 holds D1) - 5      - 2 x 0                         + 100 = 158

and the all-vacant plan is worth -100 x (2 + 1) = -300. The optimum is A on P1-DIR and B on
D1-CH: 367 + 158 - 300 = 225.
"""

from pathlib import Path
from typing import Any

import numpy as np
from builders import cand, pin, policy, post, scenario, unit
from ortools.sat.python import cp_model

from planner import check_plan
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.model.objective import pair_scores, vacancy_constant
from planner.model.pairs import pair_table
from planner.scenario import Scenario

UNITS = [unit("P1", "province", lat=0.0, lon=0.0), unit("D1", "district", parent="P1", lat=0.0, lon=2.7),
         unit("M", "ministry")]
POSTS = [post("P1-DIR", "P1", "director", priority=2, min_education="master", specialties=["law"]),
         post("D1-CH", "D1", "chief")]
CANDS = [cand("A", home="P1", education="master", merit=80, current_post="P1-DIR",
              specialties=["law"]),
         cand("B", home="D1", merit=60, preferences=["P1"]),
         cand("C", home="M", education="phd", merit=40)]
WEIGHTS = {"merit": 1, "specialty": 7, "preference": 3, "move": 5, "distance": 2, "vacancy": 100}
PAIRS = [(0, 0), (0, 2), (1, 0), (1, 1)]   # (post, candidate) of variables 0..3
COEFS = [367, 275, 169, 158]


def micro(**kw: Any) -> Scenario:
    return scenario(UNITS, POSTS, CANDS, forbidden=[pin("D1-CH", "C")], **kw)


def built(scn: Scenario | None = None, rules: list[dict[str, Any]] | None = None) -> ModelBuilder:
    return ModelBuilder(Instance(scn or micro()), policy(rules, WEIGHTS)).build()


def solved(mb: ModelBuilder) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(mb.model) == cp_model.OPTIMAL
    return solver


def at_most_ones(mb: ModelBuilder) -> list[list[int]]:
    return [list(c.at_most_one.literals) for c in mb.model.proto.constraints
            if c.has_at_most_one()]


def test_variables_only_for_eligible_pairs():
    mb = built()
    assert mb.n_pairs == 4
    assert list(zip(mb.pair_post.tolist(), mb.pair_cand.tolist())) == PAIRS
    assert mb.post_start.tolist() == [0, 2, 4]
    assert mb.cand_pairs(0).tolist() == [0, 2] and mb.cand_pairs(2).tolist() == [1]
    variables = mb.model.proto.variables
    assert len(variables) == 4 and all(list(v.domain) == [0, 1] for v in variables)


def test_one_candidate_per_post_and_one_post_per_candidate():
    mb = built()
    # each post's pairs, then each candidate with more than one pair (A): B and C have one each
    assert at_most_ones(mb) == [[0, 1], [2, 3], [0, 2]]
    # without the objective, the model's solutions are exactly the matchings of the four
    # pairs: the empty plan, four single pairs, and {P1-DIR=A, D1-CH=B}, {C, A}, {C, B}
    free = mb.model.clone()
    free.proto.clear_objective()
    seen = []

    class Collect(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            seen.append(tuple(i for i in range(4) if self.value(free.get_int_var_from_proto_index(i))))

    solver = cp_model.CpSolver()
    solver.parameters.enumerate_all_solutions = True
    solver.parameters.num_workers = 1
    assert solver.solve(free, Collect()) == cp_model.OPTIMAL
    assert sorted(seen) == sorted([(), (0,), (1,), (2,), (3,), (0, 3), (1, 2), (1, 3)])


def test_objective_coefficients_are_the_pair_scores():
    mb = built()
    inst, pol = mb.inst, policy(None, WEIGHTS)
    table = pair_table(inst, pol)
    assert table.coef.tolist() == COEFS
    assert pair_scores(inst, pol.weights, mb.pair_post, mb.pair_cand).tolist() == COEFS
    assert table.constant == vacancy_constant(inst, pol.weights) == -300
    objective = mb.model.proto.objective
    # CP-SAT minimises: coefficients and offset negated, scaling -1 reports the maximum
    assert list(objective.vars) == [0, 1, 2, 3]
    assert list(objective.coeffs) == [-c for c in COEFS]
    assert objective.offset == 300 and objective.scaling_factor == -1


def test_plan_from_reads_a_solution_back():
    mb = built()
    solver = solved(mb)
    plan = mb.plan_from(solver.response_proto.solution)
    assert plan == {"P1-DIR": "A", "D1-CH": "B"}
    assert solver.objective_value == 225 == check_plan(micro(), plan, policy(None, WEIGHTS)).objective
    assert mb.plan_from([0, 1, 0, 0]) == {"P1-DIR": "C", "D1-CH": None}
    assert mb.plan_from([0, 0, 0, 1, 1, 1]) == {"P1-DIR": None, "D1-CH": "B"}   # past n_pairs: aux


def test_hint_sets_every_pair_from_a_plan():
    mb = built()
    mb.hint({"P1-DIR": "C", "D1-CH": "B"})
    hint = mb.model.proto.solution_hint
    assert list(hint.vars) == [0, 1, 2, 3] and list(hint.values) == [0, 1, 0, 1]


def test_size_reports_the_model_size():
    assert built().size() == {"pairs": 4, "variables": 4, "constraints": 3, "penalties": 0}
    # a hard fill adds one row per post; a soft share one shortfall variable, row and penalty
    mb = built(rules=[{"rule": "fill"},
                      {"rule": "gender_balance", "min_share": 0.5, "hard": False, "weight": 9}])
    assert mb.size() == {"pairs": 4, "variables": 5, "constraints": 6, "penalties": 1}
    assert mb.size()["constraints"] == len(mb.model.proto.constraints) == mb.n_constraints
    assert [p.weight for p in mb.penalties] == [9]


def test_fixed_pair_is_a_row_and_an_impossible_one_is_named():
    mb = built(micro(fixed=[pin("P1-DIR", "C")]))
    # the pin leaves P1-DIR to C alone (A's pair there is gone) and C to P1-DIR
    assert list(zip(mb.pair_post.tolist(), mb.pair_cand.tolist())) == [(0, 2), (1, 0), (1, 1)]
    (row,) = [c for c in mb.model.proto.constraints if c.name == "fixed:P1-DIR=C"]
    assert list(row.linear.vars) == [0] and list(row.linear.domain) == [1, 1]
    assert mb.plan_from(solved(mb).response_proto.solution) == {"P1-DIR": "C", "D1-CH": "A"}
    mb = built(micro(fixed=[pin("P1-DIR", "B")]))
    assert mb.impossible == ["fixed pair P1-DIR = B is impossible: B has education university, "
                             "below min_education master"]
    solver = cp_model.CpSolver()
    assert solver.solve(mb.model) == cp_model.INFEASIBLE


def test_rules_change_only_their_part():
    # a soft fill pays through coefficients and a constant: the variables stay the pairs
    mb = built(rules=[{"rule": "fill", "hard": False, "weight": 11}])
    assert mb.n_pairs == mb.n_vars == 4
    assert mb.coef.tolist() == [c + 11 for c in COEFS] and mb.constant == -300 - 2 * 11
    assert np.array_equal(mb.pair_post, built().pair_post)


def test_model_text_parsed_in_chunks_is_the_same_model(monkeypatch):
    """The model text is parsed a chunk at a time (one 2 GiB text crashed the parser); any
    chunk size gives the same model and the same optimum."""
    from planner import load_scenario, solve
    from planner.model import builder

    scn = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "small.yaml")
    whole = solve(scn, workers=1, deterministic=True)
    monkeypatch.setattr(builder, "PARSE_CHUNK", 1)  # every piece parsed on its own
    inst = Instance(scn)
    mb = builder.ModelBuilder(inst, scn.policy).build()
    assert len(mb.model.proto.variables) == mb.n_vars
    assert len(mb.model.proto.constraints) == mb.n_constraints
    again = solve(scn, workers=1, deterministic=True)
    assert (again.objective, again.plan) == (whole.objective, whole.plan)
