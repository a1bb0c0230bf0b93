"""Policies, inline, in their own file or given on the command line: rule types and
parameters, weights, policy-file paths, and where their problems are reported."""

from __future__ import annotations

import pytest
from bad_input import (
    BASE,
    POLICY,
    line_of,
    load_ok,
    only,
    problems_of,
    says,
    swap,
    without_policy,
)

from planner.errors import InputError
from planner.io.loader import load_policy

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
    assert p.message == f"expected an integer from 1 to 1000000, got {weight}"


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
    top = 1000000000 if name == "vacancy" else 1000000
    assert p.message == f"expected an integer from 0 to {top}, got -2"


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
