"""The posts of a generated scenario: per province a ``director`` and three
``deputy_director`` posts (the transition's 2025 provinces: as many as
:mod:`planner.generate.transition` says), per district and per commune a ``chief``, and the head
of each of the ministry's departments; each with the national standards for its kind of leader
(simplified).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.generate.units import Geography

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
DEPUTIES = 3
"""Deputy directors per province, unless told otherwise."""


@dataclass(frozen=True)
class Slot:
    """Where a post is and what kind it is: what its incumbent (if any) is drawn for."""

    post: str
    unit: str
    kind: str
    """A key of :data:`REQUIREMENTS`."""
    province: str | None
    """Province code; None for the ministry's posts."""
    district: str | None = None
    commune: str | None = None


def post_rows(geo: Geography, prefix: str = "",
              deputies: dict[str, int] | None = None) -> tuple[list[dict], list[Slot]]:
    """The post table (the ministry's first, then province by province) and a slot per post.

    `prefix` goes before every unit and post id of the provinces, districts and communes (the
    transition's legacy units, ``L``); `deputies` gives a province's deputy directors by code
    (:data:`DEPUTIES` where it does not)."""
    posts: list[dict] = []
    slots: list[Slot] = []

    def add_post(pid: str, unit: str, role: str, kind: str, province: str | None = None,
                 district: str | None = None, commune: str | None = None,
                 specialties: list[str] | None = None) -> None:
        req = REQUIREMENTS[kind]
        posts.append({"id": pid, "unit": unit, "role": role, "priority": req["priority"],
                      "min_education": req.get("min_education"),
                      "min_political_theory": req.get("min_political_theory"),
                      "min_rating": req.get("min_rating"), "max_age": req.get("max_age"),
                      "specialties": specialties})
        slots.append(Slot(pid, unit, kind, province, district, commune))

    for did, _, spec in geo.departments:
        add_post(f"{did}-head", did, "department_head", "department_head", specialties=[spec])
    for p in geo.provinces:
        pc = p["code"]
        pu = f"{prefix}P{pc}"
        add_post(f"{pu}-director", pu, "director", "director", province=pc)
        for i in range(1, (deputies or {}).get(pc, DEPUTIES) + 1):
            add_post(f"{pu}-deputy{i}", pu, "deputy_director", "deputy_director", province=pc)
        for dc in geo.districts_of_province[pc]:
            du = f"{prefix}D{dc}"
            add_post(f"{du}-chief", du, "chief", "district_chief", province=pc, district=dc)
        for c in geo.communes_in(pc):
            cu = f"{prefix}C{c['code']}"
            add_post(f"{cu}-chief", cu, "chief", "commune_chief", province=pc,
                     district=c["district"], commune=c["code"])
    return posts, slots
