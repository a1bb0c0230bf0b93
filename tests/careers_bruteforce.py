"""Random tiny careers scenarios and their brute-force optimum (docs/careers.md).

The careers counterpart of tests/horizon_bruteforce.py. A careers instance is a scenario whose
policy is split in two: `base`, the scenario under its other rules, judged by the independent
checker `check_horizon`, and `careers`, the rows of the rules `career_step`, `continuity` and
`no_envy`, judged here straight from /work/shared/spec/careers.md. This judge shares no code with
planner/rules/* or planner/check/envy.py on purpose: it derives grade_t, current_post_t (the
holders before, retired officers included), E1 and the forbidden pins itself, so that the
solver, the rules' own checks and this reading of the contract are three independent witnesses.

Every horizon plan of an instance (1-3 periods, at most 3 posts, 4 officers) is enumerated; see
tests/solve/test_careers_bruteforce.py for what the solver and the checker must agree with.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from bruteforce import EDUCATION, RATING, THEORY, _roles, _rule, _unit_kind, _units
from builders import policy, scenario
from horizon_bruteforce import (
    MAX_PLANS,
    Plans,
    _candidates,
    _fixed,
    _forbidden,
    _posts,
    _years,
    all_horizon_plans,
    plan_count,
)

from planner import Scenario
from planner.check.horizon import check_horizon
from planner.rules import REGISTRY
from planner.schema import Candidate, Post

CAREERS_RULES = ("career_step", "continuity", "no_envy")
N_SEEDS = int(os.environ.get("PLANNER_CAREERS_SEEDS", "100"))
"""Seeds of the random cross-check: 100 in the suite (about 20 s), 1000 for the issue's
target (`PLANNER_CAREERS_SEEDS=1000`)."""
SHARES = [0, 0, 0.33, 0.34, 0.5, 0.5, 0.67, 1]
"""Continuity shares: 0.33 of 3 posts lets none change, 0.34 one (exact decimal shares)."""
INF = math.inf


@dataclass(frozen=True)
class CareersInstance:
    """A scenario split into what the checker judges (`base`) and what this module judges."""

    base: Scenario
    careers: tuple[dict[str, Any], ...]

    def full(self) -> Scenario:
        """The whole scenario, careers rules in its policy (needs the rule modules)."""
        pol = self.base.policy
        extra = policy(list(self.careers)).rules
        return self.base.model_copy(
            update={"policy": pol.model_copy(update={"rules": [*pol.rules, *extra]})})


# -- the contract, read independently -----------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """One period of a horizon plan with the state the careers rules read."""

    year: int
    plan: dict[str, str | None]
    current: dict[str, str | None]
    """current_post_t of every officer, available or not (the holders before)."""
    grade: dict[str, int | None]
    """grade_t of every officer."""


def periods(scn: Scenario, plans: Plans) -> list[Period]:
    """The periods in order: period 1 from the fields; then current_post_t is the post held in
    t-1 (none if unassigned), grade_t that post's grade where it has one, else grade_{t-1}."""
    posts = {p.id: p for p in scn.posts}
    current = {c.id: c.current_post for c in scn.candidates}
    grade = {c.id: c.grade for c in scn.candidates}
    out = []
    for year in scn.years:
        plan = plans[year]
        out.append(Period(year, plan, dict(current), dict(grade)))
        held = {cid: pid for pid, cid in plan.items() if cid is not None}
        current = {cid: held.get(cid) for cid in current}
        grade = {cid: g if cid not in held or posts[held[cid]].grade is None
                 else posts[held[cid]].grade for cid, g in grade.items()}
    return out


class Judge:
    """The careers rules on one scenario's tree, posts and officers."""

    def __init__(self, scn: Scenario) -> None:
        self.scn = scn
        self.units = {u.id: u for u in scn.units}
        self.posts = {p.id: p for p in scn.posts}
        self.cands = {c.id: c for c in scn.candidates}

    def anc(self, uid: str, kind: str) -> str | None:
        """The nearest unit of `kind` among uid and its ancestors."""
        while uid is not None:
            if self.units[uid].kind.value == kind:
                return uid
            uid = self.units[uid].parent
        return None

    def contains(self, u: str, v: str) -> bool:
        """u is v or an ancestor of v."""
        while v is not None:
            if v == u:
                return True
            v = self.units[v].parent
        return False

    def matches(self, rule: dict[str, Any], p: Post) -> bool:
        """The rule's `roles` and `unit_kind` filters (scenario.md section 3)."""
        roles, kind = rule.get("roles"), rule.get("unit_kind")
        return (roles is None or p.role in roles) \
            and (kind is None or self.units[p.unit].kind.value == kind)

    def e1(self, c: Candidate, p: Post, year: int) -> bool:
        """Education, political theory, rating at least the post's; age_t at most max_age."""
        def at_least(scale: list[str], have: Any, need: Any) -> bool:
            return need is None or scale.index(have.value) >= scale.index(need.value)
        return at_least(EDUCATION, c.education, p.min_education) \
            and at_least(THEORY, c.political_theory, p.min_political_theory) \
            and at_least(RATING, c.rating, p.min_rating) \
            and (p.max_age is None or year - c.birth_year <= p.max_age)

    def forbidden(self, cid: str, pid: str, year: int) -> bool:
        """A `forbidden` row binds every period, or only its `period` where it has one."""
        return any(f.post == pid and f.candidate == cid and f.period in (None, year)
                   for f in self.scn.forbidden)

    def existing(self, year: int) -> list[Post]:
        """The posts that exist in the period: the only ones grouped or envied."""
        return [p for p in self.scn.posts if p.exists_in(year)]

    # -- the three rules: units of violation in one period ----------------------------------
    def career_step(self, rule: dict[str, Any], t: Period) -> int:
        """Posts whose moved holder steps out of [-max_down, max_up] or above without a plan."""
        up, down = rule.get("max_up", 1), rule.get("max_down", 0)
        planned = rule.get("planned", True)
        bad = 0
        for pid, cid in t.plan.items():
            p = self.posts[pid]
            if cid is None or not self.matches(rule, p) or t.current[cid] == pid:
                continue
            g = t.grade[cid]
            if p.grade is None or g is None:
                continue
            step = p.grade - g
            unplanned = planned and step > 0 and pid not in (self.cands[cid].planned_for or [])
            bad += step > up or step < -down or unplanned
        return bad

    def changed(self, t: Period, pid: str) -> bool:
        """Held by none of its holders before (vacant counts when it had one)."""
        before = {cid for cid, q in t.current.items() if q == pid}
        now = t.plan[pid]
        return bool(before) if now is None else now not in before

    def continuity(self, rule: dict[str, Any], t: Period) -> int:
        """Changed posts over floor(share x n), per group anc(post unit, per)."""
        share = Fraction(str(rule["max_changed_share"]))
        groups: dict[str, list[str]] = {}
        for p in self.existing(t.year):
            g = self.anc(p.unit, rule["per"])
            if g is not None and self.matches(rule, p):
                groups.setdefault(g, []).append(p.id)
        return sum(max(0, sum(self.changed(t, q) for q in ids) - math.floor(share * len(ids)))
                   for ids in groups.values())

    def rank(self, cid: str, pid: str | None) -> float:
        """1-based position of the first preferred unit containing the post's; inf if none."""
        prefs = self.cands[cid].preferences or []
        if pid is None:
            return INF
        return next((i for i, u in enumerate(prefs, 1)
                     if self.contains(u, self.posts[pid].unit)), INF)

    def envious(self, rule: dict[str, Any], t: Period) -> list[tuple[str, str]]:
        """(officer, post) pairs where the officer envies the matching post."""
        own = {cid: pid for pid, cid in t.plan.items() if cid is not None}
        out = []
        for c in self.scn.candidates:
            if not c.available_in(t.year):
                continue
            mine = self.rank(c.id, own.get(c.id))
            for p in self.existing(t.year):
                holder = t.plan[p.id]
                if self.matches(rule, p) and self.rank(c.id, p.id) < mine \
                        and self.e1(c, p, t.year) and not self.forbidden(c.id, p.id, t.year) \
                        and (holder is None or self.cands[holder].merit < c.merit):
                    out.append((c.id, p.id))
        return out

    def violations(self, rule: dict[str, Any], t: Period) -> int:
        """Units of violation of one careers rule row in period t."""
        if rule["rule"] == "career_step":
            return self.career_step(rule, t)
        if rule["rule"] == "continuity":
            return self.continuity(rule, t)
        return len(self.envious(rule, t))


@dataclass(frozen=True)
class Verdict:
    """A horizon plan's validity and objective, careers rules included."""

    valid: bool
    objective: int


def judge(inst: CareersInstance, plans: Plans) -> Verdict:
    """The base checker's verdict, then the careers rules: hard ones must hold in every
    period, soft ones cost weight x units of violation summed over the periods."""
    base = check_horizon(inst.base, plans, inst.base.policy)
    j = Judge(inst.base)
    valid, objective = base.valid, base.objective
    for t in periods(inst.base, plans):
        for rule in inst.careers:
            units = j.violations(rule, t)
            if rule.get("hard", True):
                valid = valid and units == 0
            else:
                objective -= rule["weight"] * units
    return Verdict(valid, objective)


def judged_plans(inst: CareersInstance) -> Iterator[tuple[Plans, Verdict]]:
    """Every horizon plan with this module's verdict."""
    for plans in all_horizon_plans(inst.base):
        yield plans, judge(inst, plans)


def careers_optimum(inst: CareersInstance) -> tuple[int, int | None, Plans | None]:
    """(plans enumerated, best objective over valid plans or None, one best plan or None)."""
    best, best_plans, count = None, None, 0
    for plans, v in judged_plans(inst):
        count += 1
        if v.valid and (best is None or v.objective > best):
            best, best_plans = v.objective, plans
    return count, best, best_plans


# -- random tiny careers scenarios --------------------------------------------------------------
def _grade(rng: random.Random) -> int | None:
    """Grades 1-4 close together (steps of 0, 1, 2 all common), a fifth of them missing."""
    return rng.choice([1, 2, 2, 3, 3, 4]) if rng.random() < 0.8 else None


def _graded_posts(rng: random.Random, units: list, years: list[int]) -> list[Post]:
    return [Post(**(p.model_dump() | {"grade": _grade(rng)})) for p in _posts(rng, units, years)]


def _career(rng: random.Random, c: Candidate, uids: list[str], pids: list[str],
            years: list[int]) -> Candidate:
    """Grade, succession pool, ranked preferences; a holder who retires now and then; merit
    often one of two values, so that equal merit (no envy) comes up."""
    kw: dict[str, Any] = {"grade": _grade(rng)}
    if rng.random() < 0.5:
        kw["merit"] = rng.choice([30, 60])
    if rng.random() < 0.5:
        kw["planned_for"] = rng.sample(pids, rng.randint(1, len(pids)))
    kw["preferences"] = rng.sample(uids, rng.choice([0, 1, 2, 3])) or None
    if c.current_post and rng.random() < 0.3:  # retires at a period's start, even the first
        kw["leaves"] = rng.choice(years)
        if c.joins is not None and c.joins >= kw["leaves"]:
            kw["joins"] = None
    return Candidate(**(c.model_dump() | kw))


def _careers_rule(rng: random.Random, kind: str) -> dict[str, Any]:
    r: dict[str, Any] = {"rule": kind} | _roles(rng) | _unit_kind(rng, 0.3)
    if kind == "career_step":
        for key, values in (("max_up", [0, 1, 2]), ("max_down", [0, 1]),
                            ("planned", [True, False])):
            if rng.random() < 0.6:
                r[key] = rng.choice(values)
    elif kind == "continuity":
        r |= {"per": rng.choice(["province", "district"]),
              "max_changed_share": rng.choice(SHARES)}
    if rng.random() < 0.5:
        r |= {"hard": False, "weight": rng.choice([1, 5, 20, 70, 300])}
    return r


def _policy(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                         dict[str, int]]:
    """(other rules, careers rules, weights): one to three careers rules, a few others."""
    others = sorted(k for k in REGISTRY if k not in CAREERS_RULES and k != "stay_close")
    base = [_rule(rng, k) for k in rng.sample(others, rng.choice([0, 0, 1, 1, 2]))]
    careers = [_careers_rule(rng, k) for k in CAREERS_RULES if rng.random() < 0.55]
    if not careers:
        careers = [_careers_rule(rng, rng.choice(CAREERS_RULES))]
    if rng.random() < 0.15:  # a second rule of one careers type
        careers.append(_careers_rule(rng, rng.choice(CAREERS_RULES)))
    weights = {"merit": rng.choice([0, 1, 1, 2]), "preference": rng.choice([0, 0, 5, 30]),
               "move": rng.choice([0, 3, 20]), "vacancy": rng.choice([0, 10, 60, 1000])}
    return base, careers, weights


def _draw(rng: random.Random, seed: int) -> CareersInstance:
    years = _years(rng)
    units = _units(rng)
    uids = [u.id for u in units]
    posts = _graded_posts(rng, units, years)
    pids = [p.id for p in posts]
    cands = [_career(rng, c, uids, pids, years)
             for c in _candidates(rng, units, pids, years)]
    base, careers, weights = _policy(rng)
    scn = scenario(units, posts, cands, fixed=_fixed(rng, posts, cands, years),
                   forbidden=_forbidden(rng, posts, cands, years), rules=base, weights=weights,
                   name=f"careers-{seed}")
    scn = scn.model_copy(update={"periods": years if len(years) > 1 else None})
    return CareersInstance(scn, tuple(careers))


@cache
def random_careers_instance(seed: int) -> CareersInstance:
    """The seed's instance: drawn again (same stream) until it has at most MAX_PLANS plans."""
    rng = random.Random(f"careers:{seed}")
    while True:
        inst = _draw(rng, seed)
        if plan_count(inst.base) <= MAX_PLANS:
            return inst


@cache
def careers_brute_force(seed: int) -> tuple[int, int | None]:
    count, best, _ = careers_optimum(random_careers_instance(seed))
    return count, best
