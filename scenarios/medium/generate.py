"""Generate the tables of the medium scenario: six northern provinces and the ministry.

The four CSV files beside this script (units.csv, posts.csv, candidates.csv, relations.csv)
were written by running, from the repository root:

    python scenarios/medium/generate.py

which is the same as `python scenarios/medium/generate.py --seed 2026 --out scenarios/medium`.
The script uses the Python standard library only, and the same seed always writes the same
files (byte for byte). scenario.yaml and policy.yaml are hand-written and not touched here.

What it builds
--------------
* Units: the Ministry of Home Affairs with six departments (vụ); six northern provinces with six
  real districts each (approximate real coordinates; Hà Giang is a difficult province, and six
  districts elsewhere are difficult too); 6 to 9 communes per district (made-up but
  plausible names, no coordinates of their own: they take their district's); and eight
  other provinces that only appear as home towns.
* Posts: per province a director (priority 5) and three deputy directors (3); per district a
  chief (3) and two deputy chiefs (2); per commune a chief (1); per ministry department a head
  (3) and two deputy heads (2). Requirements rise with the level (see POST_REQS).
* Officers: about four in five posts have an incumbent (1 to 3 consecutive terms, mostly 1);
  every level also has officers without a post (department directors, district officials,
  commune vice-chairs, ministry staff). Education is mostly university, political theory
  mostly intermediate (advanced for provincial and ministry staff), ratings mostly good, about
  one officer in five is a woman, about 3% are disciplined. Homes are mostly local (a
  commune official often comes from the commune he serves, which the non-local rules then
  have to undo); some come from other provinces; a few have ties or preferences.
* Relations: kin, spouse and clan pairs, mostly between officers of the same province.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

TERM_START = 2026

# Provinces with posts: code, name, capital coordinates, difficult?, districts
# (code, name, lat, lon, difficult?). Coordinates are approximate district seats.
PROVINCES = [
    ("HG", "Hà Giang", 22.82, 104.98, True, [
        ("DV", "Đồng Văn", 23.28, 105.36, False), ("MV", "Mèo Vạc", 23.16, 105.41, False),
        ("YM", "Yên Minh", 23.12, 105.14, False), ("QB", "Quản Bạ", 23.07, 104.99, False),
        ("VX", "Vị Xuyên", 22.67, 104.98, False), ("BQ", "Bắc Quang", 22.49, 104.87, False)]),
    ("LC", "Lào Cai", 22.48, 103.97, False, [
        ("BX", "Bát Xát", 22.54, 103.89, False), ("MK", "Mường Khương", 22.77, 104.12, True),
        ("SMC", "Si Ma Cai", 22.70, 104.28, True), ("BH", "Bắc Hà", 22.54, 104.29, False),
        ("BT", "Bảo Thắng", 22.37, 104.13, False), ("SP", "Sa Pa", 22.34, 103.84, False)]),
    ("YB", "Yên Bái", 21.72, 104.90, False, [
        ("LY", "Lục Yên", 22.10, 104.77, False), ("VY", "Văn Yên", 21.87, 104.57, False),
        ("MCC", "Mù Cang Chải", 21.85, 104.09, True), ("TY", "Trấn Yên", 21.68, 104.80, False),
        ("TT", "Trạm Tấu", 21.47, 104.38, True), ("VC", "Văn Chấn", 21.58, 104.52, False)]),
    ("TQ", "Tuyên Quang", 21.82, 105.21, False, [
        ("LB", "Lâm Bình", 22.45, 105.22, True), ("NH", "Na Hang", 22.35, 105.38, False),
        ("CH", "Chiêm Hóa", 22.15, 105.27, False), ("HY", "Hàm Yên", 22.07, 105.03, False),
        ("YS", "Yên Sơn", 21.87, 105.23, False), ("SD", "Sơn Dương", 21.70, 105.40, False)]),
    ("PT", "Phú Thọ", 21.32, 105.40, False, [
        ("DH", "Đoan Hùng", 21.63, 105.18, False), ("HH", "Hạ Hòa", 21.56, 105.00, False),
        ("TB", "Thanh Ba", 21.50, 105.15, False), ("YL", "Yên Lập", 21.37, 105.02, False),
        ("TS", "Thanh Sơn", 21.20, 105.18, False), ("LT", "Lâm Thao", 21.31, 105.29, False)]),
    ("TN", "Thái Nguyên", 21.59, 105.85, False, [
        ("DHO", "Định Hóa", 21.91, 105.64, False), ("PL", "Phú Lương", 21.76, 105.72, False),
        ("VN", "Võ Nhai", 21.75, 106.07, True), ("DT", "Đại Từ", 21.63, 105.64, False),
        ("DHY", "Đồng Hỷ", 21.67, 105.92, False), ("PB", "Phú Bình", 21.49, 106.00, False)]),
]

# Provinces that only appear as home towns.
HOME_PROVINCES = [
    ("HN", "Hà Nội", 21.03, 105.85), ("ND", "Nam Định", 20.42, 106.17),
    ("TBH", "Thái Bình", 20.45, 106.34), ("NA", "Nghệ An", 18.67, 105.69),
    ("THO", "Thanh Hóa", 19.81, 105.78), ("HD", "Hải Dương", 20.94, 106.33),
    ("BG", "Bắc Giang", 21.27, 106.19), ("VP", "Vĩnh Phúc", 21.31, 105.60),
]

MINISTRY_DEPARTMENTS = [
    ("TCCB", "Vụ Tổ chức cán bộ"), ("CQDP", "Vụ Chính quyền địa phương"),
    ("CCVC", "Vụ Công chức - Viên chức"), ("TCBC", "Vụ Tổ chức - Biên chế"),
    ("CCHC", "Vụ Cải cách hành chính"), ("DTBD", "Vụ Đào tạo, bồi dưỡng"),
]

COMMUNE_FIRST = ["Tân", "Phú", "Minh", "Thượng", "Hạ", "Đông", "Tây", "Xuân", "Hòa", "An",
                 "Vĩnh", "Bình", "Quang", "Thanh", "Trung", "Nghĩa", "Phúc", "Hồng", "Kim", "Ngọc"]
COMMUNE_SECOND = ["Sơn", "Lâm", "Thành", "Hà", "Yên", "Lợi", "Tiến", "Phong", "Quang", "Bình",
                  "Hưng", "Long", "Lập", "Thịnh", "Linh", "Khánh", "Tân", "Đức", "Minh", "Hòa"]

# Surnames: (name, weight). Kinh surnames everywhere; ethnic-minority surnames in the mountains.
KINH_SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
                 ("Phan", 4), ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Ngô", 2), ("Dương", 2),
                 ("Đinh", 2), ("Trịnh", 1), ("Đào", 1), ("Mai", 1), ("Cao", 1), ("Lương", 1)]
MOUNTAIN_SURNAMES = [("Sùng", 3), ("Giàng", 3), ("Vàng", 3), ("Thào", 3), ("Lò", 2), ("Hầu", 2),
                     ("Nông", 3), ("Ma", 2), ("Hà", 2), ("Triệu", 2), ("Bàn", 2), ("Lý", 2),
                     ("Lục", 1), ("Hoàng", 3), ("Sầm", 1), ("Vi", 1)]
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Mí", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng"]
MALE_GIVEN = ["Hùng", "Dũng", "Tuấn", "Sơn", "Hải", "Long", "Thắng", "Bình", "Cường", "Quý",
              "Lâm", "Khánh", "Tiến", "Phúc", "Thành", "Vinh", "Trường", "Nam", "Toàn", "Hưng",
              "Lợi", "Tỉnh", "Lực", "Đạt", "Kiên"]
MOUNTAIN_MALE_GIVEN = ["Páo", "Chá", "Sính", "Dính", "Pó", "Chúng", "Vàng", "Pao", "Sủ", "Lử"]
FEMALE_GIVEN = ["Hà", "Lan", "Mai", "Hồng", "Nguyệt", "Thúy", "Hạnh", "Ngọc", "Hiền", "Hoa",
                "Thơm", "Liên", "Hằng", "Dung", "Mỷ", "Vân", "Thảo", "Phương", "Yến", "Trang"]

SPECIALTIES = ["economy", "agriculture", "ethnic_affairs", "security", "education", "health",
               "land", "finance", "organization", "law", "local_government", "tourism"]

# role -> (priority, min_education, min_political_theory, min_rating, max_age)
# Appointment needs a rating of at least "good" (completed tasks well), "completed" for
# commune chiefs.
POST_REQS = {
    "director": (5, "university", "advanced", "good", 60),
    "deputy_director": (3, "university", "advanced", "good", 58),
    "chief@district": (3, "university", "advanced", "good", 55),
    "deputy_chief": (2, "university", "advanced", "good", 55),
    "chief@commune": (1, "college", "intermediate", "completed", 55),
    "department_head": (3, "master", "advanced", "good", 60),
    "deputy_head": (2, "university", "advanced", "good", 58),
}

# Officer profiles by level: birth years, education, political theory (weights).
LEVELS = {
    "commune": dict(born=(1968, 1994), edu=[("college", 22), ("university", 72), ("master", 6)],
                    theory=[("primary", 12), ("intermediate", 85), ("advanced", 3)]),
    "district": dict(born=(1967, 1990), edu=[("college", 3), ("university", 75), ("master", 22)],
                     theory=[("intermediate", 45), ("advanced", 55)]),
    "province": dict(born=(1965, 1986), edu=[("university", 50), ("master", 45), ("phd", 5)],
                     theory=[("intermediate", 10), ("advanced", 90)]),
    "ministry": dict(born=(1966, 1992), edu=[("university", 30), ("master", 60), ("phd", 10)],
                     theory=[("intermediate", 25), ("advanced", 75)]),
}
RATINGS = [("not_completed", 2), ("completed", 13), ("good", 63), ("excellent", 22)]
RATING_MERIT = {"not_completed": -15, "completed": -7, "good": 0, "excellent": 6}
# Mean merit by level: provincial leaders are the most experienced; ministry staff without a
# post have had few leadership roles.
LEVEL_MERIT = {"commune": 64, "district": 69, "province": 73, "ministry": 67}
TERMS = [(1, 55), (2, 30), (3, 15)]


def pick(rng: random.Random, weighted: list[tuple]) -> str:
    items, weights = zip(*weighted)
    return rng.choices(items, weights=weights)[0]


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.units: list[dict] = []
        self.posts: list[dict] = []
        self.cands: list[dict] = []
        self.relations: list[dict] = []
        self.communes_of: dict[str, list[str]] = {}   # district id -> commune ids
        self.districts_of: dict[str, list[str]] = {}  # province id -> district ids
        self.province_of: dict[str, str] = {}          # unit id -> its province (or ministry)
        self.mountain: set[str] = set()                # provinces with ethnic-minority names

    # -- units and posts -------------------------------------------------------------------
    def build_units(self) -> None:
        rng = self.rng
        self.units.append(dict(id="MOHA", name="Bộ Nội vụ", kind="ministry", lat=21.03, lon=105.84))
        for code, name in MINISTRY_DEPARTMENTS:
            self.units.append(dict(id=f"MOHA-{code}", name=name, kind="ministry", parent="MOHA"))
            self.province_of[f"MOHA-{code}"] = "MOHA"
        for pcode, pname, lat, lon, difficult, districts in PROVINCES:
            self.units.append(dict(id=pcode, name=pname, kind="province", difficult=difficult,
                                   lat=lat, lon=lon))
            self.province_of[pcode] = pcode
            self.districts_of[pcode] = []
            if pcode in ("HG", "LC", "YB", "TQ"):
                self.mountain.add(pcode)
            for dcode, dname, dlat, dlon, ddiff in districts:
                did = f"{pcode}-{dcode}"
                self.units.append(dict(id=did, name=dname, kind="district", parent=pcode,
                                       difficult=ddiff, lat=dlat, lon=dlon))
                self.province_of[did] = pcode
                self.districts_of[pcode].append(did)
                names = set()  # 6 to 9 distinct names (the bound is drawn anew at each step)
                while len(names) < rng.randint(6, 9):
                    names.add(f"{rng.choice(COMMUNE_FIRST)} {rng.choice(COMMUNE_SECOND)}")
                self.communes_of[did] = []
                for i, cname in enumerate(sorted(names), start=1):
                    cid = f"{did}-C{i:02d}"
                    self.units.append(dict(id=cid, name=cname, kind="commune", parent=did))
                    self.province_of[cid] = pcode
                    self.communes_of[did].append(cid)
        for hcode, hname, lat, lon in HOME_PROVINCES:
            self.units.append(dict(id=hcode, name=hname, kind="province", lat=lat, lon=lon))

    def add_post(self, pid: str, unit: str, role: str, key: str) -> None:
        priority, edu, theory, rating, max_age = POST_REQS[key]
        n_spec = self.rng.choice([0, 1, 1, 2])
        self.posts.append(dict(id=pid, unit=unit, role=role, priority=priority, min_education=edu,
                               min_political_theory=theory, min_rating=rating, max_age=max_age,
                               specialties=";".join(self.rng.sample(SPECIALTIES, n_spec))))

    def build_posts(self) -> None:
        for pcode, *_ in PROVINCES:
            self.add_post(f"{pcode}-DIR", pcode, "director", "director")
            for k in (1, 2, 3):
                self.add_post(f"{pcode}-DEP{k}", pcode, "deputy_director", "deputy_director")
            for did in self.districts_of[pcode]:
                self.add_post(f"{did}-CH", did, "chief", "chief@district")
                for k in (1, 2):
                    self.add_post(f"{did}-DEP{k}", did, "deputy_chief", "deputy_chief")
            for did in self.districts_of[pcode]:
                for cid in self.communes_of[did]:
                    self.add_post(f"{cid}-CH", cid, "chief", "chief@commune")
        for code, _ in MINISTRY_DEPARTMENTS:
            self.add_post(f"MOHA-{code}-HEAD", f"MOHA-{code}", "department_head", "department_head")
            for k in (1, 2):
                self.add_post(f"MOHA-{code}-DEP{k}", f"MOHA-{code}", "deputy_head", "deputy_head")

    # -- officers ----------------------------------------------------------------------------
    def name(self, female: bool, province: str | None) -> str:
        rng = self.rng
        pool = MOUNTAIN_SURNAMES if province in self.mountain and rng.random() < 0.45 else KINH_SURNAMES
        surname = pick(rng, pool)
        mountain = pool is MOUNTAIN_SURNAMES
        middle = rng.choice(FEMALE_MIDDLE if female else [m for m in MALE_MIDDLE
                                                          if m != "Mí" or mountain])
        if female:
            given = rng.choice([g for g in FEMALE_GIVEN if g != middle])
        elif mountain and rng.random() < 0.5:
            given = rng.choice(MOUNTAIN_MALE_GIVEN)
        else:
            given = rng.choice(MALE_GIVEN)
        return f"{surname} {middle} {given}"

    def any_commune(self, province: str) -> str:
        did = self.rng.choice(self.districts_of[province])
        return self.rng.choice(self.communes_of[did])

    def other_scenario_province(self, province: str) -> str:
        return self.rng.choice([p[0] for p in PROVINCES if p[0] != province])

    def home_for(self, level: str, serves_at: str) -> str:
        """Home town: mostly local, finer for lower levels; some from other provinces."""
        rng = self.rng
        r = rng.random()
        if level == "ministry":
            if r < 0.25:
                p = rng.choice([p[0] for p in PROVINCES])
                return rng.choice([p, rng.choice(self.districts_of[p])])
            return rng.choice([h[0] for h in HOME_PROVINCES])
        province = self.province_of[serves_at]
        if level == "commune":
            district = next(u["parent"] for u in self.units if u["id"] == serves_at)
            if r < 0.32:
                return serves_at                                        # own commune
            if r < 0.62:
                return rng.choice(self.communes_of[district])          # same district
            if r < 0.82:
                return self.any_commune(province)                      # same province
            if r < 0.86:
                return province                                        # only "the province"
            if r < 0.95:
                return rng.choice(self.districts_of[self.other_scenario_province(province)])
            return rng.choice([h[0] for h in HOME_PROVINCES])
        if level == "district":
            if r < 0.30:
                return rng.choice(self.communes_of[serves_at])          # own district
            if r < 0.40:
                return serves_at
            if r < 0.75:
                return self.any_commune(province)
            if r < 0.90:
                return rng.choice(self.districts_of[self.other_scenario_province(province)])
            return rng.choice([h[0] for h in HOME_PROVINCES])
        # province level
        if r < 0.55:
            return rng.choice([self.any_commune(province), rng.choice(self.districts_of[province])])
        if r < 0.60:
            return province
        if r < 0.80:
            return rng.choice(self.districts_of[self.other_scenario_province(province)])
        return rng.choice([h[0] for h in HOME_PROVINCES])

    def officer(self, level: str, serves_at: str, current_post: str | None = None) -> dict:
        rng = self.rng
        prof = LEVELS[level]
        female = rng.random() < 0.21
        province = self.province_of.get(serves_at)
        lo, hi = prof["born"]
        if current_post:  # incumbents are a little older
            lo, hi = lo, hi - 4
        born = rng.randint(lo, hi)
        edu = pick(rng, prof["edu"])
        theory = pick(rng, prof["theory"])
        rating = pick(rng, RATINGS)
        merit = round(rng.gauss(LEVEL_MERIT[level] + (3 if current_post else 0), 8)) \
            + RATING_MERIT[rating] + (2 if edu in ("master", "phd") else 0)
        merit = max(25, min(98, merit))
        terms = int(pick(rng, TERMS)) if current_post else 0
        if current_post and theory == "primary":
            theory = "intermediate"
        director = bool(current_post) and current_post.endswith("-DIR")
        if director:  # sitting provincial directors: strong, and most of them local
            merit = min(98, merit + 8)
        c = dict(id=f"c{len(self.cands) + 1:04d}", name=self.name(female, province),
                 home=self.home_for(level, serves_at) if not director or rng.random() < 0.25
                 else self.any_commune(province), serves_at=serves_at,
                 current_post=current_post or "", consecutive_terms=terms or "",
                 birth_year=born, gender="female" if female else "male", education=edu,
                 political_theory=theory, rating=rating,
                 disciplined="true" if rng.random() < 0.03 else "",
                 merit=merit,
                 specialties=";".join(rng.sample(SPECIALTIES, rng.choice([1, 1, 2, 2, 3]))),
                 served_local="true" if level != "ministry" or rng.random() < 0.5 else "false",
                 ties="", preferences="")
        if level != "ministry" and rng.random() < 0.06:
            c["ties"] = self.any_commune(province) if rng.random() < 0.7 else \
                rng.choice(self.districts_of[province])
        if rng.random() < 0.15:
            if level == "ministry" or rng.random() < 0.3:
                c["preferences"] = rng.choice([p[0] for p in PROVINCES] + ["MOHA"])
            else:
                c["preferences"] = rng.choice(self.districts_of[province])
        if current_post:
            # An incumbent meets the requirements of the post held (they were checked then).
            post = next(p for p in self.posts if p["id"] == current_post)
            c["education"] = max(c["education"], post["min_education"], key=EDU.index)
            c["political_theory"] = max(c["political_theory"], post["min_political_theory"],
                                        key=THEORY.index)
            if post["min_rating"] and RATING.index(c["rating"]) < RATING.index(post["min_rating"]):
                c["rating"] = post["min_rating"]
            # ... including max_age when first appointed, 5 years per term ago.
            c["birth_year"] = max(c["birth_year"], TERM_START - 5 * terms - post["max_age"])
        self.cands.append(c)
        return c

    def build_officers(self) -> None:
        rng = self.rng
        for post in self.posts:
            unit = post["unit"]
            kind = next(u["kind"] for u in self.units if u["id"] == unit)
            share = {"ministry": 0.8, "province": 0.85, "district": 0.85, "commune": 0.8}[kind]
            if rng.random() < share:
                self.officer(kind, unit, post["id"])
        # Officers without a post at each level.
        for pcode, *_ in PROVINCES:
            for _ in range(7):
                self.officer("province", pcode)
            for did in self.districts_of[pcode]:
                for _ in range(3):
                    self.officer("district", did)
                for cid in self.communes_of[did]:
                    for _ in range(rng.choice([0, 1, 1, 1, 2])):
                        self.officer("commune", cid)
        for code, _ in MINISTRY_DEPARTMENTS:
            for _ in range(11):
                self.officer("ministry", f"MOHA-{code}")

    def build_relations(self) -> None:
        rng = self.rng
        by_province: dict[str, list[str]] = {}
        for c in self.cands:
            by_province.setdefault(self.province_of[c["serves_at"]], []).append(c["id"])
        seen = set()
        n = len(self.cands) // 15
        while len(self.relations) < n:
            if rng.random() < 0.85:
                pool = by_province[rng.choice(sorted(by_province))]
                a, b = rng.sample(pool, 2)
            else:
                a, b = rng.sample([c["id"] for c in self.cands], 2)
            key = tuple(sorted((a, b)))
            if key in seen:
                continue
            seen.add(key)
            self.relations.append(dict(a=a, b=b, kind=pick(rng, [("kin", 5), ("spouse", 2),
                                                                 ("clan", 2), ("in_law", 1)])))

    def run(self) -> None:
        self.build_units()
        self.build_posts()
        self.build_officers()
        self.build_relations()


EDU = ["college", "university", "master", "phd"]
THEORY = ["primary", "intermediate", "advanced"]
RATING = ["not_completed", "completed", "good", "excellent"]

COLUMNS = {
    "units": ["id", "name", "kind", "parent", "difficult", "lat", "lon"],
    "posts": ["id", "unit", "role", "priority", "min_education", "min_political_theory",
              "min_rating", "max_age", "specialties"],
    "candidates": ["id", "name", "home", "serves_at", "current_post", "consecutive_terms",
                   "birth_year", "gender", "education", "political_theory", "rating", "disciplined",
                   "merit", "specialties", "served_local", "ties", "preferences"],
    "relations": ["a", "b", "kind"],
}


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            out = {}
            for col in columns:
                value = row.get(col, "")
                if value is True:
                    value = "true"
                elif value is False:
                    value = ""
                out[col] = value
            writer.writerow(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    gen = Generator(args.seed)
    gen.run()
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "units.csv", COLUMNS["units"], gen.units)
    write(args.out / "posts.csv", COLUMNS["posts"], gen.posts)
    write(args.out / "candidates.csv", COLUMNS["candidates"], gen.cands)
    write(args.out / "relations.csv", COLUMNS["relations"], gen.relations)
    women = sum(c["gender"] == "female" for c in gen.cands)
    print(f"{len(gen.units)} units, {len(gen.posts)} posts, {len(gen.cands)} officers "
          f"({women} women), {len(gen.relations)} relations -> {args.out}")


if __name__ == "__main__":
    main()
