"""The officer pool: incumbents on most posts, the ministry's staff, and each province's open
pool of deputies at province, district and commune level.

The pool is built so that a plan exists under the national policy: province pools are large
and their homes spread over many communes (so the non-local targets can be met with officers
serving inside the province), and the ministry holds a reserve of officers qualified for
province leadership (so the ministry quota can be met). Officers are plain dicts: their
record (:mod:`planner.generate.records`) with where they serve and come from.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from planner.generate.distributions import INCUMBENT_SHARE, split, terms
from planner.generate.homes import Homes
from planner.generate.posts import REQUIREMENTS, Slot
from planner.generate.records import Records
from planner.generate.units import Geography

SENIORITY = {"director": 0, "deputy_director": 0, "department_head": 0, "district_chief": 1,
             "commune_chief": 2}
"""Incumbents are drawn senior posts first, so that they get the qualified records."""

HOME_ODDS = {"director": (0, 0, 0.6), "deputy_director": (0, 0, 0.3),
             "district_chief": (0, 0.3, 0.1), "commune_chief": (0.6, 0.2, 0.05)}
"""An incumbent's home: chances of the same commune, the same district and another province
(:meth:`Homes.near_post`); provincial leaders come from outside more often."""

OPEN_POOL_HOME = (0.35, 0.35, 0.12)
"""The same chances for an officer of a province's open pool."""


@dataclass(frozen=True)
class PoolSize:
    """How many officers, where: what the generator draws before it draws anyone."""

    reserve: int
    """Ministry officers qualified for province leadership (for the ministry quota)."""
    incumbent: list[bool]
    """Per post slot, whether it has an incumbent."""
    open_per_province: list[int]
    ministry_open: int
    """The ministry's officers without a post (the reserve among them)."""

    @property
    def records(self) -> int:
        """Officers in all: a record each."""
        return sum(self.incumbent) + sum(self.open_per_province) + self.ministry_open


def pool_size(geo: Geography, slots: list[Slot], officers_per_post: float,
              rng: random.Random) -> PoolSize:
    """`officers_per_post` officers per post, incumbents included: the ministry's share for its
    posts plus the reserve, the rest split over the provinces by their posts."""
    total = max(len(slots), round(officers_per_post * len(slots)))
    reserve = max(3, 2 * len(geo.provinces))
    ministry_n = round(officers_per_post * len(geo.departments)) + reserve
    slots_in = Counter(s.province for s in slots)
    posts_per_province = [slots_in[p["code"]] for p in geo.provinces]
    province_n = split(max(0, total - ministry_n), posts_per_province)
    incumbent = [rng.random() < INCUMBENT_SHARE for _ in slots]
    inc_per_province: dict[str, int] = {}
    for s, has in zip(slots, incumbent):
        if has and s.province:
            inc_per_province[s.province] = inc_per_province.get(s.province, 0) + 1
    open_per_province = [max(0, n - inc_per_province.get(p["code"], 0))
                         for p, n in zip(geo.provinces, province_n)]
    ministry_inc = sum(1 for s, has in zip(slots, incumbent) if has and s.province is None)
    return PoolSize(reserve, incumbent, open_per_province, max(reserve, ministry_n - ministry_inc))


class Pool:
    """The officers drawn so far, in the order they are drawn (their ids follow it)."""

    def __init__(self, geo: Geography, rng: random.Random, homes: Homes, records: Records) -> None:
        self.geo = geo
        self.rng = rng
        self.homes = homes
        self.records = records
        self.officers: list[dict] = []

    def add(self, rec: dict, serves_at: str, home: str, served_local: bool,
            current_post: str | None = None, terms: int = 0, province: str | None = None) -> None:
        """One officer: the record, where they serve, their home and their current post."""
        self.officers.append({**rec, "serves_at": serves_at, "home": home,
                              "served_local": served_local, "current_post": current_post,
                              "consecutive_terms": terms, "province": province})

    def reserve(self, n: int) -> list[dict]:
        """`n` records qualified for province leadership, for the ministry's reserve."""
        lead = REQUIREMENTS["deputy_director"]
        return [self.records.take(lead["min_political_theory"], lead["min_education"], True)
                for _ in range(n)]

    def incumbents(self, slots: list[Slot], size: PoolSize) -> list[dict]:
        """An incumbent on each slot that has one, senior posts first; returns the ministry's
        reserve, drawn right after the province leaders (before the qualified records go to
        district and commune chiefs)."""
        order = sorted((i for i, has in enumerate(size.incumbent) if has),
                       key=lambda i: (SENIORITY[slots[i].kind], i))
        reserve_records: list[dict] = []
        for i in order:
            s = slots[i]
            if SENIORITY[s.kind] > 0 and not reserve_records:
                reserve_records = self.reserve(size.reserve)
            req = REQUIREMENTS[s.kind]
            rec = self.records.take(req.get("min_political_theory"), req.get("min_education"),
                                    senior=SENIORITY[s.kind] < 2)
            if s.kind == "department_head":
                home, local = self.homes.anywhere(), self.rng.random() < 0.5
            else:
                home = self.homes.near_post(s.province, s.district, s.commune, *HOME_ODDS[s.kind])
                local = True
            self.add(rec, s.unit, home, local, s.post, terms(self.rng), s.province)
        return reserve_records or self.reserve(size.reserve)

    def ministry_staff(self, size: PoolSize, reserve_records: list[dict]) -> None:
        """The ministry's officers without a post: the reserve first, then the rest of its
        staff, each in a department."""
        depts = self.geo.departments
        for j in range(size.ministry_open):
            rec = reserve_records[j] if j < size.reserve else self.records.take()
            dept = depts[self.rng.randrange(len(depts))][0]
            self.add(rec, dept, self.homes.anywhere(), self.rng.random() < 0.4)

    def open_pools(self, size: PoolSize) -> None:
        """Each province's open pool: deputies at province, district and commune level."""
        geo, rng = self.geo, self.rng
        for p, n in zip(geo.provinces, size.open_per_province):
            pc = p["code"]
            dcs = geo.districts_of_province[pc]
            ccs = geo.communes_of_province[pc]
            for _ in range(n):
                x = rng.random()
                if x < 0.15 or not ccs:
                    at, dc, cc = f"P{pc}", None, None
                elif dcs and x < 0.35:
                    dc = rng.choice(dcs)
                    at, cc = f"D{dc}", None
                else:
                    cc = rng.choice(ccs)
                    dc = geo.commune_by_code[cc]["district"]
                    at = f"C{cc}"
                home = self.homes.near_post(pc, dc, cc, *OPEN_POOL_HOME)
                self.add(self.records.take(), at, home, True, province=pc)


def draw_officers(geo: Geography, slots: list[Slot], officers_per_post: float,
                  rng: random.Random, homes: Homes) -> list[dict]:
    """The whole pool, with stable ids (``O000001``, ... in the order drawn)."""
    size = pool_size(geo, slots, officers_per_post, rng)
    pool = Pool(geo, rng, homes, Records(rng, size.records))
    reserve_records = pool.incumbents(slots, size)
    pool.ministry_staff(size, reserve_records)
    pool.open_pools(size)
    for n, o in enumerate(pool.officers, start=1):
        o["id"] = f"O{n:06d}"
    return pool.officers


def candidate_rows(officers: list[dict], names: list[str], term_start: int) -> list[dict]:
    """The candidate table, in the schema's field order (ages become birth years)."""
    return [{
        "id": o["id"], "name": name, "home": o["home"], "serves_at": o["serves_at"],
        "current_post": o["current_post"], "consecutive_terms": o["consecutive_terms"],
        "birth_year": term_start - o["age"], "gender": o["gender"], "education": o["education"],
        "political_theory": o["political_theory"], "rating": o["rating"],
        "disciplined": o["disciplined"], "merit": o["merit"], "specialties": o["specialties"],
        "served_local": o["served_local"], "ties": o["ties"], "preferences": None,
    } for o, name in zip(officers, names)]
