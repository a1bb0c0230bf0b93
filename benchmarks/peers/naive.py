"""The same model, built the way a first implementation would: CP-SAT's Python object API.

One ``new_bool_var`` per eligible pair (named after the pair), ``add_at_most_one`` per post and
per candidate, each rule constraint with ``add_linear_constraint(...).only_enforce_if(...)``,
``maximize(weighted_sum)``; no hint, no reductions, default parameters except the time limit
and the number of workers.
"""

from __future__ import annotations

import math
import time

import numpy as np
from ortools.sat.python import cp_model

from benchmarks.peers.common import PeerResult, Timeline
from benchmarks.peers.spec import (
    AT_MOST_ONE,
    BOOL_AND,
    BOOL_OR,
    EXACTLY_ONE,
    LINEAR,
    ModelSpec,
    derive_spec,
)
from planner.scenario import Policy, Scenario

_STATUS = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
           cp_model.INFEASIBLE: "infeasible", cp_model.UNKNOWN: "unknown",
           cp_model.MODEL_INVALID: "model_invalid"}


class BuildTimeout(RuntimeError):
    """The naive build passed its deadline: on the large sizes the object API alone can take
    longer than the whole time limit, and the benchmark reports that instead of waiting."""


class _Watch(cp_model.CpSolverSolutionCallback):
    """Puts each improving plan, with CP-SAT's bound at that moment, on the timeline."""

    def __init__(self, timeline: Timeline):
        super().__init__()
        self.timeline = timeline

    def on_solution_callback(self) -> None:
        self.timeline.solution(self.objective_value, self.best_objective_bound)


def build_naive(spec: ModelSpec, deadline: float | None = None) -> tuple[cp_model.CpModel, list]:
    """The object-API model of `spec`; raises :class:`BuildTimeout` past `deadline`."""
    model = cp_model.CpModel()
    x: list = []
    post_ids, cand_ids = spec.post_ids, spec.cand_ids
    for i in range(spec.n_vars):
        if i < spec.n_pairs:
            x.append(model.new_bool_var(f"x[{post_ids[spec.pair_post[i]]},{cand_ids[spec.pair_cand[i]]}]"))
        elif spec.var_lo[i] == 0 and spec.var_hi[i] == 1:
            x.append(model.new_bool_var(f"aux{i}"))
        else:
            x.append(model.new_int_var(int(spec.var_lo[i]), int(spec.var_hi[i]), f"aux{i}"))
        if deadline is not None and i % 50_000 == 0 and time.perf_counter() > deadline:
            raise BuildTimeout(f"{i} of {spec.n_vars} variables created")

    def lit(code: int) -> cp_model.LiteralT:
        return x[code] if code >= 0 else ~x[-code - 1]

    start, idx, val, enf_start, enf_lit = spec.start, spec.idx, spec.val, spec.enf_start, spec.enf_lit
    for k in range(spec.n_constraints):
        kind = spec.kind[k]
        ids = idx[start[k]:start[k + 1]].tolist()
        if kind == LINEAR:
            expr = cp_model.LinearExpr.weighted_sum([x[i] for i in ids],
                                                    val[start[k]:start[k + 1]].tolist())
            ct = model.add_linear_constraint(expr, int(spec.lo[k]), int(spec.hi[k]))
        elif kind == AT_MOST_ONE:
            ct = model.add_at_most_one([lit(i) for i in ids])
        elif kind == EXACTLY_ONE:
            ct = model.add_exactly_one([lit(i) for i in ids])
        elif kind == BOOL_OR:
            ct = model.add_bool_or([lit(i) for i in ids])
        elif kind == BOOL_AND:
            ct = model.add_bool_and([lit(i) for i in ids])
        else:  # pragma: no cover
            raise NotImplementedError(kind)
        enforce = enf_lit[enf_start[k]:enf_start[k + 1]].tolist()
        if enforce:
            ct.only_enforce_if([lit(e) for e in enforce])
        if deadline is not None and k % 5_000 == 0 and time.perf_counter() > deadline:
            raise BuildTimeout(f"{k} of {spec.n_constraints} constraints added")

    variables, coefs, const = spec.user_terms()
    expr = cp_model.LinearExpr.weighted_sum([x[i] for i in variables.tolist()], coefs.tolist())
    if spec.maximise:
        model.maximize(expr + int(round(const)))
    else:
        model.minimize(expr + int(round(const)))
    return model, x


def naive_from_spec(spec: ModelSpec, time_limit: float = 30.0, workers: int = 2,
                    seed: int = 0, build_limit: float | None = None) -> PeerResult:
    """Build `spec` through the object API and solve it. `build_limit` (default: `time_limit`)
    caps the build; past it the result is `skipped` with a note."""
    timeline = Timeline(offset=spec.prep_seconds)
    tick = time.perf_counter()
    limit = time_limit if build_limit is None else build_limit
    try:
        model, x = build_naive(spec, deadline=tick + limit)
    except BuildTimeout as exc:
        return PeerResult("naive_cpsat", "skipped", prep_seconds=spec.prep_seconds,
                          build_seconds=time.perf_counter() - tick,
                          note=f"could not build within {limit:g} s ({exc})")
    build = time.perf_counter() - tick

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.best_bound_callback = timeline.bound
    tick = time.perf_counter()
    code = solver.solve(model, _Watch(timeline))
    solve = time.perf_counter() - tick
    status = _STATUS.get(code, "unknown")
    result = PeerResult("naive_cpsat", status, prep_seconds=spec.prep_seconds,
                        build_seconds=build, solve_seconds=solve,
                        extra={"solver_wall_seconds": solver.wall_time})
    if status in ("optimal", "feasible"):
        result.objective = int(round(solver.objective_value))
        result.bound = result.objective if status == "optimal" else \
            math.floor(solver.best_objective_bound + 1e-6)
        values = np.array(solver.response_proto.solution, dtype=np.int64)
        result.plan = spec.plan_from(values)
    result.first_plan_seconds = timeline.first_plan()
    result.gap1_seconds = timeline.time_to_gap(0.01, (timeline.now(), result.objective, result.bound))
    return result


def naive_cpsat(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
                workers: int = 2, seed: int = 0) -> PeerResult:
    """Naive CP-SAT on `scenario` (the planner's rules, rebuilt through the object API)."""
    return naive_from_spec(derive_spec(scenario, policy), time_limit, workers, seed)
