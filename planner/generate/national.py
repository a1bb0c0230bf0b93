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
5. the national policy (:mod:`planner.generate.policy`);
6. with `periods` only, a horizon's fields: retirement years, since when incumbents hold their
   posts, service in difficult areas, newcomers of later periods
   (:mod:`planner.generate.horizon`);
7. with `careers` only, last: grades, succession pools and ranked preferences, and the careers
   policy beside the national one (:mod:`planner.generate.careers`).

The ``transition`` structure (the 2025 reorganisation, from the legacy structure to the 2025 one)
runs the same stages over both structures: :mod:`planner.generate.transition`. Several
countries side by side run every stage once per country, each from its own seeded generator:
:mod:`planner.generate.countries`.

Every stage draws from the one generator, in this order: a change to the draws of one stage
changes every later stage too. :mod:`planner.generate.files` writes the result.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from planner.generate.admin import DATA_PACKAGE, STRUCTURES, admin_data
from planner.generate.careers import add_careers
from planner.generate.countries import copy_seed, side_by_side
from planner.generate.homes import Homes
from planner.generate.horizon import check_periods, horizon_candidates
from planner.generate.names import draw_names
from planner.generate.officers import candidate_rows, draw_officers
from planner.generate.policy import careers_policy, national_policy
from planner.generate.posts import post_rows
from planner.generate.relations import add_ties, draw_relations
from planner.generate.transition import (
    REORGANISATION_YEAR,
    check_transition_periods,
    transition_tables,
)
from planner.generate.units import Geography, unit_rows
from planner.scenario import Policy, Scenario

TERM_START = 2026
"""The first period of a scenario generated without `periods`."""
TERM_YEARS = 5
"""The length of a term in years (`term_years` of the scenario)."""


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
    periods: list[int] | None = None
    """A horizon's years (the first is `term_start`); None for a single term."""
    careers_policy: dict | None = None
    """With careers (:mod:`planner.generate.careers`): the policy with the careers rules, written
    beside `policy`; None without careers."""

    def counts(self) -> dict[str, int]:
        """What `planner generate` reports: units by kind, posts, candidates, relations."""
        kinds: dict[str, int] = {}
        for u in self.units:
            kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
        return {"provinces": kinds.get("province", 0), "districts": kinds.get("district", 0),
                "communes": kinds.get("commune", 0), "ministry_units": kinds.get("ministry", 0),
                "units": len(self.units), "posts": len(self.posts),
                "candidates": len(self.candidates), "relations": len(self.relations),
                "incumbents": sum(1 for c in self.candidates if c["current_post"]),
                "joining": sum(1 for c in self.candidates if c.get("joins")),
                "leaving": sum(1 for c in self.candidates if c.get("leaves"))}

    @property
    def horizon_columns(self) -> bool:
        """Whether the tables need a horizon's columns: with periods, or posts that open or
        close (the transition's, even in one period)."""
        return self.periods is not None or any(p.get("opens") or p.get("closes")
                                               for p in self.posts)

    @property
    def career_columns(self) -> bool:
        """Whether the tables need the careers columns (grade, planned_for): with careers only,
        so that a scenario without them keeps the files it had before careers existed."""
        return self.careers_policy is not None

    def with_careers(self, rng: random.Random) -> GeneratedScenario:
        """The scenario with its careers fields drawn from `rng` (the generator's, after every
        other stage) and the careers policy; named ``...-careers``."""
        add_careers(self.units, self.posts, self.candidates, self.term_start, rng)
        self.name += "-careers"
        self.description += (" Careers: post and officer grades, succession pools (at most 3 "
                             "officers per post, 3 posts per officer), ranked preferences near "
                             "home; the careers policy in policy-careers.yaml.")
        self.careers_policy = careers_policy(self.policy)
        return self

    def to_scenario(self) -> Scenario:
        """The scenario as :func:`planner.load_scenario` would return it, without files."""
        return Scenario.model_validate({
            "name": self.name, "description": self.description, "term_start": self.term_start,
            "term_years": TERM_YEARS, "periods": self.periods, "units": self.units, "posts": self.posts,
            "candidates": self.candidates, "relations": self.relations,
            "policy": Policy.model_validate(self.policy)})


def _check(structure: str, fraction: float, officers_per_post: float,
           periods: list[int] | None, countries: int) -> None:
    """ValueError for arguments the generator cannot honour (the CLI's options say the same)."""
    if countries < 1:
        raise ValueError(f"countries must be at least 1, not {countries}")
    if periods is not None:
        check_periods(periods)
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(STRUCTURES)}, not {structure!r}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], not {fraction}")
    if officers_per_post < 1:
        raise ValueError(f"officers_per_post must be at least 1, not {officers_per_post}")
    if structure == "transition":
        check_transition_periods(periods, TERM_START)


def generate(structure: str = "legacy", fraction: float = 1.0, officers_per_post: float = 2.0,
             seed: int = 0, periods: list[int] | None = None,
             careers: bool = False, countries: int = 1) -> GeneratedScenario:
    """A national scenario from Vietnam's real units; the same arguments give the same scenario.

    `fraction` keeps that share of the provinces (at least one, a seeded sample, in code order)
    with all their districts and communes; `officers_per_post` sets the officer pool's size
    (incumbents included) against the number of posts. `periods` (strictly increasing years)
    makes it a horizon whose first period is `term_start`; without it the scenario is the same,
    byte for byte, as before horizons existed. `careers` adds grades, succession pools, ranked
    preferences and the careers policy, drawn last (without it, again the same bytes).
    `countries` puts that many countries side by side, each drawn in full with its own seed
    (:mod:`planner.generate.countries`); one is the scenario without the option.
    """
    _check(structure, fraction, officers_per_post, periods, countries)
    copies = []
    for k in range(1, countries + 1):
        rng = random.Random(copy_seed(seed, k))
        gen = _scenario(structure, fraction, officers_per_post, seed, periods, rng)
        copies.append(gen.with_careers(rng) if careers else gen)
    return copies[0] if countries == 1 else side_by_side(copies)


def _scenario(structure: str, fraction: float, officers_per_post: float, seed: int,
              periods: list[int] | None, rng: random.Random) -> GeneratedScenario:
    """The scenario without careers, every stage drawn from `rng` (:func:`generate`)."""
    term_start = periods[0] if periods else TERM_START
    if structure == "transition":
        return _transition(fraction, officers_per_post, seed, periods, term_start, rng)
    data = admin_data(structure)
    geo = Geography.keep(data, fraction, rng)
    units = unit_rows(geo, rng)
    posts, slots = post_rows(geo)
    homes = Homes(geo, rng)
    officers = draw_officers(geo, slots, officers_per_post, rng, homes)
    add_ties(officers, homes, rng)
    relations, surname_of = draw_relations(officers, rng)
    candidates = candidate_rows(officers, draw_names(officers, surname_of, rng), term_start)
    if periods:
        candidates = horizon_candidates(geo, homes, candidates, units, periods, TERM_YEARS, rng)

    label = "legacy (63 provinces)" if structure == "legacy" else "2025 (34 provinces)"
    name = _name(structure, geo.whole, fraction, seed, periods)
    description = (f"Vietnam, {label} structure: {len(geo.provinces)} provinces, "
                   f"{len(geo.districts)} districts, {len(geo.communes)} communes from "
                   f"{DATA_PACKAGE} {data.version}; synthetic officers (seed {seed}, "
                   f"{officers_per_post:g} officers per post) drawn from the published national "
                   "distributions. Generated by `planner generate`.")
    if periods:
        description += (f" A horizon of {len(periods)} periods ({', '.join(map(str, periods))}): "
                        "retirements by birth year and gender, newcomers in later periods.")
    return GeneratedScenario(
        name=name, description=description, term_start=term_start, units=units, posts=posts,
        candidates=candidates, relations=relations, policy=national_policy(),
        meta={"structure": structure, "fraction": fraction, "officers_per_post": officers_per_post,
              "seed": seed, "data_package": DATA_PACKAGE, "data_version": data.version,
              "periods": periods},
        periods=list(periods) if periods else None)


def _name(structure: str, whole: bool, fraction: float, seed: int,
          periods: list[int] | None) -> str:
    """`vietnam-legacy-0.25-seed3-periods-2026-2031`: the structure, the fraction kept (none
    for the whole country), the seed and the periods of a horizon."""
    name = f"vietnam-{structure}" + ("" if whole else f"-{fraction:g}") + f"-seed{seed}"
    return name + ("-periods-" + "-".join(map(str, periods)) if periods else "")


def _transition(fraction: float, officers_per_post: float, seed: int, periods: list[int] | None,
                term_start: int, rng: random.Random) -> GeneratedScenario:
    """The transition scenario (:mod:`planner.generate.transition`), named and described."""
    t = transition_tables(fraction, officers_per_post, rng, term_start, periods,
                          TERM_YEARS)
    new, old = t.structures.new, t.structures.legacy
    closed_ids = {p["id"] for p in t.posts if p.get("closes")}
    closed = len(closed_ids)
    held = sum(1 for c in t.candidates if c["current_post"] in closed_ids)
    name = _name("transition", new.whole, fraction, seed, periods)
    description = (f"Vietnam's {REORGANISATION_YEAR} reorganisation: the legacy structure "
                   f"({len(old.provinces)} provinces, {len(old.districts)} districts, "
                   f"{len(old.communes)} communes; its {closed} posts close in "
                   f"{REORGANISATION_YEAR}, {held} of them held) merged into the 2025 structure "
                   f"({len(new.provinces)} provinces, {len(new.communes)} communes, no districts), "
                   f"after the converter of {DATA_PACKAGE} {admin_data('2025').version}; the "
                   f"incumbents of closed posts are to be re-placed; homes and where officers "
                   f"serve are in the 2025 structure; synthetic officers (seed {seed}, "
                   f"{officers_per_post:g} officers per post) drawn from the published national "
                   "distributions. Generated by `planner generate`.")
    if periods:
        description += (f" A horizon of {len(periods)} periods ({', '.join(map(str, periods))}): "
                        "retirements by birth year and gender, newcomers in later periods.")
    return GeneratedScenario(
        name=name, description=description, term_start=term_start, units=t.units, posts=t.posts,
        candidates=t.candidates, relations=t.relations, policy=national_policy(districts=False),
        meta={"structure": "transition", "fraction": fraction,
              "officers_per_post": officers_per_post, "seed": seed, "data_package": DATA_PACKAGE,
              "data_version": admin_data("2025").version, "periods": periods,
              "legacy_provinces": len(old.provinces), "legacy_districts": len(old.districts),
              "legacy_communes": len(old.communes), "closed_posts": closed,
              "incumbents_to_replace": held},
        periods=list(periods) if periods else None)
