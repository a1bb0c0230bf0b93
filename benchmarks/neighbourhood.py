"""What a horizon plan gains where it changes a few provinces only: the myopic plan of a
generated national horizon, pinned everywhere but those provinces in every period, solved again.

    python -m benchmarks.neighbourhood --fraction 1 --seed 3 --time-limit 900 --exact --free P91
    python -m benchmarks.neighbourhood --fraction 1 --seed 3 --time-limit 500

(from the repository root). The instance is `planner generate --fraction F --seed S --periods
2026,2031,2036` (the national policy). Its myopic plan (`solve_myopic`, `--myopic-limit`) is
pinned (`fixed`, with the period) on every filled post outside the `--free` provinces (default:
the provinces with a vacant post in the myopic plan); their posts, the officers who held them
and every officer without a post stay free. The pinned horizon is solved (`planner.solve`,
`--exact` to model every pair) and verified: its optimum is the best horizon plan that differs
from the myopic one only there, and its bound says how much the relaxation claims for them.
Prints the myopic and the neighbourhood rows per period, as benchmarks/horizon.py does.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections import Counter

from benchmarks.horizon import COLUMNS, YEARS, period_rows
from benchmarks.options import print_table
from planner import runtime
from planner.generate.national import generate
from planner.output.planrows import Places
from planner.scenario import Scenario
from planner.schema import Pin
from planner.solver.pipeline import solve, solve_myopic
from planner.solver.result import Result


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--free", default=None, help="comma-separated province ids")
    parser.add_argument("--myopic-limit", type=float, default=60.0)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--exact", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def provinces(scenario: Scenario) -> dict[str, str]:
    """Post id -> its area, as the reports group by it: its province, or the top unit of a
    ministry post (planner/check/tree.py, `Tree.area`)."""
    places = Places(scenario)
    return {p.id: places.area(p.unit) for p in scenario.posts}


def neighbourhood(scenario: Scenario, myopic: Result, free: set[str] | None) -> tuple[
        Scenario, set[str], Counter]:
    """`scenario` with the myopic plan pinned outside `free` (default: the provinces with a
    vacant post), the provinces freed, and the myopic plan's vacancies by (year, province)."""
    where = provinces(scenario)
    vacant = Counter((y, where[q]) for y, plan in myopic.plans.items()
                     for q, c in plan.items() if c is None)
    free = free if free is not None else {p for _, p in vacant}
    pins = [Pin(post=q, candidate=c, period=y) for y, plan in myopic.plans.items()
            for q, c in plan.items() if c is not None and where[q] not in free]
    return scenario.model_copy(update={"fixed": pins}), free, vacant


def main() -> None:
    runtime.for_a_run()  # the process as the `planner` command runs it (planner/runtime.py)
    args = _options()
    scenario = generate("legacy", args.fraction, seed=args.seed, periods=YEARS).to_scenario()
    tick = time.perf_counter()
    myopic = solve_myopic(scenario, time_limit=args.myopic_limit, workers=args.workers)
    rows = period_rows("myopic", myopic, time.perf_counter() - tick)
    assert myopic.has_plan, myopic.status
    free = None if args.free is None else set(args.free.split(","))
    pinned, free, vacant = neighbourhood(scenario, myopic, free)
    print(f"legacy x {args.fraction}, seed {args.seed}, periods {YEARS}: {len(scenario.posts)} "
          f"posts, {len(scenario.candidates)} officers; myopic vacancies "
          f"{dict(sorted(vacant.items()))}; free {sorted(free)}, {len(pinned.fixed):,} pins; "
          f"time limit {args.time_limit:g} s{', every pair' if args.exact else ''}, "
          f"{args.workers} workers; {platform.processor() or platform.machine()}")
    tick = time.perf_counter()
    result = solve(pinned, time_limit=args.time_limit, workers=args.workers,
                   exact=True if args.exact else None)
    rows += period_rows("neighbourhood", result, time.perf_counter() - tick)
    print_table(COLUMNS, rows)


if __name__ == "__main__":
    main()
