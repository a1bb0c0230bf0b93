"""Reading scenario and policy files into validated objects, with every problem reported.

Loading runs in phases; each phase collects all its problems before the next starts:
1. files: YAML syntax and safety, CSV files and their paths;
2. rows: each table row and each policy part against its pydantic schema;
3. references: unique ids, ids that resolve, the unit forest and its kinds.
Problems name the file, the YAML line or CSV row, and the field.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.errors import InputError, Problems
from planner.rules import REGISTRY
from planner.scenario import Policy, Scenario
from planner.schema import TABLES, Row, UnitKind, Weights
from planner.yamlio import LineMap, dotted, load_yaml
from planner.csvio import read_table

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
        line = self.lines.get(field, self.line) if field and self.row is None else self.line
        name = f"{self.prefix}.{field}" if self.prefix and field else (field or self.prefix or None)
        problems.add(self.label, message, line=line, row=self.row, field=name)


def _message(err: dict[str, Any]) -> str:
    kind, got = err["type"], err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    msg = msg[0].lower() + msg[1:] if msg else msg
    if kind in ("value_error", "assertion_error") or isinstance(got, (dict, list)):
        return msg
    return f"{msg} (got {got!r})"


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
            ref.add(problems, _message(err), dotted(tuple(loc)) if loc else None)
        fields = getattr(model, "model_fields", {})
        if not isinstance(data, dict):
            return None, None
        kept = {k: v for k, v in data.items() if k in fields and k not in bad}
        return None, model.model_construct(**kept)


def _inside(base: Path, rel: Any, problems: Problems, label: str, line: int | None,
            field: str) -> Path | None:
    """A path named in `base`'s file, confined to that file's folder."""
    if not isinstance(rel, str) or not rel.strip():
        problems.add(label, "expected a relative file path", line=line, field=field)
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


def _read_rows(src: _Source, table: str, value: Any, problems: Problems) -> list[tuple]:
    """Rows of one table as (valid row or None, partial row or None, where it came from)."""
    model = TABLES[table]
    line = src.line((table,))
    out: list[tuple] = []
    if isinstance(value, dict) and set(value) == {"csv"}:
        path = _inside(src.path, value["csv"], problems, src.label, line, f"{table}.csv")
        if path is None:
            return out
        label = _label_for(src.label, value["csv"])
        rows = read_table(path, label, model, problems)
        for number, record, absent in rows or ():
            ref = _RowRef(label, row=number)
            out.append((*_validate_or_partial(model, record, ref, problems, absent), ref))
        return out
    if not isinstance(value, list):
        problems.add(src.label, "expected a list of rows or {csv: relative/path.csv}",
                     line=line, field=table)
        return out
    for i, item in enumerate(value):
        ref = _RowRef(src.label, line=src.line((table, i)), prefix=f"{table}[{i}]",
                      lines=_field_lines(src.lines, (table, i), item))
        if not isinstance(item, dict):
            ref.add(problems, "expected a mapping of fields")
            continue
        out.append((*_validate_or_partial(model, item, ref, problems), ref))
    return out


def _field_lines(lines: LineMap, at: tuple, item: Any) -> dict[str, int]:
    """Line of each field of the mapping at `at`, for messages about that field."""
    if not isinstance(item, dict):
        return {}
    return {str(key): lines[(*at, key)] for key in item if (*at, key) in lines}


def load_policy(path: str | Path, *, label: str | None = None) -> Policy:
    """Load a policy file (contract section 4); raises :class:`InputError`."""
    path = Path(path)
    problems = Problems()
    label = label or str(path)
    data, lines = load_yaml(path, problems, label=label)
    problems.raise_if_any()
    policy = _policy(_Source(path, label, lines), data, (), problems)
    problems.raise_if_any()
    return policy  # type: ignore[return-value]


def _policy(src: _Source, data: Any, at: tuple, problems: Problems) -> Policy | None:
    where = dotted(at) if at else None

    def ref(loc: tuple, item: Any = None) -> _RowRef:
        return _RowRef(src.label, line=src.line((*at, *loc)), prefix=dotted((*at, *loc)),
                       lines=_field_lines(src.lines, (*at, *loc), item))

    if not isinstance(data, dict):
        problems.add(src.label, "expected a policy: a mapping with name, rules and weights",
                     line=src.line(at), field=where)
        return None
    before = len(problems.items)
    for key in data:
        if key not in Policy.model_fields:
            ref((key,)).add(problems, f"unknown field; a policy holds {', '.join(Policy.model_fields)}")
    head = {k: data[k] for k in ("name", "description") if k in data}
    _validate(Policy, head, ref((), data), problems)
    weights = data.get("weights") or {}
    w = _validate(Weights, weights, ref(("weights",), weights), problems)
    rules_data = data.get("rules") or []
    rules = []
    if not isinstance(rules_data, list):
        ref(("rules",)).add(problems, "expected a list of rules")
        rules_data = []
    for i, item in enumerate(rules_data):
        r = ref(("rules", i), item)
        if not isinstance(item, dict):
            r.add(problems, "expected a rule: a mapping with a `rule:` field")
            continue
        kind = item.get("rule")
        if kind not in REGISTRY:
            r.add(problems, f"unknown rule {kind!r}; expected one of: {', '.join(sorted(REGISTRY))}",
                  "rule")
            continue
        rule = _validate(REGISTRY[kind], item, r, problems)
        if rule is not None:
            rules.append(rule)
    if len(problems.items) > before:
        return None
    return Policy.model_construct(name=data["name"], description=data.get("description"),
                                  rules=rules, weights=w)


def load_scenario(path: str | Path, *, policy: str | Path | Policy | None = None) -> Scenario:
    """Load and validate a scenario (contract sections 1-2); raises :class:`InputError`.

    `policy`, when given (a path or a :class:`Policy`), replaces the scenario's own policy.
    """
    path = Path(path)
    label = str(path)
    problems = Problems()
    data, lines = load_yaml(path, problems, label=label)
    problems.raise_if_any()
    src = _Source(path, label, lines)
    if not isinstance(data, dict):
        problems.add(label, "expected a scenario: a mapping with name, term_start, units, posts, "
                            "candidates ...", line=src.line(()))
        raise InputError(problems.items)
    head = {k: v for k, v in data.items() if k not in TABLES and k != "policy"}
    head_ref = _RowRef(label, line=src.line(()), lines={str(k): src.line((k,)) for k in head})
    _validate(Scenario, {**head, "units": [], "posts": [], "candidates": []}, head_ref, problems)

    tables: dict[str, list] = {}
    for table in TABLES:
        if table not in data or data[table] is None:
            if table in ("units", "posts", "candidates"):
                problems.add(label, "required table is missing", line=src.line(()), field=table)
            tables[table] = []
            continue
        tables[table] = _read_rows(src, table, data[table], problems)

    own_policy = None
    if policy is None and data.get("policy") is not None:
        value = data["policy"]
        if isinstance(value, dict) and set(value) == {"file"}:
            ppath = _inside(path, value["file"], problems, label, src.line(("policy",)), "policy.file")
            if ppath is not None:
                plabel = _label_for(label, value["file"])
                pdata, plines = load_yaml(ppath, problems, label=plabel)
                if pdata is not None:
                    own_policy = _policy(_Source(ppath, plabel, plines), pdata, (), problems)
        else:
            own_policy = _policy(src, value, ("policy",), problems)
    elif isinstance(policy, (str, Path)):
        try:
            own_policy = load_policy(policy)
        except InputError as exc:
            problems.items.extend(exc.problems)
    else:
        own_policy = policy

    _check_references(tables, problems)
    problems.raise_if_any()
    return Scenario.model_construct(
        name=data["name"], description=data.get("description"), term_start=data["term_start"],
        term_years=data.get("term_years", 5),
        **{t: [row for row, _, _ in rows] for t, rows in tables.items()}, policy=own_policy)


_PARENT_KINDS = {
    UnitKind.ministry: {UnitKind.ministry, None},
    UnitKind.province: {None},
    UnitKind.district: {UnitKind.province},
    UnitKind.commune: {UnitKind.district, UnitKind.province},
}


def _check_references(raw: dict[str, list], problems: Problems) -> None:
    """Ids unique and resolving, units a forest of the right kinds; on valid and partial rows."""
    tables = {t: [(_Fields(row or part), ref) for row, part, ref in rows if row or part]
              for t, rows in raw.items()}
    ids: dict[str, dict[str, Row]] = {}
    for table in ("units", "posts", "candidates"):
        seen: dict[str, Row] = {}
        for row, ref in tables[table]:
            if row.id is None:
                continue
            if row.id in seen:
                ref.add(problems, f"duplicate id {row.id!r} in {table}", "id")
            else:
                seen[row.id] = row
        ids[table] = seen
    units, posts, cands = ids["units"], ids["posts"], ids["candidates"]

    def need(ref: _RowRef, field: str, value: str | None, pool: dict, what: str) -> None:
        if value is not None and value not in pool:
            ref.add(problems, f"unknown {what} {value!r}", field)

    for u, ref in tables["units"]:
        if u.kind is None:
            need(ref, "parent", u.parent, units, "unit")
            continue
        if u.parent is None:
            if None not in _PARENT_KINDS[u.kind]:
                ref.add(problems, f"a {u.kind.value} needs a parent", "parent")
            continue
        need(ref, "parent", u.parent, units, "unit")
        parent = units.get(u.parent)
        if parent is not None and parent.kind is not None and parent.kind not in _PARENT_KINDS[u.kind]:
            allowed = " or ".join(k.value for k in _PARENT_KINDS[u.kind] if k) or "no parent"
            ref.add(problems, f"a {u.kind.value}'s parent must be a {allowed}, "
                              f"not the {parent.kind.value} {parent.id!r}", "parent")
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
    for r, ref in tables["relations"]:
        need(ref, "a", r.a, cands, "candidate")
        need(ref, "b", r.b, cands, "candidate")
    for table in ("fixed", "forbidden"):
        for pin, ref in tables[table]:
            need(ref, "post", pin.post, posts, "post")
            need(ref, "candidate", pin.candidate, cands, "candidate")


class _Fields:
    """Read access to a valid or partial row: fields it lacks read as None."""

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
            ref.add(problems, f"units form a cycle: {' -> '.join(path + [at])}", "parent")
        for v in path:
            state[v] = 1
