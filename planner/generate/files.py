"""Writing a generated scenario: scenario.yaml, policy.yaml and one CSV file per table.

The files are those a user would write by hand (see docs/scenario-format.md): the CSV columns
in the schema's field order, lists joined with ``;``, UTF-8 with the real Vietnamese names.
A horizon's columns (:data:`~planner.generate.horizon.HORIZON_FIELDS`) are written only for a
scenario generated with periods or with posts that open or close (the transition), `periods`
only for one generated with periods; the careers columns
(:data:`~planner.generate.careers.CAREER_FIELDS`) and policy-careers.yaml only for one generated
with careers.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from planner.generate.careers import CAREER_FIELDS
from planner.generate.horizon import HORIZON_FIELDS
from planner.generate.national import TERM_YEARS, GeneratedScenario
from planner.schema import Candidate, Post, Relation, Unit

TABLE_FILES = {"units": Unit, "posts": Post, "candidates": Candidate, "relations": Relation}
"""The tables written as CSV files, with the schema model that gives their columns."""


def _cell(value: Any) -> str:
    """A CSV cell as the loader reads it back: empty for None, true/false, lists with ``;``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def _csv_text(rows: list[dict], model: type, horizon: bool, careers: bool) -> str:
    """A table as CSV text, a column per field of its schema model (a horizon's fields only
    for a `horizon`, the careers fields only with `careers`)."""
    columns = [f for f in model.model_fields
               if (horizon or f not in HORIZON_FIELDS) and (careers or f not in CAREER_FIELDS)]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(col)) for col in columns])
    return buf.getvalue()


def _yaml_text(data: dict) -> str:
    """YAML in the data's own key order, short lists inline, names unescaped."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=100)


def scenario_files(gen: GeneratedScenario) -> dict[str, str]:
    """The files of a generated scenario, by name: scenario.yaml, policy.yaml and the CSV tables
    (and policy-careers.yaml with careers)."""
    head = {"name": gen.name, "description": gen.description, "term_start": gen.term_start,
            "term_years": TERM_YEARS}
    horizon = gen.horizon_columns
    if gen.periods is not None:
        head["periods"] = gen.periods
    tables = {t: {"csv": f"{t}.csv"} for t in TABLE_FILES}
    files = {f"{t}.csv": _csv_text(getattr(gen, t), model, horizon, gen.career_columns)
             for t, model in TABLE_FILES.items()}
    files["policy.yaml"] = _yaml_text(gen.policy)
    if gen.careers_policy is not None:
        files["policy-careers.yaml"] = _yaml_text(gen.careers_policy)
    files["scenario.yaml"] = _yaml_text({**head, **tables, "policy": {"file": "policy.yaml"}})
    return files


def write_scenario(gen: GeneratedScenario, outdir: str | Path) -> dict[str, Path]:
    """Write the scenario into `outdir` (created if needed); returns the paths written.

    Every file is written in a temporary folder inside `outdir` first and then moved into
    place, scenario.yaml last, so no reader ever sees a half-written file.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    files = scenario_files(gen)
    tmp = Path(tempfile.mkdtemp(prefix=".generate-", dir=outdir))
    written: dict[str, Path] = {}
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        for name in sorted(files, key=lambda n: n == "scenario.yaml"):
            os.replace(tmp / name, outdir / name)
            written[name] = outdir / name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written
