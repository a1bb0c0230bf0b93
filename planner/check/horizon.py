"""Horizon plans checked independently (horizon contract, sections 2, 3, 5 and 6).

A horizon plan is checked period by period: :func:`derive_states` follows every officer's state
(contract section 3) from the scenario's fields through the plan itself, :func:`period_scenario`
turns a period into the single-period scenario that :func:`planner.check.period.check_period`
judges, and :func:`check_horizon` adds the structural problems and sums the periods. Nothing
here reads the model's expanded instance: the states are derived again, from the plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.check.period import check_period
from planner.check.tree import Tree
from planner.check.verdict import CheckReport, HorizonReport
from planner.check.view import current_holders
from planner.scenario import Policy, Scenario
from planner.schema import Candidate, Post, UnitKind

LOCAL_KINDS = (UnitKind.province, UnitKind.district, UnitKind.commune)
"""A post in a unit of these kinds makes its holder `served_local` (contract section 3)."""

Plan = dict[str, str | None]
"""A single period's plan: post id -> officer id (None: vacant)."""


@dataclass(frozen=True)
class OfficerState:
    """An officer's state in one period: what the rules read instead of the scenario's fields."""

    age: int
    current_post: str | None
    consecutive_terms: int
    since: int | None
    serves_at: str
    served_local: bool
    served_difficult: bool
    ministry_origin: bool
    grade: int | None = None


@dataclass(frozen=True)
class PeriodState:
    """One period: the posts that exist in it and the officers available in it (both in
    scenario order), and the state of every officer of the scenario, available or not, by id."""

    year: int
    posts: list[Post]
    officers: list[Candidate]
    state: dict[str, OfficerState]


def derive_states(scenario: Scenario, plans: dict[int, Plan]) -> list[PeriodState]:
    """Every period's state, period 1 from the scenario's fields and each later one from the
    plan of the period before (`plans`: year -> post -> officer; a period not given is all
    vacant). Entries that the checker finds invalid (a post that does not exist, an officer who
    is not available or unknown) hold nothing here; of an officer listed twice, the first post
    counts. The plan is then invalid anyway, but the later periods are still judged."""
    tree = Tree(scenario.units)
    years = scenario.years
    state = {c.id: _first_state(c, years[0], tree) for c in scenario.candidates}
    out = []
    for t, year in enumerate(years):
        if t > 0:
            held = _held(scenario, years[t - 1], plans.get(years[t - 1], {}))
            state = {c.id: _next_state(state[c.id], held.get(c.id), c.birth_year, year,
                                       years[t - 1], tree) for c in scenario.candidates}
        out.append(PeriodState(year, [p for p in scenario.posts if p.exists_in(year)],
                               [c for c in scenario.candidates if c.available_in(year)], state))
    return out


def _first_state(cand: Candidate, year: int, tree: Tree) -> OfficerState:
    """Period 1: the scenario's own fields."""
    return OfficerState(year - cand.birth_year, cand.current_post, cand.consecutive_terms,
                        cand.since, cand.serves_at, cand.served_local, cand.served_difficult,
                        tree.kind(cand.serves_at) == UnitKind.ministry, cand.grade)


def _held(scenario: Scenario, year: int, plan: Plan) -> dict[str, Post]:
    """Officer id -> the post held in the period `year`, by the valid entries of its plan."""
    posts = {p.id: p for p in scenario.posts if p.exists_in(year)}
    available = {c.id for c in scenario.candidates if c.available_in(year)}
    held: dict[str, Post] = {}
    for pid, cid in plan.items():
        if pid in posts and cid in available and cid not in held:
            held[cid] = posts[pid]
    return held


def _next_state(prev: OfficerState, post: Post | None, birth_year: int, year: int,
                prev_year: int, tree: Tree) -> OfficerState:
    """The state in period `year` of an officer who held `post` (None: unassigned or not
    available) in the period `prev_year` before, in state `prev` (contract section 3)."""
    age = year - birth_year
    if post is None:
        return OfficerState(age, None, 0, None, prev.serves_at, prev.served_local,
                            prev.served_difficult, prev.ministry_origin, prev.grade)
    stays = post.id == prev.current_post
    return OfficerState(age, post.id, prev.consecutive_terms + 1 if stays else 1,
                        prev.since if stays else prev_year, post.unit,
                        prev.served_local or tree.kind(post.unit) in LOCAL_KINDS,
                        prev.served_difficult or tree.difficult(post.unit),
                        tree.kind(post.unit) == UnitKind.ministry,
                        prev.grade if post.grade is None else post.grade)


def period_scenario(scenario: Scenario, period: PeriodState) -> Scenario:
    """The period as a single-period scenario: its year as `term_start`, its posts, its
    officers with their state in their rows, the relations among them and its pins.

    Rows are copied without validation: a current post may be one that does not exist in the
    period (its holder must go elsewhere), which the view still finds by id."""
    officers = [c.model_copy(update=state_fields(period.state[c.id])) for c in period.officers]
    present = {c.id for c in period.officers}
    first = scenario.years[0]
    return scenario.model_copy(update={
        "term_start": period.year, "periods": None, "posts": period.posts, "candidates": officers,
        "relations": [r for r in scenario.relations if r.a in present and r.b in present],
        "fixed": [p for p in scenario.fixed if (p.period or first) == period.year],
        "forbidden": [p for p in scenario.forbidden if p.period in (None, period.year)]})


def state_fields(s: OfficerState) -> dict[str, object]:
    """The row fields that hold the state (age needs none: the rules take it from the year)."""
    return {"current_post": s.current_post, "consecutive_terms": s.consecutive_terms,
            "since": s.since, "serves_at": s.serves_at, "served_local": s.served_local,
            "served_difficult": s.served_difficult, "grade": s.grade}


def check_horizon(scenario: Scenario, plans: dict[int, Plan],
                  policy: Policy | None = None) -> HorizonReport:
    """Verify a horizon plan (year -> post -> officer or None): structural problems (a period
    not in `periods`, a post missing from its period or one that does not exist in it, an
    officer not available in it), then every period judged with its derived states; the
    objective is the sum of the periods'. `policy` defaults to the scenario's own."""
    problems = [f"period {year!r} is not one of the periods {_years(scenario)}"
                for year in plans if year not in scenario.years]
    periods: list[tuple[int, CheckReport]] = []
    for period in derive_states(scenario, plans):
        plan = plans.get(period.year, {})
        problems += [f"period {period.year}: post {p.id} is missing from the plan"
                     for p in period.posts if p.id not in plan]
        found, kept = period_problems(scenario, period, plan)
        problems += [f"period {period.year}: {x}" for x in found]
        periods.append((period.year, check_period(period_scenario(scenario, period), kept,
                                                  policy, scenario.posts, holders_before(period))))
    return HorizonReport.combine(problems, periods)


def holders_before(period: PeriodState) -> dict[str, set[str]]:
    """Post id -> the officers whose current post it is in the period, those no longer
    available included (`continuity` counts a post whose holder retired as changed)."""
    return current_holders((cid, s.current_post) for cid, s in period.state.items())


def period_problems(scenario: Scenario, period: PeriodState, plan: Plan) -> tuple[list[str], Plan]:
    """What makes `plan` invalid in `period` beyond the period's own check (a post that does not
    exist in it, an officer not available in it), and the plan without those entries (such a
    post is left out, such an officer's post left vacant). Unknown ids stay for the period's
    check to report."""
    posts = {p.id: p for p in scenario.posts}
    cands = {c.id: c for c in scenario.candidates}
    existing = {p.id for p in period.posts}
    available = {c.id for c in period.officers}
    problems, kept = [], {}
    for pid, cid in plan.items():
        if pid in posts and pid not in existing:
            problems.append(f"post {pid} does not exist in {period.year}{_span(posts[pid])}")
        elif cid in cands and cid not in available:
            problems.append(f"post {pid}: officer {cid} is not available in {period.year}"
                            f"{_span(cands[cid])}")
            kept[pid] = None
        else:
            kept[pid] = cid
    return problems, kept


def _span(row: Post | Candidate) -> str:
    """` (opens 2031, closes 2036)`, ` (leaves 2031)`: the years that say why, or nothing."""
    if isinstance(row, Post):
        parts = [f"opens {row.opens}" if row.opens is not None else "",
                 f"closes {row.closes}" if row.closes is not None else ""]
    else:
        parts = [f"joins {row.joins}" if row.joins is not None else "",
                 f"leaves {row.leaves}" if row.leaves is not None else ""]
    words = ", ".join(p for p in parts if p)
    return f" ({words})" if words else ""


def _years(scenario: Scenario) -> str:
    """`(2026, 2031)`: the periods, as a problem names them."""
    return "(" + ", ".join(str(y) for y in scenario.years) + ")"

