"""Reading a batch's rows: the price of each rule, the Pareto front of a sweep.

The **price** of a rule is the objective gained when it is dropped (or relaxed one step):
``objective(variant) - objective(base)``, never negative when both solves are proven optimal
(a maximisation with fewer constraints cannot do worse). A rule is **slack** when dropping it
leaves the proven-optimal objective unchanged: it costs nothing in this scenario (an optimal
plan may still change, among plans of equal objective). When the base policy has no plan, the
rules whose removal gives one are the **causes of infeasibility**.
"""

from __future__ import annotations

from typing import Any

from planner.research.metrics import METRICS, pareto_front

PLAN = ("optimal", "feasible")
"""Statuses of a run that has a plan (its metrics are known)."""


def _delta(a: Any, b: Any) -> Any:
    """`a - b`, unknown when either is; floats rounded as the tables show them."""
    if a is None or b is None:
        return None
    d = a - b
    return round(d, 2) if isinstance(d, float) else d


def base_run(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The run of the base policy among a price batch's rows (None before it is stored)."""
    return next((r for r in rows if (r.get("variant") or {}).get("kind") == "base"), None)


def price(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of one price batch (base first) with deltas against the base and a verdict."""
    base = base_run(rows)
    if base is None:
        raise ValueError("no base run among the rows: not the results of `planner price`")
    out = []
    for row in [base] + [r for r in rows if r is not base]:
        row = dict(row)
        if row["key"] == base["key"]:
            row.update(d_objective=None, d_moved=None, d_vacant=None, d_km_mean=None,
                       verdict="base")
            out.append(row)
            continue
        both = base["status"] in PLAN and row["status"] in PLAN
        row["d_objective"] = _delta(row.get("objective"), base.get("objective")) if both else None
        row["d_moved"] = _delta(row.get("moved"), base.get("moved")) if both else None
        row["d_vacant"] = _delta(row.get("vacant"), base.get("vacant")) if both else None
        row["d_km_mean"] = _delta(row.get("km_mean"), base.get("km_mean")) if both else None
        row["verdict"] = _verdict(base, row)
        out.append(row)
    return out


def _verdict(base: dict[str, Any], row: dict[str, Any]) -> str:
    """What dropping (or relaxing) the rule of `row` did, read against the base run."""
    if row["status"] == "error":
        return "error"
    if base["status"] == "infeasible":
        if row["status"] in PLAN:
            return "cause of infeasibility"
        return "still infeasible" if row["status"] == "infeasible" else "no plan in time"
    if base["status"] not in PLAN:
        return "base has no plan"
    if row["status"] not in PLAN:
        return "infeasible" if row["status"] == "infeasible" else "no plan in time"
    exact = base["status"] == "optimal" and row["status"] == "optimal"
    d = row["d_objective"]
    if d == 0:
        if not exact:
            return "no change (not proven optimal)"
        return "slack" if row["variant"].get("kind") == "drop" else "no gain at this step"
    if d > 0:
        return "binding" if exact else "binding (not proven optimal)"
    return "worse (not proven optimal)"


def slack(priced: list[dict[str, Any]]) -> list[str]:
    """Rules whose removal changes nothing (proven-optimal objective unchanged)."""
    return [r["variant"]["rule"] for r in priced
            if r["variant"].get("kind") == "drop" and r["verdict"] == "slack"]


def causes(priced: list[dict[str, Any]]) -> list[str]:
    """Rules whose removal gives a plan where the base policy has none."""
    return list(dict.fromkeys(r["variant"]["rule"] for r in priced
                              if r["verdict"] == "cause of infeasibility"))


def parse_pareto(text: str) -> tuple[str, str]:
    """``X,Y``: two metric names of :data:`METRICS`; ValueError with the known names."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"--pareto {text!r}: expected two metrics X,Y, e.g. moved,non_local_commune")
    unknown = [p for p in parts if p not in METRICS]
    if unknown:
        raise ValueError(f"--pareto {text!r}: unknown metric {unknown[0]!r}; known: "
                         + ", ".join(METRICS))
    if parts[0] == parts[1]:
        raise ValueError(f"--pareto {text!r}: give two different metrics")
    return parts[0], parts[1]


def mark_pareto(rows: list[dict[str, Any]], metrics: tuple[str, str]) -> list[dict[str, Any]]:
    """Copies of the rows with ``pareto`` True on the front of the two metrics (rows with a plan)."""
    mx, my = metrics
    idx = [i for i, r in enumerate(rows) if r.get("status") in PLAN
           and r.get(mx) is not None and r.get(my) is not None]
    front = pareto_front([(float(rows[i][mx]), float(rows[i][my])) for i in idx],
                         (METRICS[mx][1], METRICS[my][1]))
    on = {idx[j] for j in front}
    return [dict(r, pareto=i in on) for i, r in enumerate(rows)]
