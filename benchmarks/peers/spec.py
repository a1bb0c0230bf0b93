"""The planner's model as plain arrays: what every peer solves.

:func:`derive_spec` runs the planner's own :class:`~planner.model.builder.ModelBuilder` (pairs,
scores, every rule's constraints) and reads the finished CP-SAT proto back into numpy arrays:
variables with their bounds, constraints in CSR form with their enforcement literals, and the
objective. Peers rebuild *that* model their own way, so "the same rules" holds by construction:
nothing of the rules' semantics is written twice.

Reading the proto goes through the protobuf (upb) message rather than the pybind wrapper, which
is ~5x faster per field, and variables ``0..n_pairs-1`` are the pair booleans (the builder's
contract), so only the other variables' domains are read one by one (a sample of the pair
variables is verified).
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat import cp_model_pb2

from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.scenario import Policy, Scenario, effective_policy

LINEAR, AT_MOST_ONE, EXACTLY_ONE, BOOL_OR, BOOL_AND = range(5)
KIND_NAMES = {LINEAR: "linear", AT_MOST_ONE: "at_most_one", EXACTLY_ONE: "exactly_one",
              BOOL_OR: "bool_or", BOOL_AND: "bool_and"}
_KIND_CODES = {v: k for k, v in KIND_NAMES.items()}


@dataclass
class ModelSpec:
    """A CP-SAT model of 0/1 and integer variables, linear and Boolean constraints.

    Literals (in Boolean constraints and enforcement) are CP-SAT's: ``l >= 0`` is variable
    ``l``, ``l < 0`` is the negation of variable ``-l - 1``. Linear constraints index variables.
    The objective, as the user sees it, is ``scale * (obj_coefs . x[obj_vars] + obj_offset)``,
    maximised when ``scale < 0`` (the builder writes a maximisation as scale -1).
    """

    name: str
    var_lo: np.ndarray
    var_hi: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    idx: np.ndarray
    val: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    enf_start: np.ndarray
    enf_lit: np.ndarray
    obj_vars: np.ndarray
    obj_coefs: np.ndarray
    obj_offset: float
    obj_scale: float
    pair_post: np.ndarray
    pair_cand: np.ndarray
    coef: np.ndarray
    """Per pair: score plus the vacancy it saves (rule terms included), as the builder has it."""
    constant: int
    post_ids: list[str]
    cand_ids: list[str]
    post_priority: np.ndarray
    prep_seconds: float = 0.0
    """Planner-side work charged to the peers: the builder's run, less its text-format parse."""
    read_seconds: float = 0.0
    """Plumbing not charged: exporting the proto and reading it into these arrays."""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n_vars(self) -> int:
        return len(self.var_lo)

    @property
    def n_constraints(self) -> int:
        return len(self.kind)

    @property
    def n_pairs(self) -> int:
        return len(self.pair_post)

    @property
    def nnz(self) -> int:
        return len(self.idx)

    @property
    def maximise(self) -> bool:
        return self.obj_scale < 0

    def user_terms(self) -> tuple[np.ndarray, np.ndarray, float]:
        """(variables, coefficients, constant) of the objective in the user's sense."""
        return (self.obj_vars, (self.obj_scale * self.obj_coefs).astype(np.int64),
                self.obj_scale * self.obj_offset)

    def plan_from(self, x: np.ndarray) -> dict[str, str | None]:
        """Post id -> candidate id (None: vacant) from variable values."""
        plan: dict[str, str | None] = dict.fromkeys(self.post_ids)
        for i in np.flatnonzero(np.asarray(x[: self.n_pairs]) > 0.5):
            plan[self.post_ids[self.pair_post[i]]] = self.cand_ids[self.pair_cand[i]]
        return plan

    def sizes(self) -> dict[str, int]:
        return {"posts": len(self.post_ids), "officers": len(self.cand_ids), "pairs": self.n_pairs,
                "variables": self.n_vars, "constraints": self.n_constraints, "nonzeros": self.nnz}


def build_model(scenario: Scenario, policy: Policy | None = None) -> tuple[ModelBuilder, float]:
    """The planner's builder on `scenario`; with the seconds charged to a peer for it."""
    tick = time.perf_counter()
    mb = ModelBuilder(Instance(scenario), effective_policy(scenario, policy)).build()
    total = time.perf_counter() - tick
    return mb, max(0.0, total - mb.timings.get("parse", 0.0))


def derive_spec(scenario: Scenario, policy: Policy | None = None) -> ModelSpec:
    """Build the planner's model for `scenario` and read it back as a :class:`ModelSpec`."""
    mb, charged = build_model(scenario, policy)
    return spec_from_builder(mb, charged, scenario.name)


def spec_from_builder(mb: ModelBuilder, prep_seconds: float = 0.0, name: str = "") -> ModelSpec:
    """The finished model of `mb` as a :class:`ModelSpec`; the time this takes is
    `read_seconds` (plumbing, not charged to any peer)."""
    tick = time.perf_counter()
    q = _exported_proto(mb)
    var_lo, var_hi = _variable_bounds(q, len(mb.pair_post))
    obj = q.objective
    spec = ModelSpec(
        name=name,
        var_lo=var_lo, var_hi=var_hi,
        **_constraint_arrays(q),
        obj_vars=np.array(obj.vars, dtype=np.int64),
        obj_coefs=np.array(obj.coeffs, dtype=np.int64),
        obj_offset=float(obj.offset), obj_scale=float(obj.scaling_factor or 1.0),
        pair_post=np.asarray(mb.pair_post, dtype=np.int32).copy(),
        pair_cand=np.asarray(mb.pair_cand, dtype=np.int32).copy(),
        coef=np.asarray(mb.coef, dtype=np.int64).copy(),
        constant=int(mb.constant),
        post_ids=[p.id for p in mb.inst.posts],
        cand_ids=[c.id for c in mb.inst.candidates],
        post_priority=np.array([p.priority for p in mb.inst.posts], dtype=np.int64),
        prep_seconds=prep_seconds,
        info={"impossible": list(mb.impossible), "builder_timings": dict(mb.timings)},
    )
    spec.read_seconds = time.perf_counter() - tick
    return spec


def _exported_proto(mb: ModelBuilder) -> cp_model_pb2.CpModelProto:
    """The builder's model as a protobuf message, through a file: the upb message reads its
    fields ~5x faster than the pybind model the builder holds."""
    fd, path = tempfile.mkstemp(suffix=".pb")
    os.close(fd)
    try:
        if not mb.model.export_to_file(path):
            raise RuntimeError("could not export the CP-SAT model")
        with open(path, "rb") as f:
            q = cp_model_pb2.CpModelProto.FromString(f.read())
    finally:
        os.unlink(path)
    if q.HasField("floating_point_objective"):
        raise NotImplementedError("peers do not translate floating-point objectives")
    return q


def _variable_bounds(q: cp_model_pb2.CpModelProto, n_pairs: int) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) bound of every variable. The first `n_pairs` are the pair booleans (the
    builder's contract), so only a sample of them is read, to catch a changed numbering."""
    n_vars = len(q.variables)
    var_lo = np.zeros(n_vars, dtype=np.int64)
    var_hi = np.ones(n_vars, dtype=np.int64)
    rng = random.Random(0)
    sample = range(n_pairs) if n_pairs <= 20_000 else rng.sample(range(n_pairs), 2_000)
    for i in sample:
        if list(q.variables[i].domain) != [0, 1]:
            raise RuntimeError(f"variable {i} is a pair but its domain is not [0, 1]: "
                               "the builder's pair numbering changed")
    for i in range(n_pairs, n_vars):
        dom = list(q.variables[i].domain)
        var_lo[i], var_hi[i] = dom[0], dom[-1]
        if len(dom) > 2 and any(dom[j + 1] != dom[j] + 1 for j in range(1, len(dom) - 1, 2)):
            raise NotImplementedError(f"variable {i} has a domain with holes: {dom}")
    return var_lo, var_hi


def _constraint_arrays(q: cp_model_pb2.CpModelProto) -> dict[str, np.ndarray]:
    """The constraints in CSR form with their bounds and enforcement literals: the
    :class:`ModelSpec` fields `kind`, `start`, `idx`, `val`, `lo`, `hi`, `enf_start`, `enf_lit`."""
    kinds, sizes, idx, val, lo, hi, enf_sizes, enf = [], [], [], [], [], [], [], []
    for c in q.constraints:
        which = c.WhichOneof("constraint")
        code = _KIND_CODES.get(which)
        if code is None:
            raise NotImplementedError(f"peers do not translate {which} constraints")
        if code == LINEAR:
            dom = list(c.linear.domain)
            if len(dom) != 2:
                raise NotImplementedError(f"linear constraint with domain {dom}")
            v = np.array(c.linear.vars, dtype=np.int64)
            a = np.array(c.linear.coeffs, dtype=np.int64)
            lo.append(dom[0])
            hi.append(dom[1])
        else:
            v = np.array(getattr(c, which).literals, dtype=np.int64)
            a = np.ones(len(v), dtype=np.int64)
            lo.append(0)
            hi.append(0)
        kinds.append(code)
        sizes.append(len(v))
        idx.append(v)
        val.append(a)
        e = np.array(c.enforcement_literal, dtype=np.int64)
        enf_sizes.append(len(e))
        enf.append(e)
    return {"kind": np.array(kinds, dtype=np.int8),
            "start": np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64),
            "idx": _concat(idx), "val": _concat(val),
            "lo": np.array(lo, dtype=np.int64), "hi": np.array(hi, dtype=np.int64),
            "enf_start": np.concatenate([[0], np.cumsum(enf_sizes, dtype=np.int64)]).astype(np.int64),
            "enf_lit": _concat(enf)}


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    """`parts` end to end (an empty int64 array for none)."""
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
