"""One period judged: validity under E1, E2 and every hard rule, and the objective.

Nothing here touches the CP-SAT model or its builder: the plan is read as post -> candidate,
the unit tree is walked through parent pointers (:mod:`planner.check.tree`), every hard rule and E1/E2
is re-checked, and the objective is recomputed from the contract's formula. The scenario given
is one period's as :func:`planner.check.horizon.period_scenario` makes it (or a scenario whose
posts all exist and whose officers are all available): :mod:`planner.check.checker` and
:mod:`planner.check.horizon` call this for every period they check.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from planner.check.verdict import CheckReport
from planner.check.view import PlanView
from planner.scenario import Policy, Scenario
from planner.schema import Post, Weights

_SCALES = {
    "education": ["college", "university", "master", "phd"],
    "political_theory": ["primary", "intermediate", "advanced"],
    "rating": ["not_completed", "completed", "good", "excellent"],
}


def _haversine_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> int:
    if a is None or b is None:
        return 0
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return int(2 * 6371.0 * math.asin(min(1.0, math.sqrt(h))))


def check_period(scenario: Scenario, plan: dict[str, str | None], policy: Policy | None = None,
                 all_posts: Iterable[Post] | None = None,
                 holders_before: dict[str, set[str]] | None = None) -> CheckReport:
    """Verify `plan` (post id -> candidate id or None; posts not listed are vacant) on the
    single-period `scenario` as it stands (its posts exist, its officers are available, their
    rows hold their state); `all_posts` lets the rules look up a current post that is not in it,
    `holders_before` the officers of a current post who are no longer available (see
    :class:`PlanView`).

    `policy` defaults to the scenario's own. Structural problems (a candidate on two posts,
    unknown ids) make the plan invalid; so does any breach of E1, E2 or a hard rule.
    """
    policy = policy if policy is not None else scenario.policy
    weights = policy.weights if policy is not None else Weights()
    rules = list(policy.rules) if policy is not None else []
    violations: list[str] = []
    post_idx = {p.id: i for i, p in enumerate(scenario.posts)}
    cand_idx = {c.id: i for i, c in enumerate(scenario.candidates)}
    holder: dict[int, int] = {}
    taken: dict[str, str] = {}
    for pid, cid in plan.items():
        if pid not in post_idx:
            violations.append(f"unknown post {pid!r}")
            continue
        if cid is None:
            continue
        if cid not in cand_idx:
            violations.append(f"post {pid}: unknown candidate {cid!r}")
            continue
        if cid in taken:
            violations.append(f"candidate {cid} is on two posts: {taken[cid]} and {pid}")
            continue
        taken[cid] = pid
        holder[post_idx[pid]] = cand_idx[cid]
    view = PlanView(scenario, holder, all_posts, holders_before)
    violations += _eligibility(view, scenario, plan)

    terms = {"merit": 0, "specialty": 0, "preference": 0, "move": 0, "distance": 0, "vacancy": 0}
    moved = 0
    for p, post in enumerate(scenario.posts):
        c = holder.get(p)
        if c is None:
            terms["vacancy"] -= weights.vacancy * post.priority
            continue
        cand = scenario.candidates[c]
        terms["merit"] += weights.merit * cand.merit * post.priority
        if cand.specialties and post.specialties and set(cand.specialties) & set(post.specialties):
            terms["specialty"] += weights.specialty
        if any(view.tree.contains(pref, post.unit) for pref in cand.preferences or ()):
            terms["preference"] += weights.preference
        if cand.current_post != post.id:
            terms["move"] -= weights.move
            moved += 1
        dist = _haversine_km(view.tree.coord(cand.serves_at), view.tree.coord(post.unit))
        terms["distance"] -= weights.distance * (dist // 100)

    reports = [rule.check(view) for rule in rules]
    for rule, rep in zip(rules, reports):
        if rule.hard and rep.violation:
            violations += [f"hard rule {rep.rule}: {b}" for b in rep.breaches] or \
                          [f"hard rule {rep.rule} is broken (violation {rep.violation})"]
        elif not rule.hard:
            terms[f"rule:{rep.rule}"] = terms.get(f"rule:{rep.rule}", 0) - rep.penalty
    return CheckReport(valid=not violations, violations=violations, objective=sum(terms.values()),
                       terms=terms, rules=reports, filled=len(holder),
                       vacant=len(scenario.posts) - len(holder), moved=moved)


def _eligibility(view: PlanView, scenario: Scenario, plan: dict[str, str | None]) -> list[str]:
    """E1 (requirements) and E2 (fixed / forbidden pairs)."""
    out = []
    for p, c in view.assigned():
        post, cand = view.post(p), view.cand(c)
        for fld in _SCALES:
            need = getattr(post, f"min_{fld}")
            have = getattr(cand, fld)
            if need is not None and _SCALES[fld].index(have.value) < _SCALES[fld].index(need.value):
                out.append(f"post {post.id} holds {cand.id}: {fld} {have.value} is below "
                           f"min_{fld} {need.value}")
        if post.max_age is not None and scenario.term_start - cand.birth_year > post.max_age:
            out.append(f"post {post.id} holds {cand.id}: age "
                       f"{scenario.term_start - cand.birth_year} is above max_age {post.max_age}")
    for pin in scenario.fixed:
        if plan.get(pin.post) != pin.candidate:
            out.append(f"fixed pair {pin.post} = {pin.candidate} is not in the plan")
    for pin in scenario.forbidden:
        if plan.get(pin.post) == pin.candidate:
            out.append(f"forbidden pair {pin.post} = {pin.candidate} is in the plan")
    return out
