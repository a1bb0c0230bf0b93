"""Distances between units, exactly as the contract defines them."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0

Coord = tuple[float, float]


def km(a: Coord | None, b: Coord | None) -> int:
    """Haversine distance in whole kilometres (truncated); 0 when either side has no coordinates."""
    if a is None or b is None:
        return 0
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    dphi = phi2 - phi1
    dlmb = math.radians(b[1] - a[1])
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return int(2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h))))
