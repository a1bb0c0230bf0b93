"""Horizons: what a generated scenario needs to be planned over several terms (docs/horizon.md).

`planner generate --periods 2026,2031,2036` writes the scenario's `periods` and, for every
officer, what changes from one period to the next: the year they retire (`leaves`, from birth
year and gender), the year an incumbent took their post (`since`, consistent with their
consecutive terms), whether they have served in a difficult area (`served_difficult`), and a
few young newcomers who join the pool in a later period (`joins`). These draws come last, after
every draw of a scenario without periods, so that scenario stays the same, byte for byte.

Retirement ages follow the Labour Code 2019 (art. 169) and Decree 135/2020/ND-CP: the normal
retirement age rises from 60 years 3 months (men) and 55 years 4 months (women) in 2021 by 3
and 4 months a year, to **62 for men from 2028 and 60 for women from 2035**. The generator
takes these end points for everyone (a simplification: a woman reaching 57-59 before 2035
retires up to three years earlier under the roadmap; some officials in leadership posts may
serve longer under the decree's later-retirement provisions).
"""

from __future__ import annotations

import random
from itertools import pairwise

from planner.generate.distributions import split
from planner.generate.homes import Homes
from planner.generate.names import draw_names
from planner.generate.officers import Pool, PoolSize, candidate_rows
from planner.generate.posts import REQUIREMENTS
from planner.generate.records import Records, qualified_records
from planner.generate.units import Geography
from planner.schema import YEARS

HORIZON_FIELDS = frozenset({"opens", "closes", "joins", "leaves", "since", "served_difficult"})
"""Table columns of horizons: written only for a scenario with periods, so that one without is
the scenario of before horizons existed, byte for byte."""
RETIREMENT_AGE = {"male": 62, "female": 60}
"""Labour Code 2019 / Decree 135/2020: the roadmap's end points (men 2028, women 2035)."""
NEWCOMER_SHARE = 0.03
RESERVE_AGE = (40, 50)
"""Ages, in the year they join, of the officers joining the ministry's reserve."""
"""Newcomers joining in each later period, against the pool's size."""
NEWCOMER_AGE = (28, 40)
"""A newcomer's age in the year they join (both ends included)."""
SINCE_AT_TERM_START = 0.7
"""Share of incumbents who took their post when a term began (the others during one)."""
SERVED_DIFFICULT = {"local": 0.25, "other": 0.05}
"""Chance that an officer not serving in a difficult area now has done so before, for those who
have served locally and for the others."""


def check_periods(periods: list[int]) -> None:
    """ValueError unless `periods` is a non-empty list of strictly increasing years that a
    scenario can hold (retirements and newcomers' birth years included)."""
    if not periods:
        raise ValueError("periods must list at least one year")
    if periods[0] < YEARS[0] + 100 or periods[-1] + 100 > YEARS[1]:
        raise ValueError(f"periods must lie between {YEARS[0] + 100} and {YEARS[1] - 100}")
    for before, year in pairwise(periods):
        if year <= before:
            raise ValueError(f"periods must be strictly increasing, not {before} then {year}")


def retirement_year(birth_year: int, gender: str) -> int:
    """The year an officer reaches the retirement age of :data:`RETIREMENT_AGE`."""
    return birth_year + RETIREMENT_AGE[gender]


def leaves_year(birth_year: int, gender: str, periods: list[int], term_years: int) -> int | None:
    """`leaves` where it matters: the retirement year if it falls before the horizon ends (the
    last period's term, which `service_left` looks into), else None. An officer already past
    the age (the pool's oldest women) serves out the first period, as in the scenario without
    periods: the horizon changes only the later ones."""
    year = max(retirement_year(birth_year, gender), periods[0] + 1)
    return year if year < periods[-1] + term_years else None


def since_year(terms: int, term_start: int, term_years: int, rng: random.Random) -> int:
    """When an incumbent in their `terms`-th consecutive term took the post: the start of that
    term mostly, a year during it otherwise; the term holding `term_start - 1` is the last."""
    first = term_start - terms * term_years
    if term_years == 1 or rng.random() < SINCE_AT_TERM_START:
        return first
    return first + rng.randrange(1, term_years)


def difficult_units(units: list[dict]) -> set[str]:
    """Ids of the difficult units: those marked, and every unit under one (parents come first)."""
    hard: set[str] = set()
    for u in units:
        if u["difficult"] or u["parent"] in hard:
            hard.add(u["id"])
    return hard


def add_horizon_fields(candidates: list[dict], units: list[dict], periods: list[int],
                       term_years: int, rng: random.Random) -> None:
    """Give every candidate row `joins` (None: newcomers get theirs after), `leaves`, `since`
    (incumbents) and `served_difficult`."""
    hard = difficult_units(units)
    for c in candidates:
        c["joins"] = None
        c["leaves"] = leaves_year(c["birth_year"], c["gender"], periods, term_years)
        c["since"] = (since_year(c["consecutive_terms"], periods[0], term_years, rng)
                      if c["current_post"] else None)
        chance = SERVED_DIFFICULT["local" if c["served_local"] else "other"]
        c["served_difficult"] = c["serves_at"] in hard or rng.random() < chance


def newcomer_rows(geo: Geography, homes: Homes, periods: list[int], pool: int, first_id: int,
                  rng: random.Random) -> list[dict]:
    """Officers joining each later period: :data:`NEWCOMER_SHARE` of the pool, young, spread
    over the provinces by their communes and placed like a province's open pool; and one per
    province joining the ministry's reserve, qualified for province leadership (ages
    :data:`RESERVE_AGE`). A ministry official placed in a province is no longer ministry-origin
    in the next period, so without a fresh reserve the ministry quota (a ministry-origin leader
    in 95% of provinces) runs dry within two terms: measured on legacy x 0.25, 40 ministry-origin
    officers in 2026, 28 in 2031, 15 in 2036 against 16 provinces. The reserve meets a provincial
    deputy's requirements (:func:`~planner.generate.records.qualified_records`): drawn from
    the newcomers' few records, most of it lacked the advanced political theory, and no plan
    of legacy x 0.1 met the quota in 2036."""
    weights = [len(geo.communes_of_province[p["code"]]) or 1 for p in geo.provinces]
    n = round(NEWCOMER_SHARE * pool)
    k = len(geo.provinces)
    rows: list[dict] = []
    for year in periods[1:]:
        drawn = Pool(geo, rng, homes, Records(rng, n))
        drawn.open_pools(PoolSize(0, [], split(n, weights), 0))
        young = len(drawn.officers)
        drawn.ministry_staff(PoolSize(k, [], [], k),
                             qualified_records(rng, k, REQUIREMENTS["deputy_director"]))
        for i, o in enumerate(drawn.officers):
            o["age"] = periods[0] - (year - rng.randint(*(NEWCOMER_AGE if i < young else RESERVE_AGE)))
            o["ties"] = None
            o["id"] = f"O{first_id + len(rows):06d}"
            o["joins"] = year
            rows.append(o)
    return rows


def horizon_candidates(geo: Geography, homes: Homes, candidates: list[dict], units: list[dict],
                       periods: list[int], term_years: int, rng: random.Random) -> list[dict]:
    """The candidate table of a horizon: the pool with its horizon fields, then the newcomers
    (ids continuing the pool's), each named and given the same fields."""
    add_horizon_fields(candidates, units, periods, term_years, rng)
    officers = newcomer_rows(geo, homes, periods, len(candidates), len(candidates) + 1, rng)
    names = draw_names(officers, {}, rng)
    rows = candidate_rows(officers, names, periods[0])
    add_horizon_fields(rows, units, periods, term_years, rng)
    for row, o in zip(rows, officers):
        row["joins"] = o["joins"]
    return candidates + rows
