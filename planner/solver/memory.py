"""How much memory `planner solve` will need, known before any model work, and the limit.

A national scenario past a few countries does not fit in memory; without this module the
kernel's out-of-memory killer would end the solve minutes into it, with nothing said. The
estimate reads only what costs nothing next to a solve: the posts, the officers, and an upper
bound on the eligible pairs (each post's pool from the hard rules that give one, e.g. `mobility
within: province`, counted against the post's requirements; the other hard pair rules can only
remove pairs). `planner solve` refuses, with the estimate and the limit, when it passes the
memory available: the physical memory, or the cgroup's limit when lower (`--memory-limit`
overrides both).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.io.loader import load_scenario
from planner.model.eligibility import narrowest_pool, requirement_mask
from planner.model.horizon import index
from planner.model.instance import Instance
from planner.scenario import Policy, Scenario, effective_policy

GIB = 1024 ** 3

BASE_BYTES = 230 * 1024 ** 2
"""Python, pydantic, OR-Tools and HiGHS loaded, and what does not grow with the scenario."""
PER_OFFICER_BYTES = 25 * 1024
"""Each officer (candidate row, index arrays, the plan's reports, and the model's share that
grows with the plan: the LP's columns, the shortlist)."""
PER_PAIR_BYTES = 145
"""Each pair of the bound (pair table, coefficients, masks while eligibility runs)."""
# How the constants were measured: ru_maxrss of `planner solve SCENARIO --gap 0.001
# --time-limit 300` (default options, reports written) in a fresh process
# (`python -m benchmarks.growth`, docs/benchmarks.md "How cost grows"): legacy x 0.05 ... x 1
# and 2 and 4 countries side by side (seed 5), re-measured on a quiet machine after the LP's
# seed (x 4 now peaks at 5,195 MiB, 3,692 before), and legacy x 0.25 with the national
# policy's first 0 ... 8 rules. The first fit, 227 MiB + 13.9 KiB an officer + 125 B a pair,
# put x 4 26% under its measured peak; the least-squares fit over the new runs is 12 MiB +
# 25.3 KiB + 145 B, which puts the small sizes far under theirs. These constants keep the
# base and take the new slopes: every run lies between 0.97 and 1.5 times its measured peak
# (x 4: 0.98), so a refusal errs towards refusing.


CGROUP_FILES = (Path("/sys/fs/cgroup/memory.max"),
                Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
"""The cgroup v2 and v1 memory limits of this process's group (unlimited: "max" or huge)."""


@dataclass(frozen=True)
class Estimate:
    """The figures an estimate is made from, and the peak memory it predicts."""

    posts: int
    officers: int
    pairs: int
    """An upper bound on the eligible pairs (exact when no hard rule filters beyond pools)."""

    @property
    def peak_bytes(self) -> float:
        """The predicted peak resident memory of `planner solve`, in bytes."""
        return BASE_BYTES + PER_OFFICER_BYTES * self.officers + PER_PAIR_BYTES * self.pairs


class MemoryRefused(Exception):
    """The solve would not fit in memory: raised before any model work (exit status 5)."""


def pair_bound(inst: Instance, policy: Policy) -> int:
    """An upper bound on the eligible pairs: each post's requirements counted over the
    narrowest pool a hard rule gives it (as eligibility starts from), without the pair rules'
    own tests or the pins. Posts with the same pool and the same requirements are counted once
    (national: ~11,000 posts, a few hundred such groups; a count per post took 3 s). A
    horizon's later periods take their pools from these counted supersets of the period
    before, as eligibility takes them from its pairs (:meth:`Horizon.entering`), so they are
    supersets too."""
    filters = [r for r in policy.rules if r.filters_pairs]
    counted: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    qualified: list[np.ndarray] = []
    for p in range(inst.n_posts):
        if inst.horizon is not None:
            inst.horizon.entering(inst, p, qualified)
        pool = narrowest_pool(inst, filters, p)
        post = inst.posts[p]
        key = (id(pool), post.min_education, post.min_political_theory, post.min_rating,
               post.max_age)
        hit = counted.get(key)
        if hit is None or hit[0] is not pool:  # the pool is kept with its count: ids stay apart
            hit = counted[key] = (pool, pool[requirement_mask(inst, p, pool)])
        qualified.append(hit[1])
    return sum(len(q) for q in qualified)


def estimate(scenario: Scenario, policy: Policy | None = None,
             inst: Instance | None = None) -> Estimate:
    """The estimate for solving `scenario` under `policy` (default: its own); `inst`, its
    index where the caller has one."""
    inst = inst or index(scenario)
    return Estimate(inst.n_posts, inst.n_candidates, pair_bound(inst, effective_policy(scenario, policy)))


def scenario_estimate(path: str, policy: str | None = None) -> dict[str, float]:
    """The estimate of the scenario file `path` (and policy file), as plain figures: what the
    growth benchmark prints beside the measured peak."""
    scn = load_scenario(path, policy=policy) if policy else load_scenario(path)
    est = estimate(scn)
    return {"posts": est.posts, "officers": est.officers, "pairs": est.pairs,
            "peak_bytes": est.peak_bytes}


def available_bytes() -> int:
    """The memory this process may use: the physical memory, or the cgroup's limit if lower."""
    limit = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in CGROUP_FILES:
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            limit = min(limit, int(text))
    return limit


CLI_ADVICE = ("Nothing was solved or written. Solve a smaller scenario, or under hard rules that "
              "narrow the pairs (mobility within a province), or on a machine with more memory; "
              "--memory-limit GIB sets the limit.")
"""What `planner solve` tells a user it refused."""


def check_fits(scenario: Scenario, policy: Policy | None, limit_gib: float | None,
               inst: Instance | None = None, source: str = "--memory-limit",
               advice: str = CLI_ADVICE) -> Estimate:
    """The estimate, or :class:`MemoryRefused` naming it and the limit when it passes the
    limit: `limit_gib` GiB when given (`source` says where it comes from), else
    :func:`available_bytes`; `advice` ends the message."""
    est = estimate(scenario, policy, inst)
    limit = available_bytes() if limit_gib is None else limit_gib * GIB
    source = source if limit_gib is not None else "the memory available"
    if est.peak_bytes > limit:
        raise MemoryRefused(
            f"this solve would need about {est.peak_bytes / GIB:.3g} GiB of memory (estimated "
            f"from {est.posts:,} posts, {est.officers:,} officers and at most {est.pairs:,} "
            f"eligible pairs), more than {source}: {limit / GIB:.3g} GiB. {advice}")
    return est
