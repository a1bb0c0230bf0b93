"""Distances between units, exactly as the contract defines them."""

from __future__ import annotations

import math

import numpy as np

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


def km_between(coord: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`km` between units a[i] and b[i] at once, bit-for-bit as :func:`km` computes it;
    `coord` holds each unit's (lat, lon), NaN where it has none (0 km to anything).

    numpy's trigonometry may differ from `math`'s in the last bit, which could move a
    truncation to whole kilometres; distances within 1e-6 km of a whole number are therefore
    recomputed with the scalar formula."""
    la1, lo1 = np.radians(coord[a, 0]), np.radians(coord[a, 1])
    la2, lo2 = np.radians(coord[b, 0]), np.radians(coord[b, 1])
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    missing = np.isnan(dist)
    dist = np.where(missing, 0.0, dist)
    out = dist.astype(np.int64)
    close = np.flatnonzero(~missing & (np.abs(dist - np.rint(dist)) < 1e-6))
    for i in close:
        out[i] = km(tuple(coord[a[i]]), tuple(coord[b[i]]))
    return out
