"""Rows against their schemas (planner/schema.py, worded by the loader): unknown and
missing fields, wrong types and values, consistency inside a row."""

from __future__ import annotations

import pytest
from bad_input import BASE, line_of, load_ok, only, problems_of, says, swap

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
    assert p.message == f"expected an integer from 1 to 1000000, got {value}"


def test_term_years_below_one(tmp_path):
    text = swap("term_start: 2026", "term_start: 2026\nterm_years: 0")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "term_years" and p.line == line_of(text, "term_years")
    says(p, "integer from 1 to 100", "got 0")


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
    says(p, "integer from 0 to 100", "got -1")


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
