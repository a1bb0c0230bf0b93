"""The bound a plan is measured against, and the pairs the search will model.

The assignment core (every rule dropped: a matching) bounds every plan from above; on one
period its plan's pairs are the LP's first columns, whether the search models a shortlist or
every pair (a large horizon's: a shortlist's seed around it; a small one's: every pair). The LP, with the rules' side rows, prices every pair through its duals: a tighter bound,
still valid for the whole scenario (planner/model/lp.py). Both bounds hold whatever the search
later does; the shortlist (planner/model/shortlist.py) only says where a search looks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from planner.model.core import CoreSolution, assignment_core
from planner.model.instance import Instance
from planner.model.lagrangian import SideRows, side_rows, subproblem
from planner.model.lp import ColumnGeneration, LpBound
from planner.model.pairs import PairTable
from planner.model.shortlist import shortlist
from planner.scenario import Policy
from planner.solver.result import LpStats, RunStats, since
from planner.solver.search import CLI_GAP, SearchOptions

LARGE_PAIRS = 400_000
"""Above this many eligible pairs, the model is built on a shortlist (see model/shortlist.py)."""

LARGE_HORIZON_PAIRS = 50_000
"""The same for a horizon of several periods, whose links grow with the square of an officer's
pairs (where the officer may serve, against each post: planner/model/links.py): 355,000 pairs
(national x 0.05 over 3 periods) make 780,000 variables and a minute of building."""

EARLY_GAP = 1e-3
"""Where a shortlisted period is solved to a gap below `planner solve`'s default (`--gap 0`,
or the Python API's default 0), the LP's rounds stop first at this one (0.1%, the speed
targets' gap), a first plan is built from that vertex, and the rounds then go on to the gap
asked (:func:`refined`): the plan comes rounds earlier (at `--gap 0`, the 2025 country after 4
of its 6 to 8 rounds, the legacy country 4 of 5 to 7), and the bound is the same in the end."""


@dataclass(frozen=True)
class Bounds:
    core: CoreSolution
    lp: LpBound | None
    """The LP bound (None when no rule states rows for it)."""
    bound: int
    """The least of the core's and the LP's bounds: valid for the whole scenario."""
    shortlisted: bool
    """Whether the search models a shortlist rather than every eligible pair."""
    keep: np.ndarray
    """Mask over the pair table: the shortlist (one period: the core plan's pairs until a search
    needs the shortlist) and the LP's columns; every pair when not shortlisted."""
    rows: SideRows | None = None
    """The side rules' rows the LP and its pricing use."""
    listed: bool = True
    """Whether `keep` holds the shortlist: a single period's is built only for a search
    (:func:`widened`)."""
    generation: ColumnGeneration | None = None
    """The LP's column generation where it stopped at `EARLY_GAP` and can go on to the gap
    asked (:func:`refined`); None when its rounds are done."""

    def over(self, table: PairTable, keep: np.ndarray, n_posts: int, n_cands: int) -> int:
        """A bound on every plan that uses only the pairs `keep` of `table` (the model a
        shortlisted search runs on): the least Lagrangian over those pairs at the multipliers
        of the LP's rounds (one small matching each), or the scenario's bound where that is
        lower (it holds for every subset). A plan that reaches it cannot be bettered on those
        pairs, so the search is skipped or stopped: a proof over the model, where the LP's own
        value was one only when its columns were the model's."""
        if self.lp is None or self.rows is None:
            return self.bound
        idx = np.flatnonzero(keep)
        rows, pairs = self.rows.subset(idx), table.subset(keep)
        priced = [subproblem(rows, pairs, n_posts, n_cands, lam) for lam in self.lp.lams]
        return min([self.bound, *(p.bound for p in priced if p is not None)])

    @property
    def lp_pairs(self) -> int | None:
        """How many pairs the LP's final columns hold (None without an LP optimum)."""
        return None if self.lp is None or self.lp.lp is None else len(self.lp.lp.pairs)


def is_shortlisted(n_pairs: int, exact: bool | None, periods: int = 1) -> bool:
    """`exact` True models every pair, False always a shortlist, None above `LARGE_PAIRS`
    (`LARGE_HORIZON_PAIRS` for several periods)."""
    large = LARGE_PAIRS if periods == 1 else LARGE_HORIZON_PAIRS
    return n_pairs > (large if exact is None else (n_pairs if exact else 0))


def find_bounds(inst: Instance, policy: Policy, table: PairTable, exact: bool | None,
                options: SearchOptions, stats: RunStats,
                plan: np.ndarray | None = None) -> Bounds:
    """The core and LP bounds and the pairs to model; their figures go into `stats`. `plan`
    (a mask over `table`) holds the pairs of a plan to start from (a horizon's myopic plan, or
    the caller's hint: a price variant's is the base's plan): they join the LP's first columns
    and the shortlist. Where that plan keeps every rule the LP's first round needs no elastic
    column, and one priced round fewer or two (national, the base's plan as a variant's hint:
    drop kinship 5 rounds -> 3, drop term_limit 5 -> 4); a plan that breaks one only adds
    columns, which the LP may leave at zero: the bound is priced over every pair either way."""
    tick = time.perf_counter()
    core = assignment_core(table, inst.n_posts, inst.n_candidates)
    stats.core_seconds, stats.core_bound = since(tick), core.bound
    shortlisted = is_shortlisted(len(table), exact,
                                 1 if inst.horizon is None else inst.horizon.n_periods)
    stats.mode = "shortlist" if shortlisted else "full"
    keep = seed = np.ones(len(table), dtype=bool)
    listed = not shortlisted or (inst.horizon is not None and inst.horizon.n_periods > 1)
    if shortlisted and listed:  # a horizon: its one or two LP rounds need the seed's duals
        tick = time.perf_counter()
        short = shortlist(inst, policy, table, core.chosen)
        keep, seed = short.keep, short.seed
        stats.shortlist_seconds = since(tick)
    elif shortlisted:  # one period: the LP from the core plan; the shortlist if a search runs
        keep = np.zeros(len(table), dtype=bool)
        keep[core.chosen] = True
        seed = keep.copy()
    elif inst.horizon is None or inst.horizon.n_periods == 1:  # every pair modelled: the LP
        seed = np.zeros(len(table), dtype=bool)                # from the core plan too
        seed[core.chosen] = True
    if plan is not None:
        keep, seed = keep | plan, seed | plan
    # The LP from the seed: its duals price every pair (a bound for the whole scenario), its
    # integral posts are a plan's skeleton (planner/solver/start.py).
    tick = time.perf_counter()
    rows = side_rows(inst, policy, table)
    generation = ColumnGeneration(rows, table, inst.n_posts, inst.n_candidates, seed) \
        if rows.n_rows else None
    early = shortlisted and plan is None and options.gap < CLI_GAP and \
        (inst.horizon is None or inst.horizon.n_periods == 1)
    gap = max(options.gap, EARLY_GAP) if early else options.gap
    lpb = None if generation is None else generation.run(gap, options.budget(4))
    resumes = early and generation is not None and generation.resumable
    found = _with_lp(Bounds(core, None, core.bound, shortlisted, keep, rows, listed,
                            generation if resumes else None), rows, lpb, stats)
    stats.relaxation_seconds = since(tick)
    return found


def refined(found: Bounds, options: SearchOptions, stats: RunStats) -> Bounds:
    """`found` with the LP's rounds gone on from `EARLY_GAP` to the gap asked, once a first plan
    is in hand (planner/solver/pipeline.py); itself where they are done."""
    if found.generation is None or found.rows is None:
        return found
    tick = time.perf_counter()
    lpb = found.generation.run(options.gap, options.budget(4))
    out = _with_lp(replace(found, generation=None), found.rows, lpb, stats)
    stats.relaxation_seconds = round((stats.relaxation_seconds or 0.0) + since(tick), 3)
    return out


def _with_lp(found: Bounds, rows: SideRows, lpb: LpBound | None, stats: RunStats) -> Bounds:
    """`found` with the LP's figures: its final columns join `keep`, its bound the least one;
    they go into `stats` too."""
    if lpb is None:
        return found
    keep, bound = found.keep.copy(), found.bound
    if lpb.lp is not None:
        keep[lpb.lp.pairs] = True
    if lpb.bound is not None:
        bound = min(bound, lpb.bound)
    stats.lp = LpStats(rows=rows.n_rows, rounds=lpb.rounds, seconds=round(lpb.seconds, 3),
                       value=None if lpb.lp is None else round(lpb.lp.value, 3), bound=lpb.bound)
    return replace(found, lp=lpb, bound=bound, keep=keep)


def widened(inst: Instance, policy: Policy, table: PairTable, found: Bounds, keep: np.ndarray,
            stats: RunStats) -> np.ndarray:
    """`keep` with the shortlist's pairs (planner/model/shortlist.py), for a search on one
    period: the LP started from the core plan's pairs alone, and its skeleton's plan meets
    `--gap` on most national runs, where the shortlist would only have cost its time and
    slowed the LP (legacy country: solve 19.1 s -> 11.6 s, LP 8.8 s -> 6.2 s, within 0.01% both
    ways; the stricter policy 60.6 s -> 19.1 s, its skeleton now within the gap)."""
    tick = time.perf_counter()
    short = shortlist(inst, policy, table, found.core.chosen)
    stats.shortlist_seconds = since(tick)
    return keep | short.keep
