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


class Records:
    """The attributes of `n` officers, taken one at a time by the slot that needs them."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.buckets: dict[tuple[int, int], list[dict]] = {}
        for _ in range(n):
            rec = self._draw()
            key = (THEORY_RANK[rec["political_theory"]], EDU_RANK[rec["education"]])
            self.buckets.setdefault(key, []).append(rec)
        self.keys = sorted(self.buckets)

    def _draw(self) -> dict:
        """One officer's attributes (the draws in a fixed order: the seed decides them all)."""
        rng = self.rng
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
