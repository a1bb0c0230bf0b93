"""Size and load time of report.html (and the time to write it and plan.xlsx) for a solved plan.

    python -m benchmarks.report SCENARIO PLAN.csv [--runs 5] [--out DIR]

The plan is re-checked (planner.check_plan) and the report written as `planner solve` writes it;
the bound and timings come from the summary.json beside PLAN.csv when there is one. Then headless
chromium opens the page RUNS times: the page records `performance.now()` when its script has
finished (`data-ready-ms`: from navigation start, so parsing the 1 MB file and running the script
are inside), and the browser process's wall time is compared with that of a blank page (browser
start-up is not the report's). For the national legacy scenario: generate it with
`planner.generate.national` (the `geo` extra), solve it, and point this script at the result.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from planner import Result, Status, check_plan, load_scenario
from planner.io.plan_file import read_plan
from planner.output.excel import write_xlsx
from planner.output.html import write_html
from planner.solver.result import RunStats


def _run_stats(saved: dict[str, Any]) -> RunStats:
    """The run figures of a summary.json's `stats`, for the writers to show as `planner solve`
    does (its nested records, the LP's, the skeleton's and the repair's, stay plain dicts)."""
    names = {f.name for f in fields(RunStats)}
    return RunStats(**{k: v for k, v in saved.items() if k in names})


def _chromium(url: str, profile: Path) -> tuple[float, str]:
    """Seconds headless chromium takes to open `url` and exit, and the DOM it dumped."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        sys.exit("chromium is not installed (apt-get install -y chromium)")
    tick = time.perf_counter()
    proc = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                           "--dump-dom", url], capture_output=True, text=True, timeout=120)
    return time.perf_counter() - tick, proc.stdout


def main() -> None:
    """Write the report of a solved plan, open it RUNS times, print what it took."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("plan")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", help="folder for report.html and plan.xlsx [default: a temporary one]")
    args = ap.parse_args()

    scn = load_scenario(args.scenario)
    plan, problems = read_plan(args.plan, scn)
    if problems:
        sys.exit("the plan is not complete: " + "; ".join(problems[:5]))
    check = check_plan(scn, plan, scn.policy)
    summary_path = Path(args.plan).with_name("summary.json")
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    status = Status(summary.get("status", "feasible"))
    result = Result(status, check.objective, summary.get("bound"), plan, check,
                    stats=_run_stats(summary.get("stats") or {}))
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="report-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    timings = {}
    for name, write in (("report.html", write_html), ("plan.xlsx", write_xlsx)):
        wall, cpu = time.perf_counter(), time.process_time()
        write(out / name, result, scn, scn.policy)
        timings[name] = (time.perf_counter() - wall, time.process_time() - cpu, (out / name).stat().st_size)

    blank = out / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body>blank</body></html>")
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    ready, walls, blanks = [], [], []
    try:
        for _ in range(args.runs):
            wall, dom = _chromium((out / "report.html").resolve().as_uri(), profile)
            found = re.search(r'data-report="([^"]*)"[^>]*data-ready-ms="(\d+)"', dom)
            if not found or found.group(1) != "ready":
                sys.exit(f"the page did not report ready: {dom[:300]}")
            ready.append(int(found.group(2)))
            walls.append(wall)
            blanks.append(_chromium(blank.resolve().as_uri(), profile)[0])
    finally:
        shutil.rmtree(profile, ignore_errors=True)

    print(f"scenario         {scn.name}: {len(scn.posts):,} posts, {check.moved:,} moved")
    for name, (wall, cpu, size) in timings.items():
        print(f"{name:<16} {size / 1e6:.2f} MB, written in {wall:.2f} s wall ({cpu:.2f} s CPU)")
    print(f"page ready       median {statistics.median(ready)} ms after navigation start "
          f"(runs: {', '.join(map(str, ready))})")
    print(f"chromium         median {statistics.median(walls):.2f} s for the report, "
          f"{statistics.median(blanks):.2f} s for a blank page (start-up to exit)")
    print(f"load average     {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
