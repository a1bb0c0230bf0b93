"""Fuzz: mutated scenarios and random option values through the command line.

A valid scenario (every table, a policy with most rule types) is mutated the way a hostile or
careless user would: fields dropped, rows duplicated, values changed to wrong types, huge or
negative numbers, NaN and infinity, odd strings, references to nothing. `planner validate` and
`planner solve --time-limit 1` (with random values of the other options) must then end with a
documented exit status (0 a plan, 1 proven infeasible, 2 bad input, 3 no plan in time), never
with a traceback, and an exit 2 must name a field or an option, so the user knows what to fix.

Bounded: `max_examples` keeps both tests well under a minute on one core (a solve of this
scenario takes about 0.15 s); PLANNER_FUZZ_SCALE=20 hunts longer. No example database is
written (`database=None`).

Inputs that still fail in other engineers' areas (issue 14, items 4, 5 and 8) are left out of
the strategies below, each named in KNOWN_FAILING_* with what happens: remove an entry once its
fix lands, and the fuzz test guards it from then on.
"""

from __future__ import annotations

import copy
import csv
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.schema import Candidate, Post, Unit

BASE: dict[str, Any] = {
    "name": "fuzz",
    "description": "three units, three posts, four officers, most rule types",
    "term_start": 2026,
    "term_years": 5,
    "units": [
        {"id": "P", "name": "P", "kind": "province", "lat": 21.0, "lon": 105.0},
        {"id": "D1", "name": "D1", "kind": "district", "parent": "P", "lat": 21.0, "lon": 105.5,
         "difficult": True},
        {"id": "D2", "name": "D2", "kind": "district", "parent": "P"},
        {"id": "M", "name": "M", "kind": "ministry"},
    ],
    "posts": [
        {"id": "P-DIR", "unit": "P", "role": "director", "priority": 3,
         "min_education": "university", "max_age": 60, "specialties": ["finance"]},
        {"id": "D1-CH", "unit": "D1", "role": "chief", "min_rating": "good"},
        {"id": "D2-CH", "unit": "D2", "role": "chief", "min_political_theory": "intermediate"},
    ],
    "candidates": [
        {"id": "A", "name": "A", "home": "D1", "serves_at": "D1", "current_post": "D1-CH",
         "consecutive_terms": 1, "birth_year": 1980, "gender": "female",
         "education": "university", "political_theory": "intermediate", "rating": "good",
         "merit": 90, "specialties": ["finance"], "served_local": True, "ties": ["D2"],
         "preferences": ["P"]},
        {"id": "B", "name": "B", "home": "D2", "serves_at": "D2", "current_post": "D2-CH",
         "consecutive_terms": 2, "birth_year": 1970, "gender": "male",
         "education": "master", "political_theory": "advanced", "rating": "excellent",
         "merit": 80},
        {"id": "C", "name": "C", "home": "P", "serves_at": "M", "birth_year": 1975,
         "gender": "male", "education": "phd", "political_theory": "advanced",
         "rating": "good", "merit": 70, "disciplined": False},
        {"id": "E", "name": "E", "home": "M", "serves_at": "M", "birth_year": 1990,
         "gender": "female", "education": "university", "political_theory": "intermediate",
         "rating": "excellent", "merit": 60, "served_local": False},
    ],
    "relations": [{"a": "A", "b": "B", "kind": "kin"}],
    "fixed": [{"post": "P-DIR", "candidate": "C"}],
    "forbidden": [{"post": "D2-CH", "candidate": "E"}],
    "policy": {
        "name": "fuzz-policy",
        "rules": [
            {"rule": "non_local", "unit_kind": "district", "roles": ["chief"], "min_share": 0.5},
            {"rule": "term_limit", "max_consecutive_terms": 2},
            {"rule": "ministry_quota", "unit_kind": "province", "roles": ["director"],
             "min_per_unit": 1, "min_share_of_units": 1},
            {"rule": "kinship", "scope": "province", "hard": False, "weight": 10},
            {"rule": "gender_balance", "min_share": 0.3, "hard": False, "weight": 50},
            {"rule": "young_cadres", "max_age": 50, "min_share": 0.3, "hard": False,
             "weight": 5},
            {"rule": "clean_record"},
            {"rule": "age_limit", "max_age": 65},
            {"rule": "difficult_areas", "min_rating": "good", "hard": False, "weight": 3},
            {"rule": "fill", "roles": ["director"]},
            {"rule": "mobility", "max_km": 500, "hard": False, "weight": 2},
            {"rule": "local_experience", "unit_kind": "ministry"},
        ],
        "weights": {"merit": 1, "specialty": 2, "preference": 1, "move": 5, "distance": 1,
                    "vacancy": 1000},
    },
}

ODD_VALUES = st.one_of(
    st.sampled_from([
        None, True, False, 0, 1, -1, 2, 10**30, -3 * 10**9, 2**31, 2**63, 1e308, -1e308, 0.5,
        1.5, 5.0, "", " ", "x", "NOPE", "5", "1e3", "0x10", "null", "yes", "no",
        "=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@x", "\t=1", "#N/A", "<b>x</b>",
        "a\nb", "😀", "é" * 300, "x" * 5000, "../x", "/etc/passwd", [], [1], ["x", "x"], {},
        {"a": 1}, {"csv": "nope.csv"}, {"file": "nope.yaml"},
    ]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
)
"""Values a field may be changed to: wrong types, out-of-range numbers, odd strings."""

KNOWN_FAILING_VALUES: list[tuple[str, Any, str]] = []
"""(field, value, what happens) of mutations left out: each still fails in another area."""

KNOWN_FIELDS = (set(Unit.model_fields) | set(Post.model_fields) | set(Candidate.model_fields)
                | set(BASE) | {"a", "b", "kind", "post", "candidate", "rule", "rules",
                               "weights", "hard", "weight", "roles", "unit_kind", "scope",
                               "min_share", "per", "max_consecutive_terms", "same",
                               "min_per_unit", "min_share_of_units", "max_age", "min_rating",
                               "within", "max_km", "merit", "specialty", "preference", "move",
                               "distance", "vacancy", "id", "name", "policy", "file", "csv"})
"""Names a message may give as the field at fault."""

Path_ = tuple[Any, ...]


def _slots(doc: Any, path: Path_ = ()) -> list[Path_]:
    """Every place in the document a mutation may touch: each key's value, each list item."""
    out: list[Path_] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.append((*path, key))
            out += _slots(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out.append((*path, i))
            out += _slots(value, (*path, i))
    return out


def _parent(doc: Any, path: Path_) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


def _field(path: Path_) -> str:
    """The name of the field a path ends in (the table's name for a list item)."""
    return next((str(s) for s in reversed(path) if isinstance(s, str)), "")


EXTREMES = [10**30, -(10**30), -3 * 10**9, 2**31, 2**53 + 1, 2**63, -1, 0, 1e308, math.nan,
            math.inf, -math.inf, True, 5.0, 0.50000000000000000001, "5", "33:46"]
"""What a number may be changed to: beyond any range, the wrong type, or NaN and infinity."""


def _numbers(doc: Any) -> list[Path_]:
    """The places in the document that hold a number (not a boolean)."""
    return [p for p in _slots(doc) if isinstance(_parent(doc, p)[p[-1]], (int, float))
            and not isinstance(_parent(doc, p)[p[-1]], bool)]


def _excluded(path: Path_, value: Any) -> bool:
    return any(f == _field(path) and _same(v, value) for f, v, _ in KNOWN_FAILING_VALUES)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """The base scenario after one to three mutations, and what they were (op, path, value).

    One mutation mostly, so that most cases get past the checks that a mutation breaks first
    (references, the fixed pair) to the solver, where numbers overflow."""
    doc = copy.deepcopy(BASE)
    done: list[tuple[str, str, Any]] = []
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        op = draw(st.sampled_from(["drop", "duplicate", "set", "reference", "number",
                                   "number", "number"]))
        slots = _numbers(doc) if op == "number" else _slots(doc)
        if not slots:
            break
        path = draw(st.sampled_from(slots))
        parent, last = _parent(doc, path), path[-1]
        if op == "drop":
            del parent[last]
            value = None
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
            value = parent[last]
        else:
            if op == "reference":
                value = draw(st.sampled_from(["NOPE", "P", "D1", "M", "P-DIR", "A", "C", ""]))
            elif op == "number":
                value = draw(st.one_of(st.sampled_from(EXTREMES), st.sampled_from(EXTREMES),
                                       st.integers(), st.floats()))
            else:
                op, value = "set", draw(ODD_VALUES)
            if _excluded(path, value):
                continue
            parent[last] = value
        done.append((op, "/".join(map(str, path)), value))
    return doc, done


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


CSV_TABLES = ("units", "posts", "candidates", "relations", "fixed", "forbidden")


def _csv_cell(value: Any) -> str:
    """A value as the contract writes it in CSV: lists `;`-separated, true/false, empty for none."""
    if isinstance(value, list):
        return ";".join(_csv_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _write(folder: Path, doc: dict[str, Any], csv_tables: frozenset[str] = frozenset(),
           broken_quote: bool = False) -> Path:
    """The scenario as YAML, the tables named in `csv_tables` as CSV files beside it (the last
    of them with an unterminated quote when `broken_quote`)."""
    doc = copy.deepcopy(doc)
    for table in sorted(csv_tables):
        rows = doc.get(table)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            continue
        columns = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
        with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(columns)
            out.writerows([_csv_cell(r.get(c)) for c in columns] for r in rows)
            if broken_quote and table == max(csv_tables):
                f.write('"never closed,' + ",".join(columns[1:]) + "\nx,y\n")
        doc[table] = {"csv": f"{table}.csv"}
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _traceback(res: Result) -> str | None:
    """The exception a command ended with, as text; None when it ended by its own exit."""
    if res.exception is None or isinstance(res.exception, SystemExit):
        return None
    import traceback
    return "".join(traceback.format_exception(res.exception))


def _assert_clean(res: Result, what: Any, options: tuple[str, ...] = ()) -> None:
    """A documented exit status, no traceback; exit 2 names a field or an option."""
    tb = _traceback(res)
    assert tb is None, f"{what}\n{res.output}\n{tb}"
    assert "Traceback" not in res.output, (what, res.output)
    assert res.exit_code in (0, 1, 2, 3), (what, res.exit_code, res.output)
    if res.exit_code == 2:
        named = [f for f in KNOWN_FIELDS if re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])",
                                                      res.output)]
        named += [o for o in options if o.startswith("-") and o.split("=")[0] in res.output]
        assert named, (what, res.output)


SCALE = float(os.environ.get("PLANNER_FUZZ_SCALE", "1"))
"""More examples for a longer hunt (PLANNER_FUZZ_SCALE=20); 1 in the suite."""
FUZZ = settings(max_examples=int(150 * SCALE), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_base_scenario_is_valid_and_solves(tmp_path: Path):
    path = _write(tmp_path, BASE)
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["solve", str(path), "--time-limit", "1", "--workers", "1", "-q",
                               "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    (tmp_path / "csv").mkdir()
    res = runner.invoke(main, ["validate", str(_write(tmp_path / "csv", BASE,
                                                      frozenset(CSV_TABLES)))])
    assert res.exit_code == 0, res.output
    assert {p.name for p in (tmp_path / "csv").iterdir()} >= {f"{t}.csv" for t in CSV_TABLES}


@FUZZ
@given(case=mutated(), csv_tables=st.frozensets(st.sampled_from(CSV_TABLES)),
       broken_quote=st.booleans())
def test_validate_mutated_scenarios(case, csv_tables, broken_quote):
    """The same mutations with some tables moved to CSV files, one of them perhaps broken."""
    doc, done = case
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = _write(Path(tmp), doc, csv_tables, broken_quote and bool(csv_tables))
        _assert_clean(CliRunner().invoke(main, ["validate", str(path)]),
                      (done, sorted(csv_tables), broken_quote))


SOLVE_OPTIONS = {
    "--workers": st.sampled_from(["1", "2", "0", "-1", "x", "1.5", "1000000000000"]),
    "--seed": st.sampled_from(["0", "7", "-1", "x", "99999999999", "-99999999999", "2147483648"]),
    "--gap": st.sampled_from(["0", "0.1", "1", "-1", "x", "nan", "inf", "-inf"]),
    "--time-limit": st.sampled_from(["1", "0", "-1", "x", "nan", "inf"]),
    "--change-weight": st.sampled_from(["1", "0", "-5", "x", "100000000000000000000"]),
    "--relax-weight": st.sampled_from(["1", "0", "-5", "x", "100000000000000000000"]),
    "--fix": st.sampled_from(["P-DIR=C", "P-DIR=NOPE", "NOPE=A", "x", "=", "P-DIR="]),
    "--forbid": st.sampled_from(["D1-CH=A", "NOPE=A", "x", "=A"]),
    "--stay-close-to": st.sampled_from(["nope.csv"]),
    "--exact": st.just(None), "--shortlist": st.just(None), "--deterministic": st.just(None),
    "--relax": st.just(None), "--no-excel": st.just(None), "--no-report": st.just(None),
}
"""Option values for `planner solve`: valid ones, and beyond each option's range (a time limit
other than 1 s is only ever a refused one, so that no example solves for long)."""

KNOWN_FAILING_OPTIONS: dict[str, list[str]] = {}
"""Values left out of SOLVE_OPTIONS because they still fail in another area (none today)."""


@st.composite
def solve_options(draw: st.DrawFn) -> tuple[str, ...]:
    names = draw(st.lists(st.sampled_from(sorted(SOLVE_OPTIONS)), max_size=4, unique=True))
    out: list[str] = []
    for name in names:
        value = draw(SOLVE_OPTIONS[name].filter(
            lambda v, name=name: v not in KNOWN_FAILING_OPTIONS.get(name, [])))
        out += [name] if value is None else [name, value]
    return tuple(out)


def _case(*changes: tuple[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """The base scenario with `changes` (a path like candidates/1/birth_year, a value) made."""
    doc = copy.deepcopy(BASE)
    for where, value in changes:
        path = tuple(int(s) if s.isdigit() else s for s in where.split("/"))
        _parent(doc, path)[path[-1]] = value
    return doc, [("set", where, value) for where, value in changes]


ISSUE_14_CASES = [
    _case(("candidates/1/birth_year", 10**30)), _case(("candidates/1/birth_year", -3 * 10**9)),
    _case(("term_start", 10**30)), _case(("term_start", -3 * 10**9)),
    _case(("candidates/1/consecutive_terms", 10**30)),
    _case(("policy/rules/2/min_per_unit", 10**30)),
    _case(("posts/0/priority", 10**30), ("policy/weights/merit", 0), ("policy/weights/vacancy", 0)),
]
"""The overflows the outside campaign found (issue 14, item 4): always tried, as examples."""


@settings(FUZZ, max_examples=int(60 * SCALE))
@example(case=ISSUE_14_CASES[0], options=())
@example(case=ISSUE_14_CASES[1], options=())
@example(case=ISSUE_14_CASES[2], options=())
@example(case=ISSUE_14_CASES[3], options=())
@example(case=ISSUE_14_CASES[4], options=())
@example(case=ISSUE_14_CASES[5], options=())
@example(case=ISSUE_14_CASES[6], options=())
@given(case=st.one_of(mutated(), st.just((copy.deepcopy(BASE), []))), options=solve_options())
def test_solve_mutated_scenarios_and_options(case, options):
    doc, done = case
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = _write(Path(tmp), doc)
        args = ["solve", str(path), "--time-limit", "1", "--workers", "1", "-q",
                "-o", str(Path(tmp) / "out"), *options]
        _assert_clean(CliRunner().invoke(main, args), (done, options), options)
