"""A plan mostly decided: a national scenario with a share of its plan pinned, solved with the
pins narrowing the pairs and without, side by side in one process.

    python -m benchmarks.pins --fraction 1 --seed 11 --share 0.9

(from the repository root). The instance is `planner generate --fraction F --seed S` (legacy,
one period, the national policy). It is solved once at the default gap (0.01%); then a random
`--share` of its plan's filled posts (`--pin-seed`) becomes `fixed` pins, as a personnel
department's decisions already taken, and that scenario is solved twice with the same options:
`narrowed` (planner/model/eligibility.py, `pinned`: a pin leaves its post and its officer that
one pair) and `pins as rows` (the pairs a pin excludes kept, the pin a row of the model, as
before 2026-12-04). Both plans are verified by the independent checker.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from unittest import mock

from benchmarks.options import print_table
from planner import runtime
from planner.generate.national import generate
from planner.model import pairs
from planner.model.horizon import index
from planner.scenario import Scenario, effective_policy
from planner.schema import Pin
from planner.solver.pipeline import solve
from planner.solver.result import Result

GAP = 1e-4
"""`planner solve`'s default gap."""


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--share", type=float, default=0.9)
    parser.add_argument("--pin-seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def _row(name: str, pins: int, n_pairs: int, result: Result, seconds: float) -> str:
    st = result.stats
    gap = "-" if result.gap is None else f"{result.gap:.4%}"
    objective = "-" if result.objective is None else f"{result.objective:,}"
    return (f"| {name} | {pins:,} | {n_pairs:,} | {st.pairs_seconds:.2f} | {st.mode} | "
            f"{result.status.value} | {objective} | {gap} | {seconds:.1f} |")


def _n_pairs(scenario: Scenario) -> int:
    return len(pairs.pair_table(index(scenario), effective_policy(scenario, None)))


def main() -> None:
    runtime.for_a_run()  # the process as the `planner` command runs it (planner/runtime.py)
    args = _options()
    scenario = generate("legacy", args.fraction, seed=args.seed).to_scenario()
    print(f"legacy x {args.fraction}, seed {args.seed}: {len(scenario.posts)} posts, "
          f"{len(scenario.candidates)} officers; {args.share:.0%} of the plan pinned (seed "
          f"{args.pin_seed}); time limit {args.time_limit:g} s, {args.workers} workers; "
          f"{platform.processor() or platform.machine()}")
    options = dict(time_limit=args.time_limit, workers=args.workers, gap=GAP)
    tick = time.perf_counter()
    base = solve(scenario, **options)
    seconds = time.perf_counter() - tick
    rows = [_row("no pins", 0, _n_pairs(scenario), base, seconds)]
    rng = random.Random(args.pin_seed)
    fixed = [Pin(post=p, candidate=c) for p, c in base.plan.items()
             if c is not None and rng.random() < args.share]
    pinned = scenario.model_copy(update={"fixed": fixed})
    for name, narrow in (("narrowed", True), ("pins as rows", False)):
        with mock.patch.object(pairs, "pinned", pairs.pinned if narrow else lambda inst: {}):
            tick = time.perf_counter()
            result = solve(pinned, **options)
            seconds = time.perf_counter() - tick
            n_pairs = _n_pairs(pinned)
        assert result.check is not None and result.check.valid, name
        rows.append(_row(name, len(fixed), n_pairs, result, seconds))
    print_table(["run", "pins", "eligible pairs", "pairs s", "mode", "status", "objective", "gap",
                 "wall s"], rows)


if __name__ == "__main__":
    main()
