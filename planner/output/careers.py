"""What the reports say of careers (docs/careers.md, contract section 3): officers placed at
their first, second and third choice and the envious pairs, for every run where some officer
has `preferences`, whatever the policy; and the groups a `continuity`-like rule names.

The figures are counted by the checker's own envy module (:mod:`planner.check.envy`) on each
period's view, the officers in the state the plan gives them (derived again from the plan as
the checker does, :func:`planner.check.horizon.derive_states`), so that the count a report
prints is the one `planner check` verifies. summary.json, the terminal line, report.html and
plan.xlsx all read one :class:`Preferences`, computed once per run (:func:`preferences`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planner.check.envy import Envy, choice_counts, envious_pairs, has_preferences
from planner.check.horizon import Plan, derive_states, period_scenario
from planner.check.view import PlanView
from planner.scenario import Scenario
from planner.solver.result import Result

MAX_ENVY_LISTED = 50
"""Envious pairs listed in summary.json, report.html and plan.xlsx (the count is of all)."""
CHOICES = ((1, "first"), (2, "second"), (3, "third"))


@dataclass(frozen=True)
class PeriodPreferences:
    """One period's figures: officers placed by choice rank, and every envious pair."""

    year: int
    choices: dict[int, int]
    envy: list[Envy]

    def to_json(self) -> dict[str, Any]:
        """The `preferences` object of summary.json (of the run, or of one period)."""
        return {**{word: self.choices[rank] for rank, word in CHOICES},
                "envious_pairs": len(self.envy),
                "envy": [envy_json(e) for e in self.envy[:MAX_ENVY_LISTED]]}


@dataclass(frozen=True)
class Preferences:
    """A run's preference figures: per period, and over the whole run (`total`)."""

    periods: list[PeriodPreferences]

    @property
    def total(self) -> PeriodPreferences:
        """The figures summed over the periods (a one-period run: its period's); the envious
        pairs of every period, in period order."""
        choices = {rank: sum(p.choices[rank] for p in self.periods) for rank, _ in CHOICES}
        envy = [e for p in self.periods for e in p.envy]
        return PeriodPreferences(self.periods[0].year, choices, envy)

    @property
    def several(self) -> bool:
        return len(self.periods) > 1

    def envy_rows(self) -> Iterator[tuple[int, Envy]]:
        """(year, pair) of the first :data:`MAX_ENVY_LISTED` envious pairs, periods in order."""
        rows = ((p.year, e) for p in self.periods for e in p.envy)
        for i, row in enumerate(rows):
            if i == MAX_ENVY_LISTED:
                return
            yield row

    def to_json(self) -> dict[str, Any]:
        """summary.json's top-level `preferences`: the totals, and the first envious pairs (each
        with its `period` when the run has several)."""
        out = self.total.to_json()
        out["envy"] = [{**({"period": year} if self.several else {}), **envy_json(e)}
                       for year, e in self.envy_rows()]
        return out

    def line(self) -> str:
        """The terminal's line: `preferences  1,204 first choice, 310 second, 95 third; 12
        envious pairs`."""
        t = self.total
        pairs = len(t.envy)
        return (f"preferences  {t.choices[1]:,} first choice, {t.choices[2]:,} second, "
                f"{t.choices[3]:,} third; {pairs:,} envious pair{'' if pairs == 1 else 's'}")


def envy_json(e: Envy) -> dict[str, Any]:
    return {"officer": e.officer, "post": e.post, "holder": e.holder, "rank": e.rank,
            "own_rank": e.own_rank}


_cache: list[tuple[Result, Scenario, Preferences | None]] = []
"""The last run's figures: summary.json, the terminal line and both reports of one run read
them, and envy over a national scenario costs seconds (kept by identity, one run at a time)."""


def preferences(result: Result, scenario: Scenario) -> Preferences | None:
    """The run's preference figures; None when it has no plan or no officer has preferences
    (then the reports have no preferences section at all)."""
    if _cache and _cache[0][0] is result and _cache[0][1] is scenario:
        return _cache[0][2]
    figures = None
    if result.has_plan and has_preferences(scenario):
        plans = result.plans or {scenario.years[0]: result.plan}
        figures = Preferences([PeriodPreferences(year, choice_counts(view), envious_pairs(view))
                               for year, view in period_views(scenario, plans)])
    _cache[:] = [(result, scenario, figures)]
    return figures


def period_views(scenario: Scenario, plans: dict[int, Plan],
                 officer: str | None = None) -> Iterator[tuple[int, PlanView]]:
    """Each period's plan as the checker views it: the period's posts and available officers,
    in the state the plan of the periods before gives them. Entries the checker finds invalid
    (an unknown or absent post or officer, an officer's second post) hold nothing here.

    `officer`: only that officer keeps their preferences, so that envy is counted for them
    alone (an officer's envy reads the others' merit and posts, never their preferences):
    `planner explain --candidate` on a national scenario then takes a second, not half a
    minute."""
    for period in derive_states(scenario, plans):
        scn = period_scenario(scenario, period)
        if officer is not None:
            scn = scn.model_copy(update={"candidates": [
                c if c.id == officer else c.model_copy(update={"preferences": None})
                for c in scn.candidates]})
        posts = {p.id: i for i, p in enumerate(scn.posts)}
        cands = {c.id: i for i, c in enumerate(scn.candidates)}
        holder: dict[int, int] = {}
        placed: set[str] = set()
        for pid, cid in plans.get(period.year, {}).items():
            if pid in posts and cid in cands and cid not in placed:
                holder[posts[pid]] = cands[cid]
                placed.add(cid)
        yield period.year, PlanView(scn, holder, scenario.posts)


def ordinal(n: int) -> str:
    """`1st`, `2nd`, `3rd`, `4th`, ..., `11th`: a choice's rank."""
    last = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th") if n % 100 not in (11, 12, 13) else "th"
    return f"{n}{last}"


def changed_groups(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The groups a rule's verdict names as at or over their share of changed posts (figure
    `groups`: a list of {group, size, changed, allowed}, as `continuity` gives it); [] for a
    rule whose `groups` is a count or that has none."""
    groups = figures.get("groups")
    if not isinstance(groups, list):
        return []
    return [g for g in groups if isinstance(g, dict) and {"group", "size", "changed"} <= g.keys()]


def group_words(group: dict[str, Any]) -> str:
    """`HG: 3 of 5 posts changed (at most 2)`: one group of :func:`changed_groups`."""
    allowed = group.get("allowed")
    return (f"{group['group']}: {group['changed']:,} of {group['size']:,} posts changed"
            + ("" if allowed is None else f" (at most {allowed:,})"))
