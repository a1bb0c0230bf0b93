"""The loader as a whole (planner/io/loader.py): the base scenario loads, every problem
is reported at once, numbers too large for the solver are refused, and no odd value
anywhere gives anything but problems."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from bad_input import (
    BASE,
    CANDIDATES_CSV,
    line_of,
    load_ok,
    only,
    problems_of,
    says,
    swap,
    with_csv_candidates,
    without_policy,
    write,
)

from planner.errors import InputError
from planner.io.loader import load_scenario


def test_base_scenario_is_valid(tmp_path):
    scn = load_ok(tmp_path, BASE)
    assert [u.id for u in scn.units] == ["P1", "D1", "C1", "M1"]
    assert scn.policy is not None and scn.policy.name == "pol"


# -- all problems at once ----------------------------------------------------------------------

def test_many_problems_in_one_file_all_reported(tmp_path):
    text = BASE
    for old, new in [
        ("term_start: 2026", "term_start: soon"),                         # 1 wrong type
        ("kind: district", "kind: county"),                               # 2 enum
        ("{id: P1-DIR, unit: P1,", "{id: P1-DIR, unit: PX,"),             # 3 unknown unit
        ("priority: 2", "priority: 0"),                                   # 4 priority < 1
        ("merit: 80", "merit: 190"),                                      # 5 range
        ("gender: male", "gender: x"),                                    # 6 enum
        ("consecutive_terms: 1, ", ""),                                   # 7 terms vs post
        ("{a: A, b: B", "{a: A, b: A"),                                   # 8 a == b
        ("{post: D1-CH, candidate: B}", "{post: D1-CH, candidate: Q}"),   # 9 unknown candidate
        ("roles: [director]}", "roles: []}"),                             # 10 empty roles
        ("move: 5}", "move: -5, speed: 1}"),                              # 11, 12 weights
    ]:
        text = swap(old, new, text)
    probs = problems_of(tmp_path, text)
    assert len(probs) == 12, "\n".join(map(str, probs))
    fields = [p.field for p in probs]
    assert fields.count("policy.weights.move") == 1 and "policy.weights.speed" in fields
    assert all(p.line is not None for p in probs)
    assert all(p.file.endswith("scenario.yaml") for p in probs)
    assert len({(p.line, p.field) for p in probs}) == 12


def test_problems_across_scenario_csv_and_policy_all_reported(tmp_path):
    text = swap("kind: district", "kind: county", with_csv_candidates(without_policy()))
    text += "policy: {file: p.yaml}\n"
    csv = CANDIDATES_CSV.replace(",80,", ",-1,")
    probs = problems_of(tmp_path, text, {"cands.csv": csv, "p.yaml": "name: p\nweights: {x: 1}\n"})
    assert sorted(Path(p.file).name for p in probs) == ["cands.csv", "p.yaml", "scenario.yaml"]


def test_report_text_names_file_line_and_field(tmp_path):
    text = swap("merit: 80", "merit: 190")
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    report = info.value.report()
    assert report.startswith("1 problem found:")
    assert f"{path}:{line_of(text, '{id: A,')}: candidates[0].merit: expected an integer " \
           "from 0 to 100, got 190" in report


# -- numbers too large to count ----------------------------------------------------------------

def test_priority_too_large_for_the_solver(tmp_path):
    text = swap("priority: 2", "priority: 1000000000000000000000")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "posts[1].priority" and p.line == line_of(text, "D1-CH, unit")
    says(p, "from 1 to 1000000")  # the range of a priority, within which the sums fit


def test_weight_too_large_for_the_solver(tmp_path):
    text = swap("move: 5}", "move: 5, vacancy: 100000000000000000000}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.weights.vacancy" and p.line == line_of(text, "weights:")
    says(p, "from 0 to 1000000000")


def test_soft_rule_weight_too_large_for_the_solver(tmp_path):
    (tmp_path / "p.yaml").write_text("name: p\nrules:\n  - {rule: fill, hard: false, "
                                     "weight: 100000000000000000000}\n")
    probs = problems_of(tmp_path, BASE, policy=tmp_path / "p.yaml")
    only(probs, file="p.yaml", line=3, field="rules[0].weight")


def test_large_but_realistic_numbers_are_fine(tmp_path):
    text = swap("priority: 2", "priority: 1000")
    text = swap("move: 5}", "move: 5, vacancy: 1000000000}", text)
    assert load_ok(tmp_path, text).posts[1].priority == 1000


# -- no input, however odd, gives anything but problems ----------------------------------------

ODD_VALUES = [None, [1], {"a": 1}, 1.5, True, "x", -3, [{"a": 1}], 10 ** 30]

SMALL = {
    "name": "small", "term_start": 2026,
    "units": [{"id": "P1", "name": "P", "kind": "province", "lat": 1.0, "lon": 2.0},
              {"id": "M1", "name": "M", "kind": "ministry", "parent": None}],
    "posts": [{"id": "P1-DIR", "unit": "P1", "role": "director", "priority": 2,
               "min_rating": "good", "specialties": ["law"]}],
    "candidates": [
        {"id": "A", "name": "A", "home": "P1", "serves_at": "M1", "current_post": "P1-DIR",
         "consecutive_terms": 1, "birth_year": 1970, "gender": "male", "education": "master",
         "political_theory": "advanced", "rating": "good", "merit": 50, "disciplined": False,
         "ties": ["M1"], "preferences": ["P1"]},
        {"id": "B", "name": "B", "home": "M1", "serves_at": "M1", "birth_year": 1980,
         "gender": "female", "education": "phd", "political_theory": "primary",
         "rating": "excellent", "merit": 60}],
    "relations": [{"a": "A", "b": "B", "kind": "kin"}],
    "fixed": [{"post": "P1-DIR", "candidate": "A"}],
    "forbidden": [{"post": "P1-DIR", "candidate": "B"}],
    "policy": {"name": "p", "rules": [
        {"rule": "non_local", "roles": ["director"], "min_share": 0.5, "hard": False, "weight": 2},
        {"rule": "ministry_quota", "min_per_unit": 1}], "weights": {"move": 1}},
}


def _leaf_paths(obj, at=()):
    yield at
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaf_paths(v, (*at, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaf_paths(v, (*at, i))


def test_odd_values_anywhere_give_problems_not_crashes(tmp_path):
    base = SMALL
    path = tmp_path / "scenario.yaml"
    path.write_text(json.dumps(base))  # JSON is YAML, and quick to write
    load_scenario(path)  # valid as it stands
    crashes = []
    for at in list(_leaf_paths(base))[1:]:
        for value in ODD_VALUES:
            data = copy.deepcopy(base)
            target = data
            for k in at[:-1]:
                target = target[k]
            target[at[-1]] = value
            path.write_text(json.dumps(data))
            try:
                load_scenario(path)
            except InputError as exc:
                for p in exc.problems:
                    if p.file != str(path):
                        crashes.append((at, value, f"problem names {p.file}"))
            except Exception as exc:  # noqa: BLE001 - any other exception is the bug
                crashes.append((at, value, f"{type(exc).__name__}: {exc}"))
    assert not crashes, crashes[:10]
