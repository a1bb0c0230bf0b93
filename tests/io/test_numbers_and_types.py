"""Numbers the model can hold, exact shares and strict types (issue 14, items 4, 7 and 8).

Every integer input has a range (planner/schema.py, stated in the JSON Schema and in
docs/scenario-format.md) within which every coefficient of the objective fits; beyond it the
loader refuses the value by name instead of the solver overflowing. Integers are integers (no
`true`, `5.0` or quoted `'5'` from YAML; a CSV cell is text, so `5` there is fine), booleans
are the contract's spellings (no YAML 1.1 `on`/`off`), no base-60, and a share counts from the
decimal text it was written in, from YAML and from CSV, where a policy's rules may also live.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from bad_input import (
    CANDIDATES_CSV,
    line_of,
    load_ok,
    only,
    problems_of,
    says,
    swap,
    with_csv_candidates,
)

from planner.io.json_schema import policy_schema, scenario_schema
from planner.rules.base import exact

# -- item 4: ranges ------------------------------------------------------------------------------

HUGE = 10 ** 30
NEGATIVE = -3 * 10 ** 9


@pytest.mark.parametrize("value", [HUGE, NEGATIVE])
@pytest.mark.parametrize("old, new, field, words", [
    ("term_start: 2026", "term_start: {v}", "term_start", "from 1900 to 2200"),
    ("birth_year: 1975", "birth_year: {v}", "candidates[0].birth_year", "from 1900 to 2200"),
    ("consecutive_terms: 1,", "consecutive_terms: {v},", "candidates[1].consecutive_terms",
     "from 0 to 100"),
    ("priority: 2", "priority: {v}", "posts[1].priority", "from 1 to 1000000"),
    ("role: director}", "role: director, max_age: {v}}}", "posts[0].max_age", "from 0 to 200"),
    ("weights: {merit: 1, move: 5}", "weights: {{merit: 1, move: {v}}}", "policy.weights.move",
     "from 0 to 1000000"),
])
def test_numbers_beyond_their_range_are_refused_by_name(tmp_path, value, old, new, field, words):
    text = swap(old, new.format(v=value))
    p = only(problems_of(tmp_path, text), field=field)
    says(p, words, str(value))


def test_huge_priority_with_zero_weights_is_refused(tmp_path):
    """Zero weights kept the objective at 0, so the 2^53 check let 10^30 through to int64."""
    text = swap("priority: 2", f"priority: {HUGE}")
    text = swap("weights: {merit: 1, move: 5}",
                "weights: {merit: 0, move: 0, vacancy: 0, distance: 0}", text)
    p = only(problems_of(tmp_path, text), field="posts[1].priority")
    assert p.line == line_of(text, "D1-CH, unit")
    says(p, "from 1 to 1000000")


@pytest.mark.parametrize("rule, field, value", [
    ("{rule: ministry_quota, roles: [director], min_per_unit: %s}", "min_per_unit", HUGE),
    ("{rule: age_limit, max_age: %s}", "max_age", NEGATIVE),
    ("{rule: term_limit, max_consecutive_terms: %s}", "max_consecutive_terms", HUGE),
    ("{rule: mobility, max_km: %s}", "max_km", HUGE),
    ("{rule: fill, hard: false, weight: %s}", "weight", HUGE),
])
def test_rule_parameters_have_a_range(tmp_path, rule, field, value):
    text = swap("    - {rule: non_local, unit_kind: province, roles: [director]}",
                "    - " + rule % value)
    p = only(problems_of(tmp_path, text), field=f"policy.rules[0].{field}")
    says(p, "expected an integer from", "1000000", str(value))


def test_largest_values_in_range_load_and_fit_the_solver(tmp_path):
    """Every factor at the top of its range: each objective coefficient stays below 2^53
    (merit 100 x 10^6 x 10^6 = 10^14; vacancy 10^9 x priority 10^6 = 10^15), so the small
    scenario loads; the 2^53 check on the sum still guards scenarios with many posts."""
    text = swap("priority: 2", "priority: 1000000")
    text = swap("weights: {merit: 1, move: 5}",
                "weights: {merit: 1000000, specialty: 1000000, preference: 1000000, "
                "move: 1000000, distance: 1000000, vacancy: 1000000000}", text)
    scn = load_ok(tmp_path, text)
    assert scn.posts[1].priority == 10 ** 6 and scn.policy.weights.vacancy == 10 ** 9


def test_ranges_are_in_the_json_schema():
    defs = scenario_schema()["definitions"]
    assert defs["Candidate"]["properties"]["birth_year"]["minimum"] == 1900
    assert defs["Candidate"]["properties"]["birth_year"]["maximum"] == 2200
    assert defs["Candidate"]["properties"]["consecutive_terms"]["maximum"] == 100
    assert defs["Post"]["properties"]["priority"]["maximum"] == 10 ** 6
    pol = policy_schema()["definitions"]
    assert pol["Weights"]["properties"]["merit"]["maximum"] == 10 ** 6
    assert pol["Weights"]["properties"]["vacancy"]["maximum"] == 10 ** 9
    assert pol["rule_ministry_quota"]["properties"]["min_per_unit"]["maximum"] == 10 ** 6
    assert pol["rule_age_limit"]["properties"]["max_age"]["minimum"] == -10 ** 6
    json.dumps(pol)  # still plain JSON


# -- item 7: rules from CSV, shares from their decimal text --------------------------------------

TIGHT = "0.50000000000000000001"


def test_share_counts_from_its_yaml_text(tmp_path):
    text = swap("roles: [director]}", f"roles: [director], min_share: {TIGHT}}}")
    rule = load_ok(tmp_path, text).policy.rules[0]
    assert exact(rule.min_share) == Fraction(TIGHT) > Fraction(1, 2)


def test_share_of_units_counts_from_its_yaml_text(tmp_path):
    text = swap("    - {rule: non_local, unit_kind: province, roles: [director]}",
                f"    - {{rule: ministry_quota, roles: [director], min_share_of_units: {TIGHT}}}")
    rule = load_ok(tmp_path, text).policy.rules[0]
    assert exact(rule.min_share_of_units) == Fraction(TIGHT)


RULES_CSV = f"""\
rule,roles,unit_kind,min_share,hard,weight,scope
non_local,director;deputy_director,province,{TIGHT},,,
fill,,,,false,3,
kinship,,,,,,province
"""


def test_policy_rules_from_csv(tmp_path):
    text = swap("  rules:\n    - {rule: non_local, unit_kind: province, roles: [director]}",
                "  rules: {csv: rules.csv}")
    scn = load_ok(tmp_path, text, {"rules.csv": RULES_CSV})
    nl, fill, kin = scn.policy.rules
    assert (nl.rule, nl.roles, nl.unit_kind.value) == ("non_local", ["director", "deputy_director"],
                                                       "province")
    assert exact(nl.min_share) == Fraction(TIGHT)
    assert (fill.rule, fill.hard, fill.weight) == ("fill", False, 3)
    assert (kin.rule, kin.scope.value) == ("kinship", "province")


def test_policy_rules_from_csv_report_row_and_field(tmp_path):
    bad = RULES_CSV.replace("fill,,,,false,3,", "fill,,,0.5,,,") + \
        "clean_record,,,,false,,\nnonsense,,,,,,\n"
    text = swap("  rules:\n    - {rule: non_local, unit_kind: province, roles: [director]}",
                "  rules: {csv: rules.csv}")
    probs = problems_of(tmp_path, text, {"rules.csv": bad})
    assert all(p.file.endswith("rules.csv") for p in probs)
    says(only(probs, row=3, field="min_share"), "unknown field")  # fill takes no share
    says(only(probs, row=5, field="weight"), "soft rule")
    says(only(probs, row=6, field="rule"), "unknown rule type")


def test_policy_rules_csv_needs_a_rule_column(tmp_path):
    text = swap("  rules:\n    - {rule: non_local, unit_kind: province, roles: [director]}",
                "  rules: {csv: rules.csv}")
    probs = problems_of(tmp_path, text, {"rules.csv": "roles,colour\ndirector,red\n"})
    says(only(probs, row=1, field="rule"), "required column")
    says(only(probs, row=1, field="colour"), "unknown column")


def test_share_from_csv_counts_from_its_text(tmp_path):
    csv = f"rule,min_share\nnon_local,{TIGHT}\n"
    text = swap("  rules:\n    - {rule: non_local, unit_kind: province, roles: [director]}",
                "  rules: {csv: rules.csv}")
    rule = load_ok(tmp_path, text, {"rules.csv": csv}).policy.rules[0]
    assert exact(rule.min_share) == Fraction(TIGHT)


# -- item 8: wrong types refused by name ---------------------------------------------------------

@pytest.mark.parametrize("old, new, field, words", [
    ("priority: 2", "priority: true", "posts[1].priority", ["integer", "true"]),
    ("merit: 80}", "merit: true}", "candidates[0].merit", ["integer", "true"]),
    ("consecutive_terms: 1,", "consecutive_terms: true,", "candidates[1].consecutive_terms",
     ["integer", "true"]),
    ("priority: 2", "priority: 5.0", "posts[1].priority", ["integer", "5.0", "whole number"]),
    ("priority: 2", "priority: '5'", "posts[1].priority", ["integer", "'5'", "quotes"]),
    ("merit: 80}", "merit: '80'}", "candidates[0].merit", ["integer", "'80'"]),
    ("term_start: 2026", "term_start: 33:46", "term_start", ["integer", "33:46", "base-60"]),
    ("kind: ministry}", "kind: ministry, difficult: on}", "units[3].difficult",
     ["true or false", "'on'"]),
    ("merit: 80}", "merit: 80, disciplined: off}", "candidates[0].disciplined",
     ["true or false", "'off'"]),
    ("roles: [director]}", "roles: [director], hard: on}", "policy.rules[0].hard",
     ["true or false", "'on'"]),
    ("roles: [director]}", "roles: [director], min_share: true}", "policy.rules[0].min_share",
     ["number", "true"]),
    ("weights: {merit: 1, move: 5}", "weights: {merit: 1, move: yes}", "policy.weights.move",
     ["integer", "true"]),
])
def test_wrong_types_are_refused_by_name(tmp_path, old, new, field, words):
    text = swap(old, new)
    p = only(problems_of(tmp_path, text), field=field)
    assert p.line == line_of(text, new.split(",")[-1].strip("} ") or new)
    says(p, *words)


def test_csv_cells_are_text_and_stay_valid(tmp_path):
    """A CSV cell is always text: `80`, ` 1 ` and a whole `70.0` (as pandas writes) are the
    integers they spell; `yes`/`TRUE`/`no` the booleans."""
    csv = CANDIDATES_CSV.replace(",70,", ",70.0,").replace(",D1-CH,1,", ",D1-CH, 1 ,")
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert [c.merit for c in scn.candidates] == [80, 70]
    assert scn.candidates[1].consecutive_terms == 1
    assert scn.candidates[0].disciplined is True


@pytest.mark.parametrize("cell, words", [("true", ["integer", "'true'"]), ("7.5", ["'7.5'"]),
                                         ("on", ["'on'"])])
def test_csv_wrong_types_are_refused_by_name(tmp_path, cell, words):
    csv = CANDIDATES_CSV.replace(",80,", f",{cell},")
    if cell == "on":
        csv = CANDIDATES_CSV.replace(",TRUE\n", ",on\n")
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    p = only(probs, row=2, field="disciplined" if cell == "on" else "merit")
    says(p, *words)


def test_text_fields_keep_on_and_base60_as_written(tmp_path):
    """`on` and `12:30` are not the contract's booleans or numbers, so a text field keeps them."""
    text = swap("name: Anh", "name: on").replace("kind: kin}", "kind: '12:30'}")
    text = swap("{id: M1, name: Ministry", "{id: M1, name: 12:30", text)
    scn = load_ok(tmp_path, text)
    assert scn.candidates[0].name == "on" and scn.units[3].name == "12:30"
