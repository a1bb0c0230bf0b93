"""Tiny scenarios and helpers shared by the tests of `planner compare`, `price` and `sweep`.

TINY: two district chief posts held by their local incumbents A (merit 90) and B (merit 80).
Under `non_local` (district chiefs) they must swap: objective 90 + 80 - 2 x 5 (moves) = 160;
without it nobody moves: 170. `clean_record` is slack (nobody is disciplined).

TINY_FILL: the same posts and a third officer C; `fill` makes both posts required, and
`young_cadres` (max_age 50: only A, aged 46, is young) is feasible up to a share of 0.5 and
infeasible above it.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from planner.cli import main

_HEAD = """\
term_start: 2026
units:
  - {id: P, name: P, kind: province, lat: 21.0, lon: 105.0}
  - {id: D1, name: D1, kind: district, parent: P, lat: 21.0, lon: 105.5}
  - {id: D2, name: D2, kind: district, parent: P, lat: 21.5, lon: 105.0}
posts:
  - {id: D1-CH, unit: D1, role: chief}
  - {id: D2-CH, unit: D2, role: chief}
candidates:
  - {id: A, name: A, home: D1, serves_at: D1, current_post: D1-CH, consecutive_terms: 1,
     birth_year: 1980, gender: female, education: university, political_theory: intermediate,
     rating: good, merit: 90}
  - {id: B, name: B, home: D2, serves_at: D2, current_post: D2-CH, consecutive_terms: 1,
     birth_year: 1970, gender: male, education: university, political_theory: intermediate,
     rating: good, merit: 80}
"""

TINY = "name: tiny\n" + _HEAD + """\
policy:
  name: tiny-policy
  rules:
    - {rule: non_local, unit_kind: district, roles: [chief]}
    - {rule: clean_record, roles: [chief]}
  weights: {merit: 1, move: 5}
"""

TINY_FILL = "name: tiny-fill\n" + _HEAD + """\
  - {id: C, name: C, home: P, serves_at: P, birth_year: 1965, gender: male,
     education: university, political_theory: intermediate, rating: good, merit: 60}
policy:
  name: fill-young
  rules:
    - {rule: fill}
    - {rule: young_cadres, max_age: 50, min_share: 0.5}
  weights: {merit: 1, move: 5}
"""

STRICT = """\
name: strict
rules:
  - {rule: non_local, unit_kind: district, roles: [chief]}
  - {rule: gender_balance, min_share: 0.5, hard: false, weight: 7}
weights: {merit: 1, move: 5}
"""

LAX = """\
name: lax
rules:
  - {rule: gender_balance, min_share: 0.5, hard: false, weight: 7}
weights: {merit: 1, move: 5}
"""

SOFT = """\
name: soft
rules:
  - {rule: non_local, unit_kind: district, roles: [chief], hard: false, weight: 3}
weights: {merit: 1, move: 5}
"""


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def invoke(*args: str):
    """Run the planner command line in this process; the result has exit_code and output."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
