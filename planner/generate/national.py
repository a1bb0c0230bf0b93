"""`planner generate`: realistic national scenarios from Vietnam's real administrative units.

The units (provinces, districts, communes, with their official codes, names and coordinates)
come from the `vietnamadminunits` package, an optional extra (`pip install
'rotation-planner[geo]'`), which ships both the legacy structure (63 provinces, ~700 districts,
~10,000 communes) and the 2025 structure (34 provinces, ~3,300 communes, no districts: a
commune's parent is its province). Everything else is synthetic, drawn with
``random.Random(seed)`` in a fixed order, so one seed always gives the same files:

* posts: per province a ``director`` and three ``deputy_director`` posts, per district a
  ``chief``, per commune a ``chief``, and the ministry's ``department_head`` posts;
* officers: education, political theory and yearly rating from the published national
  distributions (:data:`EDUCATION`, :data:`POLITICAL_THEORY`, :data:`RATING`), about 20 %
  women, home towns mostly in the province they serve in, incumbents on most posts with
  1-3 consecutive terms, ministry officers who can take province leadership posts, kin
  relations, ties;
* difficult areas concentrated in the mountain and border provinces (rural communes mostly)
  and the remote islands;
* the national policy (:func:`national_policy`) with the published targets.

The officer pool is built so that a plan exists under the national policy: province pools are
large and their homes spread over many communes (so the non-local targets can be met with
officers serving inside the province), and the ministry holds a reserve of officers qualified
for province leadership (so the ministry quota can be met).
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import click
import yaml

from planner.scenario import Policy, Scenario
from planner.schema import Candidate, Post, Relation, Unit

DATA_PACKAGE = "vietnamadminunits"
INSTALL_HINT = "pip install 'rotation-planner[geo]'"
STRUCTURES = ("legacy", "2025")
TERM_START = 2026

# -- published distributions (shares of the officer pool) ------------------------------------
EDUCATION = {"college": 18.4, "university": 77.6, "master": 3.9, "phd": 0.1}
POLITICAL_THEORY = {"primary": 26.0, "intermediate": 66.0, "advanced": 7.8}
RATING = {"not_completed": 2.7, "completed": 2.2, "good": 81.6, "excellent": 13.7}
FEMALE_SHARE = 0.20
DISCIPLINED_SHARE = 0.015
TERMS = {1: 0.60, 2: 0.30, 3: 0.10}
"""Consecutive terms of an incumbent in the current post (the current one included)."""
INCUMBENT_SHARE = 0.88
"""Share of posts that have an incumbent."""
RELATION_SHARE = 0.04
"""Kin relations per officer."""
TIE_SHARE = 0.08
"""Officers with one tie (a place of close family or interests)."""

_EDU_RANK = {k: i for i, k in enumerate(EDUCATION)}
_THEORY_RANK = {k: i for i, k in enumerate(POLITICAL_THEORY)}

# -- posts -----------------------------------------------------------------------------------
REQUIREMENTS: dict[str, dict[str, Any]] = {
    "director": dict(priority=3, min_education="university", min_political_theory="advanced",
                     min_rating="good", max_age=60),
    "deputy_director": dict(priority=2, min_education="university", min_political_theory="advanced",
                            min_rating="completed", max_age=60),
    "department_head": dict(priority=2, min_education="university", min_political_theory="advanced",
                            min_rating="good", max_age=60),
    "district_chief": dict(priority=2, min_education="university", min_political_theory="intermediate",
                           min_rating="completed", max_age=60),
    "commune_chief": dict(priority=1, min_political_theory="intermediate", min_rating="completed",
                          max_age=60),
}
"""Post requirements by kind of post, after the national standards for leaders (simplified)."""

MINISTRY = ("MOHA", "Bộ Nội vụ", 21.0297, 105.7823)
"""The ministry (Home Affairs, Hà Nội) whose officers rotate to the provinces."""
DEPARTMENTS = [
    ("Vụ Tổ chức - Biên chế", "organisation"),
    ("Vụ Chính quyền địa phương", "local_government"),
    ("Vụ Công chức - Viên chức", "civil_service"),
    ("Vụ Tiền lương", "salary"),
    ("Vụ Cải cách hành chính", "administrative_reform"),
    ("Vụ Tổ chức phi chính phủ", "civil_society"),
    ("Vụ Hợp tác quốc tế", "international"),
    ("Vụ Pháp chế", "law"),
    ("Vụ Kế hoạch - Tài chính", "finance"),
    ("Vụ Tổ chức cán bộ", "personnel"),
    ("Vụ Việc làm", "employment"),
    ("Vụ Bảo hiểm xã hội", "social_insurance"),
    ("Vụ Bình đẳng giới", "gender_equality"),
    ("Thanh tra Bộ", "inspection"),
]
SPECIALTIES = [d[1] for d in DEPARTMENTS] + ["economics", "agriculture", "land_management",
                                             "education", "health", "party_building"]

# -- difficult areas -------------------------------------------------------------------------
MOUNTAIN = {
    "legacy": {"02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "24", "25",
               "62", "64", "66", "67", "68"},
    "2025": {"04", "08", "11", "12", "14", "15", "19", "20", "25", "52", "66", "68"},
}
"""Northern midlands and mountains, Central Highlands (legacy codes; 2025 codes of the merged
provinces that hold them)."""
BORDER = {
    "legacy": {"22", "38", "40", "42", "44", "45", "46", "49", "70", "72", "80", "87", "89", "91"},
    "2025": {"22", "24", "38", "40", "42", "44", "46", "48", "51", "75", "80", "82", "91"},
}
"""Other provinces on the land border (and their mountainous hinterland)."""
REMOTE_ISLANDS = {"Bạch Long Vĩ", "Cồn Cỏ", "Hoàng Sa", "Trường Sa", "Lý Sơn", "Côn Đảo", "Cô Tô",
                  "Phú Quý", "Kiên Hải", "Thổ Châu"}
DIFFICULT_RURAL = {"mountain": 0.55, "border": 0.25, "other": 0.04}
"""Chance that a rural commune (xã) is difficult; urban wards and towns get a sixth of it."""

# -- names -----------------------------------------------------------------------------------
SURNAMES = {"Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4, "Huỳnh": 1.5, "Phan": 4.5,
            "Vũ": 2.5, "Võ": 1.5, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3,
            "Dương": 1, "Lý": 0.5, "Đinh": 0.8, "Trịnh": 0.6, "Lương": 0.5, "Đoàn": 0.5, "Mai": 0.4,
            "Hà": 0.5, "Lò": 0.2, "Cầm": 0.1, "Nông": 0.2}
MIDDLE = {"male": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Ngọc", "Đình"],
          "female": ["Thị", "Thu", "Ngọc", "Thanh", "Thị", "Kim", "Hồng", "Minh"]}
GIVEN = {"male": ["Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Quân",
                  "Bình", "Cường", "Đạt", "Huy", "Khánh", "Phong", "Tâm", "Thành", "Trung", "Việt",
                  "Hoà", "Lâm", "Phúc", "Tú", "Vinh", "Hiếu", "Toàn", "Hưng", "Kiên", "Lợi"],
         "female": ["Hương", "Lan", "Hoa", "Mai", "Hằng", "Linh", "Nga", "Thảo", "Trang", "Yến",
                    "Hà", "Hạnh", "Thu", "Vân", "Loan", "Huyền", "Phương", "Dung", "Oanh", "Nhung"]}


class DataPackageError(RuntimeError):
    """The data package is missing or does not hold the tables this module reads."""


class DataPackageMissing(DataPackageError):
    """The optional data package is not installed."""

    def __init__(self) -> None:
        super().__init__(f"`planner generate` needs the {DATA_PACKAGE} package, which ships "
                         f"Vietnam's administrative units: {INSTALL_HINT}")


# -- the data --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AdminData:
    """Vietnam's administrative units of one structure, sorted by their official codes."""

    structure: str
    version: str
    provinces: tuple[dict, ...]
    districts: tuple[dict, ...]
    communes: tuple[dict, ...]


def _query(sql: str) -> list[dict]:
    try:
        from vietnamadminunits.database import query
    except ImportError as exc:
        raise DataPackageMissing() from exc
    try:
        return query(sql)
    except Exception as exc:  # noqa: BLE001 - a release that changed its tables
        raise DataPackageError(f"could not read the units from {DATA_PACKAGE} ({exc}); "
                               f"this generator reads its 1.0 tables: {INSTALL_HINT}") from exc


@lru_cache(maxsize=4)
def admin_data(structure: str) -> AdminData:
    """Read the units of `structure` ("legacy" or "2025") from the data package."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(STRUCTURES)}, not {structure!r}")
    try:
        from importlib.metadata import version
        ver = version(DATA_PACKAGE)
    except Exception:  # noqa: BLE001 - the import below says what is missing
        ver = "unknown"
    if structure == "legacy":
        rows = _query("SELECT province, provinceCode, provinceLat, provinceLon, district, districtShort, "
                      "districtCode, districtLat, districtLon, ward, wardShort, wardType, wardCode, "
                      "wardLat, wardLon FROM admin_units_legacy "
                      "ORDER BY provinceCode, districtCode, wardCode")
    else:
        rows = _query("SELECT province, provinceCode, provinceLat, provinceLon, ward, wardShort, "
                      "wardType, wardCode, wardLat, wardLon FROM admin_units "
                      "ORDER BY provinceCode, wardCode")
    provinces: dict[str, dict] = {}
    districts: dict[str, dict] = {}
    communes: dict[str, dict] = {}
    for r in rows:
        pc = r["provinceCode"]
        if pc not in provinces:
            provinces[pc] = dict(code=pc, name=r["province"], lat=r["provinceLat"], lon=r["provinceLon"])
        dc = r.get("districtCode")
        if dc and dc not in districts:
            districts[dc] = dict(code=dc, name=r["district"], short=r["districtShort"], province=pc,
                                 lat=r["districtLat"], lon=r["districtLon"])
        wc = r["wardCode"]
        if wc and wc not in communes:
            communes[wc] = dict(code=wc, name=r["ward"], short=r["wardShort"] or r["ward"],
                                type=r["wardType"] or "Xã", province=pc, district=dc or None,
                                lat=r["wardLat"], lon=r["wardLon"])
    return AdminData(structure, ver, tuple(provinces.values()), tuple(districts.values()),
                     tuple(communes.values()))


# -- the result ------------------------------------------------------------------------------
@dataclass
class GeneratedScenario:
    """A generated scenario: rows as plain dicts in the schema's field order, and the policy."""

    name: str
    description: str
    term_start: int
    units: list[dict]
    posts: list[dict]
    candidates: list[dict]
    relations: list[dict]
    policy: dict
    meta: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for u in self.units:
            kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
        return {"provinces": kinds.get("province", 0), "districts": kinds.get("district", 0),
                "communes": kinds.get("commune", 0), "ministry_units": kinds.get("ministry", 0),
                "units": len(self.units), "posts": len(self.posts),
                "candidates": len(self.candidates), "relations": len(self.relations),
                "incumbents": sum(1 for c in self.candidates if c["current_post"])}

    def to_scenario(self) -> Scenario:
        """The scenario as :func:`planner.load_scenario` would return it, without files."""
        return Scenario.model_validate({
            "name": self.name, "description": self.description, "term_start": self.term_start,
            "term_years": 5, "units": self.units, "posts": self.posts,
            "candidates": self.candidates, "relations": self.relations,
            "policy": Policy.model_validate(self.policy)})


def national_policy() -> dict:
    """The national policy with the published targets."""
    return {
        "name": "national",
        "description": ("National rotation policy: non-local leaders (97% of provincial directors, "
                        "all district chiefs, 90% of commune chiefs), two consecutive terms at most, "
                        "a ministry-origin leader in 95% of provinces, no relatives leading in one "
                        "province, district and commune chiefs rotate within their province."),
        "rules": [
            {"rule": "non_local", "unit_kind": "province", "roles": ["director"], "min_share": 0.97},
            {"rule": "non_local", "unit_kind": "district", "roles": ["chief"], "min_share": 1.0},
            {"rule": "non_local", "unit_kind": "commune", "roles": ["chief"], "min_share": 0.9},
            {"rule": "term_limit", "max_consecutive_terms": 2},
            {"rule": "ministry_quota", "roles": ["director", "deputy_director"], "unit_kind": "province",
             "min_per_unit": 1, "min_share_of_units": 0.95},
            {"rule": "kinship", "scope": "province"},
            {"rule": "mobility", "unit_kind": "district", "roles": ["chief"], "within": "province"},
            {"rule": "mobility", "unit_kind": "commune", "roles": ["chief"], "within": "province"},
        ],
        "weights": {"merit": 1, "move": 5, "distance": 1, "vacancy": 1000},
    }


# -- generation ------------------------------------------------------------------------------
def _pick(rng: random.Random, dist: dict[str, float]) -> str:
    keys, cum = _cumulative(tuple(dist.items()))
    return rng.choices(keys, cum_weights=cum)[0]


@lru_cache(maxsize=64)
def _cumulative(items: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    return [k for k, _ in items], list(accumulate(w for _, w in items))


def _split(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders, ties by position)."""
    s = sum(weights)
    if s == 0:
        return [0] * len(weights)
    exact = [total * w / s for w in weights]
    out = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


class _Records:
    """Officer attributes drawn from the national distributions, handed out by qualification.

    All records are drawn first, so the pool as a whole follows the published distributions;
    incumbent and reserve slots then take records that meet their post's education and
    political-theory requirements (senior posts first), the rest go to the open pool.
    """

    def __init__(self, rng: random.Random, n: int):
        self.rng = rng
        self.buckets: dict[tuple[int, int], list[dict]] = {}
        for _ in range(n):
            rec = self._draw()
            key = (_THEORY_RANK[rec["political_theory"]], _EDU_RANK[rec["education"]])
            self.buckets.setdefault(key, []).append(rec)
        self.keys = sorted(self.buckets)

    def _draw(self) -> dict:
        rng = self.rng
        rating = _pick(rng, RATING)
        mean = {"excellent": 82, "good": 66, "completed": 48, "not_completed": 32}[rating]
        gender = "female" if rng.random() < FEMALE_SHARE else "male"
        return {
            "education": _pick(rng, EDUCATION),
            "political_theory": _pick(rng, POLITICAL_THEORY),
            "rating": rating,
            "gender": gender,
            "age": int(rng.triangular(28, 62, 50)),
            "merit": max(0, min(100, round(rng.gauss(mean, 8)))),
            "disciplined": rng.random() < DISCIPLINED_SHARE,
            "specialties": sorted(rng.sample(SPECIALTIES, rng.choice((1, 1, 2)))),
        }

    def take(self, min_theory: str | None = None, min_education: str | None = None,
             senior: bool = False) -> dict:
        """A record meeting the minimums where one is left; `senior` prefers an older one."""
        t = _THEORY_RANK[min_theory] if min_theory else 0
        e = _EDU_RANK[min_education] if min_education else 0
        keys = [k for k in self.keys if self.buckets[k] and k[0] >= t and k[1] >= e]
        if not keys:  # nobody left who qualifies: the most senior left
            keys = [k for k in self.keys if self.buckets[k]]
            keys = [max(keys)]
        key = self.rng.choices(keys, weights=[len(self.buckets[k]) for k in keys])[0]
        bucket = self.buckets[key]
        i = self.rng.randrange(len(bucket))
        if senior:  # the oldest of a few who can still serve a term (leaders are rarely young)
            picks = [i, *(self.rng.randrange(len(bucket)) for _ in range(2))]
            fit = [j for j in picks if bucket[j]["age"] <= 58]
            i = max(fit, key=lambda j: (bucket[j]["age"], -j)) if fit else i
        bucket[i], bucket[-1] = bucket[-1], bucket[i]
        return bucket.pop()


def generate(structure: str = "legacy", fraction: float = 1.0, officers_per_post: float = 2.0,
             seed: int = 0) -> GeneratedScenario:
    """A national scenario from Vietnam's real units; the same arguments give the same scenario.

    `fraction` keeps that share of the provinces (at least one, a seeded sample, in code order)
    with all their districts and communes; `officers_per_post` sets the officer pool's size
    (incumbents included) against the number of posts.
    """
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(STRUCTURES)}, not {structure!r}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    if officers_per_post < 1:
        raise ValueError(f"officers_per_post must be at least 1, not {officers_per_post}")
    data = admin_data(structure)
    rng = random.Random(seed)

    # provinces kept
    all_codes = [p["code"] for p in data.provinces]
    k = max(1, round(fraction * len(all_codes)))
    kept = set(all_codes) if k >= len(all_codes) else set(rng.sample(all_codes, k))
    provinces = [p for p in data.provinces if p["code"] in kept]
    districts = [d for d in data.districts if d["province"] in kept]
    communes = [c for c in data.communes if c["province"] in kept]
    n_depts = len(DEPARTMENTS) if k >= len(all_codes) else max(2, round(fraction * len(DEPARTMENTS)))

    # units
    units: list[dict] = []

    def add_unit(id, name, kind, parent=None, difficult=False, lat=None, lon=None):
        units.append({"id": id, "name": name, "kind": kind, "parent": parent, "difficult": difficult,
                      "lat": lat, "lon": lon})

    mid, mname, mlat, mlon = MINISTRY
    add_unit(mid, mname, "ministry", lat=mlat, lon=mlon)
    depts = [(f"{mid}-{i + 1:02d}", name, spec) for i, (name, spec) in enumerate(DEPARTMENTS[:n_depts])]
    for did, name, _ in depts:
        add_unit(did, name, "ministry", parent=mid)

    tier = {}
    for p in provinces:
        code = p["code"]
        tier[code] = ("mountain" if code in MOUNTAIN[structure]
                      else "border" if code in BORDER[structure] else "other")
    district_by_code = {d["code"]: d for d in districts}
    commune_by_code = {c["code"]: c for c in communes}
    communes_of_province: dict[str, list[str]] = {p["code"]: [] for p in provinces}
    communes_of_district: dict[str, list[str]] = {d["code"]: [] for d in districts}
    districts_of_province: dict[str, list[str]] = {p["code"]: [] for p in provinces}
    for d in districts:
        districts_of_province[d["province"]].append(d["code"])
    by_district: dict[str, list[dict]] = {}
    loose: dict[str, list[dict]] = {}
    for c in communes:
        if c["district"]:
            by_district.setdefault(c["district"], []).append(c)
        else:
            loose.setdefault(c["province"], []).append(c)
        communes_of_province[c["province"]].append(c["code"])
        if c["district"]:
            communes_of_district[c["district"]].append(c["code"])

    def add_commune(c: dict, parent: str) -> None:
        if c["short"] in REMOTE_ISLANDS:
            hard = True
        else:
            chance = DIFFICULT_RURAL[tier[c["province"]]]
            if c["type"] != "Xã":
                chance /= 6
            hard = rng.random() < chance
        add_unit(f"C{c['code']}", c["name"], "commune", parent, hard, c["lat"], c["lon"])

    for p in provinces:
        add_unit(f"P{p['code']}", p["name"], "province", lat=p["lat"], lon=p["lon"])
        for dc in districts_of_province[p["code"]]:
            d = district_by_code[dc]
            island = d["short"] in REMOTE_ISLANDS
            add_unit(f"D{dc}", d["name"], "district", f"P{p['code']}", island, d["lat"], d["lon"])
            for c in by_district.get(dc, ()):
                add_commune(c, f"D{dc}")
        for c in loose.get(p["code"], ()):
            add_commune(c, f"P{p['code']}")

    # posts, by province (ministry first)
    posts: list[dict] = []
    slots: list[dict] = []  # one per post: where it is and what its incumbent needs

    def add_post(pid, unit, role, kind, province=None, district=None, commune=None, specialties=None):
        req = REQUIREMENTS[kind]
        posts.append({"id": pid, "unit": unit, "role": role, "priority": req["priority"],
                      "min_education": req.get("min_education"),
                      "min_political_theory": req.get("min_political_theory"),
                      "min_rating": req.get("min_rating"), "max_age": req.get("max_age"),
                      "specialties": specialties})
        slots.append({"post": pid, "unit": unit, "kind": kind, "province": province,
                      "district": district, "commune": commune})

    for did, _, spec in depts:
        add_post(f"{did}-head", did, "department_head", "department_head", specialties=[spec])
    for p in provinces:
        pc = p["code"]
        add_post(f"P{pc}-director", f"P{pc}", "director", "director", province=pc)
        for i in (1, 2, 3):
            add_post(f"P{pc}-deputy{i}", f"P{pc}", "deputy_director", "deputy_director", province=pc)
        for dc in districts_of_province[pc]:
            add_post(f"D{dc}-chief", f"D{dc}", "chief", "district_chief", province=pc, district=dc)
        for c in [*(c for dc in districts_of_province[pc] for c in by_district.get(dc, ())),
                  *loose.get(pc, ())]:
            add_post(f"C{c['code']}-chief", f"C{c['code']}", "chief", "commune_chief", province=pc,
                     district=c["district"], commune=c["code"])

    # how many officers, where
    total = max(len(posts), round(officers_per_post * len(posts)))
    n_dept_posts = len(depts)
    reserve = max(3, 2 * len(provinces))
    ministry_n = round(officers_per_post * n_dept_posts) + reserve
    slots_in = Counter(s["province"] for s in slots)
    posts_per_province = [slots_in[p["code"]] for p in provinces]
    province_n = _split(max(0, total - ministry_n), posts_per_province)
    incumbent = [rng.random() < INCUMBENT_SHARE for _ in slots]
    inc_per_province: dict[str, int] = {}
    for s, has in zip(slots, incumbent):
        if has and s["province"]:
            inc_per_province[s["province"]] = inc_per_province.get(s["province"], 0) + 1
    open_per_province = [max(0, n - inc_per_province.get(p["code"], 0))
                         for p, n in zip(provinces, province_n)]
    ministry_inc = sum(1 for s, has in zip(slots, incumbent) if has and s["province"] is None)
    ministry_open = max(reserve, ministry_n - ministry_inc)
    records = _Records(rng, sum(incumbent) + sum(open_per_province) + ministry_open)

    # where people can come from
    weights_of_province = [len(communes_of_province[p["code"]]) or 1 for p in provinces]
    pcodes = [p["code"] for p in provinces]
    near = {}
    for p in provinces:
        others = sorted((q for q in provinces if q["code"] != p["code"]),
                        key=lambda q: ((q["lat"] - p["lat"]) ** 2 + (q["lon"] - p["lon"]) ** 2, q["code"]))
        near[p["code"]] = [q["code"] for q in others[:6]]

    def commune_in(pc: str) -> str:
        pool = communes_of_province[pc]
        return f"C{rng.choice(pool)}" if pool else f"P{pc}"

    def elsewhere(pc: str) -> str:
        """A home in another province: a neighbour mostly, anywhere sometimes."""
        if not near[pc]:
            return commune_in(pc)
        if rng.random() < 0.7:
            return commune_in(rng.choice(near[pc]))
        other = [q for q in pcodes if q != pc]
        return commune_in(rng.choice(other))

    def anywhere() -> str:
        return commune_in(rng.choices(pcodes, weights=weights_of_province)[0])

    def home_near(pc: str, dc: str | None, cc: str | None, p_same: float, p_district: float,
                  p_out: float) -> str:
        """Home of an officer serving in province pc (district dc, commune cc where given)."""
        x = rng.random()
        if x < p_out:
            return elsewhere(pc)
        x = rng.random()
        if cc and x < p_same:
            return f"C{cc}"
        if dc and communes_of_district.get(dc) and x < p_same + p_district:
            return f"C{rng.choice(communes_of_district[dc])}"
        return commune_in(pc)

    officers: list[dict] = []

    def add_officer(rec: dict, serves_at: str, home: str, served_local: bool, current_post=None,
                    terms: int = 0, province: str | None = None) -> None:
        officers.append({**rec, "serves_at": serves_at, "home": home, "served_local": served_local,
                         "current_post": current_post, "consecutive_terms": terms,
                         "province": province})

    def terms() -> int:
        return int(_pick(rng, {str(k): v for k, v in TERMS.items()}))

    # incumbents, senior posts first so that they get the qualified records
    seniority = {"director": 0, "deputy_director": 0, "department_head": 0, "district_chief": 1,
                 "commune_chief": 2}
    order = sorted((i for i, has in enumerate(incumbent) if has),
                   key=lambda i: (seniority[slots[i]["kind"]], i))
    lead = REQUIREMENTS["deputy_director"]
    reserve_records: list[dict] = []
    for i in order:
        s = slots[i]
        kind = s["kind"]
        if seniority[kind] > 0 and not reserve_records:
            # the ministry's reserve for province leadership comes right after the leaders
            reserve_records = [records.take(lead["min_political_theory"], lead["min_education"], True)
                               for _ in range(reserve)]
        req = REQUIREMENTS[kind]
        rec = records.take(req.get("min_political_theory"), req.get("min_education"),
                           senior=seniority[kind] < 2)
        pc, dc, cc = s["province"], s["district"], s["commune"]
        if kind == "department_head":
            home, local = anywhere(), rng.random() < 0.5
        elif kind == "director":
            home, local = home_near(pc, None, None, 0, 0, 0.6), True
        elif kind == "deputy_director":
            home, local = home_near(pc, None, None, 0, 0, 0.3), True
        elif kind == "district_chief":
            home, local = home_near(pc, dc, None, 0, 0.3, 0.1), True
        else:
            home, local = home_near(pc, dc, cc, 0.6, 0.2, 0.05), True
        add_officer(rec, s["unit"], home, local, s["post"], terms(), pc)
    if not reserve_records:
        reserve_records = [records.take(lead["min_political_theory"], lead["min_education"], True)
                           for _ in range(reserve)]
    # the ministry: reserve for province leadership, then the rest of its staff
    for j in range(ministry_open):
        rec = reserve_records[j] if j < reserve else records.take()
        dept = depts[rng.randrange(len(depts))][0]
        add_officer(rec, dept, anywhere(), rng.random() < 0.4)
    # the open pool of each province: deputies at province, district and commune level
    for p, n in zip(provinces, open_per_province):
        pc = p["code"]
        dcs = districts_of_province[pc]
        ccs = communes_of_province[pc]
        for _ in range(n):
            x = rng.random()
            if x < 0.15 or not ccs:
                at, dc, cc = f"P{pc}", None, None
            elif dcs and x < 0.35:
                dc = rng.choice(dcs)
                at, cc = f"D{dc}", None
            else:
                cc = rng.choice(ccs)
                dc = commune_by_code[cc]["district"]
                at = f"C{cc}"
            home = home_near(pc, dc, cc, 0.35, 0.35, 0.12)
            add_officer(records.take(), at, home, True, province=pc)

    # stable ids, ties, relations, names
    candidates: list[dict] = []
    for n, o in enumerate(officers, start=1):
        o["id"] = f"O{n:06d}"
    for o in officers:
        if rng.random() < TIE_SHARE:
            tie = commune_in(o["province"]) if o["province"] else anywhere()
            o["ties"] = [tie] if tie != o["home"] else None
        else:
            o["ties"] = None
    by_province: dict[str | None, list[int]] = {}
    for i, o in enumerate(officers):
        by_province.setdefault(o["province"], []).append(i)
    relations: list[dict] = []
    seen: set[tuple[int, int]] = set()
    surname_of: dict[int, str] = {}
    for _ in range(round(RELATION_SHARE * len(officers))):
        a = rng.randrange(len(officers))
        kind = _pick(rng, {"kin": 0.5, "spouse": 0.25, "clan": 0.25})
        pool = by_province[officers[a]["province"]] if rng.random() < 0.85 else range(len(officers))
        b = pool[rng.randrange(len(pool))]
        if kind == "spouse":
            for _ in range(5):
                if officers[b]["gender"] != officers[a]["gender"]:
                    break
                b = pool[rng.randrange(len(pool))]
            if officers[b]["gender"] == officers[a]["gender"]:
                kind = "kin"
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        seen.add(key)
        relations.append({"a": officers[a]["id"], "b": officers[b]["id"], "kind": kind})
        if kind != "spouse":
            surname_of.setdefault(b, surname_of.get(a) or _pick(rng, SURNAMES))
            surname_of.setdefault(a, surname_of[b])
    for i, o in enumerate(officers):
        sur = surname_of.get(i) or _pick(rng, SURNAMES)
        name = f"{sur} {rng.choice(MIDDLE[o['gender']])} {rng.choice(GIVEN[o['gender']])}"
        candidates.append({
            "id": o["id"], "name": name, "home": o["home"], "serves_at": o["serves_at"],
            "current_post": o["current_post"], "consecutive_terms": o["consecutive_terms"],
            "birth_year": TERM_START - o["age"], "gender": o["gender"], "education": o["education"],
            "political_theory": o["political_theory"], "rating": o["rating"],
            "disciplined": o["disciplined"], "merit": o["merit"], "specialties": o["specialties"],
            "served_local": o["served_local"], "ties": o["ties"], "preferences": None,
        })

    label = "legacy (63 provinces)" if structure == "legacy" else "2025 (34 provinces)"
    name = f"vietnam-{structure}" + (f"-{fraction:g}" if k < len(all_codes) else "") + f"-seed{seed}"
    description = (f"Vietnam, {label} structure: {len(provinces)} provinces, {len(districts)} districts, "
                   f"{len(communes)} communes from {DATA_PACKAGE} {data.version}; synthetic officers "
                   f"(seed {seed}, {officers_per_post:g} officers per post) drawn from the published "
                   "national distributions. Generated by `planner generate`.")
    return GeneratedScenario(
        name=name, description=description, term_start=TERM_START, units=units, posts=posts,
        candidates=candidates, relations=relations, policy=national_policy(),
        meta={"structure": structure, "fraction": fraction, "officers_per_post": officers_per_post,
              "seed": seed, "data_package": DATA_PACKAGE, "data_version": data.version})


# -- files -----------------------------------------------------------------------------------
TABLE_FILES = {"units": Unit, "posts": Post, "candidates": Candidate, "relations": Relation}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def _csv_text(rows: list[dict], model: type) -> str:
    columns = list(model.model_fields)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(col)) for col in columns])
    return buf.getvalue()


def _yaml_text(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=100)


def scenario_files(gen: GeneratedScenario) -> dict[str, str]:
    """The files of a generated scenario, by name: scenario.yaml, policy.yaml and the CSV tables."""
    head = {"name": gen.name, "description": gen.description, "term_start": gen.term_start,
            "term_years": 5}
    tables = {t: {"csv": f"{t}.csv"} for t in TABLE_FILES}
    files = {f"{t}.csv": _csv_text(getattr(gen, t), model) for t, model in TABLE_FILES.items()}
    files["policy.yaml"] = _yaml_text(gen.policy)
    files["scenario.yaml"] = _yaml_text({**head, **tables, "policy": {"file": "policy.yaml"}})
    return files


def write_scenario(gen: GeneratedScenario, outdir: str | Path) -> dict[str, Path]:
    """Write the scenario into `outdir` (created if needed); returns the paths written.

    Every file is written in a temporary folder inside `outdir` first and then moved into
    place, scenario.yaml last, so no reader ever sees a half-written file.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    files = scenario_files(gen)
    tmp = Path(tempfile.mkdtemp(prefix=".generate-", dir=outdir))
    written: dict[str, Path] = {}
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        for name in sorted(files, key=lambda n: n == "scenario.yaml"):
            os.replace(tmp / name, outdir / name)
            written[name] = outdir / name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written


# -- the command -----------------------------------------------------------------------------
@click.command("generate")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--structure", type=click.Choice(STRUCTURES), default="legacy", show_default=True,
              help="legacy: 63 provinces, districts, communes; 2025: 34 provinces, communes.")
@click.option("--fraction", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
              help="Share of the provinces to keep (a seeded sample), for smaller scenarios.")
@click.option("--officers-per-post", type=click.FloatRange(min=1), default=2.0, show_default=True,
              help="Size of the officer pool against the number of posts.")
@click.option("--seed", type=int, default=0, show_default=True)
def generate_cmd(outdir, structure, fraction, officers_per_post, seed):
    """Write a national scenario of Vietnam's real administrative units into OUTDIR.

    Units and coordinates come from the vietnamadminunits package (install the extra:
    pip install 'rotation-planner[geo]'); officers are synthetic, drawn from the published
    national distributions; the national policy goes to OUTDIR/policy.yaml.
    """
    tick = time.perf_counter()
    try:
        gen = generate(structure, fraction, officers_per_post, seed)
    except DataPackageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    written = write_scenario(gen, outdir)
    n = gen.counts()
    click.echo(f"{written['scenario.yaml']}: {gen.name}")
    click.echo(f"  units       {n['units']} ({n['provinces']} provinces, {n['districts']} districts, "
               f"{n['communes']} communes, {n['ministry_units']} ministry)")
    click.echo(f"  posts       {n['posts']}")
    click.echo(f"  candidates  {n['candidates']} ({n['incumbents']} incumbents)")
    click.echo(f"  relations   {n['relations']}")
    click.echo(f"  policy      {written['policy.yaml']} ({len(gen.policy['rules'])} rules)")
    click.echo(f"  written     {', '.join(sorted(written))} in {time.perf_counter() - tick:.1f}s")
