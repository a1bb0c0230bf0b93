"""Where officers come from: home towns, mostly in the province an officer serves in.

Province pools get homes spread over many communes, so the non-local targets can be met with
officers serving inside their province; a share come from a neighbouring province, a few from
anywhere. A home is a commune's unit id (``C<code>``), or the province's where it has none.
"""

from __future__ import annotations

import random

from planner.generate.units import Geography

NEIGHBOURS = 6
"""Provinces counted as near one another (the closest by coordinates)."""


class Homes:
    """Draws of home towns over the kept provinces."""

    def __init__(self, geo: Geography, rng: random.Random) -> None:
        self.geo = geo
        self.rng = rng
        self.pcodes = [p["code"] for p in geo.provinces]
        # provinces weighted by their communes: a home anywhere is a commune anywhere
        self.weights = [len(geo.communes_of_province[p["code"]]) or 1 for p in geo.provinces]
        self.near: dict[str, list[str]] = {}
        for p in geo.provinces:
            others = sorted((q for q in geo.provinces if q["code"] != p["code"]),
                            key=lambda q: ((q["lat"] - p["lat"]) ** 2 + (q["lon"] - p["lon"]) ** 2,
                                           q["code"]))
            self.near[p["code"]] = [q["code"] for q in others[:NEIGHBOURS]]

    def commune_in(self, pc: str) -> str:
        """A commune of province `pc` (the province itself if it has none)."""
        pool = self.geo.communes_of_province[pc]
        return f"C{self.rng.choice(pool)}" if pool else f"P{pc}"

    def elsewhere(self, pc: str) -> str:
        """A home in another province: a neighbour mostly, anywhere sometimes."""
        if not self.near[pc]:
            return self.commune_in(pc)
        if self.rng.random() < 0.7:
            return self.commune_in(self.rng.choice(self.near[pc]))
        other = [q for q in self.pcodes if q != pc]
        return self.commune_in(self.rng.choice(other))

    def anywhere(self) -> str:
        """A commune anywhere in the country."""
        return self.commune_in(self.rng.choices(self.pcodes, weights=self.weights)[0])

    def near_post(self, pc: str, dc: str | None, cc: str | None, p_same: float,
                  p_district: float, p_out: float) -> str:
        """Home of an officer serving in province pc (district dc, commune cc where given):
        another province with chance `p_out`, else the same commune with chance `p_same`, the
        same district with `p_district`, else anywhere in the province."""
        x = self.rng.random()
        if x < p_out:
            return self.elsewhere(pc)
        x = self.rng.random()
        if cc and x < p_same:
            return f"C{cc}"
        if dc and self.geo.communes_of_district.get(dc) and x < p_same + p_district:
            return f"C{self.rng.choice(self.geo.communes_of_district[dc])}"
        return self.commune_in(pc)
