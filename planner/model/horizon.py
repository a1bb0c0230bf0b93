"""A horizon (several periods, docs/horizon.md) as one expanded single-period instance.

Every unit, post and candidate is copied once per period: a post only into the periods where it
exists, a candidate only into those where it is available, with ids suffixed by the year
(`P07-DIR@2031`, which reads well in explanations). Each period is then a disjoint copy of the
organisation with its own officers, so every rule groups, counts and pairs per period exactly as
in one period, and the whole single-period machinery (pairs, bounds, shortlist, repair, search,
diagnosis) runs on the expansion unchanged.

What one period cannot know is the state that follows from the plan of the period before (the
current post, terms, since, serves_at, served_local, served_difficult, ministry origin). The
copies of periods after the first are *dynamic* (`Instance.dynamic`): their rows carry neutral
values that relax every rule and every objective term (no current post, experience flags true,
ministry origin true, no distance), so that the expansion alone is a relaxation whose bounds
hold for the horizon; the exact terms are the links of planner/model/links.py and the rules'
`link` methods. Period-1 copies hold the scenario's own state, so a rule's static part is exact
there. A one-period scenario is expanded only when something in it does not exist in its period
(then with the scenario's own ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.model.instance import Instance
from planner.model.sets import distinct
from planner.scenario import Scenario
from planner.schema import Candidate, Pin, Post, Relation


@dataclass
class Horizon:
    """How the expanded instance maps back onto the scenario's periods."""

    base: Scenario
    years: list[int]
    post_period: np.ndarray
    """Per expanded post: the index of its period."""
    post_base: np.ndarray
    """Per expanded post: its index among the scenario's posts."""
    cand_period: np.ndarray
    cand_base: np.ndarray
    post_copy: dict[tuple[int, int], int]
    """(period, scenario post) -> expanded post."""
    cand_copy: dict[tuple[int, int], int]
    """(period, scenario candidate) -> expanded candidate."""

    _reach: np.ndarray | None = field(default=None, init=False, repr=False)
    """Sorted keys officer * n_units + unit: the scenario units each scenario officer may
    serve at by the period being paired (see :meth:`entering`)."""
    _pools: dict[int, dict[int, np.ndarray]] | None = field(default=None, init=False, repr=False)
    """Period -> scenario unit -> the expanded candidates of that period who may serve inside it."""

    @property
    def n_periods(self) -> int:
        return len(self.years)

    def entering(self, inst: Instance, p: int, eligible: list[np.ndarray]) -> None:
        """Called by the eligibility pass before post p (posts come period by period, so the
        pairs of every earlier period are known): on the first post of a later period, where
        each officer may serve in it — the units of the posts the officer may hold in the
        period before, or, holding none, where the officer may have served then — so that a
        rule that keeps officers inside an area (`mobility within`) pairs a post only with the
        officers who can be inside it, as in the first period.

        Where an officer may serve is kept as sorted keys officer * n_units + unit (the
        national horizon: ~4 million a period, built by numpy, not a set per officer)."""
        t = int(self.post_period[p])
        n_units = len(self.base.units)
        if p == 0 or self._reach is None:  # a new pass (another policy may pair otherwise)
            units = {u.id: i for i, u in enumerate(self.base.units)}
            at = np.array([units[c.serves_at] for c in self.base.candidates], dtype=np.int64)
            self._reach = np.arange(len(at), dtype=np.int64) * n_units + at
            self._pools = {}
        assert self._pools is not None
        if t == 0 or t in self._pools:
            return
        before = np.flatnonzero(self.post_period == t - 1)
        held = [eligible[q] for q in before.tolist()]
        cands = np.concatenate(held) if held else np.zeros(0, dtype=np.int64)
        at = np.repeat(np.asarray(inst.post_unit)[before] % n_units, [len(h) for h in held])
        self._reach = distinct(np.concatenate(
            [self._reach, self.cand_base[cands].astype(np.int64) * n_units + at]))
        officer, unit = np.divmod(self._reach, n_units)
        copy = np.full(len(self.base.candidates), -1, dtype=np.int64)
        now = np.flatnonzero(self.cand_period == t)
        copy[self.cand_base[now]] = now
        c = copy[officer]
        # period-1 units are the scenario's (units are copied in order), ancestors included
        self._pools[t] = inst.arrays.pools_inside(c[c >= 0], unit[c >= 0])

    def may_stay(self, post: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """Mask over the pair table (expanded post, expanded candidate): a later period's pair
        whose officer has a pair on the same post in the period before (so it may be a stay)."""
        return self._before(post, cand) >= 0

    def with_stays(self, post: np.ndarray, cand: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """`keep` (a mask over the pair table) with, for every kept pair, the same officer's
        pair on the same post in the next period: a shortlist must be able to keep an officer
        in place."""
        before = self._before(post, cand)
        stays = before >= 0
        stays[stays] = keep[before[stays]]
        return keep | stays

    def _before(self, post: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """Per pair of the table (`post`, `cand` in table order): the index of the same
        officer's pair on the same post one period before, or -1.

        Copies are made period by period in the scenario's order (:func:`expand`) and the table
        is in post order with officers ascending within a post, so each period's pairs are
        sorted by (scenario post, scenario officer): each later period's keys are looked up
        in the period before's, both sorted, and nothing is sorted. Through sorts of the
        national horizon's 34 million keys (in officer order) this took 10.9 s."""
        period = self.post_period[post]
        key = self.post_base[post].astype(np.int64) * len(self.base.candidates) \
            + self.cand_base[cand]
        if len(key) > 1 and np.any((period[1:] < period[:-1]) | (
                (period[1:] == period[:-1]) & (key[1:] <= key[:-1]))):
            raise ValueError("the pairs are not in the pair table's order")
        out = np.full(len(key), -1, dtype=np.int64)
        edge = np.searchsorted(period, np.arange(self.n_periods + 1))
        for t in range(1, self.n_periods):
            lo, mid, hi = int(edge[t - 1]), int(edge[t]), int(edge[t + 1])
            prev, now = key[lo:mid], key[mid:hi]
            if len(prev) == 0 or len(now) == 0:
                continue
            at = np.minimum(np.searchsorted(prev, now), len(prev) - 1)
            out[mid:hi] = np.where(prev[at] == now, lo + at, -1)
        return out

    def serving_inside(self, area: int, t: int) -> np.ndarray | None:
        """The candidates of period t > 0 who may serve inside `area` (an expanded unit); None
        before an eligibility pass has reached period t (the memory estimate's pair bound,
        planner/solver/memory.py), where no narrowing is known yet: every candidate is a
        superset, so a bound stays a bound."""
        if self._pools is None or t not in self._pools:
            return None
        return self._pools[t].get(area % len(self.base.units), np.zeros(0, dtype=np.int32))

    def plans(self, plan: dict[str, str | None], inst: Instance) -> dict[int, dict[str, str | None]]:
        """An expanded plan (copy ids) as year -> that period's plan (the scenario's ids)."""
        posts, cands = self.base.posts, self.base.candidates
        out: dict[int, dict[str, str | None]] = {y: {} for y in self.years}
        cand_of = {c.id: i for i, c in enumerate(inst.candidates)}
        for p, post in enumerate(inst.posts):
            held = plan.get(post.id)
            who = None if held is None else cands[self.cand_base[cand_of[held]]].id
            out[self.years[self.post_period[p]]][posts[self.post_base[p]].id] = who
        return out

    def expanded_plan(self, plans: dict[int, dict[str, str | None]]) -> dict[str, str | None]:
        """The reverse of :meth:`plans`: a horizon plan in copy ids (for warm starts)."""
        post_of = {p.id: i for i, p in enumerate(self.base.posts)}
        cand_of = {c.id: i for i, c in enumerate(self.base.candidates)}
        out: dict[str, str | None] = {}
        for t, year in enumerate(self.years):
            for pid, cid in plans.get(year, {}).items():
                q = self.post_copy.get((t, post_of.get(pid, -1)))
                c = self.cand_copy.get((t, cand_of.get(cid, -1))) if cid is not None else None
                if q is not None:
                    out[_copy_id(pid, year, self)] = None if c is None else _copy_id(cid, year, self)
        return out


def needs_expansion(scenario: Scenario) -> bool:
    """Whether the scenario is more than one plain period: several periods, or a period where
    some post does not exist, some officer is unavailable or a pin names its period."""
    years = scenario.years
    if len(years) > 1:
        return True
    y = years[0]
    existing = {p.id for p in scenario.posts if p.exists_in(y)}
    return (len(existing) < len(scenario.posts)
            or any(not c.available_in(y) for c in scenario.candidates)
            or any(c.current_post is not None and c.current_post not in existing
                   for c in scenario.candidates)
            or any(pin.period is not None for pin in (*scenario.fixed, *scenario.forbidden)))


def _copy_id(ident: str, year: int, hz: Horizon | None = None, n_periods: int | None = None) -> str:
    n = n_periods if n_periods is not None else (hz.n_periods if hz is not None else 2)
    return ident if n == 1 else f"{ident}@{year}"


def expand(scenario: Scenario) -> tuple[Scenario, Horizon]:
    """The expanded scenario (one copy of everything per period) and its map."""
    years = scenario.years
    n = len(years)

    def cid(ident: str, year: int) -> str:
        return _copy_id(ident, year, n_periods=n)

    units = [u.model_copy(update={"id": cid(u.id, y),
                                  "parent": None if u.parent is None else cid(u.parent, y)})
             for y in years for u in scenario.units]
    posts: list[Post] = []
    post_period, post_base, post_copy = [], [], {}
    for t, y in enumerate(years):
        for q, p in enumerate(scenario.posts):
            if p.exists_in(y):
                post_copy[(t, q)] = len(posts)
                post_period.append(t)
                post_base.append(q)
                posts.append(p.model_copy(update={"id": cid(p.id, y), "unit": cid(p.unit, y),
                                                  "opens": None, "closes": None}))
    first_posts = {scenario.posts[q].id for (t, q) in post_copy if t == 0}
    cands: list[Candidate] = []
    cand_period, cand_base, cand_copy = [], [], {}
    for t, y in enumerate(years):
        for o, c in enumerate(scenario.candidates):
            if c.available_in(y):
                cand_copy[(t, o)] = len(cands)
                cand_period.append(t)
                cand_base.append(o)
                cands.append(_candidate_copy(c, t, y, years[0], first_posts, cid))
    available = {(t, scenario.candidates[o].id) for (t, o) in cand_copy}
    existing = {(t, scenario.posts[q].id) for (t, q) in post_copy}

    def present(pin: Pin, t: int) -> bool:
        return (t, pin.candidate) in available and (t, pin.post) in existing
    relations = [Relation.model_construct(a=cid(r.a, y), b=cid(r.b, y), kind=r.kind)
                 for t, y in enumerate(years) for r in scenario.relations
                 if (t, r.a) in available and (t, r.b) in available]
    expanded = scenario.model_copy(update={
        "units": units, "posts": posts, "candidates": cands, "relations": relations,
        "fixed": _pins(scenario.fixed, years, first_only=True, cid=cid, present=present),
        "forbidden": _pins(scenario.forbidden, years, first_only=False, cid=cid, present=present),
        "periods": None})
    hz = Horizon(scenario, list(years), np.array(post_period, dtype=np.int32),
                 np.array(post_base, dtype=np.int32), np.array(cand_period, dtype=np.int32),
                 np.array(cand_base, dtype=np.int32), post_copy, cand_copy)
    return expanded, hz


def _candidate_copy(c: Candidate, t: int, year: int, first: int, first_posts: set[str],
                    cid) -> Candidate:
    """The officer in period t. Period 1 holds the scenario's state (a current post closed in
    period 1 is no current post there: its holder must go elsewhere); later periods hold the
    neutral state that relaxes every rule (the links make it exact; no grade: career_step
    passes)."""
    mapped = {"id": cid(c.id, year), "home": cid(c.home, year), "serves_at": cid(c.serves_at, year),
              "ties": None if c.ties is None else [cid(u, year) for u in c.ties],
              "preferences": None if c.preferences is None else [cid(u, year) for u in c.preferences],
              "planned_for": None if c.planned_for is None else [cid(q, year) for q in c.planned_for],
              # age in period t is year - birth_year; the expansion's term_start is the first year
              "birth_year": c.birth_year - (year - first), "joins": None}
    if t == 0:
        keeps = c.current_post is not None and c.current_post in first_posts
        mapped.update(current_post=cid(c.current_post, year) if keeps else None,
                      consecutive_terms=c.consecutive_terms if keeps else 0,
                      since=c.since if keeps else None)
    else:
        mapped.update(current_post=None, consecutive_terms=0, since=None, served_local=True,
                      served_difficult=True, grade=None)
    return c.model_copy(update=mapped)


def _pins(pins: list[Pin], years: list[int], *, first_only: bool, cid, present) -> list[Pin]:
    """`fixed` pins bind their period (absent: the first), `forbidden` pins theirs (absent:
    every period). A forbidden pair whose post or officer is absent from a period has nothing
    to forbid there; a fixed pair always exists in its period (loading checks it)."""
    out = []
    for pin in pins:
        chosen = [pin.period] if pin.period is not None else (years[:1] if first_only else years)
        out += [Pin.model_construct(post=cid(pin.post, y), candidate=cid(pin.candidate, y), period=None)
                for y in chosen if first_only or present(pin, years.index(y))]
    return out


def horizon_instance(scenario: Scenario) -> Instance:
    """The expanded instance of `scenario`, with `inst.horizon` set and the dynamic copies
    marked (their ministry origin relaxed to true, their year their period's)."""
    expanded, hz = expand(scenario)
    inst = Instance(expanded)
    inst.horizon = hz
    inst.year = [hz.years[t] for t in hz.cand_period]
    inst.dynamic = hz.cand_period > 0
    inst.ministry_origin = [m or bool(d) for m, d in zip(inst.ministry_origin, inst.dynamic)]
    return inst


def index(scenario: Scenario) -> Instance:
    """The instance a solve runs on: the scenario's own, or its expansion when it is a horizon."""
    return horizon_instance(scenario) if needs_expansion(scenario) else Instance(scenario)
