"""Random tiny scenarios and their brute-force optimum, shared by the cross-checks.

Every plan of a scenario of at most 4 posts and 5 candidates is enumerated and judged by the
independent checker; see tests/solve/test_bruteforce.py for what the solver must agree with.
"""

from __future__ import annotations

import random
from functools import lru_cache
from math import comb, perm
from typing import Any

from builders import cand, pin, post, relation, scenario, unit

from planner import Scenario, check_plan
from planner.rules import REGISTRY

N_RANDOM = 1000
ROLES = ["director", "deputy_director", "chief"]
KINDS = ["ministry", "province", "district", "commune"]
SPECIALTIES = ["finance", "law", "agri"]
EDUCATION = ["college", "university", "master", "phd"]
THEORY = ["primary", "intermediate", "advanced"]
RATING = ["not_completed", "completed", "good", "excellent"]
SHARES = [0, 0.2, 0.3, 0.5, 0.6, 0.7, 0.9, 1]


# -- random tiny scenarios -------------------------------------------------------------------
def _coords(rng: random.Random) -> dict[str, float]:
    """Coordinates somewhere in a 15 x 8 degree box (0 .. ~1800 km apart), or none."""
    if rng.random() < 0.5:
        return {}
    return {"lat": round(rng.uniform(8.0, 23.0), 3), "lon": round(rng.uniform(102.0, 110.0), 3)}


def _units(rng: random.Random) -> list:
    out = [unit("M", "ministry", **_coords(rng))]
    if rng.random() < 0.5:
        out.append(unit("M2", "ministry", parent="M"))
    for pi in range(1, rng.randint(1, 2) + 1):
        p = f"P{pi}"
        out.append(unit(p, "province", difficult=rng.random() < 0.15, **_coords(rng)))
        for di in range(1, rng.randint(1, 2) + 1):
            d = f"{p}D{di}"
            out.append(unit(d, "district", parent=p, difficult=rng.random() < 0.25, **_coords(rng)))
            if rng.random() < 0.6:
                out.append(unit(f"{d}C", "commune", parent=d, difficult=rng.random() < 0.3,
                                **_coords(rng)))
        if rng.random() < 0.3:  # a commune directly under its province
            out.append(unit(f"{p}C", "commune", parent=p, difficult=rng.random() < 0.3))
    return out


def place(rng: random.Random, posts: list, uids: list[str], local_uids: list[str],
          local_share: float) -> tuple[str, str]:
    """(unit, role) of the next random post: in a unit that already has one three times in ten,
    else in a local unit with chance `local_share`; a role not yet taken there where one is left."""
    if posts and rng.random() < 0.3:
        where = rng.choice(posts).unit
    else:
        where = rng.choice(local_uids) if rng.random() < local_share else rng.choice(uids)
    taken = {p.role for p in posts if p.unit == where}
    return where, rng.choice([r for r in ROLES if r not in taken] or ROLES)


def _roles(rng: random.Random) -> dict[str, Any]:
    return {"roles": rng.sample(ROLES, rng.randint(1, 2))} if rng.random() < 0.45 else {}


def _unit_kind(rng: random.Random, p: float = 0.35) -> dict[str, Any]:
    return {"unit_kind": rng.choice(KINDS)} if rng.random() < p else {}


def _opt(rng: random.Random, key: str, values: list, p: float = 0.5) -> dict[str, Any]:
    return {key: rng.choice(values)} if rng.random() < p else {}


def _rule(rng: random.Random, kind: str) -> dict[str, Any]:
    r: dict[str, Any] = {"rule": kind}
    if kind == "non_local":
        r |= _roles(rng) | _unit_kind(rng) | _opt(rng, "scope", KINDS) \
            | _opt(rng, "min_share", SHARES, 0.6) | _opt(rng, "per", KINDS, 0.35)
    elif kind == "term_limit":
        r |= _roles(rng) | _unit_kind(rng) | _opt(rng, "max_consecutive_terms", [1, 2, 3]) \
            | _opt(rng, "same", ["post", "unit"], 0.7)
    elif kind == "ministry_quota":
        r |= _roles(rng) | _opt(rng, "unit_kind", KINDS) | _opt(rng, "min_per_unit", [0, 1, 1, 2]) \
            | _opt(rng, "min_share_of_units", [0, 0.3, 0.5, 0.7, 1], 0.7)
    elif kind == "kinship":
        r |= _opt(rng, "scope", KINDS, 0.6)
    elif kind == "local_experience":
        r |= _roles(rng) | _unit_kind(rng, 0.5)
    elif kind == "clean_record":
        r |= _roles(rng) | _unit_kind(rng)
    elif kind == "age_limit":
        r |= _roles(rng) | _unit_kind(rng) | {"max_age": rng.randint(38, 55)}
    elif kind == "gender_balance":
        r |= _roles(rng) | _unit_kind(rng) | {"min_share": rng.choice(SHARES)} \
            | _opt(rng, "per", KINDS, 0.35)
    elif kind == "young_cadres":
        r |= _roles(rng) | _unit_kind(rng) | {"max_age": rng.randint(38, 52),
                                               "min_share": rng.choice(SHARES)} \
            | _opt(rng, "per", KINDS, 0.35)
    elif kind == "difficult_areas":
        r |= _roles(rng) | _unit_kind(rng) | _opt(rng, "min_rating", RATING)
    elif kind == "fill":
        r |= _roles(rng) | _unit_kind(rng, 0.5)
    elif kind == "mobility":
        r |= _roles(rng) | _unit_kind(rng)
        if rng.random() < 0.5:
            r["within"] = rng.choice(KINDS)
        if "within" not in r or rng.random() < 0.5:
            r["max_km"] = rng.choice([0, 100, 300, 600, 1000])
    elif kind == "min_tenure":
        r |= _roles(rng) | _unit_kind(rng) | {"years": rng.randint(1, 8)}
    elif kind == "service_left":
        r |= _roles(rng) | _unit_kind(rng) | {"years": rng.randint(0, 10)}
    elif kind == "difficult_experience":
        r |= _roles(rng) | _unit_kind(rng)
    elif kind == "career_step":  # no grades here: it must then never bind (careers_bruteforce has them)
        r |= _roles(rng) | _unit_kind(rng) | _opt(rng, "max_up", [0, 1, 2]) \
            | _opt(rng, "max_down", [0, 1]) | _opt(rng, "planned", [True, False])
    elif kind == "continuity":
        r |= _roles(rng) | _unit_kind(rng) | {"per": rng.choice(KINDS),
                                               "max_changed_share": rng.choice(SHARES)}
    elif kind == "no_envy":
        r |= _roles(rng) | _unit_kind(rng)
    elif kind == "stay_close":  # posts X0..X3 and candidates c0..c4; X4 and c9 are unknown ids
        r |= {"previous": {f"X{i}": rng.choice([None, "c0", "c1", "c2", "c3", "c4", "c9"])
                           for i in rng.sample(range(5), rng.randint(1, 4))}}
    else:  # pragma: no cover - a new rule type must be added to this generator
        raise AssertionError(f"no generator for rule type {kind}")
    if rng.random() < 0.55:
        r |= {"hard": False, "weight": rng.choice([1, 3, 7, 20, 60, 150, 400])}
    return r


def _policy(rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, int]]:
    kinds = sorted(k for k in REGISTRY if k != "stay_close")  # see random_scenario
    rules = [_rule(rng, k) for k in kinds if rng.random() < 0.42]
    if rng.random() < 0.2:  # a second rule of one type
        rules.append(_rule(rng, rng.choice(kinds)))
    rng.shuffle(rules)
    weights = {"merit": rng.choice([0, 1, 1, 2]), "specialty": rng.choice([0, 0, 5, 30]),
               "preference": rng.choice([0, 0, 5, 30]), "move": rng.choice([0, 0, 3, 20]),
               "distance": rng.choice([0, 0, 1, 7]), "vacancy": rng.choice([0, 10, 60, 1000])}
    weights = {k: v for k, v in weights.items() if rng.random() < 0.85}  # some left to default
    return rules, weights


def random_scenario(seed: int) -> Scenario:
    rng = random.Random(seed)
    units = _units(rng)
    uids = [u.id for u in units]
    local_uids = [u.id for u in units if u.kind.value != "ministry"]
    posts = []
    for i in range(rng.randint(2, 4)):
        kw: dict[str, Any] = {"priority": rng.choice([1, 1, 2, 3])}
        if rng.random() < 0.12:
            kw["min_education"] = rng.choice(EDUCATION)
        if rng.random() < 0.12:
            kw["min_political_theory"] = rng.choice(THEORY)
        if rng.random() < 0.12:
            kw["min_rating"] = rng.choice(RATING)
        if rng.random() < 0.12:
            kw["max_age"] = rng.randint(40, 58)
        if rng.random() < 0.35:
            kw["specialties"] = rng.sample(SPECIALTIES, rng.randint(1, 2))
        posts.append(post(f"X{i}", *place(rng, posts, uids, local_uids, 0.8), **kw))
    pids = [p.id for p in posts]
    cands = []
    for i in range(rng.randint(2, 5)):
        kw = {"gender": rng.choice(["female", "male"]), "birth_year": rng.randint(1966, 1992),
              "education": rng.choice(EDUCATION), "political_theory": rng.choice(THEORY),
              "rating": rng.choice(RATING), "merit": rng.randint(0, 100),
              "disciplined": rng.random() < 0.2, "served_local": rng.random() < 0.55}
        if rng.random() < 0.35:
            kw["ties"] = rng.sample(uids, rng.randint(1, 2))
        if rng.random() < 0.35:
            kw["preferences"] = rng.sample(uids, rng.randint(1, 2))
        if rng.random() < 0.35:
            kw["specialties"] = rng.sample(SPECIALTIES, rng.randint(1, 2))
        if rng.random() < 0.5:
            shared = [p.id for p in posts if sum(q.unit == p.unit for q in posts) > 1]
            kw["current_post"] = rng.choice(shared if shared and rng.random() < 0.5 else pids)
            kw["consecutive_terms"] = rng.randint(1, 3)
        home = rng.choice(uids)
        at = rng.choice([u for u in uids if u.startswith("M")]) if rng.random() < 0.35 \
            else rng.choice([home, rng.choice(uids)])
        cands.append(cand(f"c{i}", home=home, serves_at=at, **kw))
    cids = [c.id for c in cands]
    relations = []
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        a, b = rng.sample(cids, 2)
        relations.append(relation(a, b, rng.choice(["kin", "spouse", "clan"])))
    if relations and rng.random() < 0.3:  # the same pair listed again, the other way round
        r = relations[0]
        relations.append(relation(r.b, r.a, "spouse"))
    fixed = [pin(rng.choice(pids), rng.choice(cids))] if rng.random() < 0.12 else []
    forbidden = [pin(rng.choice(pids), rng.choice(cids)) for _ in range(rng.choice([0, 0, 1, 2]))]
    rules, weights = _policy(rng)
    side = random.Random(f"stay_close:{seed}")  # a side stream: the other draws stay as they were
    if side.random() < 0.25:
        rules.append(_rule(side, "stay_close"))
    return scenario(units, posts, cands, relations=relations, fixed=fixed, forbidden=forbidden,
                    rules=rules, weights=weights, name=f"random-{seed}")


# -- brute force -----------------------------------------------------------------------------
def all_plans(scn: Scenario):
    """Every plan: each post gets at most one candidate, each candidate at most one post."""
    return matchings([p.id for p in scn.posts], [c.id for c in scn.candidates])


def matchings(pids: list[str], cids: list[str]):
    """Every assignment of `pids` to `cids`: each post at most one, each officer at most one."""
    def rec(i: int, used: frozenset, plan: dict):
        if i == len(pids):
            yield dict(plan)
            return
        plan[pids[i]] = None
        yield from rec(i + 1, used, plan)
        for c in cids:
            if c not in used:
                plan[pids[i]] = c
                yield from rec(i + 1, used | {c}, plan)
        del plan[pids[i]]

    return rec(0, frozenset(), {})


@lru_cache(maxsize=None)
def brute_force(seed: int) -> tuple[int, int | None]:
    """(number of plans enumerated, best objective over valid plans or None)."""
    scn = random_scenario(seed)
    best, count = None, 0
    for plan in all_plans(scn):
        count += 1
        rep = check_plan(scn, plan)
        if rep.valid and (best is None or rep.objective > best):
            best = rep.objective
    return count, best


def _expected_count(n_posts: int, n_cands: int) -> int:
    """Partial matchings: sum over k of C(P, k) * n!/(n-k)!."""
    return sum(comb(n_posts, k) * perm(n_cands, k) for k in range(min(n_posts, n_cands) + 1))
