"""`planner generate --structure transition`: Vietnam's 2025 reorganisation (docs/horizon.md).

On 1 July 2025 the 63 provinces became 34 (Resolution 202/2025/QH15), the district level was
abolished and the ~10,000 communes were merged into 3,321 (the Standing Committee's resolutions,
one per province). A transition scenario plans the first term after it: the officers of the
legacy structure hold posts that no longer exist and must be re-placed, under the non-local and
the other rules, onto the posts of the new structure.

The shape, from the data package's own mapping (:func:`~planner.generate.admin.transition_map`):

* **units**: the ministry and the 2025 structure (``P<code>`` provinces, ``C<code>`` communes),
  then the legacy structure as it was, a forest of its own (``LP``, ``LD``, ``LC`` + the legacy
  code): the units of the posts that closed;
* **posts**: the 2025 structure's (`opens` 2025, deputies by :data:`DEPUTIES`), the ministry's,
  and the legacy ones (``L`` + the legacy post id, `closes` 2025: they exist in no period);
* **officers**: an incumbent on most legacy posts (and ministry posts), whose `current_post` is
  that closed post; what an officer is *now* is in the 2025 structure: `home`, `ties` and
  `serves_at` are the new units their legacy units merged into (a legacy district's officers
  serve at the new province), so that non-local, mobility and distance judge them there; the
  ministry's staff and reserve; and each new province's open pool where `officers_per_post`
  asks for more officers than the legacy incumbents who now serve in it.

Only the kept 2025 provinces (`fraction`) and the legacy provinces merged into them are built.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from planner.generate.admin import TransitionMap, admin_data, transition_map
from planner.generate.distributions import INCUMBENT_SHARE
from planner.generate.homes import Homes
from planner.generate.horizon import horizon_candidates
from planner.generate.names import draw_names
from planner.generate.officers import Pool, PoolSize, candidate_rows
from planner.generate.posts import Slot, post_rows
from planner.generate.records import Records
from planner.generate.relations import add_ties, draw_relations
from planner.generate.units import REMOTE_ISLANDS, Geography, unit_rows

REORGANISATION_YEAR = 2025
"""The legacy posts close and the new ones open (1 July 2025)."""
LEGACY = "L"
"""Prefix of the legacy units' and posts' ids (the two structures reuse official codes)."""
CAPITALS = {"01", "79"}
"""Hà Nội and Hồ Chí Minh City (2025 codes)."""
DEPUTIES = {"capital": 5, "merged": 4, "unchanged": 3}
"""Deputy directors (people's committee vice-chairmen) of a 2025 province: the ceilings of
Decree 08/2016/ND-CP as amended by Decree 115/2021/ND-CP (Hà Nội and Hồ Chí Minh City 5, type I
provinces 4, others 3), a merged province counted as type I (an estimate: see docs/horizon.md)."""


def check_transition_periods(periods: list[int] | None, term_start: int) -> None:
    """ValueError unless the horizon starts with the first term after the reorganisation."""
    first = periods[0] if periods else term_start
    if not REORGANISATION_YEAR < first <= REORGANISATION_YEAR + 5:
        raise ValueError(f"the transition plans the first term after the {REORGANISATION_YEAR} "
                         f"reorganisation: its first period must lie in {REORGANISATION_YEAR + 1}"
                         f"-{REORGANISATION_YEAR + 5}, not {first}")


@dataclass(frozen=True)
class Transition:
    """Both structures over the kept 2025 provinces, and where each legacy unit went."""

    new: Geography
    legacy: Geography
    """The legacy provinces merged into the kept ones, with no ministry departments."""
    moved: TransitionMap

    @classmethod
    def keep(cls, fraction: float, rng: random.Random) -> Transition:
        """`fraction` of the 2025 provinces (as :meth:`Geography.keep`) and their legacy ones."""
        new = Geography.keep(admin_data("2025"), fraction, rng)
        moved = transition_map()
        kept = {p["code"] for p in new.provinces}
        data = admin_data("legacy")
        inside = {p["code"] for p in data.provinces if moved.province[p["code"]] in kept}
        legacy = Geography("legacy", new.whole, [p for p in data.provinces if p["code"] in inside],
                           [d for d in data.districts if d["province"] in inside],
                           [c for c in data.communes if c["province"] in inside], [])
        return cls(new, legacy, moved)

    def deputies(self) -> dict[str, int]:
        """Deputy directors per 2025 province (:data:`DEPUTIES`)."""
        merged = Counter(self.moved.province[p["code"]] for p in self.legacy.provinces)
        return {p["code"]: DEPUTIES["capital" if p["code"] in CAPITALS else
                                    "merged" if merged[p["code"]] > 1 else "unchanged"]
                for p in self.new.provinces}

    def now(self, uid: str) -> str:
        """The 2025 unit a legacy unit (``LP``/``LD``/``LC`` id, or a legacy home's ``P``/``C``
        id) went into; a ministry unit stays itself."""
        uid = uid.removeprefix(LEGACY)
        kind, code = uid[0], uid[1:]
        if kind == "C":
            return f"C{self.moved.commune[code]}"
        if kind == "D":
            return f"P{self.moved.province[self.legacy.district_by_code[code]['province']]}"
        if kind == "P" and code in self.moved.province:
            return f"P{self.moved.province[code]}"
        return uid


def legacy_unit_rows(tr: Transition, new_units: list[dict]) -> list[dict]:
    """The legacy structure as it was (``LP``, ``LD``, ``LC`` ids): a legacy commune is difficult
    where the new commune it went into is, a legacy district where it is a remote island."""
    hard = {u["id"] for u in new_units if u["difficult"]}
    rows: list[dict] = []

    def add(uid: str, unit: dict, kind: str, parent: str | None, difficult: bool) -> None:
        rows.append({"id": LEGACY + uid, "name": unit["name"], "kind": kind,
                     "parent": parent and LEGACY + parent, "difficult": difficult,
                     "lat": unit["lat"], "lon": unit["lon"]})

    def add_commune(c: dict, parent: str) -> None:
        add(f"C{c['code']}", c, "commune", parent, tr.now(f"C{c['code']}") in hard)

    geo = tr.legacy
    for p in geo.provinces:
        pc = p["code"]
        add(f"P{pc}", p, "province", None, False)
        for dc in geo.districts_of_province[pc]:
            d = geo.district_by_code[dc]
            add(f"D{dc}", d, "district", f"P{pc}", d["short"] in REMOTE_ISLANDS)
            for c in geo.by_district.get(dc, ()):
                add_commune(c, f"D{dc}")
        for c in geo.loose.get(pc, ()):
            add_commune(c, f"P{pc}")
    return rows


def transition_posts(tr: Transition) -> tuple[list[dict], list[Slot], list[Slot]]:
    """The post table (the ministry's and the 2025 structure's, then the closed legacy ones), the
    slots of the posts that exist, and the slots that hold incumbents (the ministry's and the
    legacy ones)."""
    posts, slots = post_rows(tr.new, deputies=tr.deputies())
    for post, slot in zip(posts, slots):
        if slot.province is not None:
            post["opens"] = REORGANISATION_YEAR
    old, old_slots = post_rows(tr.legacy, prefix=LEGACY)
    for post in old:
        post["closes"] = REORGANISATION_YEAR
    ministry = [s for s in slots if s.province is None]
    return posts + old, slots, ministry + old_slots


def pool_size(tr: Transition, slots: list[Slot], held: list[Slot], officers_per_post: float,
              rng: random.Random) -> PoolSize:
    """Incumbents on :data:`INCUMBENT_SHARE` of the `held` slots; the ministry's staff and
    reserve as in the other structures; a 2025 province's open pool tops its officers up to
    `officers_per_post` per post where the legacy incumbents now serving in it fall short."""
    reserve = max(3, 2 * len(tr.new.provinces))
    ministry_n = round(officers_per_post * len(tr.new.departments)) + reserve
    incumbent = [rng.random() < INCUMBENT_SHARE for _ in held]
    serving = Counter(tr.moved.province[s.province] for s, has in zip(held, incumbent)
                      if has and s.province)
    posts_in = Counter(s.province for s in slots)
    open_per_province = [max(0, round(officers_per_post * posts_in[p["code"]]) - serving[p["code"]])
                         for p in tr.new.provinces]
    ministry_inc = sum(1 for s, has in zip(held, incumbent) if has and s.province is None)
    return PoolSize(reserve, incumbent, open_per_province, max(reserve, ministry_n - ministry_inc))


def transition_officers(tr: Transition, slots: list[Slot], held: list[Slot],
                        officers_per_post: float, rng: random.Random, homes: Homes) -> list[dict]:
    """The officer pool, ids in the order drawn: the incumbents (drawn near their legacy posts,
    then moved into the 2025 structure), the ministry's staff, the open pools.

    The records are drawn for the legacy structure's whole pool (`officers_per_post` per legacy
    post, as the legacy structure's generator draws them), so that its incumbents find records
    that meet their posts' standards, as they did when appointed; the records no slot takes are
    officers who are not candidates."""
    size = pool_size(tr, slots, held, officers_per_post, rng)
    records = Records(rng, max(size.records, round(officers_per_post * len(held))))
    old = Pool(tr.legacy, rng, Homes(tr.legacy, rng), records)
    reserve_records = old.incumbents(held, size)
    for o in old.officers:
        o["serves_at"], o["home"] = tr.now(o["serves_at"]), tr.now(o["home"])
        o["province"] = o["province"] and tr.moved.province[o["province"]]
    new = Pool(tr.new, rng, homes, records)
    new.ministry_staff(size, reserve_records)
    new.open_pools(size)
    officers = old.officers + new.officers
    for n, o in enumerate(officers, start=1):
        o["id"] = f"O{n:06d}"
    return officers


@dataclass
class TransitionTables:
    """The tables of a transition scenario, and the structures they were built from."""

    structures: Transition
    units: list[dict]
    posts: list[dict]
    candidates: list[dict]
    relations: list[dict]


def transition_tables(fraction: float, officers_per_post: float, rng: random.Random,
                      term_start: int, periods: list[int] | None,
                      term_years: int) -> TransitionTables:
    """Every table of a transition scenario, drawn from `rng` stage after stage as
    :mod:`planner.generate.national` does for the other structures."""
    tr = Transition.keep(fraction, rng)
    units = unit_rows(tr.new, rng)
    units += legacy_unit_rows(tr, units)
    posts, slots, held = transition_posts(tr)
    homes = Homes(tr.new, rng)
    officers = transition_officers(tr, slots, held, officers_per_post, rng, homes)
    add_ties(officers, homes, rng)
    relations, surname_of = draw_relations(officers, rng)
    candidates = candidate_rows(officers, draw_names(officers, surname_of, rng), term_start)
    if periods:
        candidates = horizon_candidates(tr.new, homes, candidates, units, periods, term_years, rng)
    return TransitionTables(tr, units, posts, candidates, relations)
