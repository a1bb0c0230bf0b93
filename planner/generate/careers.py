"""Careers in a generated scenario (docs/careers.md): grades, succession pools, ranked
preferences, and the careers policy (`planner generate --careers`).

It is the last stage of the generator, run on the finished tables, so that every earlier draw
is the same with or without careers (the scenario without them is byte for byte the same as
before careers existed). Its draws, from the same generator, come in a fixed order:

1. each post's **grade** by its level (:data:`POST_GRADES`, no draw): 1 commune chief,
   2 district chief, 3 provincial deputy director, 4 provincial director or ministry
   department head (a Vụ trưởng ranks with a provincial director);
2. each officer's **grade**: an incumbent's is their post's; an officer without a post (the
   open pools, the ministry's staff, a horizon's newcomers) holds the level just below the posts
   where they serve or that level itself (:data:`LEVEL_BELOW`), the higher one more likely for
   older, better-educated officers with advanced political theory (:func:`step_up_chance`);
3. the **succession pools** (`planned_for`): for each post that is still open at the term start,
   two or three officers one grade below it, serving in its province (a provincial director's
   pool also draws on the ministry; a department head's on the ministry alone), meeting its
   education, theory, rating and age requirements, of merit above the national median four times
   in five (:func:`pick_planned`); at most :data:`MAX_PLANNED` officers per post and posts per
   officer, as Regulation 65-QĐ/TW sets them;
4. each officer's ranked **preferences**, near home: the home district (where the structure has
   districts, one officer in two) or the home province first, then the home province, where they
   serve (if elsewhere) and the nearest provinces, :data:`PREFERENCES` units in all (two for one
   officer in four).
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field

from planner.generate.distributions import EDU_RANK, RATING, THEORY_RANK
from planner.generate.units import MINISTRY
from planner.geo import km

CAREER_FIELDS = frozenset({"grade", "planned_for"})
"""The columns only a scenario generated with careers writes (`preferences` is older)."""
POST_GRADES = {("commune", "chief"): 1, ("district", "chief"): 2,
               ("province", "deputy_director"): 3, ("province", "director"): 4,
               ("ministry", "department_head"): 4}
"""A post's grade by (its unit's kind, its role), the roles of :mod:`planner.generate.posts`."""
LEVEL_BELOW = {"commune": 0, "district": 1, "province": 2, "ministry": 2}
"""The grade of an officer without a post serving at a unit of this kind (a deputy, one below
the unit's chief), or one more (:func:`step_up_chance`)."""
MAX_PLANNED = 3
"""Regulation 65-QĐ/TW: at most three officers planned per post, three posts per officer."""
PREFERENCES = 3
"""Units an officer ranks (two for one officer in four)."""
RATING_RANK = {k: i for i, k in enumerate(RATING)}
"""Yearly ratings, lowest first (as EDU_RANK and THEORY_RANK order theirs)."""
MINISTRY_AREA = MINISTRY[0]
"""The area (:meth:`Units.area`) of the ministry's units: the ministry itself."""


def step_up_chance(age: int, education: str, theory: str) -> float:
    """How likely an officer without a post holds the higher of their two plausible grades:
    seniority (45 or older), a university degree or more, advanced political theory."""
    return (0.15 + 0.35 * (age >= 45) + 0.15 * (EDU_RANK[education] >= EDU_RANK["university"])
            + 0.2 * (theory == "advanced"))


@dataclass
class Units:
    """The unit table read the ways the careers stage needs: kinds, parents, provinces."""

    rows: list[dict]
    kind: dict[str, str] = field(init=False)
    parent: dict[str, str | None] = field(init=False)

    def __post_init__(self) -> None:
        self.kind = {u["id"]: u["kind"] for u in self.rows}
        self.parent = {u["id"]: u["parent"] for u in self.rows}

    def up(self, uid: str) -> list[str]:
        """`uid` and its ancestors, nearest first."""
        out = []
        while uid is not None:
            out.append(uid)
            uid = self.parent[uid]
        return out

    def of_kind(self, uid: str, kind: str) -> str | None:
        """The ancestor of kind `kind` of `uid` (itself included), None where there is none."""
        return next((u for u in self.up(uid) if self.kind[u] == kind), None)

    def area(self, uid: str) -> str:
        """Where a unit belongs for succession: its province, or the ministry."""
        return self.of_kind(uid, "province") or MINISTRY_AREA

    def nearest(self, provinces: list[str]) -> dict[str, list[str]]:
        """For each province, the others of `provinces` by distance, nearest first."""
        coord = {u["id"]: (u["lat"], u["lon"]) for u in self.rows if u["lat"] is not None}
        return {p: sorted((q for q in provinces if q != p),
                          key=lambda q: (km(coord.get(p), coord.get(q)), q))
                for p in provinces}


def add_careers(units: list[dict], posts: list[dict], candidates: list[dict], term_start: int,
                rng: random.Random) -> None:
    """Give the tables their careers fields, in place: post grades, officer grades, succession
    pools and ranked preferences (the module's docstring says how, in the order drawn)."""
    idx = Units(units)
    post_grades(idx, posts)
    officer_grades(idx, posts, candidates, term_start, rng)
    succession_pools(idx, posts, candidates, term_start, rng)
    preferences(idx, posts, candidates, term_start, rng)


def post_grades(idx: Units, posts: list[dict]) -> None:
    """Each post's grade by its level (:data:`POST_GRADES`); None for a role outside it."""
    for p in posts:
        p["grade"] = POST_GRADES.get((idx.kind[p["unit"]], p["role"]))


def officer_grades(idx: Units, posts: list[dict], candidates: list[dict], term_start: int,
                   rng: random.Random) -> None:
    """Each officer's grade: their post's, else drawn by where they serve, age and record."""
    grade_of = {p["id"]: p["grade"] for p in posts}
    for c in candidates:
        held = grade_of.get(c["current_post"]) if c["current_post"] else None
        if held is not None:
            c["grade"] = held
            continue
        low = LEVEL_BELOW[idx.kind[c["serves_at"]]]
        up = rng.random() < step_up_chance(term_start - c["birth_year"], c["education"],
                                           c["political_theory"])
        c["grade"] = low + up


def qualifies(c: dict, post: dict, term_start: int) -> bool:
    """The post's education, political theory, rating and age requirements (E1) at the start."""
    for ranks, have, need in ((EDU_RANK, c["education"], post["min_education"]),
                              (THEORY_RANK, c["political_theory"], post["min_political_theory"]),
                              (RATING_RANK, c["rating"], post["min_rating"])):
        if need is not None and ranks[have] < ranks[need]:
            return False
    return post["max_age"] is None or term_start - c["birth_year"] <= post["max_age"]


def open_at(post: dict, term_start: int) -> bool:
    """Whether the post exists at the term start or later (the transition's legacy posts close
    before it: nobody is planned for them)."""
    return post.get("closes") is None or post["closes"] > term_start


def succession_pools(idx: Units, posts: list[dict], candidates: list[dict], term_start: int,
                     rng: random.Random) -> None:
    """`planned_for` of every officer: two or three officers one grade below each open post."""
    by_area: dict[tuple[str, int], list[dict]] = {}
    for c in candidates:
        c["planned_for"] = []
        by_area.setdefault((idx.area(c["serves_at"]), c["grade"]), []).append(c)
    median = statistics.median(c["merit"] for c in candidates)
    for post in posts:
        if post["grade"] is None or post["grade"] < 1 or not open_at(post, term_start):
            continue
        area = idx.area(post["unit"])
        areas = [area, MINISTRY_AREA] if post["role"] == "director" and area != MINISTRY_AREA \
            else [area]
        pool = [c for a in areas for c in by_area.get((a, post["grade"] - 1), ())
                if len(c["planned_for"]) < MAX_PLANNED and qualifies(c, post, term_start)]
        for c in pick_planned(pool, median, rng):
            c["planned_for"].append(post["id"])
    for c in candidates:
        c["planned_for"] = c["planned_for"] or None


def pick_planned(pool: list[dict], median: float, rng: random.Random) -> list[dict]:
    """Two or three of `pool`: each drawn from the officers of merit above `median` four times in
    five, from the rest otherwise, but never more of the rest than of the above-median in one
    pool (fewer where the sides run short: a pool is not filled with weaker officers only
    because the stronger are planned elsewhere already)."""
    high = [c for c in pool if c["merit"] > median]
    low = [c for c in pool if c["merit"] <= median]
    draws = [rng.random() < 0.8 for _ in range(rng.choice((2, MAX_PLANNED)))]
    n_high = min(sum(draws), len(high))
    n_low = min(len(draws) - sum(draws), len(low), n_high)
    return rng.sample(high, n_high) + rng.sample(low, n_low)


def preferences(idx: Units, posts: list[dict], candidates: list[dict], term_start: int,
                rng: random.Random) -> None:
    """Each officer's ranked preferences near home (the module's docstring, point 4)."""
    useful = {u for p in posts if open_at(p, term_start) for u in idx.up(p["unit"])}
    nearest = idx.nearest(sorted(u for u in useful if idx.kind[u] == "province"))
    for c in candidates:
        home = idx.area(c["home"])
        district = idx.of_kind(c["home"], "district")
        first = district if district is not None and rng.random() < 0.5 else home
        n = PREFERENCES - (rng.random() < 0.25)
        ranked = [first, home, idx.area(c["serves_at"]), *nearest.get(home, ())[:PREFERENCES]]
        c["preferences"] = list(dict.fromkeys(u for u in ranked if u in useful))[:n]
