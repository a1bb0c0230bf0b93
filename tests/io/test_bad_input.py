"""Bad scenario and policy files (contract sections 1, 2 and 6), one test per kind of problem.

Every invalid file must give problems that name the file, the YAML line (the CSV row), the
field, and what was expected -- all of them at once, as one :class:`planner.errors.InputError`.
The tests write a small valid scenario, break it in one place, and look at the
:class:`planner.errors.Problem` objects: `.file`, `.line`, `.row`, `.field` and key words of
`.message`. Lines are found by searching the written text, so the tests say *where* the
problem is rather than hard-coding numbers.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import planner.io.yamlio
from planner.errors import InputError, Problem
from planner.io.loader import load_policy, load_scenario

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


# -- helpers -----------------------------------------------------------------------------------

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


def test_base_scenario_is_valid(tmp_path):
    scn = load_ok(tmp_path, BASE)
    assert [u.id for u in scn.units] == ["P1", "D1", "C1", "M1"]
    assert scn.policy is not None and scn.policy.name == "pol"


# -- reading YAML safely -----------------------------------------------------------------------

def test_yaml_syntax_error_names_the_line(tmp_path):
    text = swap("term_start: 2026", "term_start: [2026")
    (p,) = problems_of(tmp_path, text)
    assert p.file.endswith("scenario.yaml")
    assert p.line is not None and abs(p.line - line_of(text, "term_start")) <= 1
    says(p, "yaml", "expected")


@pytest.mark.parametrize("tagged", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/object:collections.OrderedDict {{}}",
    "!local_tag something",
])
def test_tags_that_build_objects_are_refused(tmp_path, tagged):
    marker = tmp_path / "marker"
    text = swap("name: probe", "name: " + tagged.format(marker=marker))
    (p,) = problems_of(tmp_path, text)
    only([p], field="name", line=1)
    says(p, "tag")
    assert not marker.exists(), "a YAML tag ran a command"


def test_tag_on_a_mapping_is_refused(tmp_path):
    text = swap("  - {id: M1,", "  - !!python/object:planner.schema.Unit {id: M1,")
    probs = problems_of(tmp_path, text)
    p = only(probs, field="units[3]")
    assert p.line == line_of(text, "id: M1")
    says(p, "tag", "python/object")


def test_alias_bomb_is_refused(tmp_path):
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        levels.append(f"a{i}: &a{i} [{refs}]")
    (p,) = problems_of(tmp_path, "\n".join(levels) + "\n")
    says(p, "alias", "bomb")
    assert p.line is not None


def test_alias_bomb_limit_follows_max_nodes(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.io.yamlio, "MAX_NODES", 50)
    text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a, *a]\n"
    (p,) = problems_of(tmp_path, text)
    says(p, "alias")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "x: 1\nloop: &l [1, [2, *l]]\n"])
def test_recursive_alias_is_refused(tmp_path, text):
    (p,) = problems_of(tmp_path, text)
    says(p, "recursive alias")
    assert p.line == line_of(text, "&")


def test_plain_aliases_still_work(tmp_path):
    text = swap("units:\n", "x-roles: &roles [director]\nunits:\n")
    probs = problems_of(tmp_path, text)
    only(probs, field="x-roles")  # an unknown top-level field, nothing about the alias


def test_oversized_scenario_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.io.yamlio, "MAX_FILE_BYTES", 100)
    (p,) = problems_of(tmp_path, BASE)
    assert p.file.endswith("scenario.yaml")
    says(p, "too large", str(len(BASE.encode())), "100")


def test_oversized_csv_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.io.yamlio, "MAX_FILE_BYTES", len(BASE))
    big = CANDIDATES_CSV + "".join(f"X{i},X,C1,M1,,,1975,male,master,advanced,good,80,,\n"
                                   for i in range(200))
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": big})
    p = only(probs, file="cands.csv")
    says(p, "too large")
    assert all("unknown candidate" not in q.message for q in probs)


def test_non_utf8_scenario_names_the_line(tmp_path):
    raw = BASE.encode().replace(b"Binh", b"B\xecnh")
    (p,) = problems_of(tmp_path, raw)
    assert p.line == line_of(BASE, "Binh")
    says(p, "utf-8", "0xec")


def test_utf8_with_bom_is_accepted(tmp_path):
    scn = load_ok(tmp_path, "\ufeff" + BASE)
    assert scn.name == "probe"


def test_duplicate_yaml_key(tmp_path):
    text = swap("term_start: 2026", "term_start: 2026\nterm_start: 2027")
    (p,) = problems_of(tmp_path, text)
    assert p.line == line_of(text, "term_start", 2)
    assert p.field == "term_start"
    says(p, "twice", "line 2")


def test_duplicate_key_inside_a_row(tmp_path):
    text = swap("{id: P1-DIR, unit: P1, role: director}", "{id: P1-DIR, unit: P1, role: director, role: chief}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "posts[0].role" and p.line == line_of(text, "P1-DIR, unit")
    says(p, "twice")


@pytest.mark.parametrize("text, got", [("- a\n- b\n", "list"), ("just words\n", "just words"),
                                       ("42\n", "42")])
def test_top_level_must_be_a_mapping(tmp_path, text, got):
    (p,) = problems_of(tmp_path, text)
    assert p.line == 1
    says(p, "expected a scenario", "mapping", got)


def test_empty_scenario_file(tmp_path):
    (p,) = problems_of(tmp_path, "")
    says(p, "empty", "expected a scenario")


def test_missing_scenario_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path / "nope.yaml")
    (p,) = info.value.problems
    says(p, "cannot read")


def test_yaml_booleans_as_keys_stay_field_names(tmp_path):
    # `yes:` or `1:` would be a boolean / number key to a YAML 1.1 parser; here it is a name
    text = swap("term_start: 2026", "term_start: 2026\nyes: 1\n2: x")
    probs = problems_of(tmp_path, text)
    assert {p.field for p in probs} == {"yes", "2"}
    for p in probs:
        says(p, "unknown field")


def test_non_scalar_key(tmp_path):
    text = swap("term_start: 2026", "term_start: 2026\n? [a, b]\n: 1")
    (p,) = problems_of(tmp_path, text)
    assert p.line == line_of(text, "? [a, b]")
    says(p, "field name")


def test_merge_keys_are_refused_clearly(tmp_path):
    text = swap("  - {id: M1, name: Ministry, kind: ministry}",
                "  - &m {id: M1, name: Ministry, kind: ministry}\n  - {<<: *m, id: M2}")
    (p,) = problems_of(tmp_path, text)
    says(p, "merge")
    assert p.line == line_of(text, "<<")


# -- unknown and missing fields ----------------------------------------------------------------

@pytest.mark.parametrize("where, old, new, field", [
    ("top level", "term_start: 2026", "term_start: 2026\ncolour: red", "colour"),
    ("unit row", "kind: ministry}", "kind: ministry, colour: red}", "units[3].colour"),
    ("post row", "role: director}", "role: director, colour: red}", "posts[0].colour"),
    ("candidate row", "merit: 80}", "merit: 80, colour: red}", "candidates[0].colour"),
    ("relation row", "kind: kin}", "kind: kin, colour: red}", "relations[0].colour"),
    ("fixed row", "{post: D1-CH, candidate: B}", "{post: D1-CH, candidate: B, colour: red}",
     "fixed[0].colour"),
    ("policy", "  name: pol", "  name: pol\n  colour: red", "policy.colour"),
    ("rule", "roles: [director]}", "roles: [director], colour: red}", "policy.rules[0].colour"),
    ("weights", "move: 5}", "move: 5, colour: red}", "policy.weights.colour"),
])
def test_unknown_field(tmp_path, where, old, new, field):
    text = swap(old, new)
    (p,) = problems_of(tmp_path, text)
    assert p.field == field
    assert p.line == line_of(text, "colour")
    says(p, "unknown field", "expected")


def test_unknown_field_lists_the_known_ones(tmp_path):
    text = swap("role: director}", "role: director, prio: 3}")
    (p,) = problems_of(tmp_path, text)
    says(p, "priority", "min_education", "specialties")


def test_unknown_rule_parameter(tmp_path):
    # kinship takes no roles: a rule refuses parameters it does not list
    text = swap("    - {rule: non_local, unit_kind: province, roles: [director]}",
                "    - {rule: kinship, roles: [director]}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.rules[0].roles" and p.line == line_of(text, "kinship")
    says(p, "unknown field", "scope")


def test_missing_required_field_in_a_row(tmp_path):
    text = swap("birth_year: 1975, ", "")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[0].birth_year"
    assert p.line == line_of(text, "{id: A,")
    says(p, "required", "missing", "integer")


@pytest.mark.parametrize("field", ["name", "term_start"])
def test_missing_required_top_level_field(tmp_path, field):
    text = "\n".join(ln for ln in BASE.splitlines() if not ln.startswith(field + ":")) + "\n"
    (p,) = problems_of(tmp_path, text)
    assert p.field == field and p.line == 1
    says(p, "required", "missing")


@pytest.mark.parametrize("table", ["units", "posts", "candidates"])
def test_missing_required_table(tmp_path, table):
    text = swap(f"{table}:\n", f"{table}_old:\n")
    probs = problems_of(tmp_path, text)
    p = only(probs, field=table)
    says(p, "required table", "missing")
    only(probs, field=f"{table}_old")
    # references into the missing table are not all reported as unknown on top of it
    assert len(probs) == 2, probs


@pytest.mark.parametrize("model, drop", [
    ("units", "kind: district, "), ("units", "name: Ministry, "), ("posts", "role: director"),
    ("posts", "unit: P1, "), ("candidates", "gender: male, "), ("candidates", "merit: 80"),
    ("candidates", "rating: good, "), ("relations", ", kind: kin"),
    ("fixed", "candidate: B"),
])
def test_each_required_field_is_required(tmp_path, model, drop):
    text = swap(drop, "")
    probs = problems_of(tmp_path, text)
    name = drop.strip(", ").split(":")[0]
    (p,) = probs
    assert p.field.startswith(model + "[") and p.field.endswith("." + name)
    assert p.line == line_of(BASE, drop)
    says(p, "required", "missing")


def test_policy_without_name(tmp_path):
    text = swap("  name: pol\n", "")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.name" and p.line == line_of(text, "policy:")
    says(p, "required")


# -- wrong types and values --------------------------------------------------------------------

def test_text_id_given_as_a_number(tmp_path):
    text = swap("{id: P1-DIR,", "{id: 17,")
    probs = problems_of(tmp_path, text)
    p = only(probs, field="posts[0].id")
    assert p.line == line_of(text, "{id: 17")
    says(p, "expected text", "17", "quotes")


def test_quoted_number_is_text(tmp_path):
    text = BASE.replace("P1-DIR", '"17"')
    scn = load_ok(tmp_path, text)
    assert scn.posts[0].id == "17"


@pytest.mark.parametrize("value", ["190", "-1"])
def test_merit_out_of_range(tmp_path, value):
    text = swap("merit: 80", f"merit: {value}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[0].merit" and p.line == line_of(text, "{id: A,")
    assert p.message == f"expected an integer from 0 to 100, got {value}"


@pytest.mark.parametrize("value", ["lots", "80.5", "[80]"])
def test_merit_not_an_integer(tmp_path, value):
    text = swap("merit: 80", f"merit: {value}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[0].merit"
    says(p, "expected an integer from 0 to 100, got")


@pytest.mark.parametrize("old, new, field, choices", [
    ("kind: district", "kind: county", "units[1].kind", "ministry, province, district or commune"),
    ("gender: male", "gender: m", "candidates[0].gender", "female or male"),
    ("education: master", "education: bachelor", "candidates[0].education",
     "college, university, master or phd"),
    ("political_theory: advanced", "political_theory: expert", "candidates[0].political_theory",
     "primary, intermediate or advanced"),
    ("rating: good", "rating: great", "candidates[0].rating",
     "not_completed, completed, good or excellent"),
    ("role: director}", "role: director, min_rating: top}", "posts[0].min_rating", "excellent"),
    ("role: director}", "role: director, min_education: bsc}", "posts[0].min_education", "phd"),
    ("roles: [director]}", "roles: [director], per: county}", "policy.rules[0].per", "commune"),
])
def test_unknown_enum_value(tmp_path, old, new, field, choices):
    text = swap(old, new)
    (p,) = problems_of(tmp_path, text)
    assert p.field == field and p.line == line_of(text, new)
    says(p, "expected", choices, "got")


def test_enum_values_are_case_sensitive(tmp_path):
    text = swap("gender: male", "gender: Male")
    (p,) = problems_of(tmp_path, text)
    says(p, "female or male", "'Male'")


@pytest.mark.parametrize("value", ["0", "-3"])
def test_priority_below_one(tmp_path, value):
    text = swap("priority: 2", f"priority: {value}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "posts[1].priority" and p.line == line_of(text, "D1-CH, unit")
    assert p.message == f"expected an integer >= 1, got {value}"


def test_term_years_below_one(tmp_path):
    text = swap("term_start: 2026", "term_start: 2026\nterm_years: 0")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "term_years" and p.line == line_of(text, "term_years")
    says(p, "integer >= 1", "got 0")


@pytest.mark.parametrize("value", ["maybe", "2", "'y'", "[true]"])
def test_bad_boolean_in_yaml(tmp_path, value):
    text = swap("merit: 80}", f"merit: 80, disciplined: {value}}}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[0].disciplined" and p.line == line_of(text, "{id: A,")
    says(p, "expected true or false")


@pytest.mark.parametrize("value, expected", [
    ("true", True), ("false", False), ("True", True), ("FALSE", False), ("yes", True),
    ("No", False), ("YES", True), ('"yEs"', True), ('"nO"', False), ("1", True), ("0", False),
    ('"TrUe"', True), ('"1"', True), ('"0"', False),
])
def test_booleans_accepted_in_yaml_in_any_case(tmp_path, value, expected):
    text = swap("merit: 80}", f"merit: 80, disciplined: {value}, served_local: {value}}}")
    text = swap("kind: ministry}", f"kind: ministry, difficult: {value}}}", text)
    text = swap("{rule: non_local,", f"{{rule: non_local, hard: {value}, weight: 3,", text)
    scn = load_ok(tmp_path, text)
    assert scn.candidates[0].disciplined is expected
    assert scn.candidates[0].served_local is expected
    assert scn.units[3].difficult is expected
    assert scn.policy.rules[0].hard is expected


def test_lat_without_lon(tmp_path):
    text = swap(", lat: 21.0, lon: 105.8}", ", lat: 21.0}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[0].lon" and p.line == line_of(text, "{id: P1,")
    says(p, "lat", "lon", "both")


def test_lon_without_lat(tmp_path):
    text = swap(", lat: 21.0, lon: 105.8}", ", lon: 105.8}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[0].lat"
    says(p, "both")


@pytest.mark.parametrize("field, value", [("lat", "91"), ("lon", "-181"), ("lat", "north")])
def test_coordinates_out_of_range(tmp_path, field, value):
    text = swap(f"{field}: {'21.0' if field == 'lat' else '105.8'}", f"{field}: {value}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == f"units[0].{field}"
    says(p, "expected a number from")


def test_consecutive_terms_without_current_post(tmp_path):
    text = swap("merit: 80}", "merit: 80, consecutive_terms: 2}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[0].consecutive_terms" and p.line == line_of(text, "{id: A,")
    says(p, "current_post", "expected 0", "got 2")


def test_current_post_without_consecutive_terms(tmp_path):
    text = swap("current_post: D1-CH, consecutive_terms: 1, ", "current_post: D1-CH, ")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[1].consecutive_terms" and p.line == line_of(text, "{id: B,")
    says(p, "current_post", ">= 1", "got 0")


def test_current_post_with_zero_terms(tmp_path):
    text = swap("consecutive_terms: 1", "consecutive_terms: 0")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[1].consecutive_terms"
    says(p, ">= 1")


def test_negative_consecutive_terms(tmp_path):
    text = swap("consecutive_terms: 1", "consecutive_terms: -1")
    probs = problems_of(tmp_path, text)
    p = only(probs, field="candidates[1].consecutive_terms")
    says(p, "integer >= 0", "got -1")


def test_relation_with_itself(tmp_path):
    text = swap("{a: A, b: B", "{a: A, b: A")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "relations[0].b" and p.line == line_of(text, "{a: A")
    says(p, "different", "'A'")


def test_list_field_given_as_text(tmp_path):
    text = swap("merit: 80}", "merit: 80, ties: P1}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates[0].ties"
    says(p, "expected a list", "got 'P1'")


def test_row_that_is_not_a_mapping(tmp_path):
    text = swap("  - {a: A, b: B, kind: kin}", "  - A and B are cousins")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "relations[0]" and p.line == line_of(text, "cousins")
    says(p, "expected a mapping")


def test_table_that_is_not_a_list(tmp_path):
    text = swap("relations:\n  - {a: A, b: B, kind: kin}", "relations: A-B")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "relations" and p.line == line_of(text, "relations:")
    says(p, "expected a list", "csv")


# -- ids and references ------------------------------------------------------------------------

@pytest.mark.parametrize("table, old, new, first", [
    ("units", "{id: M1, name: Ministry", "{id: D1, name: Ministry", "{id: D1,"),
    ("posts", "  - {id: D1-CH, unit: D1, role: chief, priority: 2}",
     "  - {id: D1-CH, unit: D1, role: chief, priority: 2}\n  - {id: D1-CH, unit: D1, role: deputy}",
     "{id: D1-CH,"),
    ("candidates", "relations:", "  - {id: A, name: Again, home: P1, serves_at: P1, birth_year: 1980, "
     "gender: male, education: phd, political_theory: advanced, rating: good, merit: 1}\nrelations:",
     "{id: A,"),
])
def test_duplicate_id(tmp_path, table, old, new, first):
    text = swap(old, new)
    if table == "units":  # keep M1 referenced nowhere else
        text = text.replace("serves_at: M1", "serves_at: P1")
    (p,) = problems_of(tmp_path, text)
    assert p.field.startswith(table) and p.field.endswith(".id")
    assert p.line == line_of(text, first, 2)
    says(p, "duplicate id", f"first at line {line_of(text, first)}")


@pytest.mark.parametrize("old, new, field, what", [
    ("parent: P1}", "parent: PX}", "units[1].parent", "unit"),
    ("{id: P1-DIR, unit: P1,", "{id: P1-DIR, unit: PX,", "posts[0].unit", "unit"),
    ("home: C1,", "home: CX,", "candidates[0].home", "unit"),
    ("serves_at: M1,", "serves_at: MX,", "candidates[0].serves_at", "unit"),
    ("current_post: D1-CH,", "current_post: XX,", "candidates[1].current_post", "post"),
    ("merit: 80}", "merit: 80, ties: [P1, TX]}", "candidates[0].ties[1]", "unit"),
    ("merit: 80}", "merit: 80, preferences: [PX]}", "candidates[0].preferences[0]", "unit"),
    ("{a: A, b: B", "{a: Q, b: B", "relations[0].a", "candidate"),
    ("{a: A, b: B", "{a: A, b: Z", "relations[0].b", "candidate"),
    ("{post: D1-CH, candidate: B}", "{post: XX, candidate: B}", "fixed[0].post", "post"),
    ("{post: D1-CH, candidate: B}", "{post: D1-CH, candidate: Q}", "fixed[0].candidate", "candidate"),
    ("{post: P1-DIR, candidate: B}", "{post: XX, candidate: B}", "forbidden[0].post", "post"),
    ("{post: P1-DIR, candidate: B}", "{post: P1-DIR, candidate: Q}", "forbidden[0].candidate",
     "candidate"),
])
def test_unresolved_reference(tmp_path, old, new, field, what):
    text = swap(old, new)
    (p,) = problems_of(tmp_path, text)
    assert p.field == field
    assert p.line == line_of(text, new.split(",")[0] if "{" in new else old.split(":")[0])
    says(p, f"unknown {what}", f"expected the id of one of the {what}s")


def test_references_still_checked_in_an_invalid_row(tmp_path):
    # one bad cell must not hide an unknown id next to it
    text = swap("merit: 80}", "merit: 800}").replace("home: C1,", "home: CX,")
    probs = problems_of(tmp_path, text)
    only(probs, field="candidates[0].merit")
    only(probs, field="candidates[0].home")
    assert len(probs) == 2


# -- the unit forest ---------------------------------------------------------------------------

def test_district_whose_parent_is_a_commune(tmp_path):
    text = swap("  - {id: M1,", "  - {id: D2, name: District 2, kind: district, parent: C1}\n  - {id: M1,")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[3].parent" and p.line == line_of(text, "{id: D2")
    says(p, "expected a province", "district", "got the commune 'C1'")


def test_commune_whose_parent_is_a_ministry(tmp_path):
    text = swap("kind: commune, parent: D1}", "kind: commune, parent: M1}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[2].parent"
    says(p, "province or district", "ministry 'M1'")


def test_province_with_a_parent(tmp_path):
    text = swap("kind: province,", "kind: province, parent: M1,")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[0].parent" and p.line == line_of(text, "{id: P1,")
    says(p, "expected no parent", "province")


@pytest.mark.parametrize("kind", ["commune", "district"])
def test_unit_that_needs_a_parent(tmp_path, kind):
    text = swap("  - {id: M1,", f"  - {{id: X1, name: X, kind: {kind}}}\n  - {{id: M1,")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[3].parent" and p.line == line_of(text, "{id: X1")
    says(p, "required", kind, "parent")


def test_cycle_among_ministry_units(tmp_path):
    text = swap("  - {id: M1, name: Ministry, kind: ministry}",
                "  - {id: M1, name: Ministry, kind: ministry, parent: M3}\n"
                "  - {id: M2, name: Dept 2, kind: ministry, parent: M1}\n"
                "  - {id: M3, name: Dept 3, kind: ministry, parent: M2}")
    (p,) = problems_of(tmp_path, text)
    assert p.field.endswith(".parent")
    says(p, "cycle", "M1", "M2", "M3", "expected a tree")


def test_unit_that_is_its_own_parent(tmp_path):
    text = swap("kind: ministry}", "kind: ministry, parent: M1}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[3].parent"
    says(p, "cycle", "M1 -> M1")


def test_ministry_chain_is_fine(tmp_path):
    text = swap("kind: ministry}", "kind: ministry}\n  - {id: M2, name: Dept, kind: ministry, parent: M1}")
    scn = load_ok(tmp_path, text)
    assert scn.units[-1].parent == "M1"


# -- policies ----------------------------------------------------------------------------------

def rule_text(rule: str) -> str:
    return swap("    - {rule: non_local, unit_kind: province, roles: [director]}", f"    - {rule}")


def test_unknown_rule_type(tmp_path):
    text = rule_text("{rule: nonlocal, roles: [director]}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.rules[0].rule" and p.line == line_of(text, "nonlocal")
    says(p, "unknown rule", "'nonlocal'", "non_local", "term_limit")


@pytest.mark.parametrize("value", ["[non_local]", "{x: 1}", "3"])
def test_rule_type_that_is_not_text(tmp_path, value):
    (p,) = problems_of(tmp_path, rule_text(f"{{rule: {value}}}"))
    assert p.field == "policy.rules[0].rule"
    says(p, "unknown rule", "expected one of")


def test_rule_without_type(tmp_path):
    text = rule_text("{roles: [director]}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.rules[0].rule"
    says(p, "required", "rule type")


def test_soft_rule_without_weight(tmp_path):
    text = rule_text("{rule: fill, hard: false}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.rules[0].weight" and p.line == line_of(text, "rule: fill")
    says(p, "soft", "weight", ">= 1")


@pytest.mark.parametrize("weight", ["0", "-5"])
def test_rule_weight_below_one(tmp_path, weight):
    text = rule_text(f"{{rule: fill, hard: false, weight: {weight}}}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.rules[0].weight"
    assert p.message == f"expected an integer >= 1, got {weight}"


@pytest.mark.parametrize("rule, field", [
    ("{rule: non_local, min_share: 1.5}", "min_share"),
    ("{rule: gender_balance, min_share: -0.1}", "min_share"),
    ("{rule: young_cadres, max_age: 40, min_share: 2}", "min_share"),
    ("{rule: ministry_quota, min_share_of_units: 1.01}", "min_share_of_units"),
])
def test_share_outside_zero_one(tmp_path, rule, field):
    (p,) = problems_of(tmp_path, rule_text(rule))
    assert p.field == f"policy.rules[0].{field}"
    says(p, "expected a number from 0 to 1")


def test_empty_roles_list(tmp_path):
    (p,) = problems_of(tmp_path, rule_text("{rule: fill, roles: []}"))
    assert p.field == "policy.rules[0].roles"
    says(p, "non-empty list", "empty list")


def test_roles_given_as_text(tmp_path):
    (p,) = problems_of(tmp_path, rule_text("{rule: fill, roles: director}"))
    assert p.field == "policy.rules[0].roles"
    says(p, "list", "got 'director'")


@pytest.mark.parametrize("rule, field", [
    ("{rule: age_limit}", "max_age"),
    ("{rule: gender_balance}", "min_share"),
    ("{rule: young_cadres, min_share: 0.1}", "max_age"),
])
def test_missing_rule_parameter(tmp_path, rule, field):
    (p,) = problems_of(tmp_path, rule_text(rule))
    assert p.field == f"policy.rules[0].{field}"
    says(p, "required", "expected")


@pytest.mark.parametrize("name", ["merit", "specialty", "preference", "move", "distance", "vacancy"])
def test_negative_weight(tmp_path, name):
    text = swap("weights: {merit: 1, move: 5}", f"weights: {{{name}: -2}}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == f"policy.weights.{name}" and p.line == line_of(text, "weights:")
    assert p.message == "expected an integer >= 0, got -2"


def test_unknown_weight_name(tmp_path):
    text = swap("weights: {merit: 1, move: 5}", "weights:\n    merit: 1\n    moves: 5")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.weights.moves" and p.line == line_of(text, "moves:")
    says(p, "unknown field", "move", "vacancy")


def test_weights_not_a_mapping(tmp_path):
    text = swap("weights: {merit: 1, move: 5}", "weights: [1, 5]")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.weights"
    says(p, "mapping", "got a list")


def test_rules_not_a_list(tmp_path):
    text = swap("  rules:\n    - {rule: non_local, unit_kind: province, roles: [director]}",
                "  rules: {rule: fill}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.rules"
    says(p, "list of rules")


def test_policy_not_a_mapping(tmp_path):
    text = without_policy() + "policy: strict\n"
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy" and p.line == line_of(text, "policy:")
    says(p, "expected a policy")


def test_every_rule_problem_at_once(tmp_path):
    text = rule_text("{rule: nope}\n    - {rule: fill, hard: false}\n    - {rule: kinship, scope: town}")
    probs = problems_of(tmp_path, text)
    assert [p.field for p in probs] == ["policy.rules[0].rule", "policy.rules[1].weight",
                                        "policy.rules[2].scope"]
    assert [p.line for p in probs] == [line_of(text, "nope"), line_of(text, "rule: fill"),
                                       line_of(text, "kinship")]


# -- CSV tables --------------------------------------------------------------------------------

def test_csv_table_loads(tmp_path):
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": CANDIDATES_CSV})
    a, b = scn.candidates
    assert a.ties == ["P1", "M1"]              # list cells are ;-separated
    assert a.current_post is None and a.consecutive_terms == 0   # empty cell = not given
    assert a.disciplined is True and b.disciplined is False
    assert b.ties is None and b.current_post == "D1-CH" and b.consecutive_terms == 1
    assert a.merit == 80 and isinstance(a.merit, int)


def test_csv_list_cells_trim_blanks(tmp_path):
    csv = CANDIDATES_CSV.replace("P1;M1", "P1 ; M1;")
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert scn.candidates[0].ties == ["P1", "M1"]


def test_csv_empty_required_cell_is_missing(tmp_path):
    csv = CANDIDATES_CSV.replace(",1970,", ",,")
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    p = only(probs, field="birth_year")
    assert p.file.endswith("cands.csv") and p.row == 3 and p.line is None
    says(p, "required", "missing")


@pytest.mark.parametrize("cell, expected", [
    ("true", True), ("FALSE", False), ("True", True), ("yes", True), ("NO", False),
    ("Yes", True), ("nO", False), ("1", True), ("0", False), (" true ", True), ("", False),
])
def test_csv_booleans_in_any_case(tmp_path, cell, expected):
    csv = CANDIDATES_CSV.replace(",TRUE\n", f",{cell}\n")
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert scn.candidates[0].disciplined is expected


@pytest.mark.parametrize("cell", ["maybe", "2", "t", "oui"])
def test_csv_bad_boolean(tmp_path, cell):
    csv = CANDIDATES_CSV.replace(",TRUE\n", f",{cell}\n")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 2 and p.field == "disciplined"
    says(p, "expected true or false", repr(cell))


def test_csv_bad_cells_name_row_and_column(tmp_path):
    csv = CANDIDATES_CSV.replace(",80,", ",190,").replace("female", "f")
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    merit = only(probs, field="merit")
    assert merit.row == 2 and merit.file.endswith("cands.csv")
    assert merit.message == "expected an integer from 0 to 100, got '190'"
    gender = only(probs, field="gender")
    assert gender.row == 3
    says(gender, "female or male", "'f'")
    assert len(probs) == 2


def test_csv_path_with_dotdot(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: ../cands.csv}", with_csv_candidates())
    (tmp_path / "inner").mkdir()
    probs = problems_of(tmp_path / "inner", text, {"../cands.csv": CANDIDATES_CSV})
    p = only(probs, field="candidates.csv")
    assert p.file.endswith("scenario.yaml") and p.line == line_of(text, "candidates:")
    says(p, "..", "inside")
    # the unreadable table does not make every reference to a candidate "unknown"
    assert len(probs) == 1


def test_csv_path_with_dotdot_inside(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: sub/../cands.csv}", with_csv_candidates())
    (p,) = problems_of(tmp_path, text, {"cands.csv": CANDIDATES_CSV})
    assert p.field == "candidates.csv"
    says(p, "..")


@pytest.mark.parametrize("path", ["/etc/passwd", "C:/data/cands.csv", "C:\\\\data\\\\cands.csv",
                                  "\\\\\\\\server\\\\share\\\\cands.csv"])
def test_csv_absolute_path(tmp_path, path):
    text = swap("{csv: cands.csv}", f'{{csv: "{path}"}}', with_csv_candidates())
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates.csv" and p.line == line_of(text, "candidates:")
    says(p, "absolute")


def test_csv_symlink_leaving_the_folder(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text(CANDIDATES_CSV)
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "cands.csv").symlink_to(outside)
    (p,) = problems_of(inner, with_csv_candidates())
    assert p.field == "candidates.csv"
    says(p, "outside")


def test_csv_missing_file(tmp_path):
    text = with_csv_candidates()
    (p,) = problems_of(tmp_path, text)
    assert p.file.endswith("scenario.yaml") and p.line == line_of(text, "candidates:")
    assert p.field == "candidates.csv"
    says(p, "cands.csv", "does not exist")


def test_csv_path_not_text(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: [a.csv]}", with_csv_candidates())
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates.csv"
    says(p, "expected a relative file path")


def test_csv_reference_with_an_extra_key(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: cands.csv, sep: ';'}", with_csv_candidates())
    (p,) = problems_of(tmp_path, text, {"cands.csv": CANDIDATES_CSV})
    assert p.field == "candidates.sep" and p.line == line_of(text, "candidates:")
    says(p, "unknown field")


def test_csv_unknown_column(tmp_path):
    csv = CANDIDATES_CSV.replace("disciplined", "discipline")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 1 and p.field == "discipline"
    says(p, "unknown column", "disciplined")


def test_csv_repeated_column(tmp_path):
    csv = CANDIDATES_CSV.replace(",disciplined\n", ",merit\n")
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    p = only(probs, field="merit", row=1)
    says(p, "twice")


def test_csv_missing_required_column_reported_once(tmp_path):
    lines = CANDIDATES_CSV.splitlines()
    rows = [",".join(c for i, c in enumerate(ln.split(",")) if i != 6) for ln in lines]
    rows += ["X%d,X,C1,M1,,,male,master,advanced,good,80,,no" % i for i in range(5)]
    csv = "\n".join(rows) + "\n"
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    (p,) = probs  # once for the column, not once per row
    assert p.field == "birth_year" and p.row == 1 and p.file.endswith("cands.csv")
    says(p, "required column", "missing")


def test_csv_row_with_too_many_cells(tmp_path):
    csv = CANDIDATES_CSV.replace(",no\n", ",no,extra\n")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 3
    says(p, "expected at most 14 cells", "got 15")


def test_csv_row_with_fewer_cells_means_not_given(tmp_path):
    csv = CANDIDATES_CSV.replace(",,no\n", "\n")  # ties and disciplined left out
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert scn.candidates[1].disciplined is False and scn.candidates[1].ties is None


def test_csv_blank_rows_are_skipped_but_counted(tmp_path):
    csv = CANDIDATES_CSV.replace("\nB,", "\n\n,,,\nB,").replace("female", "f")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.row == 5 and p.field == "gender"


def test_csv_empty_file(tmp_path):
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": ""})
    p = only(probs, file="cands.csv")
    says(p, "empty", "header")
    assert len(probs) == 1


def test_csv_non_utf8_names_the_row(tmp_path):
    csv = CANDIDATES_CSV.encode().replace(b"Binh", b"B\xecnh")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 3
    says(p, "utf-8")


def test_csv_consistency_checks_name_the_field(tmp_path):
    csv = CANDIDATES_CSV.replace("D1-CH,1,", ",1,")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.row == 3 and p.field == "consecutive_terms"
    says(p, "current_post")


def test_csv_references_name_the_row(tmp_path):
    csv = CANDIDATES_CSV.replace("P1;M1", "P1;MX")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 2 and p.field == "ties[1]"
    says(p, "unknown unit 'MX'")


def test_csv_units_table(tmp_path):
    units = ("id,name,kind,parent,lat,lon,difficult\n"
             "P1,Province,province,,21,105.8,Yes\n"
             "D1,District,district,P1,abc,1,0\n"
             "C1,Commune,commune,,,,\n"
             "M1,Ministry,ministry,,,,\n")
    text = swap(BASE[BASE.index("units:\n"):BASE.index("posts:")], "units: {csv: units.csv}\n")
    probs = problems_of(tmp_path, text, {"units.csv": units})
    assert {(p.row, p.field) for p in probs} == {(3, "lat"), (4, "parent")}
    assert all(p.file.endswith("units.csv") for p in probs)


def test_csv_in_a_subfolder(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: tables/cands.csv}", with_csv_candidates())
    scn = load_ok(tmp_path, text, {"tables/cands.csv": CANDIDATES_CSV})
    assert len(scn.candidates) == 2
    csv = CANDIDATES_CSV.replace("female", "f")
    (p,) = problems_of(tmp_path, text, {"tables/cands.csv": csv})
    assert p.file.replace("\\", "/").endswith("tables/cands.csv")


# -- policy files ------------------------------------------------------------------------------

def test_policy_file_loads(tmp_path):
    scn = load_ok(tmp_path, without_policy() + "policy: {file: pol.yaml}\n", {"pol.yaml": POLICY})
    assert scn.policy.name == "other" and scn.policy.weights.vacancy == 7


@pytest.mark.parametrize("path, word", [("../pol.yaml", ".."), ("/tmp/pol.yaml", "absolute"),
                                        ("a/../../pol.yaml", "..")])
def test_policy_file_bad_path(tmp_path, path, word):
    text = without_policy() + f"policy: {{file: '{path}'}}\n"
    (p,) = problems_of(tmp_path, text)
    assert p.file.endswith("scenario.yaml") and p.field == "policy.file"
    assert p.line == line_of(text, "policy:")
    says(p, word)


def test_policy_file_missing(tmp_path):
    text = without_policy() + "policy: {file: pol.yaml}\n"
    (p,) = problems_of(tmp_path, text)
    assert p.file.endswith("scenario.yaml") and p.field == "policy.file"
    assert p.line == line_of(text, "policy:")
    says(p, "pol.yaml", "does not exist")


def test_policy_file_that_is_a_folder(tmp_path):
    (tmp_path / "pol.yaml").mkdir()
    (p,) = problems_of(tmp_path, without_policy() + "policy: {file: pol.yaml}\n")
    says(p, "folder")


def test_policy_file_reference_with_an_extra_key(tmp_path):
    text = without_policy() + "policy: {file: pol.yaml, strict: true}\n"
    (p,) = problems_of(tmp_path, text, {"pol.yaml": POLICY})
    assert p.field == "policy.strict"
    says(p, "unknown field")


def test_policy_file_problems_name_the_policy_file_and_its_lines(tmp_path):
    policy = ("name: p\n"
              "rules:\n"
              "  - {rule: fill, hard: false}\n"
              "  - {rule: nope}\n"
              "weights:\n"
              "  merit: -2\n"
              "  bogus: 1\n")
    text = swap("serves_at: M1", "serves_at: MX", without_policy()) + "policy: {file: pols/p.yaml}\n"
    probs = problems_of(tmp_path, text, {"pols/p.yaml": policy})
    in_policy = [p for p in probs if p.file.replace("\\", "/").endswith("pols/p.yaml")]
    assert {(p.line, p.field) for p in in_policy} == {
        (3, "rules[0].weight"), (4, "rules[1].rule"), (6, "weights.merit"), (7, "weights.bogus")}
    # the scenario's own problems come in the same report
    only(probs, field="candidates[0].serves_at", file="scenario.yaml")
    assert len(probs) == 5


def test_policy_file_with_yaml_error(tmp_path):
    probs = problems_of(tmp_path, without_policy() + "policy: {file: p.yaml}\n",
                        {"p.yaml": "name: p\nrules: [\n"})
    (p,) = probs
    assert p.file.endswith("p.yaml") and p.line is not None
    says(p, "yaml")


def test_policy_file_with_unsafe_tag(tmp_path):
    probs = problems_of(tmp_path, without_policy() + "policy: {file: p.yaml}\n",
                        {"p.yaml": "name: !!python/object/apply:os.getcwd []\n"})
    (p,) = probs
    assert p.file.endswith("p.yaml") and p.line == 1 and p.field == "name"
    says(p, "tag")


def test_empty_policy_file(tmp_path):
    (p,) = problems_of(tmp_path, without_policy() + "policy: {file: p.yaml}\n", {"p.yaml": ""})
    assert p.file.endswith("p.yaml")
    says(p, "empty", "expected a policy")


def test_command_line_policy_replaces_the_scenarios(tmp_path):
    (tmp_path / "other.yaml").write_text(POLICY)
    scn = load_ok(tmp_path, BASE, policy=tmp_path / "other.yaml")
    assert scn.policy.name == "other"
    assert [r.rule for r in scn.policy.rules] == ["fill"]


def test_command_line_policy_replaces_even_a_broken_own_policy(tmp_path):
    (tmp_path / "other.yaml").write_text(POLICY)
    text = without_policy() + "policy: {file: missing.yaml}\n"
    scn = load_ok(tmp_path, text, policy=tmp_path / "other.yaml")
    assert scn.policy.name == "other"


def test_command_line_policy_problems_reported_with_the_scenarios(tmp_path):
    (tmp_path / "other.yaml").write_text("name: other\nrules:\n  - {rule: fill, weight: 0}\n")
    text = swap("merit: 80", "merit: 101")
    probs = problems_of(tmp_path, text, policy=tmp_path / "other.yaml")
    only(probs, file="other.yaml", line=3, field="rules[0].weight")
    only(probs, file="scenario.yaml", field="candidates[0].merit")
    assert len(probs) == 2


def test_command_line_policy_problems_even_when_scenario_unreadable(tmp_path):
    (tmp_path / "other.yaml").write_text("name: other\nweights: {merit: -1}\n")
    probs = problems_of(tmp_path, "name: [\n", policy=tmp_path / "other.yaml")
    only(probs, file="other.yaml", field="weights.merit")
    only(probs, file="scenario.yaml")


def test_load_policy_alone(tmp_path):
    (tmp_path / "p.yaml").write_text("name: p\nrules:\n  - {rule: age_limit, max_age: old}\n")
    with pytest.raises(InputError) as info:
        load_policy(tmp_path / "p.yaml")
    (p,) = info.value.problems
    assert p.line == 3 and p.field == "rules[0].max_age"
    says(p, "expected an integer", "'old'")


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
    says(p, "smaller", "2^53")


def test_weight_too_large_for_the_solver(tmp_path):
    text = swap("move: 5}", "move: 5, vacancy: 100000000000000000000}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "policy.weights.vacancy" and p.line == line_of(text, "weights:")
    says(p, "smaller")


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
