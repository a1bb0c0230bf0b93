"""Writing a result: `plan.csv` and `summary.json`, each whole or not at all.

Files are first written beside their final name and then renamed over it, so an interrupted
run never leaves half a file. A run that finds no plan leaves an earlier `plan.csv` alone and
says so; a plan worse than the one it replaces is written, and said to be worse.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from planner.check.tree import Tree
from planner.io.atomic import write_bytes_atomic
from planner.scenario import Policy, Scenario
from planner.solve.pipeline import Result


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
        local = any(tree.contains(post.unit, x) or tree.contains(x, post.unit)
                    for x in [c.home, *(c.ties or [])])
        writer.writerow([post.id, c.id, post.unit, post.role, c.name,
                         str(c.current_post != post.id).lower(), str(local).lower(),
                         str(tree.kind(c.serves_at) == "ministry").lower()])
    return out.getvalue()


def summary(result: Result, scenario: Scenario, policy: Policy | None) -> dict[str, Any]:
    check = result.check
    return {
        "scenario": scenario.name,
        "policy": policy.name if policy is not None else None,
        "status": result.status.value,
        "interrupted": bool(result.stats.get("interrupted")),
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 6),
        "solve_seconds": result.stats.get("solve_seconds"),
        "build_seconds": result.stats.get("build_seconds"),
        "posts": len(scenario.posts),
        "candidates": len(scenario.candidates),
        "filled": check.filled if check else None,
        "vacant": check.vacant if check else None,
        "moved": check.moved if check else None,
        "objective_terms": check.terms if check else None,
        "verified": check.valid if check else None,
        "rules": [r.to_json() for r in check.rules] if check else [],
        "explanation": result.explanation,
        # planner/whatif.py: the structured conflict of an infeasible run, the --relax run
        **{k: result.stats[k] for k in ("conflict", "relaxed") if k in result.stats},
        "model": result.stats.get("model"),
        "stats": result.stats,
        "versions": _versions(),
    }


def _versions() -> dict[str, str]:
    out = {}
    for dist in ("rotation-planner", "ortools"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out


@dataclass
class Written:
    plan_written: bool
    notes: list[str]


def write_outputs(outdir: Path, result: Result, scenario: Scenario,
                  policy: Policy | None) -> Written:
    """Write plan.csv (when there is a plan) and summary.json into `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    notes = []
    plan_path, summary_path = outdir / "plan.csv", outdir / "summary.json"
    earlier = _earlier(summary_path)
    data = summary(result, scenario, policy)
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
    return Written(result.has_plan, notes)


def _earlier(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
