"""Reading scenario and policy files into validated objects, with every problem reported.

Loading runs in phases; each phase collects all its problems before the next starts:
1. files: YAML syntax and safety, CSV files and their paths;
2. rows: each table row and each policy part against its pydantic schema;
3. references: unique ids, ids that resolve, the unit forest and its kinds.
Problems name the file, the YAML line or CSV row, and the field.
"""

from __future__ import annotations

import types
import typing
import warnings
from enum import Enum
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from planner.errors import InputError, Problems
from planner.io.csvio import cells_of, read_csv, read_table
from planner.io.xlsxio import read_sheet
from planner.io.yamlio import LineMap, dotted, load_yaml, not_regular
from planner.rules import REGISTRY
from planner.scenario import Policy, Scenario
from planner.schema import (
    TABLES,
    Cell,
    FieldError,
    Row,
    UnitKind,
    Weights,
    _flag,
    list_fields,
)

HEAD_FIELDS = ("name", "description", "term_start", "term_years")


class _Source:
    """One YAML file: its label for messages and the lines of its values."""

    def __init__(self, path: Path, label: str, lines: LineMap):
        self.path, self.label, self.lines = path, label, lines

    def line(self, loc: tuple) -> int | None:
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


class _RowRef:
    """Where a table row came from: a YAML list item or a CSV row."""

    def __init__(self, label: str, *, line: int | None = None, row: int | None = None,
                 prefix: str = "", lines: dict[str, int] | None = None):
        self.label, self.line, self.row, self.prefix = label, line, row, prefix
        self.lines = lines or {}

    def add(self, problems: Problems, message: str, field: str | None = None) -> None:
        line = self.line
        if field and self.row is None:  # YAML: the line of the field itself where known
            base = field.split("[")[0].split(".")[0]
            line = self.lines.get(field, self.lines.get(base, self.line))
        name = f"{self.prefix}.{field}" if self.prefix and field else (field or self.prefix or None)
        problems.add(self.label, message, line=line, row=self.row, field=name)


def _unwrap(ann: Any, meta: list) -> tuple[Any, list]:
    """Strip Optional and Annotated from a field's type, gathering constraint metadata."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            args = typing.get_args(ann)
            ann = args[0]
            for m in args[1:]:
                meta = [*meta, *(m.metadata if isinstance(m, FieldInfo) else [m])]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(args) != 1:
                return ann, meta
            ann = args[0]
        else:
            return ann, meta


def _bounds(meta: list) -> str:
    lo = next((m.ge for m in meta if isinstance(m, annotated_types.Ge)), None)
    hi = next((m.le for m in meta if isinstance(m, annotated_types.Le)), None)
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" >= {lo}"
    if hi is not None:
        return f" <= {hi}"
    return ""


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _describe(ann: Any, meta: list) -> str:
    """What a value of this type looks like, in words for the person writing the file."""
    ann, meta = _unwrap(ann, meta)
    origin = typing.get_origin(ann)
    if any(getattr(m, "func", None) is _flag for m in meta) or ann is bool:
        return "true or false (also yes/no, 1/0)"
    if origin is typing.Literal:
        return _either([str(a) for a in typing.get_args(ann)])
    if origin is list:
        (item,) = typing.get_args(ann) or (Any,)
        nonempty = any(isinstance(m, annotated_types.MinLen) and m.min_length for m in meta)
        items = _describe(item, [])
        for one, many in (("an integer", "integers"), ("a number", "numbers")):
            if items.startswith(one):
                items = many + items[len(one):]
        return f"a{' non-empty' if nonempty else ''} list of {items}"
    if isinstance(ann, type):
        if issubclass(ann, Enum):
            return _either([m.value for m in ann])
        if issubclass(ann, int):
            return "an integer" + _bounds(meta)
        if issubclass(ann, float):
            return "a number" + _bounds(meta)
        if issubclass(ann, str):
            return "text"
        if issubclass(ann, BaseModel):
            return "a mapping of fields"
    return "a valid value"


def _expected(model: Any, loc: tuple) -> str | None:
    """Words for what the value at `loc` of `model` should be, or None when unknown."""
    fields = getattr(model, "model_fields", {})
    if not loc or loc[0] not in fields:
        return None
    info = fields[loc[0]]
    ann, meta = info.annotation, list(info.metadata)
    for part in loc[1:]:
        ann, meta = _unwrap(ann, meta)
        if not (isinstance(part, int) and typing.get_origin(ann) is list):
            return None
        (ann,), meta = typing.get_args(ann), []
    return _describe(ann, meta)


def _shown(got: Any) -> str:
    if isinstance(got, dict):
        return "a mapping"
    if isinstance(got, list):
        return "a list" if got else "an empty list"
    if got is None:
        return "nothing (null)"
    return repr(got)


def _message(err: dict[str, Any], model: Any = None) -> str:
    kind, got, loc = err["type"], err.get("input"), tuple(err.get("loc") or ())
    expected = _expected(model, loc)
    if kind == "missing":
        return "required field is missing" + (f"; expected {expected}" if expected else "")
    if kind == "extra_forbidden":
        known = ", ".join(getattr(model, "model_fields", {}))
        return "unknown field" + (f"; expected one of: {known}" if known else "")
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    msg = msg[0].lower() + msg[1:] if msg else msg
    if kind in ("value_error", "assertion_error"):
        if isinstance(err.get("ctx", {}).get("error"), FieldError) or not loc:
            return msg
        return f"{msg}, got {_shown(got)}"
    if kind in ("model_type", "model_attributes_type", "dict_type") and not loc:
        return f"expected a mapping of fields, got {_shown(got)}"
    if expected is None:
        return f"{msg} (got {_shown(got)})"
    return f"expected {expected}, got {_shown(got)}{_hint(kind, got)}"


def _hint(kind: str, got: Any) -> str:
    """Why a value that looks right to the writer has the wrong type, and how to write it."""
    if kind == "string_type" and isinstance(got, (bool, int, float)):
        return "; YAML reads it as a " + ("boolean" if isinstance(got, bool) else "number") + \
               ", so put it in quotes to use it as text"
    if kind not in ("int_type", "float_type"):
        return ""
    if isinstance(got, Cell):
        return ""  # a cell is text by nature: the value itself is what is wrong
    if isinstance(got, bool):
        return "; a boolean is not a number"
    if isinstance(got, float):
        return "; write a whole number, without a decimal point"
    if isinstance(got, str) and ":" in got:
        return "; YAML 1.1 would read it as a base-60 number, which is not supported"
    if isinstance(got, str):
        return "; quotes make it text in YAML: write the number without quotes"
    return ""


def _validate(model: type[BaseModel], data: Any, ref: _RowRef, problems: Problems,
              skip_missing: set[str] = frozenset()) -> Any:
    """The validated row, or None after recording every problem in it."""
    return _validate_or_partial(model, data, ref, problems, skip_missing)[0]


def _validate_or_partial(model: type[BaseModel], data: Any, ref: _RowRef, problems: Problems,
                         skip_missing: set[str] = frozenset()) -> tuple[Any, Any]:
    """(valid row, None), or (None, the row's valid-looking fields) after recording problems.

    The partial row lets reference checks still run on an invalid row's other fields, so that
    one bad cell does not hide an unknown id next to it.
    """
    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        bad = set()
        for err in exc.errors(include_url=False):
            loc = err["loc"]
            if loc:
                bad.add(loc[0])
            if err["type"] == "missing" and loc and loc[0] in skip_missing:
                continue  # reported once for the whole CSV column
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, FieldError) and not loc:
                loc = (cause.field,)  # a whole-row check that is about one field
                bad.add(cause.field.split("[")[0])
            if len(loc) == 1 and isinstance(data, dict) and isinstance(data.get(loc[0]), str):
                err = {**err, "input": data[loc[0]]}  # the text written, not its conversion
            ref.add(problems, _message(err, model), dotted(tuple(loc)) if loc else None)
        fields = getattr(model, "model_fields", {})
        if not isinstance(data, dict):
            return None, None
        kept = {k: v for k, v in data.items() if k in fields and k not in bad}
        return None, model.model_construct(**kept)


def _inside(base: Path, rel: Any, problems: Problems, label: str, line: int | None,
            field: str) -> Path | None:
    """A path named in `base`'s file, confined to that file's folder."""
    if not isinstance(rel, str) or not rel.strip():
        problems.add(label, f"expected a relative file path, got {_shown(rel)}", line=line,
                     field=field)
        return None
    pure, win = PurePosixPath(rel), PureWindowsPath(rel)
    if pure.is_absolute() or win.is_absolute() or win.drive or ".." in pure.parts or ".." in win.parts:
        problems.add(label, f"path {rel!r} must stay inside the folder of {label} "
                            "(no absolute path, no '..')", line=line, field=field)
        return None
    folder = base.parent.resolve()
    target = (base.parent / rel).resolve()
    if not target.is_relative_to(folder):
        problems.add(label, f"path {rel!r} leads outside the folder of {label}", line=line, field=field)
        return None
    return base.parent / rel


def _label_for(parent_label: str, rel: str) -> str:
    return str(PurePosixPath(parent_label).parent / rel)


def _file_ref(src: _Source, value: dict, key: str, at: tuple, what: str,
              problems: Problems) -> tuple[Path, str] | None:
    """`{key: relative/path}` named at `at` in `src`: the confined path and its label, or None.

    A file that is missing is reported at the line that names it, so the planner sees where
    the wrong name was written.
    """
    field = dotted((*at, key))
    line = src.line((*at, key))
    for extra in value:
        if extra != key:
            problems.add(src.label, f"unknown field beside {key!r}; expected only "
                                    f"{{{key}: relative/path}}", line=src.line((*at, extra)),
                         field=dotted((*at, extra)))
    path = _inside(src.path, value[key], problems, src.label, line, field)
    if path is None:
        return None
    if not path.is_file():
        why = not_regular(path) if path.exists() else "does not exist"
        problems.add(src.label, f"{what} file {value[key]!r} {why} (looked for "
                                f"{_label_for(src.label, value[key])}); expected a file beside "
                                f"{PurePosixPath(src.label).name}", line=line, field=field)
        return None
    return path, _label_for(src.label, value[key])


def _read_rows(src: _Source, table: str, value: Any, problems: Problems) -> list[tuple] | None:
    """Rows of one table as (valid row or None, partial row or None, where it came from).

    None when the table could not be read at all (so references to it are not checked).
    """
    model = TABLES[table]
    line = src.line((table,))
    out: list[tuple] = []
    if isinstance(value, dict) and "xlsx" in value:
        return _read_xlsx_rows(src, table, value, problems)
    if isinstance(value, dict) and "csv" in value:
        found = _file_ref(src, value, "csv", (table,), "CSV", problems)
        if found is None:
            return None
        path, label = found
        rows = read_table(path, label, model, problems)
        if rows is None:
            return None
        for number, record, absent in rows:
            ref = _RowRef(label, row=number)
            out.append((*_validate_or_partial(model, record, ref, problems, absent), ref))
        return out
    if not isinstance(value, list):
        problems.add(src.label, f"expected a list of {table} rows or {{csv: relative/path.csv}}, "
                                f"got {_shown(value)}", line=line, field=table)
        return None
    for i, item in enumerate(value):
        ref = _RowRef(src.label, line=src.line((table, i)), prefix=f"{table}[{i}]",
                      lines=_field_lines(src.lines, (table, i), item))
        if not isinstance(item, dict):
            ref.add(problems, f"expected a mapping of fields, got {_shown(item)}")
            continue
        out.append((*_validate_or_partial(model, item, ref, problems), ref))
    return out


def _read_xlsx_rows(src: _Source, table: str, value: dict, problems: Problems) -> list[tuple] | None:
    """`{xlsx: relative/path.xlsx, sheet: name}`: rows of an Excel sheet, validated as CSV rows."""
    sheet = value.get("sheet")
    if "sheet" in value and (not isinstance(sheet, str) or not sheet.strip()):
        problems.add(src.label, f"expected a sheet name (text), got {_shown(sheet)}",
                     line=src.line((table, "sheet")), field=dotted((table, "sheet")))
        return None
    found = _file_ref(src, {k: v for k, v in value.items() if k != "sheet"}, "xlsx", (table,),
                      "Excel", problems)
    if found is None:
        return None
    got = read_sheet(found[0], found[1], sheet, table, TABLES[table], problems)
    if got is None:
        return None
    label, rows = got
    out = []
    for number, record, absent in rows:
        ref = _RowRef(label, row=number)
        out.append((*_validate_or_partial(TABLES[table], record, ref, problems, absent), ref))
    return out


def _field_lines(lines: LineMap, at: tuple, item: Any) -> dict[str, int]:
    """Line of each field of the mapping at `at`, for messages about that field."""
    if not isinstance(item, dict):
        return {}
    return {str(key): lines[(*at, key)] for key in item if (*at, key) in lines}


Where = dict[str, tuple[str, int | None, str]]
"""Where policy values were written: `weights.merit`, `rules[2].weight` -> (file, line, field)."""


def load_policy(path: str | Path, *, label: str | None = None) -> Policy:
    """Load a policy file (contract section 4); raises :class:`InputError`."""
    problems = Problems()
    policy = _policy_file(Path(path), label or str(path), problems, {})
    problems.raise_if_any()
    return policy  # type: ignore[return-value]


def _policy_file(path: Path, label: str, problems: Problems, where: Where) -> Policy | None:
    before = len(problems.items)
    data, lines = load_yaml(path, problems, label=label)
    if len(problems.items) > before:  # phase 1: a file that is not clean YAML goes no further
        return None
    if data is None:
        problems.add(label, "the file is empty: expected a policy, a mapping with name, "
                            "rules and weights", line=1)
        return None
    return _policy(_Source(path, label, lines), data, (), problems, where)


def _policy(src: _Source, data: Any, at: tuple, problems: Problems,
            where: Where | None = None) -> Policy | None:
    field = dotted(at) if at else None
    where = where if where is not None else {}

    def ref(loc: tuple, item: Any = None) -> _RowRef:
        return _RowRef(src.label, line=src.line((*at, *loc)), prefix=dotted((*at, *loc)),
                       lines=_field_lines(src.lines, (*at, *loc), item))

    def remember(key: str, loc: tuple) -> None:
        where[key] = (src.label, src.line((*at, *loc)), dotted((*at, *loc)))

    if not isinstance(data, dict):
        problems.add(src.label, "expected a policy: a mapping with name, rules and weights, "
                                f"got {_shown(data)}", line=src.line(at), field=field)
        return None
    before = len(problems.items)
    for key in data:
        if key not in Policy.model_fields:
            ref((key,)).add(problems, "unknown field; expected one of: "
                                      f"{', '.join(Policy.model_fields)}")
    head = {k: data[k] for k in ("name", "description") if k in data}
    _validate(Policy, head, ref((), data), problems)
    weights = data.get("weights")
    weights = {} if weights is None else weights
    w = _validate(Weights, weights, ref(("weights",), weights), problems)
    if isinstance(weights, dict):
        for key in weights:
            remember(f"weights.{key}", ("weights", key))
    rules_data = data.get("rules")
    rules_data = [] if rules_data is None else rules_data
    rules = []
    if isinstance(rules_data, dict) and "csv" in rules_data:
        items = _csv_rules(src, rules_data, (*at, "rules"), problems)
    elif not isinstance(rules_data, list):
        ref(("rules",)).add(problems, "expected a list of rules or {csv: relative/path.csv}, "
                                      f"got {_shown(rules_data)}")
        items = []
    else:
        items = [(item, ref(("rules", i), item)) for i, item in enumerate(rules_data)]
    for i, (item, r) in enumerate(items):
        if not isinstance(item, dict):
            r.add(problems, f"expected a rule: a mapping with a `rule:` field, got {_shown(item)}")
            continue
        kind = item.get("rule")
        known = ", ".join(sorted(REGISTRY))
        if "rule" not in item:
            r.add(problems, f"required field is missing; expected a rule type, one of: {known}",
                  "rule")
            continue
        if not isinstance(kind, str) or kind not in REGISTRY:
            r.add(problems, f"unknown rule type {_shown(kind)}; expected one of: {known}", "rule")
            continue
        rule = _validate(REGISTRY[kind], item, r, problems)
        if rule is not None:
            rules.append(rule)
            if r.row is None:
                remember(f"rules[{len(rules) - 1}].weight", ("rules", i, "weight"))
            else:
                where[f"rules[{len(rules) - 1}].weight"] = (r.label, None, f"row {r.row} weight")
    if len(problems.items) > before:
        return None
    return Policy.model_construct(name=data["name"], description=data.get("description"),
                                  rules=rules, weights=w if w is not None else Weights())


def _csv_rules(src: _Source, value: dict, at: tuple,
               problems: Problems) -> list[tuple[Any, _RowRef]]:
    """A policy's `rules: {csv: rules.csv}`: one rule per row, its `rule` column naming the
    type and the other columns its parameters (contract section 1: a table from CSV wherever
    one is expected). A row gives only the parameters its type takes: a non-empty cell in a
    column the type lacks is an unknown field, as in YAML; list cells are `;`-separated."""
    found = _file_ref(src, value, "csv", at, "CSV", problems)
    if found is None:
        return []
    path, label = found
    known = {name: None for model in REGISTRY.values() for name in model.model_fields}
    lists = set().union(*(list_fields(model) for model in REGISTRY.values()))

    def header_ok(header: list[str]) -> None:
        for col in header:
            if col not in known:
                problems.add(label, "unknown column; expected columns among the rules' "
                                    f"parameters: {', '.join(known)}", row=1,
                             field=col or "(empty header)")
        if "rule" not in header:
            problems.add(label, "required column is missing; expected a 'rule' column naming "
                                "each row's rule type", row=1, field="rule")

    got = read_csv(path, label, problems, header_ok)
    if got is None or "rule" not in got[0]:
        return []
    header, rows = got
    return [(cells_of(header, cells, lists), _RowRef(label, row=number)) for number, cells in rows]


def load_scenario(path: str | Path, *, policy: str | Path | Policy | None = None) -> Scenario:
    """Load and validate a scenario (contract sections 1-2); raises :class:`InputError`.

    `policy`, when given (a path or a :class:`Policy`), replaces the scenario's own policy.
    Every problem found is raised at once: those of a policy file given as `policy` too.
    """
    path = Path(path)
    label = str(path)
    problems = Problems()
    where: Where = {}
    own_policy = None
    if isinstance(policy, (str, Path)):
        own_policy = _policy_file(Path(policy), str(policy), problems, where)
    elif policy is not None:
        own_policy = policy
    before = len(problems.items)
    data, lines = load_yaml(path, problems, label=label)
    src = _Source(path, label, lines)
    if len(problems.items) > before:  # phase 1: a file that is not clean YAML goes no further
        raise InputError(problems.items)
    if data is None:
        problems.add(label, "the file is empty: expected a scenario, a mapping with name, "
                            "term_start, units, posts, candidates ...", line=1)
    elif not isinstance(data, dict):
        problems.add(label, "expected a scenario: a mapping with name, term_start, units, posts, "
                            f"candidates ..., got {_shown(data)}", line=src.line(()))
    if not isinstance(data, dict):
        raise InputError(problems.items)
    start, years = _read_head(src, data, problems)

    tables: dict[str, list] = {}
    unread: set[str] = set()
    for table in TABLES:
        if table not in data or data[table] is None:
            if table in ("units", "posts", "candidates"):
                problems.add(label, f"required table is missing; expected a list of {table} "
                                    "or {csv: relative/path.csv}", line=src.line(()), field=table)
                unread.add(table)
            tables[table] = []
            continue
        rows = _read_rows(src, table, data[table], problems)
        if rows is None:
            unread.add(table)
        tables[table] = rows or []

    if policy is None and data.get("policy") is not None:
        value = data["policy"]
        if isinstance(value, dict) and "file" in value:
            found = _file_ref(src, value, "file", ("policy",), "policy", problems)
            if found is not None:
                own_policy = _policy_file(*found, problems, where)
        else:
            own_policy = _policy(src, value, ("policy",), problems, where)

    _check_references(tables, problems, unread)
    _check_horizon(tables, start, years, problems)
    problems.raise_if_any()
    valid = {t: [row for row, _, _ in rows] for t, rows in tables.items()}
    _check_magnitude(tables["posts"], valid, own_policy, where, label, problems)
    problems.raise_if_any()
    _warn_shared_posts(tables["candidates"])
    return Scenario.model_construct(
        name=data["name"], description=data.get("description"), term_start=data["term_start"],
        term_years=data.get("term_years", 5), periods=data.get("periods"), **valid,
        policy=own_policy)


def _read_head(src: _Source, data: dict, problems: Problems) -> tuple[int | None, list[int] | None]:
    """Check the scenario's top-level fields; return `term_start` and the periods' years as far
    as they are valid (None where not), for the checks of the tables that need them. A problem
    in one item of `periods` is reported at that item's line."""
    head = {k: v for k, v in data.items() if k not in TABLES and k != "policy"}
    lines = {str(k): src.line((k,)) for k in head}
    periods = head.get("periods")
    if isinstance(periods, list):
        lines.update({f"periods[{i}]": src.line(("periods", i)) for i in range(len(periods))})
    ref = _RowRef(src.label, line=src.line(()), lines=lines)
    row, part = _validate_or_partial(Scenario, {**head, "units": [], "posts": [], "candidates": []},
                                     ref, problems)
    got = row if row is not None else part
    if got is None:
        return None, None
    start = got.term_start if "term_start" in got.model_fields_set else None
    if periods is None:
        return start, None if start is None else [start]
    return start, got.periods if "periods" in got.model_fields_set else None


def _check_horizon(raw: dict[str, list], start: int | None, years: list[int] | None,
                   problems: Problems) -> None:
    """The checks of the horizon fields that need the scenario's years (horizon contract,
    section 1): `since` not after `term_start`, each pin's `period` one of the periods, and a
    `fixed` pair possible in its period (absent: the first). `start` or `years` is None when
    invalid itself, and what depends on it is left unchecked rather than reported twice."""
    tables = {t: [(row if row is not None else _Fields(part), ref)
                  for row, part, ref in rows if row or part] for t, rows in raw.items()}
    if start is not None:
        for c, ref in tables["candidates"]:
            if c.since is not None and c.since > start:
                ref.add(problems, f"expected a year <= term_start ({start}), got {c.since}: since "
                                  "is the year the officer took current_post", "since")
    if years is None:
        return
    posts = _first_by_id(raw["posts"])
    cands = _first_by_id(raw["candidates"])
    for table in ("fixed", "forbidden"):
        for pin, _, ref in raw[table]:
            if pin is None:
                continue  # its problems are reported; a guess at its period would mislead
            if pin.period is not None and pin.period not in years:
                ref.add(problems, f"expected one of the periods' years ({_years_text(years)}), "
                                  f"got {pin.period}", "period")
            elif table == "fixed":
                _check_fixed_period(pin, ref, pin.period or years[0], posts, cands, problems)


def _first_by_id(rows: list) -> dict[str, Any]:
    """Valid rows by id, the first of a repeated id (the repeat is reported as a duplicate).
    An invalid row is left out: with a bad `opens` or `leaves`, its periods are a guess."""
    out: dict[str, Any] = {}
    for row, _, _ in rows:
        if row is not None:
            out.setdefault(row.id, row)
    return out


def _years_text(years: list[int]) -> str:
    """The periods' years for a message; one alone is usually term_start, periods not given."""
    return ", ".join(map(str, years)) + ("" if len(years) > 1 else
                                         "; without periods, term_start is the only period")


def _check_fixed_period(pin: Any, ref: _RowRef, year: int, posts: dict[str, Any],
                        cands: dict[str, Any], problems: Problems) -> None:
    """A `fixed` pair binds one period: its post must exist and its officer be available then."""
    post, cand = posts.get(pin.post), cands.get(pin.candidate)
    if post is not None and not post.exists_in(year):
        ref.add(problems, f"post {pin.post!r} does not exist in period {year} "
                          f"({_span(post.opens, post.closes)}); expected a post that exists in "
                          "the pin's period", "post")
    if cand is not None and not cand.available_in(year):
        ref.add(problems, f"candidate {pin.candidate!r} is not available in period {year} "
                          f"({_span(cand.joins, cand.leaves, 'joins', 'leaves')}); expected an "
                          "officer available in the pin's period", "candidate")


def _span(start: int | None, end: int | None, first: str = "opens", last: str = "closes") -> str:
    """The years that bound a post or an officer, so the message shows why the period misses."""
    return ", ".join(f"{name} {year}" for name, year in ((first, start), (last, end))
                     if year is not None)


class InputWarning(UserWarning):
    """Valid input that is very likely a mistake: the run goes on, and the warning is printed
    (on stderr, with the file and line of the value) so that the planner can check it."""


def _warn_shared_posts(cands: list) -> None:
    """Warn of a `current_post` held by two officers at once. The contract does not forbid it
    (term limits and the `move` weight read each officer's own post), so it is not an error,
    but one post has one holder: the roster most likely has a typo."""
    first: dict[str, tuple[str, _RowRef]] = {}
    for c, _, ref in cands:
        if c is None or c.current_post is None:
            continue
        if c.current_post not in first:
            first[c.current_post] = (c.id, ref)
            continue
        other, at = first[c.current_post]
        at_txt = f"row {at.row}" if at.row is not None else f"line {at.line}"
        field = f"{ref.prefix}.current_post" if ref.prefix else "current_post"
        line = ref.lines.get("current_post", ref.line) if ref.row is None else ref.row
        where = f" row {ref.row}" if ref.row is not None else ""
        warnings.warn_explicit(f"{where.strip() + ': ' if where else ''}{field}: post "
                               f"{c.current_post!r} is also the current post of candidate "
                               f"{other!r} ({at_txt}); expected one holder per post, check "
                               "the roster", InputWarning, ref.label, line or 0)


EXACT_LIMIT = 2 ** 53
"""The solver reports the objective as a double: beyond this it no longer counts exactly."""


def _check_magnitude(post_rows: list, tables: dict[str, list], policy: Policy | None,
                     where: Where, label: str, problems: Problems) -> None:
    """Refuse priorities and weights so large that the objective cannot be counted exactly.

    The bound is generous (every term at its largest at once); realistic data stays far below.
    The problem is reported at the largest single factor, where it was written.
    """
    w = policy.weights if policy is not None else Weights()
    soft = [(i, r.weight) for i, r in enumerate(policy.rules if policy else []) if not r.hard]
    size = sum(len(rows) for rows in tables.values())
    bound = sum((w.merit * 100 + w.vacancy) * p.priority + w.specialty + w.preference + w.move
                + w.distance * 201 for p in tables["posts"])
    bound += sum(weight * size for _, weight in soft)
    if bound <= EXACT_LIMIT:
        return
    factors: list[tuple[int, str, int | None, int | None, str]] = []
    for row, _, ref in post_rows:
        line = ref.lines.get("priority", ref.line) if ref.row is None else None
        factors.append((row.priority, ref.label, line, ref.row, f"{ref.prefix}.priority"
                        if ref.prefix else "priority"))
    for name in Weights.model_fields:
        file, line, fld = where.get(f"weights.{name}", (label, None, f"policy.weights.{name}"))
        factors.append((getattr(w, name), file, line, None, fld))
    for i, weight in soft:
        file, line, fld = where.get(f"rules[{i}].weight", (label, None, f"policy.rules[{i}].weight"))
        factors.append((weight, file, line, None, fld))
    value, file, line, row, fld = max(factors, key=lambda f: f[0])
    problems.add(file, f"expected a smaller number, got {value}: with these priorities and weights "
                       f"the objective could reach about {bound:.2e}, beyond the {EXACT_LIMIT} "
                       "(2^53) the solver counts exactly", line=line, row=row, field=fld)


_PARENT_KINDS = {
    UnitKind.ministry: {UnitKind.ministry, None},
    UnitKind.province: {None},
    UnitKind.district: {UnitKind.province},
    UnitKind.commune: {UnitKind.district, UnitKind.province},
}


_SINGULAR = {"units": "unit", "posts": "post", "candidates": "candidate"}


def _check_references(raw: dict[str, list], problems: Problems, unread: set[str] = frozenset()
                      ) -> None:
    """Ids unique and resolving, units a forest of the right kinds; on valid and partial rows.

    References into a table that could not be read at all (`unread`) are not checked: every
    one of them would be reported as unknown, burying the one real problem.
    """
    tables = {t: [(row if row is not None else _Fields(part), ref)
                  for row, part, ref in rows if row or part] for t, rows in raw.items()}
    ids: dict[str, dict[str, Row]] = {}
    for table in ("units", "posts", "candidates"):
        seen: dict[str, Row] = {}
        first: dict[str, _RowRef] = {}
        for row, ref in tables[table]:
            if row.id is None:
                continue
            if row.id in seen:
                at = first[row.id]
                at_txt = f"row {at.row}" if at.row is not None else f"line {at.line}"
                ref.add(problems, f"duplicate id {row.id!r}: expected each {_SINGULAR[table]} id "
                                  f"once in {table} (first at {at_txt})", "id")
            else:
                seen[row.id] = row
                first[row.id] = ref
        ids[table] = seen
    units, posts, cands = ids["units"], ids["posts"], ids["candidates"]
    pools = {id(units): "units", id(posts): "posts", id(cands): "candidates"}

    def need(ref: _RowRef, field: str, value: str | None, pool: dict, what: str) -> None:
        if value is not None and value not in pool and pools[id(pool)] not in unread:
            ref.add(problems, f"unknown {what} {value!r}; expected the id of one of the "
                              f"{pools[id(pool)]}", field)

    for u, ref in tables["units"]:
        if u.kind is None:
            need(ref, "parent", u.parent, units, "unit")
            continue
        allowed = _PARENT_KINDS[u.kind]
        kinds = _either([k.value for k in UnitKind if k in allowed] or ["(none)"])
        if u.parent is None:
            if None not in allowed:
                ref.add(problems, f"required for a {u.kind.value}: expected the id of its parent "
                                  f"unit, a {kinds}", "parent")
            continue
        if allowed == {None}:
            ref.add(problems, f"expected no parent: a {u.kind.value} is a top-level unit, "
                              f"got {u.parent!r}", "parent")
            continue
        need(ref, "parent", u.parent, units, "unit")
        parent = units.get(u.parent)
        if parent is not None and parent.kind is not None and parent.kind not in allowed:
            ref.add(problems, f"expected a {kinds} as the parent of a {u.kind.value}, "
                              f"got the {parent.kind.value} {parent.id!r}", "parent")
    _check_cycles(tables["units"], units, problems)
    for p, ref in tables["posts"]:
        need(ref, "unit", p.unit, units, "unit")
    for c, ref in tables["candidates"]:
        need(ref, "home", c.home, units, "unit")
        need(ref, "serves_at", c.serves_at, units, "unit")
        need(ref, "current_post", c.current_post, posts, "post")
        for i, t in enumerate(c.ties or ()):
            need(ref, f"ties[{i}]", t, units, "unit")
        for i, t in enumerate(c.preferences or ()):
            need(ref, f"preferences[{i}]", t, units, "unit")
        for i, t in enumerate(c.planned_for or ()):
            need(ref, f"planned_for[{i}]", t, posts, "post")
    for r, ref in tables["relations"]:
        need(ref, "a", r.a, cands, "candidate")
        need(ref, "b", r.b, cands, "candidate")
    for table in ("fixed", "forbidden"):
        for pin, ref in tables[table]:
            need(ref, "post", pin.post, posts, "post")
            need(ref, "candidate", pin.candidate, cands, "candidate")


class _Fields:
    """Read access to a partial row (valid rows are read directly): fields it lacks read as None."""

    def __init__(self, row: Any):
        self._row = row

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._row, name, None)
        if name == "kind" and isinstance(value, str):
            return UnitKind(value)  # a partial row keeps the raw (valid) text
        return value


def _check_cycles(rows: list, units: dict[str, Row], problems: Problems) -> None:
    """Only ministry units may chain to units of their own kind, so only they can loop."""
    state: dict[str, int] = {}
    for u, ref in rows:
        path, at = [], u.id
        while at in units and state.get(at, 0) == 0 and at not in path:
            path.append(at)
            at = units[at].parent
        if at in path:
            loop = path[path.index(at):] + [at]
            ref.add(problems, f"units form a cycle ({' -> '.join(loop)}); expected a tree: "
                              "follow parents up from any unit and you must reach a unit "
                              "without parent", "parent")
        for v in path:
            state[v] = 1
