"""A national scenario from Vietnam's real administrative units: :func:`generate`.

The units (provinces, districts, communes, with their official codes, names and coordinates)
are real (:mod:`planner.generate.admin`). Everything else is synthetic, drawn with
``random.Random(seed)`` in a fixed order, stage after stage, so one seed always gives the same
files:

1. the provinces kept and the difficult areas (:mod:`planner.generate.units`);
2. the posts (:mod:`planner.generate.posts`);
3. the officers: their records from the published national distributions
   (:mod:`planner.generate.records`, :mod:`planner.generate.distributions`), incumbents on
   most posts, the ministry's staff and reserve, each province's open pool
   (:mod:`planner.generate.officers`), home towns (:mod:`planner.generate.homes`);
4. ties and kin relations (:mod:`planner.generate.relations`), then names
   (:mod:`planner.generate.names`);
5. the national policy (:mod:`planner.generate.policy`).

Every stage draws from the one generator, in this order: a change to the draws of one stage
changes every later stage too. :mod:`planner.generate.files` writes the result.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from planner.generate.admin import DATA_PACKAGE, STRUCTURES, admin_data
from planner.generate.homes import Homes
from planner.generate.names import draw_names
from planner.generate.officers import candidate_rows, draw_officers
from planner.generate.policy import national_policy
from planner.generate.posts import post_rows
from planner.generate.relations import add_ties, draw_relations
from planner.generate.units import Geography, unit_rows
from planner.scenario import Policy, Scenario

TERM_START = 2026


@dataclass
class GeneratedScenario:
    """A generated scenario: rows as plain dicts in the schema's field order, and the policy."""

    name: str
    description: str
    term_start: int
    units: list[dict]
    posts: list[dict]
    candidates: list[dict]
    relations: list[dict]
    policy: dict
    meta: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """What `planner generate` reports: units by kind, posts, candidates, relations."""
        kinds: dict[str, int] = {}
        for u in self.units:
            kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
        return {"provinces": kinds.get("province", 0), "districts": kinds.get("district", 0),
                "communes": kinds.get("commune", 0), "ministry_units": kinds.get("ministry", 0),
                "units": len(self.units), "posts": len(self.posts),
                "candidates": len(self.candidates), "relations": len(self.relations),
                "incumbents": sum(1 for c in self.candidates if c["current_post"])}

    def to_scenario(self) -> Scenario:
        """The scenario as :func:`planner.load_scenario` would return it, without files."""
        return Scenario.model_validate({
            "name": self.name, "description": self.description, "term_start": self.term_start,
            "term_years": 5, "units": self.units, "posts": self.posts,
            "candidates": self.candidates, "relations": self.relations,
            "policy": Policy.model_validate(self.policy)})


def _check(structure: str, fraction: float, officers_per_post: float) -> None:
    """ValueError for arguments the generator cannot honour (the CLI's options say the same)."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(STRUCTURES)}, not {structure!r}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    if officers_per_post < 1:
        raise ValueError(f"officers_per_post must be at least 1, not {officers_per_post}")


def generate(structure: str = "legacy", fraction: float = 1.0, officers_per_post: float = 2.0,
             seed: int = 0) -> GeneratedScenario:
    """A national scenario from Vietnam's real units; the same arguments give the same scenario.

    `fraction` keeps that share of the provinces (at least one, a seeded sample, in code order)
    with all their districts and communes; `officers_per_post` sets the officer pool's size
    (incumbents included) against the number of posts.
    """
    _check(structure, fraction, officers_per_post)
    data = admin_data(structure)
    rng = random.Random(seed)
    geo = Geography.keep(data, fraction, rng)
    units = unit_rows(geo, rng)
    posts, slots = post_rows(geo)
    homes = Homes(geo, rng)
    officers = draw_officers(geo, slots, officers_per_post, rng, homes)
    add_ties(officers, homes, rng)
    relations, surname_of = draw_relations(officers, rng)
    candidates = candidate_rows(officers, draw_names(officers, surname_of, rng), TERM_START)

    label = "legacy (63 provinces)" if structure == "legacy" else "2025 (34 provinces)"
    name = f"vietnam-{structure}" + ("" if geo.whole else f"-{fraction:g}") + f"-seed{seed}"
    description = (f"Vietnam, {label} structure: {len(geo.provinces)} provinces, "
                   f"{len(geo.districts)} districts, {len(geo.communes)} communes from "
                   f"{DATA_PACKAGE} {data.version}; synthetic officers (seed {seed}, "
                   f"{officers_per_post:g} officers per post) drawn from the published national "
                   "distributions. Generated by `planner generate`.")
    return GeneratedScenario(
        name=name, description=description, term_start=TERM_START, units=units, posts=posts,
        candidates=candidates, relations=relations, policy=national_policy(),
        meta={"structure": structure, "fraction": fraction, "officers_per_post": officers_per_post,
              "seed": seed, "data_package": DATA_PACKAGE, "data_version": data.version})
