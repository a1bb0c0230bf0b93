"""Writing a result: `plan.csv` and `summary.json`, each whole or not at all.

Files are first written beside their final name and then renamed over it, so an interrupted
run never leaves half a file. A run that finds no plan leaves an earlier `plan.csv` alone and
says so; a plan worse than the one it replaces is written, and said to be worse.

summary.json is the result (with its :class:`~planner.solve.result.RunStats`) and the
:class:`RunRecord` of what the command added: made in one place, :func:`summary`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.check.tree import Tree
from planner.io.atomic import write_bytes_atomic
from planner.output.facts import from_ministry, is_local
from planner.scenario import Policy, Scenario
from planner.solve.result import Result

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


def plan_csv(result: Result, scenario: Scenario) -> str:
    """The plan, one row per post in scenario order; the first two columns are the contract's."""
    tree = Tree(scenario.units)
    cands = {c.id: c for c in scenario.candidates}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["post_id", "candidate_id", "unit", "role", "candidate_name", "moved",
                     "local", "ministry_origin"])
    for post in scenario.posts:
        cid = result.plan.get(post.id)
        c = cands.get(cid) if cid else None
        if c is None:
            writer.writerow([post.id, "", post.unit, post.role, "", "", "", ""])
            continue
        writer.writerow([post.id, c.id, post.unit, post.role, c.name,
                         str(c.current_post != post.id).lower(),
                         str(is_local(tree, post.unit, c)).lower(),
                         str(from_ministry(tree, c)).lower()])
    return out.getvalue()


def summary(result: Result, scenario: Scenario, policy: Policy | None,
            record: RunRecord | None = None) -> dict[str, Any]:
    """The content of summary.json."""
    check = result.check
    added = _added(result, record or RunRecord())
    return {
        "scenario": scenario.name,
        "policy": policy.name if policy is not None else None,
        "status": result.status.value,
        "interrupted": result.interrupted,
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 6),
        "solve_seconds": result.stats.solve_seconds,
        "build_seconds": result.stats.build_seconds,
        "posts": len(scenario.posts),
        "candidates": len(scenario.candidates),
        "filled": check.filled if check else None,
        "vacant": check.vacant if check else None,
        "moved": check.moved if check else None,
        "objective_terms": check.terms if check else None,
        "verified": check.valid if check else None,
        "rules": [r.to_json() for r in check.rules] if check else [],
        "explanation": result.explanation,
        **{k: added[k] for k in ("conflict", "relaxed") if k in added},
        "model": result.stats.model,
        "stats": {**result.stats.to_json(), **added},
        "versions": _versions(),
    }


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


def write_outputs(outdir: Path, result: Result, scenario: Scenario, policy: Policy | None,
                  record: RunRecord | None = None) -> list[str]:
    """Write plan.csv (when there is a plan) and summary.json into `outdir`; notes on what was
    replaced or kept."""
    outdir.mkdir(parents=True, exist_ok=True)
    notes = []
    plan_path, summary_path = outdir / "plan.csv", outdir / "summary.json"
    earlier = _earlier(summary_path)
    data = summary(result, scenario, policy, record)
    if result.has_plan:
        if earlier and plan_path.exists() and earlier.get("scenario") == scenario.name \
                and isinstance(earlier.get("objective"), int) \
                and earlier["objective"] > (result.objective or 0):
            notes.append(f"replacing an earlier plan with objective {earlier['objective']} by this "
                         f"worse one ({result.objective}) in {plan_path}")
        write_bytes_atomic(plan_path, plan_csv(result, scenario).encode("utf-8"))
        data["plan_file"] = "plan.csv"
    else:
        data["plan_file"] = None
        if plan_path.exists():
            notes.append(f"no plan found: the earlier {plan_path} is left as it was "
                         "(summary.json describes this run)")
    write_bytes_atomic(summary_path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return notes


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
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
