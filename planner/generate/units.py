"""The units of a generated scenario: the provinces kept, their districts and communes, the
ministry and its departments, and which of them are difficult areas.

Difficult areas are concentrated where they are in reality: the remote islands always, rural
communes (xã) of the mountain and border provinces mostly, urban wards and towns seldom.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from planner.generate.admin import AdminData

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
"""The ministry's departments: (name, the specialty its head post asks)."""

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


@dataclass
class Geography:
    """The units a scenario keeps, indexed the ways the generator reads them (codes are the
    official ones; unit ids add a prefix: ``P`` province, ``D`` district, ``C`` commune)."""

    structure: str
    whole: bool
    """Every province is kept (no `fraction` below 1)."""
    provinces: list[dict]
    districts: list[dict]
    communes: list[dict]
    departments: list[tuple[str, str, str]]
    """The ministry's departments kept: (unit id, name, specialty)."""
    commune_by_code: dict[str, dict] = field(init=False)
    district_by_code: dict[str, dict] = field(init=False)
    districts_of_province: dict[str, list[str]] = field(init=False)
    communes_of_province: dict[str, list[str]] = field(init=False)
    communes_of_district: dict[str, list[str]] = field(init=False)
    by_district: dict[str, list[dict]] = field(init=False)
    loose: dict[str, list[dict]] = field(init=False)
    """Communes straight under their province (the 2025 structure has no districts)."""

    def __post_init__(self) -> None:
        self.district_by_code = {d["code"]: d for d in self.districts}
        self.commune_by_code = {c["code"]: c for c in self.communes}
        self.communes_of_province = {p["code"]: [] for p in self.provinces}
        self.communes_of_district = {d["code"]: [] for d in self.districts}
        self.districts_of_province = {p["code"]: [] for p in self.provinces}
        for d in self.districts:
            self.districts_of_province[d["province"]].append(d["code"])
        self.by_district = {}
        self.loose = {}
        for c in self.communes:
            if c["district"]:
                self.by_district.setdefault(c["district"], []).append(c)
            else:
                self.loose.setdefault(c["province"], []).append(c)
            self.communes_of_province[c["province"]].append(c["code"])
            if c["district"]:
                self.communes_of_district[c["district"]].append(c["code"])

    @classmethod
    def keep(cls, data: AdminData, fraction: float, rng: random.Random) -> Geography:
        """`fraction` of the provinces (at least one, a seeded sample, in code order) with all
        their districts and communes, and a matching share of the ministry's departments."""
        all_codes = [p["code"] for p in data.provinces]
        k = max(1, round(fraction * len(all_codes)))
        whole = k >= len(all_codes)
        kept = set(all_codes) if whole else set(rng.sample(all_codes, k))
        n_depts = len(DEPARTMENTS) if whole else max(2, round(fraction * len(DEPARTMENTS)))
        mid = MINISTRY[0]
        departments = [(f"{mid}-{i + 1:02d}", name, spec)
                       for i, (name, spec) in enumerate(DEPARTMENTS[:n_depts])]
        return cls(data.structure, whole, [p for p in data.provinces if p["code"] in kept],
                   [d for d in data.districts if d["province"] in kept],
                   [c for c in data.communes if c["province"] in kept], departments)

    def communes_in(self, pc: str) -> list[dict]:
        """The communes of province `pc`, district by district, then those straight under it."""
        return [*(c for dc in self.districts_of_province[pc] for c in self.by_district.get(dc, ())),
                *self.loose.get(pc, ())]

    def tier(self, pc: str) -> str:
        """How remote province `pc` is: mountain, border or other."""
        return ("mountain" if pc in MOUNTAIN[self.structure]
                else "border" if pc in BORDER[self.structure] else "other")


def unit_rows(geo: Geography, rng: random.Random) -> list[dict]:
    """The unit table: the ministry and its departments, then each province with its
    districts and communes; each commune's difficulty drawn here, in that order."""
    units: list[dict] = []

    def add_unit(id: str, name: str, kind: str, parent: str | None = None,
                 difficult: bool = False, lat: float | None = None,
                 lon: float | None = None) -> None:
        units.append({"id": id, "name": name, "kind": kind, "parent": parent, "difficult": difficult,
                      "lat": lat, "lon": lon})

    def add_commune(c: dict, parent: str) -> None:
        if c["short"] in REMOTE_ISLANDS:
            hard = True
        else:
            chance = DIFFICULT_RURAL[geo.tier(c["province"])]
            if c["type"] != "Xã":
                chance /= 6
            hard = rng.random() < chance
        add_unit(f"C{c['code']}", c["name"], "commune", parent, hard, c["lat"], c["lon"])

    mid, mname, mlat, mlon = MINISTRY
    add_unit(mid, mname, "ministry", lat=mlat, lon=mlon)
    for did, name, _ in geo.departments:
        add_unit(did, name, "ministry", parent=mid)
    for p in geo.provinces:
        add_unit(f"P{p['code']}", p["name"], "province", lat=p["lat"], lon=p["lon"])
        for dc in geo.districts_of_province[p["code"]]:
            d = geo.district_by_code[dc]
            island = d["short"] in REMOTE_ISLANDS
            add_unit(f"D{dc}", d["name"], "district", f"P{p['code']}", island, d["lat"], d["lon"])
            for c in geo.by_district.get(dc, ()):
                add_commune(c, f"D{dc}")
        for c in geo.loose.get(p["code"], ()):
            add_commune(c, f"P{p['code']}")
    return units
