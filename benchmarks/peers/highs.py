"""The same MIP in HiGHS (``highspy``).

The :class:`~benchmarks.peers.spec.ModelSpec` becomes one HiGHS model in a single ``passModel``:
Boolean constraints turn linear over literals (a negated literal ``1 - x``), activity bounds
drop bounds that can never bind, and each enforced constraint becomes big-M rows whose M is
the slack the variables' bounds allow. All rows are assembled as numpy CSR; only enforced
constraints (a few per group) are handled one by one.
"""

from __future__ import annotations

import math
import time

import highspy
import highspy.highs
import numpy as np

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

INF = math.inf


def mip_rows(spec: ModelSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the MIP as CSR (start, index, value) with (lower, upper) bounds (+-inf free)."""
    n = spec.n_constraints
    kind = spec.kind.astype(np.int64)
    lengths = np.diff(spec.start)
    row = np.repeat(np.arange(n), lengths)
    is_bool = kind[row] != LINEAR
    neg = is_bool & (spec.idx < 0)
    var = np.where(neg, -spec.idx - 1, spec.idx)
    coef = np.where(neg, -spec.val, spec.val).astype(np.float64)
    n_neg = np.bincount(row, weights=neg, minlength=n)

    lo = np.full(n, -INF)
    hi = np.full(n, INF)
    lin = kind == LINEAR
    lo[lin], hi[lin] = spec.lo[lin].astype(np.float64), spec.hi[lin].astype(np.float64)
    hi[(kind == AT_MOST_ONE) | (kind == EXACTLY_ONE)] = 1
    lo[(kind == EXACTLY_ONE) | (kind == BOOL_OR)] = 1
    conj = kind == BOOL_AND  # all literals true <=> their sum reaches their number
    lo[conj] = lengths[conj]
    lo[~lin] -= n_neg[~lin]
    hi[~lin] -= n_neg[~lin]

    vlo, vhi = spec.var_lo.astype(np.float64), spec.var_hi.astype(np.float64)
    minact = np.bincount(row, weights=np.minimum(coef * vlo[var], coef * vhi[var]), minlength=n)
    maxact = np.bincount(row, weights=np.maximum(coef * vlo[var], coef * vhi[var]), minlength=n)
    lo = np.where(lo <= minact, -INF, lo)
    hi = np.where(hi >= maxact, INF, hi)

    enforced = np.diff(spec.enf_start) > 0
    keep = ~enforced & (np.isfinite(lo) | np.isfinite(hi))
    entry_keep = keep[row]
    starts = [np.concatenate([[0], np.cumsum(lengths[keep])])]
    index, value = [var[entry_keep]], [coef[entry_keep]]
    lower, upper = [lo[keep]], [hi[keep]]

    extra_len, extra_idx, extra_val, extra_lo, extra_hi = [], [], [], [], []
    for k in np.flatnonzero(enforced):
        a, b = spec.start[k], spec.start[k + 1]
        terms: dict[int, float] = {}
        for v, c in zip(var[a:b].tolist(), coef[a:b].tolist()):
            terms[v] = terms.get(v, 0.0) + c
        lits = spec.enf_lit[spec.enf_start[k]:spec.enf_start[k + 1]].tolist()
        for side, bound in (("hi", hi[k]), ("lo", lo[k])):
            if not math.isfinite(bound):
                continue
            big = maxact[k] - bound if side == "hi" else bound - minact[k]
            sign = 1.0 if side == "hi" else -1.0  # hi: a.x + M*off <= hi ; lo: a.x - M*off >= lo
            row_terms = dict(terms)
            rhs = bound
            for e in lits:  # off = 1 - e: for e = x, off = 1 - x; for e = not x, off = x
                if e >= 0:
                    row_terms[e] = row_terms.get(e, 0.0) + sign * big
                    rhs += sign * big
                else:
                    v = -e - 1
                    row_terms[v] = row_terms.get(v, 0.0) - sign * big
            items = [(v, c) for v, c in row_terms.items() if c != 0]
            extra_len.append(len(items))
            extra_idx.extend(v for v, _ in items)
            extra_val.extend(c for _, c in items)
            extra_lo.append(-INF if side == "hi" else rhs)
            extra_hi.append(rhs if side == "hi" else INF)
    if extra_len:
        starts.append(starts[0][-1] + np.cumsum(extra_len))
        index.append(np.array(extra_idx, dtype=np.int64))
        value.append(np.array(extra_val, dtype=np.float64))
        lower.append(np.array(extra_lo))
        upper.append(np.array(extra_hi))
    return (np.concatenate(starts).astype(np.int32), np.concatenate(index).astype(np.int32),
            np.concatenate(value), np.concatenate(lower), np.concatenate(upper))


def build_highs(spec: ModelSpec, time_limit: float, workers: int, seed: int = 0,
                options: dict | None = None) -> highspy.Highs:
    """A `highspy.Highs` holding the spec's MIP, with options set (`options` on top)."""
    start, index, value, lower, upper = mip_rows(spec)
    cost = np.zeros(spec.n_vars)
    variables, coefs, const = spec.user_terms()
    np.add.at(cost, variables, coefs.astype(np.float64))

    lp = highspy.HighsLp()
    lp.num_col_ = spec.n_vars
    lp.num_row_ = len(lower)
    lp.col_cost_ = cost
    lp.col_lower_ = spec.var_lo.astype(np.float64)
    lp.col_upper_ = spec.var_hi.astype(np.float64)
    lp.row_lower_ = np.where(np.isfinite(lower), lower, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(upper), upper, highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = spec.n_vars
    lp.a_matrix_.num_row_ = len(lower)
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * spec.n_vars
    lp.sense_ = highspy.ObjSense.kMaximize if spec.maximise else highspy.ObjSense.kMinimize
    lp.offset_ = float(const)

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", int(max(1, workers)))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", 0.0)  # prove optimality, as CP-SAT does by default
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    return h


def highs_from_spec(spec: ModelSpec, time_limit: float = 30.0, workers: int = 2,
                    seed: int = 0, options: dict | None = None) -> PeerResult:
    """Solve `spec` with HiGHS; `options` are HiGHS options set after the defaults above."""
    timeline = Timeline(offset=spec.prep_seconds)
    tick = time.perf_counter()
    h = build_highs(spec, time_limit, workers, seed, options)
    build = time.perf_counter() - tick

    last = {"bound": None}

    def improving(e: highspy.highs.HighsCallbackEvent) -> None:
        timeline.solution(e.data_out.objective_function_value)

    def interrupt(e: highspy.highs.HighsCallbackEvent) -> None:
        b = e.data_out.mip_dual_bound
        if b != last["bound"]:
            last["bound"] = b
            if spec.maximise:
                timeline.bound(b)

    h.cbMipImprovingSolution.subscribe(improving)
    h.cbMipInterrupt.subscribe(interrupt)
    tick = time.perf_counter()
    h.run()
    solve = time.perf_counter() - tick

    status_code = h.getModelStatus()
    info = h.getInfo()
    has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
    status = {highspy.HighsModelStatus.kOptimal: "optimal",
              highspy.HighsModelStatus.kInfeasible: "infeasible"}.get(status_code, None)
    if status is None:
        status = "feasible" if has_plan else "unknown"
    result = PeerResult("highs_mip", status, prep_seconds=spec.prep_seconds, build_seconds=build,
                        solve_seconds=solve,
                        extra={"highs_status": h.modelStatusToString(status_code),
                               "nodes": int(info.mip_node_count), "rows": h.getNumRow()})
    if has_plan:
        result.objective = int(round(info.objective_function_value))
        bound = info.mip_dual_bound
        result.bound = result.objective if status == "optimal" else \
            (math.floor(bound + 1e-6) if math.isfinite(bound) else None)
        x = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
        result.plan = spec.plan_from(x)
    result.first_plan_seconds = timeline.first_plan()
    result.gap1_seconds = timeline.time_to_gap(0.01, (timeline.now(), result.objective, result.bound))
    return result


def highs_mip(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
              workers: int = 2, seed: int = 0, options: dict | None = None) -> PeerResult:
    """The planner's MIP solved by HiGHS."""
    return highs_from_spec(derive_spec(scenario, policy), time_limit, workers, seed, options)
