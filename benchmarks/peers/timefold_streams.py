"""The core rules in Timefold (the ``timefold`` package on a Java 17+ JRE), with its own
constraint streams: what an employee-scheduling user would write.

Each post is a planning entity whose nullable planning variable is the officer; its value range
is the post's eligible officers (the spec's pairs). The constraints, from the
:class:`~benchmarks.peers.spec.ModelSpec`:

* **one post per officer** (hard): two posts with the same officer;
* **the side rows over pairs** (hard), generically: every constraint of the spec whose literals
  are all positive pair variables and that no literal enforces (share, quota and fill rules of
  the national policy), as ``lo <= sum(a * x) <= hi``: each row joined with the posts whose
  assigned pair is in it, summed per row, and the rows no assigned pair is in on their own
  (``if_not_exists``); the violation (how far the sum is outside ``[lo, hi]``) is the penalty.
  The at-most-one rows of one post are the variable itself, those of one officer the stream
  above;
* **the pair scores** (soft): each assigned pair's objective coefficient (score plus the vacancy
  it saves), as the MIP peers maximise it.

Left out: rows over other variables (a rule's `complies` or penalty literals) and enforced rows;
their count is in the result's note, and the checker's verdict on the plan says what that cost.
Timefold proves no bound, so it has no "1% gap" of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

import numpy as np
from _jpyinterpreter import convert_to_java_python_like_object
from jpype import JImplements, JOverride
from timefold.solver import Solver, SolverFactory
from timefold.solver.config import (
    Duration,
    EnvironmentMode,
    ScoreDirectorFactoryConfig,
    SolverConfig,
    TerminationConfig,
)
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import (
    ConstraintCollectors,
    ConstraintFactory,
    HardSoftScore,
    Joiners,
    constraint_provider,
)

from benchmarks.peers.common import PeerResult, Timeline
from benchmarks.peers.spec import (
    AT_MOST_ONE,
    BOOL_AND,
    BOOL_OR,
    EXACTLY_ONE,
    LINEAR,
    ModelSpec,
    derive_spec,
)
from planner.scenario import Policy, Scenario


@dataclass
class Officer:
    """A candidate, by its index in the spec."""

    index: Annotated[int, PlanningId]


@planning_entity
@dataclass
class Post:
    """A post; `officer` is the planning variable (None: vacant)."""

    index: Annotated[int, PlanningId]
    eligible: Annotated[list[Officer], ValueRangeProvider(id="eligible")]
    gain: dict[int, int]
    """Officer index -> the pair's objective coefficient."""
    key: int
    """This post's first pair key: officer j at this post is pair key ``key + j``."""
    officer: Annotated[Officer | None,
                       PlanningVariable(value_range_provider_refs=["eligible"],
                                        allows_unassigned=True)] = None


@dataclass
class Row:
    """A side row ``lo <= sum(a * x) <= hi``, its sides clamped to what its terms can reach."""

    index: Annotated[int, PlanningId]
    lo: int
    hi: int
    coefs: dict[int, int]
    """Pair key (:attr:`Post.key` + officer index) -> coefficient."""


@planning_solution
@dataclass
class Plan:
    """The posts, the officers and the side rows; the score Timefold keeps."""

    officers: Annotated[list[Officer], ProblemFactCollectionProperty]
    rows: Annotated[list[Row], ProblemFactCollectionProperty]
    posts: Annotated[list[Post], PlanningEntityCollectionProperty]
    score: Annotated[HardSoftScore | None, PlanningScore] = field(default=None)


@constraint_provider
def core_rules(factory: ConstraintFactory) -> list:
    """One post per officer, the side rows over pairs, the pair scores."""
    in_row = Joiners.filtering(lambda r, p: p.key + p.officer.index in r.coefs)
    return [
        factory.for_each_unique_pair(Post, Joiners.equal(lambda p: p.officer.index))
        .penalize(HardSoftScore.ONE_HARD).as_constraint("one post per officer"),
        factory.for_each(Row).join(Post, in_row)
        .group_by(lambda r, p: r, ConstraintCollectors.sum(lambda r, p: r.coefs[p.key + p.officer.index]))
        .filter(lambda r, total: total < r.lo or total > r.hi)
        .penalize(HardSoftScore.ONE_HARD, lambda r, total: r.lo - total if total < r.lo else total - r.hi)
        .as_constraint("side rows"),
        factory.for_each(Row).filter(lambda r: r.lo > 0).if_not_exists(Post, in_row)
        .penalize(HardSoftScore.ONE_HARD, lambda r: r.lo).as_constraint("empty side rows"),
        factory.for_each(Post).filter(lambda p: p.gain[p.officer.index] > 0)
        .reward(HardSoftScore.ONE_SOFT, lambda p: p.gain[p.officer.index])
        .as_constraint("pair gains"),
        factory.for_each(Post).filter(lambda p: p.gain[p.officer.index] < 0)
        .penalize(HardSoftScore.ONE_SOFT, lambda p: -p.gain[p.officer.index])
        .as_constraint("pair losses"),
    ]


def side_rows(spec: ModelSpec) -> tuple[list[int], int]:
    """The constraints the streams carry as side rows, and how many are left out."""
    kept, left_out = [], 0
    for k in range(spec.n_constraints):
        lits = spec.idx[spec.start[k]:spec.start[k + 1]]
        enforced = spec.enf_start[k + 1] > spec.enf_start[k]
        if enforced or (lits < 0).any() or (lits >= spec.n_pairs).any():
            left_out += 1
            continue
        if spec.kind[k] == AT_MOST_ONE and (len(set(spec.pair_post[lits].tolist())) == 1
                                            or len(set(spec.pair_cand[lits].tolist())) == 1):
            continue  # the planning variable, or "one post per officer"
        kept.append(k)
    return kept, left_out


def _row_bounds(spec: ModelSpec, k: int) -> tuple[int, int]:
    """(lo, hi) of constraint `k` over its pair literals, clamped to its reachable activity."""
    a = spec.val[spec.start[k]:spec.start[k + 1]]
    low, high = int(a[a < 0].sum()), int(a[a > 0].sum())
    kind = spec.kind[k]
    if kind == LINEAR:
        lo, hi = int(spec.lo[k]), int(spec.hi[k])
    elif kind == BOOL_AND:  # every literal true
        lo, hi = high, high
    else:
        lo = 1 if kind in (EXACTLY_ONE, BOOL_OR) else low
        hi = 1 if kind in (EXACTLY_ONE, AT_MOST_ONE) else high
    return max(lo, low), min(hi, high)


def problem(spec: ModelSpec) -> tuple[Plan, int, int]:
    """The unassigned :class:`Plan` of `spec`, the number of rows left out, and the objective of
    the empty plan (every post vacant), which the soft score is counted from."""
    variables, coefs, const = spec.user_terms()
    gain = np.zeros(spec.n_vars, dtype=np.int64)
    np.add.at(gain, variables, coefs)
    n_cand = len(spec.cand_ids)
    key = spec.pair_post.astype(np.int64) * n_cand + spec.pair_cand
    officers = [Officer(j) for j in range(n_cand)]
    posts = [Post(p, [], {}, p * n_cand) for p in range(len(spec.post_ids))]
    for i, (p, c) in enumerate(zip(spec.pair_post.tolist(), spec.pair_cand.tolist())):
        posts[p].eligible.append(officers[c])
        posts[p].gain[c] = int(gain[i])
    kept, left_out = side_rows(spec)
    rows = []
    for k in kept:
        coefs: dict[int, int] = {}
        for i, a in zip(spec.idx[spec.start[k]:spec.start[k + 1]].tolist(),
                        spec.val[spec.start[k]:spec.start[k + 1]].tolist()):
            coefs[int(key[i])] = coefs.get(int(key[i]), 0) + a
        rows.append(Row(len(rows), *_row_bounds(spec, k), coefs))
    return Plan(officers, rows, posts), left_out, int(round(const))


def solver_config(time_limit: float, seed: int) -> SolverConfig:
    """Timefold's default phases (construction heuristic, then late acceptance), stopped after
    `time_limit` seconds of solving."""
    return SolverConfig(solution_class=Plan, entity_class_list=[Post],
                        environment_mode=EnvironmentMode.NON_REPRODUCIBLE, random_seed=seed,
                        score_director_factory_config=ScoreDirectorFactoryConfig(
                            constraint_provider_function=core_rules),
                        termination_config=TerminationConfig(
                            spent_limit=Duration(milliseconds=int(1000 * time_limit))))


def _follow(solver: Solver, timeline: Timeline, const: int) -> None:
    """Each new best plan with hard score 0 into `timeline` (the objective: `const` plus the
    soft score). The listener goes on the Java solver: the package's ``add_event_listener``
    converts the whole solution back to Python at every improvement."""
    from ai.timefold.solver.core.api.solver.event import (
        SolverEventListener,  # needs the JVM
    )

    @JImplements(SolverEventListener)
    class Listener:
        @JOverride
        def bestSolutionChanged(self, event) -> None:
            score = event.getNewBestScore()
            if event.isNewBestSolutionInitialized() and score.hardScore() == 0:
                timeline.solution(const + score.softScore())

    solver._delegate.addEventListener(Listener())


def _assigned(java_plan) -> list[tuple[int, int | None]]:
    """(post index, officer index or None) of a solved plan, read from its Java fields: the
    package's own read-back converts every object of the problem, as slowly as going in."""
    return [(int(str(p.index)), None if p.officer is None or str(p.officer) == "None"
             else int(str(p.officer.index))) for p in java_plan.posts]


def timefold_from_spec(spec: ModelSpec, time_limit: float = 30.0, seed: int = 0,
                       stage: Callable[[str], None] = lambda _: None) -> PeerResult:
    """Solve the core rules of `spec` with Timefold; a plan is reported when its hard score is 0.
    Build time includes handing the problem to Java (the package converts it object by object,
    the bulk of the time on large models). `stage` hears each step as it starts, so that a run
    stopped from outside can say where it was."""
    timeline = Timeline(offset=spec.prep_seconds)
    tick = time.perf_counter()
    stage(f"building {spec.n_pairs} pairs as Python objects")
    plan, left_out, const = problem(spec)
    solver = SolverFactory.create(solver_config(time_limit, seed)).build_solver()
    stage("handing the problem to Java (the package converts it object by object)")
    java_problem = convert_to_java_python_like_object(plan)
    build = time.perf_counter() - tick
    stage(f"solving ({build:.0f} s to build)")
    _follow(solver, timeline, const)
    tick = time.perf_counter()
    solved = solver._delegate.solve(java_problem)
    solve = time.perf_counter() - tick
    score = solved.getScore()
    feasible = score is not None and score.hardScore() == 0
    note = f"{left_out} rows over other variables left out" if left_out else ""
    if not feasible:
        note = (note + "; no plan with hard score 0").lstrip("; ")
    result = PeerResult("timefold", "feasible" if feasible else "unknown",
                        prep_seconds=spec.prep_seconds, build_seconds=build, solve_seconds=solve,
                        note=note, extra={"score": str(score), "rows": len(plan.rows),
                                          "rows_left_out": left_out})
    if feasible:
        result.objective = const + score.softScore()
        result.plan = dict.fromkeys(spec.post_ids)
        for p, c in _assigned(solved):
            result.plan[spec.post_ids[p]] = spec.cand_ids[c] if c is not None else None
    result.first_plan_seconds = timeline.first_plan()
    return result


def timefold_streams(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
                     seed: int = 0) -> PeerResult:
    """The planner's core rules solved by Timefold."""
    return timefold_from_spec(derive_spec(scenario, policy), time_limit, seed)
