"""`planner schema`: JSON Schemas that accept the bundled files and point at mistakes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from reporting import ROOT, SMALL

from planner.cli import main
from planner.io.json_schema import policy_schema, scenario_schema
from planner.rules import REGISTRY

SCENARIOS = sorted({SMALL, *(ROOT / "scenarios").glob("**/scenario.yaml"),
                    *(ROOT / "scenarios").glob("*.yaml")})
POLICIES = sorted((ROOT / "scenarios" / "policies").glob("*.yaml"))


def _errors(schema: dict, data) -> list[tuple[list, str]]:
    validator = jsonschema.Draft7Validator(schema)
    return sorted(((list(e.absolute_path), e.message) for e in validator.iter_errors(data)), key=str)


def test_schemas_are_valid_draft7():
    jsonschema.Draft7Validator.check_schema(scenario_schema())
    jsonschema.Draft7Validator.check_schema(policy_schema())
    assert scenario_schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_bundled_scenarios_validate(path: Path):
    assert _errors(scenario_schema(), yaml.safe_load(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_bundled_policies_validate(path: Path):
    assert POLICIES
    assert _errors(policy_schema(), yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_every_rule_type_and_parameter_is_in_the_schema():
    defs = policy_schema()["definitions"]
    assert sorted(defs["Rule"]["properties"]["rule"]["enum"]) == sorted(REGISTRY)
    for name, cls in REGISTRY.items():
        props = defs[f"rule_{name}"]["properties"]
        assert set(props) == set(cls.model_fields), name
        assert props["rule"]["const"] == name
        assert all(p.get("description") for p in props.values()), name


def test_bad_scenario_is_rejected_where_the_mistake_is():
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    bad = copy.deepcopy(data)
    bad["units"][3]["lat"] = "north"
    del bad["units"][4]["parent"]                       # a district without its province
    bad["candidates"][0]["bogus"] = 1
    bad["candidates"][1]["gender"] = "other"
    bad["relations"] = {"csv": "../elsewhere.csv"}
    bad["policy"]["rules"].append({"rule": "non_local", "min_share": 1.5, "hard": False})
    bad["policy"]["rules"].append({"rule": "nonsense"})
    bad["extra"] = True
    n = len(data["policy"]["rules"])
    paths = [tuple(p) for p, _ in _errors(scenario_schema(), bad)]
    assert set(paths) == {
        ("units", 3, "lat"), ("units", 4), ("candidates", 0), ("candidates", 1, "gender"),
        ("relations", "csv"), ("policy", "rules", n), ("policy", "rules", n, "min_share"),
        ("policy", "rules", n + 1, "rule"), (),
    }, paths
    messages = {tuple(p): m for p, m in _errors(scenario_schema(), bad)}
    assert messages[("policy", "rules", n)] == "'weight' is a required property"
    assert messages[("units", 4)] == "'parent' is a required property"
    assert "'bogus' was unexpected" in messages[("candidates", 0)]


def test_table_forms_and_policy_file():
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["units"] = {"csv": "tables/units.csv"}
    data["candidates"] = {"xlsx": "roster.xlsx", "sheet": "officers"}
    data["policy"] = {"file": "policies/national.yaml"}
    assert _errors(scenario_schema(), data) == []
    data["candidates"] = {"xlsx": "/abs/roster.xlsx", "sheets": "x"}
    assert {tuple(p) for p, _ in _errors(scenario_schema(), data)} == {("candidates",), ("candidates", "xlsx")}
    data["policy"] = {"file": "p.yaml", "name": "x"}
    assert ("policy",) in {tuple(p) for p, _ in _errors(scenario_schema(), data)}


def test_yaml_booleans_as_the_loader_reads_them():
    pol = {"name": "p", "rules": [{"rule": "kinship", "hard": "No", "weight": 3},
                                  {"rule": "term_limit", "hard": "maybe"}]}
    assert [tuple(p) for p, _ in _errors(policy_schema(), pol)] == [("rules", 1, "hard")]


def test_schema_command(tmp_path: Path):
    runner = CliRunner()
    res = runner.invoke(main, ["schema"])
    assert res.exit_code == 0
    assert json.loads(res.output)["title"] == "rotation-planner scenario"
    out = tmp_path / "policy.schema.json"
    res = runner.invoke(main, ["schema", "policy", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8")) == policy_schema()
    res = runner.invoke(main, ["schema", "plan"])
    assert res.exit_code == 2
