"""Officer records: the personal attributes of the pool, drawn from the national distributions
and handed out by qualification.

All records are drawn first, so the pool as a whole follows the published distributions;
incumbent and reserve slots then take records that meet their post's education and
political-theory requirements (senior posts first), the rest go to the open pool.
"""

from __future__ import annotations

import random

from planner.generate.distributions import (
    DISCIPLINED_SHARE,
    EDU_RANK,
    EDUCATION,
    FEMALE_SHARE,
    POLITICAL_THEORY,
    RATING,
    THEORY_RANK,
    pick,
)
from planner.generate.units import DEPARTMENTS

SPECIALTIES = [d[1] for d in DEPARTMENTS] + ["economics", "agriculture", "land_management",
                                             "education", "health", "party_building"]
"""An officer's fields of expertise: those the department heads ask, and a few more."""

MERIT_MEAN = {"excellent": 82, "good": 66, "completed": 48, "not_completed": 32}
"""Mean merit score (0-100) by yearly rating: merit follows the rating, with some spread."""
RATING_RANK = {k: i for i, k in enumerate(RATING)}


class Records:
    """The attributes of `n` officers, taken one at a time by the slot that needs them."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.buckets: dict[tuple[int, int], list[dict]] = {}
        for _ in range(n):
            rec = draw_record(rng)
            key = (THEORY_RANK[rec["political_theory"]], EDU_RANK[rec["education"]])
            self.buckets.setdefault(key, []).append(rec)
        self.keys = sorted(self.buckets)

    def take(self, min_theory: str | None = None, min_education: str | None = None,
             senior: bool = False) -> dict:
        """A record meeting the minimums where one is left; `senior` prefers an older one."""
        t = THEORY_RANK[min_theory] if min_theory else 0
        e = EDU_RANK[min_education] if min_education else 0
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


def draw_record(rng: random.Random) -> dict:
    """One officer's attributes (the draws in a fixed order: the seed decides them all)."""
    rating = pick(rng, RATING)
    mean = MERIT_MEAN[rating]
    gender = "female" if rng.random() < FEMALE_SHARE else "male"
    return {
        "education": pick(rng, EDUCATION),
        "political_theory": pick(rng, POLITICAL_THEORY),
        "rating": rating,
        "gender": gender,
        "age": int(rng.triangular(28, 62, 50)),
        "merit": max(0, min(100, round(rng.gauss(mean, 8)))),
        "disciplined": rng.random() < DISCIPLINED_SHARE,
        "specialties": sorted(rng.sample(SPECIALTIES, rng.choice((1, 1, 2)))),
    }


def qualified_records(rng: random.Random, n: int, requirements: dict[str, str]) -> list[dict]:
    """`n` records drawn as the pool's are, each kept only if it meets the post `requirements`
    (`min_education`, `min_political_theory`, `min_rating`): the distributions given the
    qualification. Officers who join to be placed (the ministry's reserve) are qualified by
    definition, and a few draws from a small pool hold too few who are: 6% have a university
    degree and advanced political theory."""
    out: list[dict] = []
    while len(out) < n:
        rec = draw_record(rng)
        if (EDU_RANK[rec["education"]] >= EDU_RANK[requirements["min_education"]]
                and THEORY_RANK[rec["political_theory"]] >= THEORY_RANK[requirements["min_political_theory"]]
                and RATING_RANK[rec["rating"]] >= RATING_RANK[requirements["min_rating"]]):
            out.append(rec)
    return out
