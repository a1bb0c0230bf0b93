"""Builds the CP-SAT model: variables for eligible pairs, the assignment core, the rules' parts.

Rules talk to the model only through :class:`ModelBuilder`: they read the pairs that exist,
add constraints, change pair coefficients, add constants and named penalty variables. The
objective is assembled last, so that every rule's contribution lands in one linear expression.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.instance import Instance
from planner.model.eligibility import eligible_pairs, why_ineligible
from planner.model.objective import pair_score, vacancy_constant
from planner.rules.base import Rule
from planner.scenario import Policy


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
    var: cp_model.IntVar
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
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    pairs_of_post: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)
    pairs_of_cand: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)
    coef: dict[tuple[int, int], int] = field(default_factory=dict)
    constant: int = 0
    penalties: list[Penalty] = field(default_factory=list)
    relations: list[tuple[int, int]] = field(default_factory=list)
    impossible: list[str] = field(default_factory=list)
    """Reasons found while building that make the model infeasible on their own."""
    timings: dict[str, float] = field(default_factory=dict)
    guards: dict[int, tuple[object, cp_model.IntVar]] = field(default_factory=dict)
    """Explain mode: each hard rule and pin with its assumption literal, by `id()` (rules hold
    lists, so are not hashable)."""
    required: dict[int, str] = field(default_factory=dict)
    """Posts that a hard rule requires filled, with the rule's title."""

    @property
    def rules(self) -> list[Rule]:
        return list(self.policy.rules)

    # -- the API rules use ---------------------------------------------------------------
    def add_pair_coef(self, c: int, p: int, delta: int) -> None:
        self.coef[(c, p)] += delta

    def add_constant(self, delta: int) -> None:
        self.constant += delta

    def add_penalty(self, var: cp_model.IntVar, weight: int, name: str) -> None:
        self.penalties.append(Penalty(var, weight, name))

    def guard(self, key: object) -> cp_model.IntVar:
        """The explain-mode literal standing for hard rule (or pin) `key`."""
        if id(key) not in self.guards:
            title = getattr(key, "title", None) or str(key)
            self.guards[id(key)] = (key, self.model.new_bool_var(f"holds:{title}"))
        return self.guards[id(key)][1]

    def add_hard(self, rule: Rule, constraint, name: str) -> None:
        """A constraint of hard rule `rule`: unconditional, or guarded in explain mode."""
        if isinstance(constraint, bool):  # an empty sum compared with a constant
            if constraint:
                return
            if not self.explain:
                self.impossible.append(f"{name} cannot hold: no eligible pair can satisfy it")
            ct = self.model.add_bool_or([])
        else:
            ct = self.model.add(constraint).with_name(name)
        if self.explain:
            ct.only_enforce_if(self.guard(rule))

    def require_filled(self, p: int, rule: Rule) -> None:
        pairs = self.pairs_of_post[p]
        self.required.setdefault(p, rule.title)
        if self.explain:
            self.model.add(sum(v for _, v in pairs) == 1).only_enforce_if(self.guard(rule))
            return
        if not pairs:
            self.impossible.append(f"post {self.inst.posts[p].id} must be filled ({rule.title}) "
                                   "but no candidate is eligible for it")
            self.model.add_bool_or([])
            return
        self.model.add_exactly_one(v for _, v in pairs).with_name(f"filled:{self.inst.posts[p].id}")

    # -- building ------------------------------------------------------------------------
    def build(self) -> "ModelBuilder":
        inst, scn = self.inst, self.inst.scenario
        tick = time.perf_counter()
        forbidden = {(inst.cand_index[f.candidate], inst.post_index[f.post]) for f in scn.forbidden}
        filtering = [] if self.explain else self.rules
        eligible = eligible_pairs(inst, filtering, set() if self.explain else forbidden)
        self.timings["eligibility"] = time.perf_counter() - tick

        tick = time.perf_counter()
        self.pairs_of_post = [[] for _ in range(inst.n_posts)]
        self.pairs_of_cand = [[] for _ in range(inst.n_candidates)]
        w = self.policy.weights
        for p, cands in enumerate(eligible):
            pid = inst.posts[p].id
            for c in cands:
                var = self.model.new_bool_var(f"x[{inst.candidates[c].id},{pid}]")
                self.pairs_of_post[p].append((c, var))
                self.pairs_of_cand[c].append((p, var))
                self.coef[(c, p)] = pair_score(inst, w, c, p)
        self.constant = vacancy_constant(inst, w)
        for pairs in self.pairs_of_post:
            if len(pairs) > 1:
                self.model.add_at_most_one(v for _, v in pairs)
        for pairs in self.pairs_of_cand:
            if len(pairs) > 1:
                self.model.add_at_most_one(v for _, v in pairs)
        self._fix_pins(forbidden)
        if self.explain:
            self._guard_excluded_pairs(forbidden)
        self.relations = self._relations()
        self.timings["variables"] = time.perf_counter() - tick

        tick = time.perf_counter()
        for rule in self.rules:
            rule.build(self)
        self.timings["rules"] = time.perf_counter() - tick

        if not self.explain:
            tick = time.perf_counter()
            self._objective()
            self.timings["objective"] = time.perf_counter() - tick
        return self

    def _guard_excluded_pairs(self, forbidden: set[tuple[int, int]]) -> None:
        """Explain mode: what hard pair rules and `forbidden` pins exclude, as guarded clauses."""
        inst = self.inst
        filters = [r for r in self.rules if r.filters_pairs]
        by_pin = {(inst.cand_index[f.candidate], inst.post_index[f.post]): _PinKey("forbidden", f)
                  for f in inst.scenario.forbidden}
        for p, pairs in enumerate(self.pairs_of_post):
            for c, var in pairs:
                for rule in filters:
                    if rule.breaks(inst, c, p):
                        self.model.add_bool_or([self.guard(rule).Not(), var.Not()])
                if (c, p) in forbidden:
                    self.model.add_bool_or([self.guard(by_pin[(c, p)]).Not(), var.Not()])

    def _fix_pins(self, forbidden: set[tuple[int, int]]) -> None:
        inst = self.inst
        var_of = {(c, p): v for p, pairs in enumerate(self.pairs_of_post) for c, v in pairs}
        pins = {id(pin): _PinKey("fixed", pin) for pin in inst.scenario.fixed}
        for pin in inst.scenario.fixed:
            c, p = inst.cand_index[pin.candidate], inst.post_index[pin.post]
            var = var_of.get((c, p))
            if var is None:
                why = why_ineligible(inst, self.rules, forbidden, c, p)
                self.impossible.append(f"fixed pair {pin.post} = {pin.candidate} is impossible: "
                                       f"{pin.candidate} {why}")
                ct = self.model.add_bool_or([])
            else:
                ct = self.model.add(var == 1).with_name(f"fixed:{pin.post}={pin.candidate}")
            if self.explain:
                ct.only_enforce_if(self.guard(pins[id(pin)]))

    def _relations(self) -> list[tuple[int, int]]:
        """Relations as unordered candidate pairs, each once, in first-listed order."""
        seen: dict[tuple[int, int], None] = {}
        for r in self.inst.scenario.relations:
            a, b = self.inst.cand_index[r.a], self.inst.cand_index[r.b]
            seen.setdefault((min(a, b), max(a, b)), None)
        return list(seen)

    def _objective(self) -> None:
        variables, coefs = [], []
        for p, pairs in enumerate(self.pairs_of_post):
            for c, var in pairs:
                variables.append(var)
                coefs.append(self.coef[(c, p)])
        for pen in self.penalties:
            variables.append(pen.var)
            coefs.append(-pen.weight)
        self.model.maximize(cp_model.LinearExpr.weighted_sum(variables, coefs) + self.constant)

    def hint(self, plan: dict[str, str | None]) -> None:
        """Warm start: hint every pair variable from `plan` (post id -> candidate id or None)."""
        self.model.clear_hints()
        inst = self.inst
        for p, pairs in enumerate(self.pairs_of_post):
            chosen = plan.get(inst.posts[p].id)
            for c, var in pairs:
                self.model.add_hint(var, inst.candidates[c].id == chosen)

    # -- figures -------------------------------------------------------------------------
    @property
    def n_pairs(self) -> int:
        return sum(len(pairs) for pairs in self.pairs_of_post)

    def size(self) -> dict[str, int]:
        proto = self.model.proto
        return {"pairs": self.n_pairs, "variables": len(proto.variables),
                "constraints": len(proto.constraints), "penalties": len(self.penalties)}
