"""How long plan.xlsx takes: `workbook_bytes` on generated national plans (issue 13).

    python -m benchmarks.excel                                  # legacy x 0.25 and x 1
    python -m benchmarks.excel --fractions 0.25 --old OLD.py    # beside an older writer

(from the repository root). Each size is `planner generate --fraction F --seed 0`, solved by
`planner.solve` under its national policy (`--time-limit`, stopping at a 1% gap: the workbook
only needs a verified plan). The rows handed to the writer are computed once, as `planner
solve` does, so that the seconds are the writer's own. `--old` names a copy of an earlier
planner/output/excel.py, timed in the same run on the same plan (the ratio of the table).
Columns: the cells of the workbook (every `<c>` element of its sheets), the seconds of one
`workbook_bytes` call (the best of `--repeat`, the writers taking turns) and the size of the
file in MB.

A second table times the whole run folder as `planner solve` writes it (`write_run`: plan.csv,
report.html, plan.xlsx, summary.json) on the same plan, with the workbook built in a forked
child (planner/output/forked.py) and in the process itself, taking turns: the median and the
best of `--repeat`.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import re
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from benchmarks.national import fmt_s, machine
from planner.generate.national import generate
from planner.output import excel, forked
from planner.output.folder import write_run
from planner.output.planrows import plan_rows
from planner.scenario import Policy, Scenario, effective_policy
from planner.solver.pipeline import solve
from planner.solver.result import Result

HEADER = "| size | posts | writer | cells | seconds | MB |\n|---|---|---|---|---|---|"
FOLDER_HEADER = ("| size | posts | plan.xlsx built | run folder s (median) | best s |\n"
                 "|---|---|---|---|---|")
CELL = re.compile(rb"<c[ >]")


def options() -> argparse.Namespace:
    """--fractions (comma-separated), --old, --time-limit, --workers and --repeat."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fractions", default="0.25,1")
    parser.add_argument("--old", type=Path, help="an earlier planner/output/excel.py to time too")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="timings per writer (the best)")
    return parser.parse_args()


def old_writer(path: Path) -> ModuleType:
    """The module at `path` (a copy of an earlier excel.py), imported under its own name."""
    spec = importlib.util.spec_from_file_location("excel_old", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(data: bytes) -> int:
    """The cells of the workbook `data`: the `<c>` elements of its worksheets."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(len(CELL.findall(zf.read(name))) for name in zf.namelist()
                   if name.startswith("xl/worksheets/sheet"))


def timed(write: Callable[[], bytes], seconds: list[float]) -> bytes:
    """The bytes `write` returns; its wall seconds appended to `seconds`."""
    tick = time.perf_counter()
    data = write()
    seconds.append(time.perf_counter() - tick)
    return data


def size_rows(fraction: float, writers: dict[str, ModuleType],
              args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """The tables' rows of legacy x `fraction`, on one plan: one per writer, each writer timed
    `--repeat` times in turn with the others (the best time: the machine is shared); and the
    run folder's, forked and in process."""
    scenario = generate("legacy", fraction, seed=0).to_scenario()
    policy = effective_policy(scenario)
    result = solve(scenario, policy, time_limit=args.time_limit, workers=args.workers, gap=0.01)
    return writer_rows(fraction, scenario, policy, result, writers, args), \
        folder_rows(fraction, scenario, result, args)


def writer_rows(fraction: float, scenario: Scenario, policy: Policy, result: Result,
                writers: dict[str, ModuleType], args: argparse.Namespace) -> list[str]:
    rows = plan_rows(result.plan, scenario)
    seconds: dict[str, list[float]] = {name: [] for name in writers}
    data: dict[str, bytes] = {}
    for _ in range(args.repeat):
        for name, module in writers.items():
            data[name] = timed(lambda m=module: m.workbook_bytes(result, scenario, policy, rows),
                                   seconds[name])
    return [f"| legacy x {fraction:g} | {len(scenario.posts):,} | {name} | {cells(data[name]):,} | "
            f"{fmt_s(min(seconds[name]))} | {len(data[name]) / 1e6:.2f} |" for name in writers]


def folder_rows(fraction: float, scenario: Scenario, result: Result,
                args: argparse.Namespace) -> list[str]:
    """`write_run` of the plan into a fresh folder `--repeat` times, the workbook forked and in
    process taking turns (forked.FORKS switched, restored after)."""
    seconds: dict[bool, list[float]] = {True: [], False: []}
    was = forked.FORKS
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(args.repeat):
                for fork in (True, False):
                    forked.FORKS = fork
                    out = Path(tmp) / f"{i}-{fork}"
                    tick = time.perf_counter()
                    write_run(out, result, scenario, None)
                    seconds[fork].append(time.perf_counter() - tick)
    finally:
        forked.FORKS = was
    return [f"| legacy x {fraction:g} | {len(scenario.posts):,} | "
            f"{'in a forked child' if fork else 'in the process'} | "
            f"{fmt_s(statistics.median(seconds[fork]))} | {fmt_s(min(seconds[fork]))} |"
            for fork in (True, False)]


def main() -> None:
    args = options()
    writers = {"xlsxwriter (excel.py)": excel}
    if args.old is not None:
        writers[f"older ({args.old.name})"] = old_writer(args.old)
    info = machine()
    print(", ".join(f"{k}: {v}" for k, v in info.items()))
    print(f"load average before: {os.getloadavg()}\n")
    folder_lines = []
    print(HEADER, flush=True)
    for fraction in (float(f) for f in args.fractions.split(",")):
        lines, more = size_rows(fraction, writers, args)
        print("\n".join(lines), flush=True)
        folder_lines += more
    print(f"\n{FOLDER_HEADER}\n" + "\n".join(folder_lines), flush=True)
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
