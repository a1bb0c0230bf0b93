"""A small valid scenario to break in one place, and helpers that read the problems it gives.

Shared by the bad-input tests under tests/io/ (one file per module that finds the problem).
Every invalid file must give problems that name the file, the YAML line (the CSV row), the
field, and what was expected -- all of them at once, as one :class:`planner.errors.InputError`.
The tests write :data:`BASE`, break it in one place, and look at the
:class:`planner.errors.Problem` objects: `.file`, `.line`, `.row`, `.field` and key words of
`.message`. Lines are found by searching the written text (:func:`line_of`), so the tests say
*where* the problem is rather than hard-coding numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputError, Problem
from planner.io.loader import load_scenario

BASE = """\
name: probe
term_start: 2026
units:
  - {id: P1, name: Province 1, kind: province, lat: 21.0, lon: 105.8}
  - {id: D1, name: District 1, kind: district, parent: P1}
  - {id: C1, name: Commune 1, kind: commune, parent: D1}
  - {id: M1, name: Ministry, kind: ministry}
posts:
  - {id: P1-DIR, unit: P1, role: director}
  - {id: D1-CH, unit: D1, role: chief, priority: 2}
candidates:
  - {id: A, name: Anh, home: C1, serves_at: M1, birth_year: 1975, gender: male, education: master, political_theory: advanced, rating: good, merit: 80}
  - {id: B, name: Binh, home: P1, serves_at: D1, current_post: D1-CH, consecutive_terms: 1, birth_year: 1970, gender: female, education: university, political_theory: intermediate, rating: excellent, merit: 70}
relations:
  - {a: A, b: B, kind: kin}
fixed:
  - {post: D1-CH, candidate: B}
forbidden:
  - {post: P1-DIR, candidate: B}
policy:
  name: pol
  rules:
    - {rule: non_local, unit_kind: province, roles: [director]}
  weights: {merit: 1, move: 5}
"""

CANDIDATES_CSV = """\
id,name,home,serves_at,current_post,consecutive_terms,birth_year,gender,education,political_theory,rating,merit,ties,disciplined
A,Anh,C1,M1,,,1975,male,master,advanced,good,80,P1;M1,TRUE
B,Binh,P1,D1,D1-CH,1,1970,female,university,intermediate,excellent,70,,no
"""

POLICY = """\
name: other
rules:
  - {rule: fill}
weights: {vacancy: 7}
"""


def swap(old: str, new: str, text: str = BASE) -> str:
    assert old in text, f"test setup: {old!r} not in the scenario"
    return text.replace(old, new, 1)


def without_policy(text: str = BASE) -> str:
    return text.split("policy:\n")[0]


def with_csv_candidates(text: str = BASE) -> str:
    head, rest = text.split("candidates:\n")
    tail = rest[rest.index("relations:"):]
    return head + "candidates: {csv: cands.csv}\n" + tail


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line holding `needle`."""
    hits = [i for i, ln in enumerate(text.splitlines(), start=1) if needle in ln]
    assert len(hits) >= nth, f"test setup: {needle!r} not found"
    return hits[nth - 1]


def write(folder: Path, text: str | bytes, files: dict[str, str | bytes] | None = None,
          name: str = "scenario.yaml") -> Path:
    for rel, content in (files or {}).items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode() if isinstance(content, str) else content)
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def problems_of(folder: Path, text: str | bytes, files: dict | None = None, **kw) -> list[Problem]:
    path = write(folder, text, files)
    with pytest.raises(InputError) as info:
        load_scenario(path, **kw)
    probs = info.value.problems
    assert probs, "an InputError must hold at least one problem"
    for p in probs:
        assert isinstance(p, Problem) and p.file and p.message
        assert "Traceback" not in p.message
    return probs


def only(probs: list[Problem], **match) -> Problem:
    """The single problem whose attributes equal `match` (field may be given as a suffix)."""
    def ok(p: Problem) -> bool:
        for key, want in match.items():
            got = getattr(p, key)
            if key == "field" and isinstance(want, str) and got is not None:
                if got != want and not got.endswith("." + want):
                    return False
            elif key == "file":
                if Path(got).name != want:
                    return False
            elif got != want:
                return False
        return True
    hits = [p for p in probs if ok(p)]
    assert len(hits) == 1, f"expected one problem matching {match}, got:\n" + \
        "\n".join(map(repr, probs))
    return hits[0]


def says(problem: Problem, *words: str) -> None:
    low = problem.message.lower()
    for w in words:
        assert w.lower() in low, f"{w!r} not in message {problem.message!r}"


def load_ok(folder: Path, text: str, files: dict | None = None, **kw):
    return load_scenario(write(folder, text, files), **kw)
