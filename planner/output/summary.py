"""Writing a result: `plan.csv` and `summary.json`, each whole or not at all.

A run folder's files are one set, replaced as a unit (see :func:`write_outputs`): summary.json
records the sha256 of every other file of its set, and of the scenario and policy solved, so a
reader can tell which files belong together and a re-run can say what it replaces (another
scenario's or policy's plan, a better plan) before replacing it. A run that finds no plan keeps
the earlier plan and says so.

summary.json is the result (with its :class:`~planner.solver.result.RunStats`) and the
:class:`RunRecord` of what the command added: made in one place, :func:`summary`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel

from planner.check.horizon import derive_states
from planner.check.tree import Tree
from planner.check.verdict import HorizonReport
from planner.io.atomic import begin_set, commit_set, folder_lock, sha256_file
from planner.output.careers import Preferences, preferences
from planner.output.facts import is_local
from planner.scenario import Policy, Scenario, effective_policy
from planner.solver.result import Result

if TYPE_CHECKING:
    from planner.explain.soften import Softened
    from planner.explain.whatif import Inputs


@dataclass(frozen=True)
class RunRecord:
    """What a run adds to its solve's result in summary.json: what it was made of (files,
    pins, `--stay-close-to`: so that `planner explain OUTDIR` rebuilds it) and the softened run
    of `--relax`."""

    inputs: Inputs | None = None
    softened: Softened | None = None


PLAN_COLUMNS = ["post_id", "candidate_id", "unit", "role", "candidate_name", "moved", "local",
                "ministry_origin"]


def plan_csv(result: Result, scenario: Scenario) -> str:
    """The plan, one row per post that exists in its period, in scenario order; the first two
    columns are the contract's. A horizon of several periods leads with `period` (its year),
    periods in order; `moved` and `ministry_origin` then read each officer's state in that
    period (derived from the plan by the checker's own rules, docs/horizon.md)."""
    tree = Tree(scenario.units)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    several = len(scenario.years) > 1
    writer.writerow(["period", *PLAN_COLUMNS] if several else PLAN_COLUMNS)
    plans = result.plans or {scenario.years[0]: result.plan}
    for period in derive_states(scenario, plans):
        plan = plans.get(period.year, {})
        cands = {c.id: c for c in period.officers}
        lead = [period.year] if several else []
        for post in period.posts:
            cid = plan.get(post.id)
            c = cands.get(cid) if cid else None
            if c is None:
                writer.writerow([*lead, post.id, "", post.unit, post.role, "", "", "", ""])
                continue
            state = period.state[c.id]
            writer.writerow([*lead, post.id, c.id, post.unit, post.role, c.name,
                             str(state.current_post != post.id).lower(),
                             str(is_local(tree, post.unit, c)).lower(),
                             str(state.ministry_origin).lower()])
    return out.getvalue()


def summary(result: Result, scenario: Scenario, policy: Policy | None,
            record: RunRecord | None = None) -> dict[str, Any]:
    """The content of summary.json: `preferences` only when some officer has preferences
    (docs/reports.md, "Preferences and envy")."""
    check = result.check
    added = _added(result, record or RunRecord())
    prefs = preferences(result, scenario)
    return {
        "scenario": scenario.name,
        "policy": policy.name if policy is not None else None,
        "status": result.status.value,
        "interrupted": result.interrupted,
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 6),
        "gap_limit": result.stats.gap_limit,
        "solve_seconds": result.stats.solve_seconds,
        "build_seconds": result.stats.build_seconds,
        "posts": check.filled + check.vacant if check else len(scenario.posts),
        "candidates": len(scenario.candidates),
        "filled": check.filled if check else None,
        "vacant": check.vacant if check else None,
        "moved": check.moved if check else None,
        "objective_terms": check.terms if check else None,
        "verified": check.valid if check else None,
        "rules": [r.to_json() for r in check.rules] if check else [],
        **({"periods": _periods(check, prefs)} if isinstance(check, HorizonReport) else {}),
        **({"preferences": prefs.to_json()} if prefs is not None else {}),
        "explanation": result.explanation,
        **{k: added[k] for k in ("conflict", "relaxed") if k in added},
        "model": result.stats.model,
        "stats": {**result.stats.to_json(), **added},
        "versions": _versions(),
    }


def _periods(check: HorizonReport, prefs: Preferences | None) -> list[dict[str, Any]]:
    """summary.json's `periods`: each period's verdict, with its own `preferences`."""
    mine = {p.year: p.to_json() for p in prefs.periods} if prefs is not None else {}
    return [{**entry, **({"preferences": mine[entry["year"]]} if entry["year"] in mine else {})}
            for entry in check.to_json()["periods"]]


def _added(result: Result, record: RunRecord) -> dict[str, Any]:
    """What summary.json tells beside the solve's figures: the inputs, the structured conflict
    of an infeasible run, the softened run of `--relax`."""
    out: dict[str, Any] = {}
    if record.inputs is not None:
        out["inputs"] = record.inputs.to_json()
    if result.diagnosis is not None:
        out["conflict"] = result.diagnosis.to_json()
    if record.softened is not None:
        out["relaxed"] = record.softened.to_json()
    return out


def _versions() -> dict[str, str]:
    out = {}
    for dist in ("rotation-planner", "ortools"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out


SET = ("plan.csv", "summary.json", "report.html", "plan.xlsx")
"""The files of a run folder's set, in the order the command lists them."""

Reports = Callable[[Path, list[str]], list[str]]
"""Writes the reports of a run into the staging folder given; returns the names written (and
appends to the notes given what it could not write)."""


def input_hash(model: BaseModel | None) -> str | None:
    """The sha256 of a scenario or policy as solved (its canonical JSON, pins and options
    applied): summary.json records it, so that a re-run can tell it replaces another's plan."""
    if model is None:
        return None
    return hashlib.sha256(model.model_dump_json().encode("utf-8")).hexdigest()


def write_outputs(outdir: Path, result: Result, scenario: Scenario, policy: Policy | None,
                  record: RunRecord | None = None, *, reports: Reports | None = None,
                  tell: Callable[[str], None] | None = None) -> tuple[list[str], list[str]]:
    """Replace the run folder `outdir`'s set of files by this run's, as one unit: the names
    of the set and the notes on what was replaced or kept.

    The set is plan.csv (when there is a plan), the reports (`reports`) and summary.json, which
    records the sha256 of each other file and of the scenario and policy (see
    :func:`~planner.io.atomic.commit_set`: a kill leaves the old set or the new one). The notes
    on what is replaced go to `tell` before anything is replaced (and are then not returned).
    A run that finds no plan keeps the earlier plan.csv and its reports; its summary.json then
    says so and records the earlier run's summary as `earlier_run`.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with folder_lock(outdir):
        return _replace_set(outdir, result, scenario, policy, record, reports, tell)


def _replace_set(outdir: Path, result: Result, scenario: Scenario, policy: Policy | None,
                 record: RunRecord | None, reports: Reports | None,
                 tell: Callable[[str], None] | None) -> tuple[list[str], list[str]]:
    """:func:`write_outputs` under the folder's lock."""
    staging = begin_set(outdir)
    earlier = _earlier(outdir / "summary.json")
    present = [n for n in SET if (outdir / n).is_file()]
    data = summary(result, scenario, policy, record)
    data["scenario_sha256"] = input_hash(scenario)
    data["policy_sha256"] = input_hash(effective_policy(scenario, policy))
    kept = [n for n in present if n != "summary.json"] \
        if not result.has_plan and "plan.csv" in present else []
    notes = _replacing(outdir, earlier, data, result, present, kept)
    if tell is not None:
        for note in notes:
            tell(note)
        notes = []
    staged = []
    if result.has_plan:
        (staging / "plan.csv").write_bytes(plan_csv(result, scenario).encode("utf-8"))
        staged.append("plan.csv")
        staged += reports(staging, notes) if reports is not None else []
        data["plan_file"] = "plan.csv"
        hashes = {n: sha256_file(staging / n) for n in staged}
    else:
        data["plan_file"] = "plan.csv" if kept else None
        hashes = {n: sha256_file(outdir / n) for n in kept}
        if kept:
            data["earlier_run"] = _without_earlier(earlier)
    data["files"] = hashes
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    (staging / "summary.json").write_bytes(text.encode("utf-8"))
    names = [*staged, "summary.json"]
    remove = [n for n in present if n not in names and n not in kept]
    if remove and result.has_plan:
        notes.append(f"removed the earlier {' and '.join(remove)} from {outdir}: they were "
                     "another run's")
    commit_set(outdir, names, remove)
    files = [n for n in SET if n in names]
    return files, notes


def _replacing(outdir: Path, earlier: dict[str, Any] | None, data: dict[str, Any],
               result: Result, present: list[str], kept: list[str]) -> list[str]:
    """What this run replaces or keeps in `outdir`, said before anything is replaced."""
    if kept:
        left = "is left as it was" if len(kept) == 1 else "are left as they were"
        return [f"no plan found: the earlier {' and '.join(kept)} in {outdir} {left} "
                "(summary.json describes this run, and the earlier one as earlier_run)"]
    if "plan.csv" not in present or not result.has_plan:
        return []
    if earlier is None:
        return [f"replacing {outdir / 'plan.csv'}, whose run is unknown (no readable "
                "summary.json beside it)"]
    notes = []
    for what, key, name in (("scenario", "scenario_sha256", "scenario"),
                            ("policy", "policy_sha256", "policy")):
        before = earlier.get(key)
        if before is not None and before != data[key]:
            notes.append(f"replacing the plan of another {what} in {outdir} (earlier: "
                         f"{earlier.get(name)!r}, sha256 {str(before)[:12]}; now: "
                         f"{data[name]!r}, sha256 {data[key][:12]})")
    if earlier.get("scenario") != data["scenario"] and "scenario_sha256" not in earlier:
        notes.append(f"replacing the plan of scenario {earlier.get('scenario')!r} in {outdir} "
                     f"by one of {data['scenario']!r}")
    if not notes and isinstance(earlier.get("objective"), int) \
            and earlier["objective"] > (result.objective or 0):
        notes.append(f"replacing an earlier plan with objective {earlier['objective']} by this "
                     f"worse one ({result.objective}) in {outdir / 'plan.csv'}")
    return notes


def _without_earlier(earlier: dict[str, Any] | None) -> dict[str, Any] | None:
    """The earlier run's summary to record in this one, not nesting its own earlier run."""
    if earlier is None:
        return None
    return {k: v for k, v in earlier.items() if k != "earlier_run"}


def write_softened(outdir: Path, softened: Softened, scenario: Scenario,
                   inputs: Inputs | None) -> Softened:
    """`--relax`: the softened run's plan (if it has one) in OUTDIR/relaxed/ (plan.csv and
    summary.json), never over OUTDIR/plan.csv; `inputs` is recorded there with the rules
    softened, so that `planner explain OUTDIR/relaxed` rebuilds the softened policy. Returns
    `softened` with where its plan went."""
    res = softened.result
    if res is None or not res.has_plan:
        return softened
    where = Path(outdir) / "relaxed"
    made = None if inputs is None else replace(inputs, relaxed=list(softened.softened),
                                               relax_weight=softened.weight)
    write_outputs(where, res, scenario, softened.policy, RunRecord(inputs=made))
    return replace(softened, plan_file=where / "plan.csv")


def _earlier(path: Path) -> dict[str, Any] | None:
    """The summary.json already in the folder, if it is readable and an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
