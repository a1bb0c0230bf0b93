"""The figures of one plan that researchers compare across policies.

Everything here is computed from the plan (post id -> candidate id or None) and the scenario
with the plain unit tree of :mod:`planner.check.tree`, never from the solver or the model, and with
definitions that do not depend on the policy, so that two policies are measured by the same
yardstick (the policy's own view of each rule is in the per-rule figures of the checker):

* ``moved``: officers assigned a post other than their ``current_post`` (newcomers included);
* ``km_mean``, ``km_max``, ``km_total``: relocation distance of the *moved* officers, from the
  unit they serve at to the post's unit, in whole kilometres as in the objective (haversine,
  truncated; 0 where coordinates are missing); 0 when nobody moves;
* ``non_local_<kind>``: for posts at units of that kind (province, district, commune), the share
  of filled ones whose holder is not local to the post's own unit (neither ``home`` nor any of
  ``ties`` contains the unit or lies inside it: :func:`planner.output.facts.is_local`, as
  plan.csv has it); None when no such post is filled;
* ``quota_met`` of ``quota_groups``: provinces with at least one of their own province-level
  posts (posts whose unit is the province itself) held by a ministry-origin officer, out of the
  provinces that have province-level posts;
* ``female_share``, ``young_share``: women, and officers aged at most ``young_age`` (default
  :data:`YOUNG_AGE`) at ``term_start``, among all filled posts;
* ``merit_total``: sum of merit x post priority over filled posts (unweighted); ``merit_mean``:
  mean merit of the officers placed;
* ``soft_violations``, ``soft_penalty`` and ``violations`` (rule title -> violation of every
  soft rule): from the checker's report of the plan under the run's policy.
"""

from __future__ import annotations

from typing import Any

from planner.check.horizon import derive_states, period_scenario
from planner.check.tree import Tree
from planner.geo import km
from planner.output.facts import from_ministry, is_local
from planner.scenario import Scenario

YOUNG_AGE = 45
"""Default age limit of a 'young cadre' in the metrics (the policy's own rules may differ)."""

LEVELS = ("province", "district", "commune")
"""Unit kinds with a non-local share metric."""

METRICS: dict[str, tuple[str, int]] = {
    # name: (what it is, sense: +1 more is better, -1 less is better)
    "objective": ("objective", +1),
    "vacant": ("vacant posts", -1),
    "filled": ("filled posts", +1),
    "moved": ("officers moved", -1),
    "km_mean": ("mean relocation km (moved officers)", -1),
    "km_max": ("max relocation km", -1),
    "km_total": ("total relocation km", -1),
    "non_local_province": ("non-local share, province posts", +1),
    "non_local_district": ("non-local share, district posts", +1),
    "non_local_commune": ("non-local share, commune posts", +1),
    "quota_met": ("provinces meeting the ministry quota", +1),
    "female_share": ("female share", +1),
    "young_share": ("young-cadre share", +1),
    "merit_total": ("merit x priority, total", +1),
    "merit_mean": ("mean merit of placed officers", +1),
    "soft_violations": ("soft violations", -1),
    "soft_penalty": ("soft penalty", -1),
}
"""Metrics that tables, charts and ``--pareto`` know, with the direction in which they improve."""


def _v(x: Any) -> Any:
    return getattr(x, "value", x)


def _share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def plan_metrics(scenario: Scenario, plan: dict[str, str | None], check: Any = None, *,
                 young_age: int = YOUNG_AGE) -> dict[str, Any]:
    """The metrics of `plan` (see the module docstring); `check` is a CheckReport or None."""
    tree = Tree(scenario.units)
    cands = {c.id: c for c in scenario.candidates}
    filled = moved = km_total = km_max = female = young = merit_total = merit_sum = 0
    level_n = dict.fromkeys(LEVELS, 0)
    level_nonlocal = dict.fromkeys(LEVELS, 0)
    province_posts: dict[str, bool] = {}
    for post in scenario.posts:
        kind = _v(tree.kind(post.unit))
        if kind == "province":
            province_posts.setdefault(post.unit, False)
        cid = plan.get(post.id)
        if not cid:
            continue
        c = cands[cid]
        filled += 1
        merit_total += c.merit * post.priority
        merit_sum += c.merit
        female += _v(c.gender) == "female"
        young += scenario.term_start - c.birth_year <= young_age
        if c.current_post != post.id:
            moved += 1
            dist = km(tree.coord(c.serves_at), tree.coord(post.unit))
            km_total += dist
            km_max = max(km_max, dist)
        if kind in level_n:
            level_n[kind] += 1
            level_nonlocal[kind] += not is_local(tree, post.unit, c)
        if kind == "province" and from_ministry(tree, c):
            province_posts[post.unit] = True
    out: dict[str, Any] = {
        "posts": len(scenario.posts),
        "filled": filled,
        "vacant": len(scenario.posts) - filled,
        "moved": moved,
        "km_mean": round(km_total / moved, 2) if moved else 0.0,
        "km_max": km_max,
        "km_total": km_total,
    }
    for kind in LEVELS:
        out[f"non_local_{kind}"] = _share(level_nonlocal[kind], level_n[kind])
    out["quota_met"] = sum(province_posts.values())
    out["quota_groups"] = len(province_posts)
    out["female_share"] = _share(female, filled)
    out["young_share"] = _share(young, filled)
    out["young_age"] = young_age
    out["merit_total"] = merit_total
    out["merit_mean"] = round(merit_sum / filled, 2) if filled else None
    out.update(rule_figures(check))
    return out


SUMMED = ("posts", "filled", "vacant", "moved", "km_total", "quota_met", "quota_groups",
          "merit_total")
"""Metrics of a horizon that are the sum of its periods' (the shares are their mean)."""


def horizon_metrics(scenario: Scenario, plans: dict[int, dict[str, str | None]], check: Any = None,
                    *, young_age: int = YOUNG_AGE) -> dict[str, Any]:
    """The metrics of a horizon plan (year -> plan): each period measured on its own, with every
    officer in the state the plan gives them in that period (docs/horizon.md), then counts summed
    over the periods, `km_max` the largest, `km_mean` over every move, shares and `merit_mean`
    the mean of the periods' (a period without a figure left out)."""
    parts = [plan_metrics(period_scenario(scenario, period), plans.get(period.year, {}), None,
                          young_age=young_age)
             for period in derive_states(scenario, plans)]
    out: dict[str, Any] = {key: sum(p[key] for p in parts) for key in SUMMED}
    out["km_max"] = max(p["km_max"] for p in parts)
    out["km_mean"] = round(out["km_total"] / out["moved"], 2) if out["moved"] else 0.0
    for key in (*(f"non_local_{k}" for k in LEVELS), "female_share", "young_share", "merit_mean"):
        values = [p[key] for p in parts if p[key] is not None]
        out[key] = round(sum(values) / len(values), 4) if values else None
    out["young_age"] = young_age
    out["periods"] = len(parts)
    out.update(rule_figures(check))
    return out


def rule_figures(check: Any) -> dict[str, Any]:
    """Soft violations by rule, and every rule's verdict, from a CheckReport (or None)."""
    if check is None:
        return {"soft_violations": None, "soft_penalty": None, "violations": {}, "rules": {}}
    soft = {r.rule: r.violation for r in check.rules if not r.hard}
    rules = {r.rule: {"hard": r.hard, "violation": r.violation, "penalty": r.penalty}
             for r in check.rules}
    return {"soft_violations": sum(soft.values()),
            "soft_penalty": sum(r.penalty for r in check.rules),
            "violations": soft, "rules": rules}


EMPTY = {name: None for name in (
    "filled", "vacant", "moved", "km_mean", "km_max", "km_total",
    *(f"non_local_{k}" for k in LEVELS), "quota_met", "quota_groups", "female_share",
    "young_share", "merit_total", "merit_mean", "soft_violations", "soft_penalty")}
"""The metrics of a run without a plan (infeasible, unknown or failed)."""


def pareto_front(points: list[tuple[float, float]], senses: tuple[int, int]) -> list[int]:
    """Indices of the non-dominated points, ordered by the first coordinate.

    `senses` gives each coordinate's direction (+1: more is better, -1: less is better).
    Equal points are all kept.
    """
    sx, sy = senses
    scaled = [(sx * x, sy * y) for x, y in points]  # now more is better in both

    def dominated(i: int) -> bool:
        xi, yi = scaled[i]
        return any(xj >= xi and yj >= yi and (xj > xi or yj > yi)
                   for j, (xj, yj) in enumerate(scaled) if j != i)

    front = [i for i in range(len(points)) if not dominated(i)]
    return sorted(front, key=lambda i: (points[i][0], points[i][1]))
