"""JSON Schemas of scenario and policy files, for completion and validation in YAML editors.

`planner schema scenario` and `planner schema policy` print them. They are built from the same
pydantic models the loader validates with (:mod:`planner.schema`, :mod:`planner.scenario`,
the rule classes in :mod:`planner.rules`), and shaped for editors (JSON Schema draft-07, the
draft every YAML editor understands):

* a policy rule is chosen by its `rule:` field — `rule` offers every rule type for completion,
  and an `if rule is X then it is X's parameters` branch per type gives one precise message per
  mistake instead of "matches none of 12 schemas";
* wherever a table goes, a list of rows, `{csv: relative/path.csv}` or
  `{xlsx: relative/path.xlsx, sheet: name}` is accepted; a scenario's `policy` is inline or
  `{file: relative/path.yaml}`;
* booleans accept what the loader accepts (true/false, yes/no, 1/0);
* field descriptions come from the contract (tables) and from the rule classes (parameters),
  so editors show them on hover.

The schema checks one file's shape; what needs every table at once (ids that resolve, the unit
tree) is for `planner validate`.
"""

from __future__ import annotations

import ast
import copy
import inspect
import json
import textwrap
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from planner.rules import REGISTRY
from planner.rules import Rule as REGISTRY_BASE
from planner.scenario import Scenario
from planner.schema import TABLES, Weights, _flag

DRAFT = "http://json-schema.org/draft-07/schema#"

RELATIVE_PATH = r"^(?![/\\])(?![A-Za-z]:)(?!(.*[/\\])?\.\.([/\\]|$)).+$"
"""A path relative to the file that names it, not leaving its folder (no absolute path, no ..)."""

FLAG = {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]},
                  {"type": "string",
                   "pattern": r"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)\s*$"}]}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Scenario": {
        "name": "Name of the scenario; the default output folder is ./out/<name>.",
        "description": "Free text.",
        "term_start": "Year the term starts; ages are term_start - birth_year.",
        "term_years": "Length of a term in years (informative).",
        "periods": "A horizon: the years its periods (terms) start, strictly increasing, the "
                   "first term_start [absent: the one period term_start].",
        "units": "The organisation as a tree: ministry units, provinces, districts, communes.",
        "posts": "Leadership posts to fill.",
        "candidates": "Officers who may take a post.",
        "relations": "Pairs of related officers (kin, spouse, clan, ...), undirected.",
        "fixed": "Post-candidate pairs that must be in the plan.",
        "forbidden": "Post-candidate pairs that must not be in the plan.",
        "policy": "The policy: inline (name, rules, weights) or {file: relative/path.yaml}.",
    },
    "Unit": {
        "id": "Unique unit id.", "name": "Unit name.",
        "kind": "ministry, province, district or commune.",
        "parent": "Parent unit id: required for districts (a province) and communes (a district "
                  "or province); ministry units may have a ministry parent; provinces have none.",
        "difficult": "A difficult or complicated area (so are all units under it).",
        "lat": "Latitude in degrees (give lat and lon, or neither: then the nearest ancestor's).",
        "lon": "Longitude in degrees (give lat and lon, or neither).",
    },
    "Post": {
        "id": "Unique post id.", "unit": "Unit id where the post is.",
        "role": "e.g. director, deputy_director, chief, deputy_chief, department_head.",
        "priority": "Weight of the post in the objective (>= 1).",
        "min_education": "college < university < master < phd.",
        "min_political_theory": "primary < intermediate < advanced.",
        "min_rating": "not_completed < completed < good < excellent.",
        "max_age": "Oldest age allowed at term start.",
        "specialties": "Preferred specialties (an objective bonus, not a requirement).",
        "opens": "Year from which the post exists: in a period starting in or after it.",
        "closes": "Year from which the post no longer exists (after opens); a post closed in "
                  "the first period may still be someone's current_post.",
    },
    "Candidate": {
        "id": "Unique candidate id.", "name": "Full name.",
        "home": "Home town unit id, at any level (the finer the better).",
        "serves_at": "Unit id where the officer serves now; a ministry unit makes the officer "
                     "ministry-origin.",
        "current_post": "Post id the officer holds now.",
        "consecutive_terms": "Consecutive terms held in current_post, the current one included "
                             "(>= 1 exactly when current_post is set).",
        "birth_year": "Year of birth.", "gender": "female or male.",
        "education": "college, university, master or phd.",
        "political_theory": "primary, intermediate or advanced.",
        "rating": "Latest yearly evaluation: not_completed, completed, good or excellent.",
        "disciplined": "Under a disciplinary record.",
        "merit": "The planners' composite score, 0..100.",
        "specialties": "The officer's specialties.",
        "served_local": "Has served at province, district or commune level.",
        "ties": "Unit ids of close family or personal interests; they count like home for locality.",
        "preferences": "Unit ids the officer asked for.",
        "joins": "Year from which the officer is available: in a period starting in or after it.",
        "leaves": "Year from which the officer is no longer available (after joins): "
                  "retirement, end of service.",
        "since": "Year the officer took current_post (only with current_post; <= term_start).",
        "served_difficult": "Has served in a difficult area.",
    },
    "Relation": {"a": "Candidate id.", "b": "Another candidate id.",
                 "kind": "kin, spouse, clan, ... (any kind makes a relation)."},
    "Pin": {"post": "Post id.", "candidate": "Candidate id.",
            "period": "Year of the period the pair binds, one of periods [absent: a fixed pair "
                      "the first period, a forbidden pair every period]."},
    "Policy": {"name": "Name of the policy.", "description": "Free text.",
               "rules": "The rules; each is chosen by its `rule:` field.",
               "weights": "Objective weights (integers from 0 to 10^6; vacancy up to 10^9)."},
    "Weights": {
        "merit": "Per merit point times the post's priority [1].",
        "specialty": "When the officer's and the post's specialties share an item [0].",
        "preference": "When the post lies in a place the officer asked for [0].",
        "move": "Cost of each assignment other than the officer's current post [0].",
        "distance": "Cost per 100 km between the serving unit and the post [0].",
        "vacancy": "Cost of a vacant post, times its priority [1000].",
    },
    "Rule": {
        "rule": "The rule type.",
        "hard": "true: the rule must hold; false: it may give way at `weight` per unit of violation.",
        "weight": "Cost per unit of violation; required when hard is false.",
        "label": "A name for reports, to tell apart two rules of one type.",
        "roles": "Posts with these roles (absent: any role); a non-empty list.",
        "unit_kind": "Posts whose unit is of this kind (absent: any kind).",
        "min_share": "Required share in [0, 1], counted exactly from its decimal text.",
        "per": "Split the rule into one requirement per unit of this kind.",
        "scope": "A unit kind: the area compared (non_local: default the post unit's own kind; "
                 "kinship: default province).",
        "max_age": "Oldest age allowed (term_start - birth_year).",
        "max_consecutive_terms": "Officers with this many consecutive terms leave their post [2].",
        "same": "post (default): may not keep the same post; unit: may not get any post in that unit.",
        "min_per_unit": "Posts per group that must go to ministry-origin officers [1].",
        "min_share_of_units": "Share of groups that must comply, in [0, 1] [1].",
        "min_rating": "Lowest rating allowed: not_completed, completed, good or excellent.",
        "within": "A unit kind: the officer must serve inside the post's unit of this kind.",
        "max_km": "Farthest distance in km between the serving unit and the post's unit.",
    },
}


def _attribute_docs(cls: type) -> dict[str, str]:
    """The docstrings written under class attributes (`x: int = 1` then `\"\"\"...\"\"\"`)."""
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, BaseModel)) or klass is BaseModel:
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for a, b in zip(body, body[1:]):
            if isinstance(a, ast.AnnAssign) and isinstance(a.target, ast.Name) \
                    and isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant) \
                    and isinstance(b.value.value, str):
                out[a.target.id] = " ".join(b.value.value.split())
    return out


def _flag_fields(model: type[BaseModel]) -> set[str]:
    return {name for name, info in model.model_fields.items()
            if any(getattr(m, "func", None) is _flag for m in info.metadata)}


def _model_schema(model: type[BaseModel], descriptions: dict[str, str]) -> dict[str, Any]:
    """One model's schema with its references under `definitions`."""
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    defs = schema.pop("$defs", {})
    for name, prop in schema.get("properties", {}).items():
        prop.pop("title", None)
        if name in _flag_fields(model):
            keep = {k: prop[k] for k in ("default",) if k in prop}
            prop.clear()
            prop.update(copy.deepcopy(FLAG), **keep)
        if name in descriptions:
            prop["description"] = descriptions[name]
        elif issubclass(model, REGISTRY_BASE):
            prop["description"] = "See docs/scenario-format.md."
    schema.pop("title", None)
    return {"schema": schema, "defs": defs}


def _table_value(row_ref: str, table: str) -> dict[str, Any]:
    """A list of rows, {csv: path} or {xlsx: path, sheet: name}: if/then rather than anyOf, so
    that a bad row gets its own message at its own place."""
    return {"description": DESCRIPTIONS["Scenario"].get(table, "")
            + " A list of rows, {csv: relative/path.csv} or {xlsx: relative/path.xlsx, sheet: name}.",
            "type": ["array", "object"],
            "if": {"type": "array"}, "then": {"items": {"$ref": row_ref}},
            "else": {"if": {"required": ["xlsx"]}, "then": {"$ref": "#/definitions/XlsxTable"},
                     "else": {"$ref": "#/definitions/CsvTable"}}}


_COMMON_DEFS: dict[str, Any] = {
    "CsvTable": {"type": "object", "additionalProperties": False, "required": ["csv"],
                 "description": "The table's rows in a CSV file beside this one: header row of "
                                "field names, lists `;`-separated, empty cell = not given.",
                 "properties": {"csv": {"type": "string", "pattern": RELATIVE_PATH,
                                        "description": "Path relative to this file, inside its folder."}}},
    "XlsxTable": {"type": "object", "additionalProperties": False, "required": ["xlsx"],
                  "description": "The table's rows in an Excel sheet beside this one: first row "
                                 "the field names, as in CSV.",
                  "properties": {"xlsx": {"type": "string", "pattern": RELATIVE_PATH,
                                          "description": "Path of the .xlsx workbook, relative to this file."},
                                 "sheet": {"type": "string", "minLength": 1,
                                           "description": "Sheet name [default: the sheet named like "
                                                          "the table, else the only sheet]."}}},
    "PolicyFile": {"type": "object", "additionalProperties": False, "required": ["file"],
                   "properties": {"file": {"type": "string", "pattern": RELATIVE_PATH,
                                           "description": "Policy YAML file, relative to this file."}}},
}


def _rule_defs() -> tuple[dict[str, Any], dict[str, Any]]:
    """(definitions of every rule type, the schema of one item of `rules`)."""
    defs: dict[str, Any] = {}
    branches = []
    for name, cls in sorted(REGISTRY.items()):
        docs = {**DESCRIPTIONS["Rule"], **_attribute_docs(cls)}
        part = _model_schema(cls, docs)
        schema = part["schema"]
        defs.update(part["defs"])
        schema["description"] = f"{name}: {cls.summary}" if cls.summary else name
        schema["properties"]["rule"] = {"const": name, "description": schema["description"]}
        schema.setdefault("allOf", []).append(
            {"if": {"properties": {"hard": {"const": False}}, "required": ["hard"]},
             "then": {"required": ["weight"], "properties": {"weight": {"type": "integer"}}}})
        key = f"rule_{name}"
        defs[key] = schema
        branches.append({"if": {"properties": {"rule": {"const": name}}, "required": ["rule"]},
                         "then": {"$ref": f"#/definitions/{key}"}})
    item = {"type": "object", "required": ["rule"],
            "properties": {"rule": {"enum": sorted(REGISTRY), "description": "The rule type."}},
            "allOf": branches}
    return defs, item


def _policy_defs() -> dict[str, Any]:
    rule_defs, item = _rule_defs()
    weights = _model_schema(Weights, DESCRIPTIONS["Weights"])["schema"]
    weights["description"] = "Objective weights (integers from 0 to 10^6; vacancy up to 10^9); defaults in brackets."
    return {**rule_defs, "Rule": item, "Weights": weights, "Policy": {
        "type": "object", "additionalProperties": False, "required": ["name"],
        "description": "A policy: the rules a plan must (hard) or should (soft) follow, and the "
                       "objective's weights.",
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": DESCRIPTIONS["Policy"]["name"]},
            "description": {"type": ["string", "null"], "description": DESCRIPTIONS["Policy"]["description"]},
            "rules": {"type": ["array", "object", "null"],
                      "if": {"type": "object"}, "then": {"$ref": "#/definitions/CsvTable"},
                      "else": {"items": {"$ref": "#/definitions/Rule"}},
                      "description": DESCRIPTIONS["Policy"]["rules"]
                      + " A list, or {csv: relative/path.csv} with one rule per row."},
            "weights": {"type": ["object", "null"],
                        "if": {"type": "object"}, "then": {"$ref": "#/definitions/Weights"},
                        "description": DESCRIPTIONS["Policy"]["weights"]},
        }}}


def _row_defs() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for model in dict.fromkeys(TABLES.values()):
        part = _model_schema(model, DESCRIPTIONS.get(model.__name__, {}))
        defs.update(part["defs"])
        defs[model.__name__] = part["schema"]
    unit = defs["Unit"]
    unit["dependencies"] = {"lat": ["lon"], "lon": ["lat"]}
    unit["allOf"] = [
        {"if": {"properties": {"kind": {"enum": ["district", "commune"]}}, "required": ["kind"]},
         "then": {"required": ["parent"], "properties": {"parent": {"type": "string"}}}},
        {"if": {"properties": {"kind": {"const": "province"}}, "required": ["kind"]},
         "then": {"properties": {"parent": {"type": "null"}}}},
    ]
    cand = defs["Candidate"]
    cand["allOf"] = [{
        "if": {"properties": {"current_post": {"type": "string"}}, "required": ["current_post"]},
        "then": {"required": ["consecutive_terms"],
                 "properties": {"consecutive_terms": {"type": "integer", "minimum": 1}}},
        "else": {"properties": {"consecutive_terms": {"enum": [0, None]}}},
    }, {
        "if": {"properties": {"since": {"type": "integer"}}, "required": ["since"]},
        "then": {"required": ["current_post"], "properties": {"current_post": {"type": "string"}}},
    }]
    return defs


@lru_cache(maxsize=None)
def _policy_schema_text() -> str:
    defs = {**_policy_defs(), **_COMMON_DEFS}
    schema = {"$schema": DRAFT, "title": "rotation-planner policy", **defs.pop("Policy"), "definitions": defs}
    return json.dumps(schema, sort_keys=False)


@lru_cache(maxsize=None)
def _scenario_schema_text() -> str:
    defs = {**_policy_defs(), **_row_defs(), **_COMMON_DEFS}
    head = _model_schema(Scenario, DESCRIPTIONS["Scenario"])["schema"]
    props = head["properties"]
    props["periods"]["anyOf"][0]["uniqueItems"] = True  # increasing: the loader checks the order
    for table, model in TABLES.items():
        props[table] = _table_value(f"#/definitions/{model.__name__}", table)
    props["policy"] = {"description": DESCRIPTIONS["Scenario"]["policy"], "type": ["object", "null"],
                       "if": {"type": "object", "required": ["file"]},
                       "then": {"$ref": "#/definitions/PolicyFile"},
                       "else": {"if": {"type": "object"}, "then": {"$ref": "#/definitions/Policy"}}}
    schema = {"$schema": DRAFT, "title": "rotation-planner scenario",
              "description": "A scenario: units, posts, candidates, relations, pins and a policy. "
                             "See docs/scenario-format.md.",
              "type": "object", "additionalProperties": False,
              "required": head.get("required", []), "properties": props, "definitions": defs}
    return json.dumps(schema, sort_keys=False)


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a scenario file."""
    return json.loads(_scenario_schema_text())


def policy_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a policy file."""
    return json.loads(_policy_schema_text())


SCHEMAS = {"scenario": scenario_schema, "policy": policy_schema}


def schema_text(kind: str) -> str:
    """The schema `kind` ("scenario" or "policy") as indented JSON text."""
    return json.dumps(SCHEMAS[kind](), indent=2, ensure_ascii=False) + "\n"


__all__ = ["SCHEMAS", "policy_schema", "scenario_schema", "schema_text"]
