"""Random tiny horizon scenarios and their brute-force optimum (docs/horizon.md).

The horizon counterpart of tests/bruteforce.py: every horizon plan of a scenario of 1-3
periods, at most 3 posts and 4 candidates is enumerated (per period, every partial matching of
the posts that exist to the officers available; the horizon is their product) and judged by the
independent checker `planner.check.horizon.check_horizon`. See
tests/solve/test_horizon_bruteforce.py for what the solver must agree with.

The generator leans on what only a horizon has: state carried from one period to the next
(current post, terms, `since`, `serves_at`, served_local / served_difficult), posts that open and
close, officers who join and leave, pins bound to a period, and the weights that read that state
(`move`, `distance`) non-zero more often than in the single-period generator.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from functools import cache
from math import prod
from typing import Any

from bruteforce import (
    EDUCATION,
    RATING,
    SPECIALTIES,
    THEORY,
    _expected_count,
    _rule,
    _units,
    matchings,
    place,
)
from builders import cand, post, relation, scenario

from planner import Scenario
from planner.check.horizon import check_horizon
from planner.rules import REGISTRY
from planner.schema import Pin

N_RANDOM = 1000
MAX_PLANS = 500
"""The enumeration's size cap: a draw with more horizon plans than this is drawn again. The
checker judges a horizon plan in about 0.5 ms; at 500 the 1000 seeds hold about 83,000 plans
(median 36 a seed), some 45 s of enumeration, most of it in 3-period and 3-post draws."""
TERM_START = 2026
HORIZON_RULES = ("min_tenure", "service_left", "difficult_experience")
"""The rule types only horizons need: drawn when the registry has them."""

Plans = dict[int, dict[str, str | None]]


# -- random tiny horizon scenarios -------------------------------------------------------------
def _years(rng: random.Random) -> list[int]:
    """2 or 3 periods (now and then 1), gaps of 1 to 6 years: each period is one term anyway."""
    years = [TERM_START]
    for _ in range(rng.choice([1, 1, 1, 2, 2]) if rng.random() < 0.92 else 0):
        years.append(years[-1] + rng.choice([1, 3, 5, 5, 5, 6]))
    return years


def _boundary(rng: random.Random, years: list[int], lo: int, hi: int) -> int:
    """A year for opens/closes/joins/leaves: often exactly a period's year (the edge case)."""
    later = years[1:]
    return rng.choice(later) if later and rng.random() < 0.6 else rng.randint(lo, hi)


def _lifetime(rng: random.Random, years: list[int], first: str, last: str,
              p_first: float, p_last: float) -> dict[str, int]:
    """`opens`/`closes` (or `joins`/`leaves`) now and then, the first before the last."""
    out: dict[str, int] = {}
    if rng.random() < p_first:
        out[first] = _boundary(rng, years, TERM_START - 4, years[-1])
    if rng.random() < p_last:
        end = _boundary(rng, years, TERM_START - 2, years[-1] + 12)
        if end > out.get(first, end - 1):
            out[last] = end
    return out


def _post_fields(rng: random.Random) -> dict[str, Any]:
    kw: dict[str, Any] = {"priority": rng.choice([1, 1, 2, 3])}
    if rng.random() < 0.1:
        kw["min_education"] = rng.choice(EDUCATION)
    if rng.random() < 0.1:
        kw["min_rating"] = rng.choice(RATING)
    if rng.random() < 0.15:  # ages change from period to period
        kw["max_age"] = rng.randint(45, 62)
    if rng.random() < 0.3:
        kw["specialties"] = rng.sample(SPECIALTIES, rng.randint(1, 2))
    return kw


def _posts(rng: random.Random, units: list, years: list[int]) -> list:
    uids = [u.id for u in units]
    local_uids = [u.id for u in units if u.kind.value != "ministry"]
    posts: list = []
    for i in range(rng.choice([1, 2, 2, 2, 3, 3])):
        posts.append(post(f"X{i}", *place(rng, posts, uids, local_uids, 0.75),
                          **_post_fields(rng), **_lifetime(rng, years, "opens", "closes", 0.2, 0.25)))
    return posts


def _state(rng: random.Random, pids: list[str]) -> dict[str, Any]:
    """A current post (any, closed ones included) with its terms and, often, `since`."""
    if rng.random() >= 0.55:
        return {}
    kw: dict[str, Any] = {"current_post": rng.choice(pids), "consecutive_terms": rng.randint(1, 3)}
    if rng.random() < 0.6:
        kw["since"] = rng.randint(TERM_START - 10, TERM_START)
    return kw


def _candidates(rng: random.Random, units: list, pids: list[str], years: list[int]) -> list:
    uids = [u.id for u in units]
    cands = []
    for i in range(rng.choice([2, 2, 3, 3, 3, 4, 4])):
        kw = {"gender": rng.choice(["female", "male"]), "birth_year": rng.randint(1964, 1992),
              "education": rng.choice(EDUCATION), "political_theory": rng.choice(THEORY),
              "rating": rng.choice(RATING), "merit": rng.randint(0, 100),
              "disciplined": rng.random() < 0.15, "served_local": rng.random() < 0.45,
              "served_difficult": rng.random() < 0.3}
        if rng.random() < 0.3:
            kw["ties"] = rng.sample(uids, rng.randint(1, 2))
        if rng.random() < 0.3:
            kw["preferences"] = rng.sample(uids, rng.randint(1, 2))
        if rng.random() < 0.3:
            kw["specialties"] = rng.sample(SPECIALTIES, rng.randint(1, 2))
        kw |= _state(rng, pids) | _lifetime(rng, years, "joins", "leaves", 0.15, 0.4)
        home = rng.choice(uids)
        at = rng.choice([u for u in uids if u.startswith("M")]) if rng.random() < 0.35 \
            else rng.choice([home, rng.choice(uids)])
        cands.append(cand(f"c{i}", home=home, serves_at=at, **kw))
    return cands


def _fixed(rng: random.Random, posts: list, cands: list, years: list[int]) -> list[Pin]:
    """At most one `fixed` row, valid where it binds: the post exists, the officer is there."""
    if rng.random() >= 0.15:
        return []
    period = rng.choice(years) if rng.random() < 0.6 else None
    year = period or years[0]
    pids = [p.id for p in posts if p.exists_in(year)]
    cids = [c.id for c in cands if c.available_in(year)]
    if not pids or not cids:
        return []
    return [Pin(post=rng.choice(pids), candidate=rng.choice(cids), period=period)]


def _forbidden(rng: random.Random, posts: list, cands: list, years: list[int]) -> list[Pin]:
    return [Pin(post=rng.choice(posts).id, candidate=rng.choice(cands).id,
                period=rng.choice(years) if rng.random() < 0.5 else None)
            for _ in range(rng.choice([0, 0, 1, 2]))]


def _policy(rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Rules of every registered type (the horizon ones more often); state-reading weights."""
    kinds = sorted(k for k in REGISTRY if k != "stay_close")
    rules = [_rule(rng, k) for k in kinds
             if rng.random() < (0.5 if k in HORIZON_RULES else 0.3)]
    if rng.random() < 0.15:
        rules.append(_rule(rng, "stay_close"))
    rng.shuffle(rules)
    weights = {"merit": rng.choice([0, 1, 1, 2]), "specialty": rng.choice([0, 0, 5, 30]),
               "preference": rng.choice([0, 0, 5, 30]), "move": rng.choice([0, 3, 3, 20, 20]),
               "distance": rng.choice([0, 1, 1, 7]), "vacancy": rng.choice([0, 10, 60, 1000])}
    weights = {k: v for k, v in weights.items() if rng.random() < 0.9}
    return rules, weights


def _draw(rng: random.Random, seed: int) -> Scenario:
    years = _years(rng)
    units = _units(rng)
    posts = _posts(rng, units, years)
    cands = _candidates(rng, units, [p.id for p in posts], years)
    cids = [c.id for c in cands]
    relations = [relation(*rng.sample(cids, 2), rng.choice(["kin", "spouse", "clan"]))
                 for _ in range(rng.choice([0, 0, 1, 2]))]
    rules, weights = _policy(rng)
    scn = scenario(units, posts, cands, relations=relations,
                   fixed=_fixed(rng, posts, cands, years),
                   forbidden=_forbidden(rng, posts, cands, years), rules=rules, weights=weights,
                   term_start=TERM_START, name=f"horizon-{seed}")
    return scn.model_copy(update={"periods": years if len(years) > 1 else None})


def plan_count(scn: Scenario) -> int:
    """How many horizon plans there are: per period the partial matchings, multiplied."""
    return prod(_expected_count(len(existing_posts(scn, y)), len(available(scn, y)))
                for y in scn.years)


@cache
def random_horizon_scenario(seed: int) -> Scenario:
    """The seed's scenario: drawn again (same stream) until it has at most MAX_PLANS plans."""
    rng = random.Random(f"horizon:{seed}")
    while True:
        scn = _draw(rng, seed)
        if plan_count(scn) <= MAX_PLANS:
            return scn


# -- brute force -------------------------------------------------------------------------------
def existing_posts(scn: Scenario, year: int) -> list[str]:
    return [p.id for p in scn.posts if p.exists_in(year)]


def available(scn: Scenario, year: int) -> list[str]:
    return [c.id for c in scn.candidates if c.available_in(year)]


def all_horizon_plans(scn: Scenario) -> Iterator[Plans]:
    """Every horizon plan: one matching per period of its existing posts to its officers."""
    years = scn.years
    per_period = [list(matchings(existing_posts(scn, y), available(scn, y))) for y in years]
    for combo in itertools.product(*per_period):
        yield {y: dict(plan) for y, plan in zip(years, combo)}


def horizon_optimum(scn: Scenario) -> tuple[int, int | None, Plans | None]:
    """(plans enumerated, best objective over valid plans or None, one best plan or None)."""
    best, best_plans, count = None, None, 0
    for plans in all_horizon_plans(scn):
        count += 1
        rep = check_horizon(scn, plans, scn.policy)
        if rep.valid and (best is None or rep.objective > best):
            best, best_plans = rep.objective, plans
    return count, best, best_plans


@cache
def horizon_brute_force(seed: int) -> tuple[int, int | None]:
    """(number of plans enumerated, best objective or None) of the seed's scenario."""
    count, best, _ = horizon_optimum(random_horizon_scenario(seed))
    return count, best
