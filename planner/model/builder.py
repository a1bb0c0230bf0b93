"""Builds the CP-SAT model: variables for eligible pairs, the assignment core, the rules' parts.

Pairs are numbered 0..n_pairs-1 in post order and pair i is model variable i. Rules talk to
the model only through :class:`ModelBuilder`, by variable index: they read the pairs of a post
or a candidate, add linear constraints, change pair coefficients, add constants and named
penalty variables. The model is written in CP-SAT's text format and parsed at the end, in
chunks (:data:`PARSE_CHUNK`): creating a million variables through the Python object API takes
seconds, the text takes a fraction of that (see docs/benchmarks.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from planner.model.eligibility import why_ineligible
from planner.model.instance import Instance
from planner.model.links import Links
from planner.model.pairs import PairTable, pair_table
from planner.rules.base import Rule
from planner.scenario import Policy


class OutOfTime(Exception):
    """Building passed :attr:`ModelBuilder.deadline`; the caller answers with the plan it has."""


def _ints(values: Iterable[int]) -> str:
    return ", ".join(map(str, values))


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class _PinKey:
    """Explain-mode key of one `fixed` or `forbidden` pair."""

    kind: str
    pin: object

    @property
    def title(self) -> str:
        return f"{self.kind} pair {self.pin.post} = {self.pin.candidate}"


@dataclass
class Penalty:
    var: int
    weight: int
    name: str


@dataclass
class ModelBuilder:
    """Builds the model; with `explain`, for diagnosing infeasibility instead of optimising.

    In explain mode nothing hard is built unconditionally: every hard rule and every pin gets
    one literal (`guards`), pairs that a hard rule or a `forbidden` pin excludes keep their
    variable with a clause "guard => pair unused", and the objective is left out. Solving under
    the guards as assumptions then tells which of them cannot hold together.
    """

    inst: Instance
    policy: Policy
    explain: bool = False
    table: PairTable | None = None
    """The pairs to model (default: every eligible pair); a shortlist for large scenarios."""
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    pair_post: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    pair_cand: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    coef: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Objective coefficient of each pair (its score plus the vacancy it saves, then rule terms)."""
    may_stay: np.ndarray | None = None
    """A horizon: the pairs that can be a stay (PairTable.may_stay)."""
    post_start: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    """Pairs of post p are `post_start[p]:post_start[p + 1]`."""
    constant: int = 0
    penalties: list[Penalty] = field(default_factory=list)
    relations: list[tuple[int, int]] = field(default_factory=list)
    impossible: list[str] = field(default_factory=list)
    """Reasons found while building that make the model infeasible on their own."""
    timings: dict[str, float] = field(default_factory=dict)
    guards: dict[object, tuple[object, int]] = field(default_factory=dict)
    """Explain mode: each hard rule and pin with its literal, by `id()` (rules hold lists);
    by `(id(), group)` for one group of a rule (a place, a post, a relation)."""
    guard_group: dict[int, object] = field(default_factory=dict)
    """Explain mode: the group of each grouped guard literal."""
    required: dict[int, str] = field(default_factory=dict)
    """Posts that a hard rule requires filled, with the rule's title."""
    links: Links | None = None
    """A horizon's state terms (planner/model/links.py); None for a single period."""
    deadline: float | None = None
    """A `time.perf_counter()` reading past which building stops with :class:`OutOfTime`: for
    a caller that already holds a verified plan and a time limit (a national horizon's links
    take minutes to state). None: build whatever it takes."""
    n_vars: int = 0
    n_constraints: int = 0
    _text: list[str] = field(default_factory=list)
    _cand_pairs: list[np.ndarray] | None = None

    @property
    def rules(self) -> list[Rule]:
        return list(self.policy.rules)

    @property
    def n_pairs(self) -> int:
        return len(self.pair_post)

    # -- reading the pairs -----------------------------------------------------------------
    def post_pairs(self, p: int) -> tuple[np.ndarray, np.ndarray]:
        """(pair = variable indices, candidates) of post p."""
        lo, hi = self.post_start[p], self.post_start[p + 1]
        return np.arange(lo, hi), self.pair_cand[lo:hi]

    def cand_pairs(self, c: int) -> np.ndarray:
        """Pair (= variable) indices of candidate c, in post order."""
        if self._cand_pairs is None:
            order = np.argsort(self.pair_cand, kind="stable")
            bounds = np.searchsorted(self.pair_cand[order], np.arange(self.inst.n_candidates + 1))
            self._cand_pairs = [order[bounds[i]:bounds[i + 1]] for i in range(self.inst.n_candidates)]
        return self._cand_pairs[c]

    # -- what rules add ----------------------------------------------------------------------
    def add_pair_coef(self, pairs: int | np.ndarray, delta: int) -> None:
        np.add.at(self.coef, pairs, delta)

    def add_constant(self, delta: int) -> None:
        self.constant += delta

    def new_var(self, lo: int, hi: int, name: str) -> int:
        self._text.append(f"variables {{ name: {_quote(name)} domain: [{lo}, {hi}] }}\n")
        self.n_vars += 1
        return self.n_vars - 1

    def add_linear(self, variables: Sequence[int] | np.ndarray, coefs: Sequence[int] | np.ndarray,
                   lo: int, hi: int, name: str = "", enforce: Sequence[int] = ()) -> None:
        """lo <= sum(coefs * variables) <= hi, only where every `enforce` literal is true."""
        head = f"name: {_quote(name)} " if name else ""
        if enforce:
            head += f"enforcement_literal: [{_ints(enforce)}] "
        self._text.append(f"constraints {{ {head}linear {{ vars: [{_ints(variables)}] "
                          f"coeffs: [{_ints(coefs)}] domain: [{lo}, {hi}] }} }}\n")
        self.n_constraints += 1
        if self.n_constraints & 0xFFF == 0:
            self.check_time()

    def check_time(self) -> None:
        """Raise :class:`OutOfTime` once the deadline has passed."""
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise OutOfTime(f"model building stopped at its deadline, {self.n_constraints} "
                            "constraints in")

    def add_hard(self, rule: Rule, variables, coefs, lo: int, hi: int, name: str,
                 group: object = None) -> None:
        """A constraint of hard rule `rule`: unconditional, or guarded in explain mode (one
        guard per `group` of the rule where given, e.g. `("unit", g)`)."""
        if len(variables) == 0:
            if lo <= 0 <= hi:
                return
            if not self.explain:
                self.impossible.append(f"{name} cannot hold: no eligible pair can satisfy it")
        self.add_linear(variables, coefs, lo, hi, name,
                        [self.guard(rule, group)] if self.explain else ())

    def add_penalty(self, var: int, weight: int, name: str) -> None:
        self.penalties.append(Penalty(var, weight, name))

    def guard(self, key: object, group: object = None) -> int:
        """The explain-mode literal standing for hard rule (or pin) `key`, or for one `group`
        of it: a tagged tuple such as `("post", p)`, `("unit", u)`, `("relation", a, b)`."""
        slot = id(key) if group is None else (id(key), group)
        if slot not in self.guards:
            title = getattr(key, "title", None) or str(key)
            lit = self.new_var(0, 1, f"holds:{title}" + ("" if group is None else f"@{group}"))
            self.guards[slot] = (key, lit)
            if group is not None:
                self.guard_group[lit] = group
        return self.guards[slot][1]

    def require_filled(self, p: int, rule: Rule) -> None:
        pairs, _ = self.post_pairs(p)
        self.required.setdefault(p, rule.title)
        name = f"filled:{self.inst.posts[p].id}"
        if not self.explain and len(pairs) == 0:
            self.impossible.append(f"post {self.inst.posts[p].id} must be filled ({rule.title}) "
                                   "but no candidate is eligible for it")
        self.add_linear(pairs, [1] * len(pairs), 1, 1, name,
                        [self.guard(rule, ("post", p))] if self.explain else ())

    # -- building ------------------------------------------------------------------------
    def build(self) -> "ModelBuilder":
        inst, scn = self.inst, self.inst.scenario
        tick = time.perf_counter()
        forbidden = {(inst.cand_index[f.candidate], inst.post_index[f.post]) for f in scn.forbidden}
        table = self.table if self.table is not None else \
            pair_table(inst, self.policy, explain=self.explain)
        self.pair_post, self.pair_cand = table.post, table.cand
        self.coef, self.constant = table.coef.copy(), table.constant
        self.may_stay = table.may_stay
        self.post_start = table.starts(inst.n_posts)
        self.timings["pairs"] = time.perf_counter() - tick

        tick = time.perf_counter()
        self.n_vars = self.n_pairs
        self._text.append("variables { domain: [0, 1] }\n" * self.n_pairs)
        for p in range(inst.n_posts):
            lo, hi = self.post_start[p], self.post_start[p + 1]
            if hi - lo > 1:
                self._at_most_one(range(lo, hi))
        for c in range(inst.n_candidates):
            pairs = self.cand_pairs(c)
            if len(pairs) > 1:
                self._at_most_one(pairs)
        self._fix_pins(forbidden)
        if self.explain:
            self._guard_excluded_pairs(forbidden)
        self.relations = self._relations()
        self.timings["core"] = time.perf_counter() - tick

        tick = time.perf_counter()
        if inst.horizon is not None:
            self.links = Links(self)
        for rule in self.rules:
            self.check_time()
            rule.build(self)
        self.timings["rules"] = time.perf_counter() - tick
        if self.links is not None:
            tick = time.perf_counter()
            for rule in self.rules:
                self.check_time()
                rule.link(self)
            if not self.explain:
                self.links.link_objective()
            self.timings["links"] = time.perf_counter() - tick

        tick = time.perf_counter()
        if not self.explain:
            self._objective()
        _parse(self.model.proto, self._text, self.check_time)
        self._text.clear()
        self.timings["parse"] = time.perf_counter() - tick
        return self

    def _at_most_one(self, lits: Iterable[int]) -> None:
        self._text.append(f"constraints {{ at_most_one {{ literals: [{_ints(lits)}] }} }}\n")
        self.n_constraints += 1

    def _fix_pins(self, forbidden: set[tuple[int, int]]) -> None:
        inst = self.inst
        for pin in inst.scenario.fixed:
            c, p = inst.cand_index[pin.candidate], inst.post_index[pin.post]
            pairs, cands = self.post_pairs(p)
            var = pairs[cands == c]
            guard = [self.guard(_PinKey("fixed", pin))] if self.explain else []
            name = f"fixed:{pin.post}={pin.candidate}"
            if len(var) == 0 and not self.explain:
                why = why_ineligible(inst, self.rules, forbidden, c, p)
                self.impossible.append(f"fixed pair {pin.post} = {pin.candidate} is impossible: "
                                       f"{pin.candidate} {why}")
            self.add_linear(var, [1] * len(var), 1, 1, name, guard)

    def _guard_excluded_pairs(self, forbidden: set[tuple[int, int]]) -> None:
        """Explain mode: what hard pair rules and `forbidden` pins exclude, as guarded clauses."""
        inst = self.inst
        filters = [r for r in self.rules if r.filters_pairs]
        for p in range(inst.n_posts):
            pairs, cands = self.post_pairs(p)
            for rule in filters:
                broken = pairs[rule.breaks(inst, p, cands)]
                if len(broken):
                    self.add_linear(broken, [1] * len(broken), 0, 0, f"{rule.title}@{inst.posts[p].id}",
                                    [self.guard(rule, ("post", p))])
        for pin in inst.scenario.forbidden:
            c, p = inst.cand_index[pin.candidate], inst.post_index[pin.post]
            pairs, cands = self.post_pairs(p)
            var = pairs[cands == c]
            self.add_linear(var, [1] * len(var), 0, 0, f"forbidden:{pin.post}={pin.candidate}",
                            [self.guard(_PinKey("forbidden", pin))])

    def _relations(self) -> list[tuple[int, int]]:
        """Relations as unordered candidate pairs, each once, in first-listed order."""
        seen: dict[tuple[int, int], None] = {}
        for r in self.inst.scenario.relations:
            a, b = self.inst.cand_index[r.a], self.inst.cand_index[r.b]
            seen.setdefault((min(a, b), max(a, b)), None)
        return list(seen)

    def _objective(self) -> None:
        """Maximise: CP-SAT minimises, so coefficients and offset are negated, scaling -1."""
        variables = np.concatenate([np.arange(self.n_pairs), [pen.var for pen in self.penalties]])
        coefs = np.concatenate([-self.coef, [pen.weight for pen in self.penalties]])
        nonzero = coefs != 0
        self._text.append(f"objective {{ vars: [{_ints(variables[nonzero].astype(np.int64))}] "
                          f"coeffs: [{_ints(coefs[nonzero].astype(np.int64))}] "
                          f"offset: {-self.constant} scaling_factor: -1 }}\n")

    # -- warm start and reading a solution --------------------------------------------------
    def hint(self, plan: dict[str, str | None]) -> None:
        """Warm start: hint every pair variable from `plan` (post id -> candidate id or None)."""
        inst = self.inst
        chosen = np.array([inst.cand_index.get(plan.get(p.id) or "", -1) for p in inst.posts])
        self.hint_values((self.pair_cand == chosen[self.pair_post]).astype(np.int64))

    def hint_values(self, values: Sequence[int]) -> None:
        """Hint variables 0..len(values)-1 with `values` (e.g. a whole previous solution)."""
        self.model.proto.clear_solution_hint()
        self.model.proto.merge_text_format(
            f"solution_hint {{ vars: [{_ints(range(len(values)))}] values: [{_ints(values)}] }}")

    def plan_from(self, values: Iterable[int]) -> dict[str, str | None]:
        """The plan in a solution's variable values (post id -> candidate id or None)."""
        x = np.fromiter(values, dtype=np.int64)[: self.n_pairs]
        chosen = np.flatnonzero(x)
        plan: dict[str, str | None] = {post.id: None for post in self.inst.posts}
        for i in chosen:
            plan[self.inst.posts[self.pair_post[i]].id] = self.inst.candidates[self.pair_cand[i]].id
        return plan

    # -- figures -------------------------------------------------------------------------
    def size(self) -> dict[str, int]:
        return {"pairs": self.n_pairs, "variables": self.n_vars,
                "constraints": len(self.model.proto.constraints), "penalties": len(self.penalties)}


PARSE_CHUNK = 1 << 27
"""Characters of model text parsed per call. Protobuf's text parser takes its input's size as
a 32-bit int: the text of a national horizon's model (725,000 pairs with their links) passes
2 GiB, and one call crashed the process (signal 11). Every piece of the text is a whole
top-level field, and parsing merges repeated fields, so the pieces may be parsed in any
grouping."""


def _parse(proto, pieces: list[str], check_time: Callable[[], None] = lambda: None) -> None:
    """Parse `pieces` of model text into `proto`, at most about PARSE_CHUNK characters (and
    always whole pieces) per call, `check_time` before each."""
    start, size = 0, 0
    for end, piece in enumerate(pieces, 1):
        size += len(piece)
        if size >= PARSE_CHUNK or end == len(pieces):
            check_time()
            if not proto.merge_text_format("".join(pieces[start:end])):
                raise RuntimeError("internal error: CP-SAT refused the generated model text")
            start, size = end, 0
