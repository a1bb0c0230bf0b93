"""Horizon against myopic, side by side in one process, on generated national horizons.

    python -m benchmarks.horizon --fraction 0.05 --time-limit 60
    python -m benchmarks.horizon --fraction 0.25 --seed 3 --time-limit 120

(from the repository root). The instance is `planner generate --fraction F --seed S --periods
2026,2031,2036` (the national policy). Each method solves it with the same time limit and
workers: `horizon` (`planner.solve`, every period at once) and `myopic`
(`planner.solver.pipeline.solve_myopic`, one period at a time); both plans are verified by the
independent checker. The table gives, per method and period, the objective part, filled,
vacant and moved posts and the hard and soft rule shortfalls, then the totals with the bound
(the horizon's; a myopic run has none), the wall time and the peak memory of the process so far.
"""

from __future__ import annotations

import platform
import time

from benchmarks.options import instance_options, print_peak, table_head
from planner import runtime
from planner.generate.national import generate
from planner.solver.pipeline import solve, solve_myopic
from planner.solver.result import Result

YEARS = [2026, 2031, 2036]
COLUMNS = ["method", "period", "status", "objective", "bound (gap)", "filled", "vacant", "moved",
           "soft shortfall", "wall s"]


def period_rows(name: str, result: Result, seconds: float) -> list[str]:
    check = result.check
    if check is None:
        return [f"| {name} | all | {result.status.value} | - | - | - | - | - | - | {seconds:.1f} |"]
    out = []
    for year, part in getattr(check, "periods", []):
        short = sum(r.violation for r in part.rules if not r.hard)
        out.append(f"| {name} | {year} | | {part.objective:,} | | {part.filled} | {part.vacant} "
                   f"| {part.moved} | {short} | |")
    gap = "-" if result.gap is None else f"{result.gap:.2%}"
    bound = "-" if result.bound is None else f"{result.bound:,}"
    short = sum(r.violation for r in check.rules if not r.hard)
    out.append(f"| **{name}** | all | {result.status.value} | **{check.objective:,}** | {bound} "
               f"({gap}) | {check.filled} | {check.vacant} | {check.moved} | {short} | "
               f"{seconds:.1f} |")
    return out


def main() -> None:
    runtime.for_a_run()  # the process as the `planner` command runs it (planner/runtime.py)
    args = instance_options(__doc__, seed=3)
    gen = generate("legacy", args.fraction, seed=args.seed, periods=YEARS)
    scenario = gen.to_scenario()
    print(f"legacy x {args.fraction}, seed {args.seed}, periods {YEARS}: "
          f"{len(scenario.posts)} posts, {len(scenario.candidates)} officers; "
          f"time limit {args.time_limit:g} s, {args.workers} workers; {platform.processor() or platform.machine()}")
    print(table_head(COLUMNS))
    for name, run in (("horizon", solve), ("myopic", solve_myopic)):
        tick = time.perf_counter()
        result = run(scenario, time_limit=args.time_limit, workers=args.workers)
        print("\n".join(period_rows(name, result, time.perf_counter() - tick)), flush=True)
    print_peak()


if __name__ == "__main__":
    main()
