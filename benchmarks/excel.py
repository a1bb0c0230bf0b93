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
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from benchmarks.national import fmt_s, machine
from planner.generate.national import generate
from planner.output import excel
from planner.output.planrows import plan_rows
from planner.scenario import effective_policy
from planner.solver.pipeline import solve

HEADER = "| size | posts | writer | cells | seconds | MB |\n|---|---|---|---|---|---|"
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


def size_rows(fraction: float, writers: dict[str, ModuleType], args: argparse.Namespace) -> list[str]:
    """The table's rows of legacy x `fraction`: one per writer, on the same plan, each writer
    timed `--repeat` times in turn with the others (the best time: the machine is shared)."""
    scenario = generate("legacy", fraction, seed=0).to_scenario()
    policy = effective_policy(scenario)
    result = solve(scenario, policy, time_limit=args.time_limit, workers=args.workers, gap=0.01)
    rows = plan_rows(result.plan, scenario)
    seconds: dict[str, list[float]] = {name: [] for name in writers}
    data: dict[str, bytes] = {}
    for _ in range(args.repeat):
        for name, module in writers.items():
            data[name] = timed(lambda m=module: m.workbook_bytes(result, scenario, policy, rows),
                                   seconds[name])
    return [f"| legacy x {fraction:g} | {len(scenario.posts):,} | {name} | {cells(data[name]):,} | "
            f"{fmt_s(min(seconds[name]))} | {len(data[name]) / 1e6:.2f} |" for name in writers]


def main() -> None:
    args = options()
    writers = {"xlsxwriter (excel.py)": excel}
    if args.old is not None:
        writers[f"older ({args.old.name})"] = old_writer(args.old)
    info = machine()
    print(", ".join(f"{k}: {v}" for k, v in info.items()))
    print(f"load average before: {os.getloadavg()}\n")
    print(HEADER, flush=True)
    for fraction in (float(f) for f in args.fractions.split(",")):
        for line in size_rows(fraction, writers, args):
            print(line, flush=True)
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
