"""The same MIP in SCIP (``pyscipopt``).

The rows are the HiGHS peer's (:func:`benchmarks.peers.highs.build_highs`: Boolean constraints
linear over literals, enforced constraints as big-M rows), written by HiGHS as an MPS file and
read by SCIP's own reader: one model, two solvers, no second translation of the rules to drift
from the first. Writing and reading the file are SCIP's build time. SCIP solves on one thread
(its default; `workers` is recorded, not used). Improving plans and the dual bound at each solved
node are followed by an event handler, so "1% gap s" is seen when SCIP proves it.
"""

from __future__ import annotations

import math
import os
import tempfile
import time

import numpy as np
import pyscipopt
from pyscipopt import SCIP_EVENTTYPE, Eventhdlr

from benchmarks.peers.common import PeerResult, Timeline
from benchmarks.peers.highs import build_highs
from benchmarks.peers.spec import ModelSpec, derive_spec
from planner.scenario import Policy, Scenario

STATUS = {"optimal": "optimal", "infeasible": "infeasible"}
"""SCIP's status words that mean the same here; any other is `feasible` with a plan, else `unknown`."""


class _Trail(Eventhdlr):
    """Each new best plan, and the dual bound after each solved node, into a :class:`Timeline`."""

    def __init__(self, timeline: Timeline):
        super().__init__()
        self.timeline = timeline
        self.last_bound = math.inf

    def eventinit(self) -> None:
        self.model.catchEvent(SCIP_EVENTTYPE.BESTSOLFOUND | SCIP_EVENTTYPE.NODESOLVED, self)

    def eventexit(self) -> None:
        self.model.dropEvent(SCIP_EVENTTYPE.BESTSOLFOUND | SCIP_EVENTTYPE.NODESOLVED, self)

    def eventexec(self, event) -> None:
        if event.getType() == SCIP_EVENTTYPE.BESTSOLFOUND:
            self.timeline.solution(self.model.getSolObjVal(self.model.getBestSol()))
        bound = self.model.getDualbound()
        if bound < self.last_bound:
            self.last_bound = bound
            self.timeline.bound(bound)


def build_scip(spec: ModelSpec, time_limit: float, seed: int = 0,
               params: dict | None = None) -> tuple[pyscipopt.Model, list, np.ndarray]:
    """A SCIP model of the spec's MIP (parameters set, `params` on top), its variables, and for
    each of them the spec's column it stands for (HiGHS names column j "c<j>")."""
    fd, path = tempfile.mkstemp(suffix=".mps")
    os.close(fd)
    try:
        build_highs(spec, time_limit, 1, seed).writeModel(path)
        model = pyscipopt.Model()
        model.hideOutput()
        model.readProblem(path)
    finally:
        os.unlink(path)
    model.setParam("limits/time", float(time_limit))
    model.setParam("limits/gap", 0.0)  # prove optimality, as the other exact peers do
    model.setParam("randomization/randomseedshift", int(seed))
    for key, value in (params or {}).items():
        model.setParam(key, value)
    variables = model.getVars()
    return model, variables, np.array([int(v.name[1:]) for v in variables], dtype=np.int64)


def scip_from_spec(spec: ModelSpec, time_limit: float = 30.0, workers: int = 1, seed: int = 0,
                   params: dict | None = None) -> PeerResult:
    """Solve `spec` with SCIP; `params` are SCIP parameters set after the ones above."""
    if not spec.maximise:
        raise NotImplementedError("the SCIP peer follows bounds of a maximisation")
    timeline = Timeline(offset=spec.prep_seconds)
    tick = time.perf_counter()
    model, variables, columns = build_scip(spec, time_limit, seed, params)
    model.includeEventhdlr(_Trail(timeline), "trail", "improving plans and bounds")
    build = time.perf_counter() - tick
    tick = time.perf_counter()
    model.optimize()
    solve = time.perf_counter() - tick

    word = model.getStatus()
    has_plan = model.getNSols() > 0
    status = STATUS.get(word) or ("feasible" if has_plan else "unknown")
    result = PeerResult("scip", status, prep_seconds=spec.prep_seconds, build_seconds=build,
                        solve_seconds=solve,
                        extra={"scip_status": word, "nodes": int(model.getNNodes()),
                               "threads": 1, "workers_asked": workers})
    if has_plan:
        best = model.getBestSol()
        result.objective = int(round(model.getSolObjVal(best)))
        bound = model.getDualbound()
        result.bound = result.objective if status == "optimal" else \
            (math.floor(bound + 1e-6) if math.isfinite(bound) else None)
        x = np.zeros(spec.n_vars, dtype=np.int64)
        x[columns] = np.rint([model.getSolVal(best, v) for v in variables])
        result.plan = spec.plan_from(x)
    result.first_plan_seconds = timeline.first_plan()
    result.gap1_seconds = timeline.time_to_gap(0.01, (timeline.now(), result.objective, result.bound))
    return result


def scip_mip(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
             seed: int = 0, params: dict | None = None) -> PeerResult:
    """The planner's MIP solved by SCIP."""
    return scip_from_spec(derive_spec(scenario, policy), time_limit, seed=seed, params=params)
