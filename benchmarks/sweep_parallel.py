"""Benchmark: the same 20-variant sweep with 1 and with 2 parallel solves; rows must be identical.

    python -m benchmarks.sweep_parallel [--scenario scenarios/medium/scenario.yaml]
        [--vary 'non_local[unit_kind=commune].min_share=0.62:1.0:0.02'] [--time-limit 10]
        [--jobs 1,2] [--dask]

Each variant is one job of `planner sweep` (one CP-SAT thread, deterministic time limit), run
through :func:`planner.research.runner.run_batch` exactly as the command runs it: in this
process for 1 job at a time, in a process pool of N otherwise, and with ``--dask`` also on an
embedded Dask LocalCluster of the largest N. The wall time of each batch includes starting the
pool or cluster. Rows are compared without their timings (status, objective, bound, every
metric, plan hash); the benchmark fails (exit 1) when they differ, or, with ``--target``, when
the speed-up of the largest N is below the target.

Without the scenario file (scenarios/medium/ not generated yet) it builds a medium-size
synthetic scenario of its own (six provinces, ~400 posts, ~800 officers) in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

import planner
from planner.io.loader import load_scenario
from planner.research.runner import (
    SolveOptions,
    batch_jobs,
    code_hash,
    identity,
    run_batch,
    scenario_hash,
)
from planner.research.store import Store
from planner.research.variants import grid, parse_vary

MODULE = "benchmarks.sweep_parallel"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIO = ROOT / "scenarios" / "medium" / "scenario.yaml"
DEFAULT_VARY = "non_local[unit_kind=commune].min_share=0.62:1.0:0.02"


def synthetic_medium(folder: Path, seed: int = 7) -> Path:
    """A medium-size scenario: 6 provinces x 6 districts x 7 communes, two officers per post."""
    rng = random.Random(seed)
    units = [{"id": "MIN", "name": "Ministry", "kind": "ministry", "lat": 21.03, "lon": 105.84}]
    posts, cands = [], []
    units += [{"id": f"MIN-{d}", "name": f"Department {d}", "kind": "ministry", "parent": "MIN"}
              for d in range(6)]
    posts += [{"id": f"MIN-{d}-HEAD", "unit": f"MIN-{d}", "role": "department_head"} for d in range(6)]
    communes = []
    for p in range(6):
        plat, plon = 21 + p * 0.5, 104 + p * 0.4
        pid = f"P{p}"
        units.append({"id": pid, "name": pid, "kind": "province", "lat": plat, "lon": plon})
        posts.append({"id": f"{pid}-DIR", "unit": pid, "role": "director", "priority": 3})
        posts += [{"id": f"{pid}-DEP{k}", "unit": pid, "role": "deputy_director", "priority": 2}
                  for k in range(3)]
        for d in range(6):
            did = f"{pid}-D{d}"
            units.append({"id": did, "name": did, "kind": "district", "parent": pid,
                          "lat": round(plat + rng.uniform(-0.3, 0.3), 3),
                          "lon": round(plon + rng.uniform(-0.3, 0.3), 3), "difficult": d == 0})
            posts.append({"id": f"{did}-CH", "unit": did, "role": "chief", "priority": 2})
            for c in range(7):
                cid = f"{did}-C{c}"
                units.append({"id": cid, "name": cid, "kind": "commune", "parent": did})
                posts.append({"id": f"{cid}-CH", "unit": cid, "role": "chief"})
                communes.append((pid, cid))
    by_unit = {u["id"]: u for u in units}

    def province_of(uid: str) -> str:
        while by_unit[uid]["kind"] != "province":
            uid = by_unit[uid]["parent"]
        return uid

    n = 0
    for post in posts:
        for k in range(2):
            n += 1
            unit = post["unit"]
            if by_unit[unit]["kind"] == "ministry" or (post["role"] != "chief" and k == 1):
                serves = "MIN-0" if by_unit[unit]["kind"] == "ministry" else "MIN-1"
                home = rng.choice(communes)[1]
            else:
                prov = province_of(unit)
                home = rng.choice([c for p, c in communes if p == prov])
                serves = unit
            cand = {"id": f"c{n}", "name": f"Officer {n}", "home": home, "serves_at": serves,
                    "birth_year": rng.randint(1966, 1992),
                    "gender": "female" if rng.random() < 0.25 else "male",
                    "education": rng.choice(["university", "university", "master"]),
                    "political_theory": rng.choice(["intermediate", "advanced"]),
                    "rating": rng.choice(["good", "good", "excellent", "completed"]),
                    "merit": rng.randint(40, 95), "served_local": True}
            if k == 0:
                cand.update(current_post=post["id"], consecutive_terms=rng.choice([1, 1, 2, 3]))
            cands.append(cand)
    policy = {"name": "national", "rules": [
        {"rule": "non_local", "unit_kind": "province", "roles": ["director"], "min_share": 0.97},
        {"rule": "non_local", "unit_kind": "district", "roles": ["chief"]},
        {"rule": "non_local", "unit_kind": "commune", "roles": ["chief"], "min_share": 0.9},
        {"rule": "term_limit", "max_consecutive_terms": 2},
        {"rule": "ministry_quota", "roles": ["director", "deputy_director"],
         "min_share_of_units": 0.95},
        {"rule": "gender_balance", "roles": ["director", "deputy_director"], "min_share": 0.1,
         "hard": False, "weight": 50},
    ], "weights": {"merit": 1, "move": 5, "distance": 1, "vacancy": 1000}}
    data = {"name": "synthetic-medium", "term_start": 2026, "units": units, "posts": posts,
            "candidates": cands, "policy": policy}
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


Run = tuple[int, str | None, float, dict[str, dict[str, Any]], float]
"""One batch: (parallel solves, Dask scheduler or None, wall seconds, rows by key without
their timings, CPU seconds of the solves)."""


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    ap.add_argument("--vary", default=DEFAULT_VARY)
    ap.add_argument("--time-limit", type=float, default=10.0,
                    help="per solve, CP-SAT deterministic units [10]")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", default="1,2", help="parallel solves to compare [1,2]")
    ap.add_argument("--dask", action="store_true", help="also run on a Dask LocalCluster")
    ap.add_argument("--target", type=float, default=None,
                    help="fail when the speed-up of the largest --jobs is below this")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="run the planner's code where it is (default: a private copy, so that "
                         "edits made while the benchmark runs do not reach its later workers)")
    return ap.parse_args()


def rerun_on_a_snapshot() -> None:
    """Copy the planner's code to a private folder and re-run this benchmark on that copy
    (this process is replaced). `PYTHONSAFEPATH` keeps the working directory, where the
    checkout's own `planner/` sits, off the front of `sys.path`, so the copy is what this
    process, its process pool and its Dask workers import; `benchmarks` is still found in ROOT."""
    code = Path(tempfile.mkdtemp(prefix="sweep-bench-code-"))
    shutil.copytree(Path(planner.__file__).parent, code / "planner",
                    ignore=shutil.ignore_patterns("__pycache__"))
    path = os.pathsep.join([str(code), str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, SWEEP_BENCH_SNAPSHOT=str(code), PYTHONSAFEPATH="1", PYTHONPATH=path)
    os.execve(sys.executable, [sys.executable, "-m", MODULE, *sys.argv[1:]], env)


def private_scenario(path: Path, tmp: Path) -> Path:
    """A copy of the scenario's folder in `tmp` (the runs must not see the file change under
    them), or a synthetic medium scenario there when `path` does not exist."""
    if not path.is_file():
        print(f"{path} not found: generating a synthetic medium-size scenario", file=sys.stderr)
        return synthetic_medium(tmp)
    shutil.copytree(path.parent, tmp / "scenario")
    return tmp / "scenario" / path.name


def run_all(jobs: list[dict[str, Any]], runs: list[tuple[int, str | None]], tmp: Path) -> list[Run]:
    """Each batch of `runs` on the same jobs, each into its own store."""
    results = []
    for n, scheduler in runs:
        store = Store(tmp / f"results-{n}-{scheduler or 'pool'}.sqlite")
        t0 = time.perf_counter()
        outcome = run_batch(jobs, store, parallel=n, scheduler=scheduler)
        wall = time.perf_counter() - t0
        stored = store.rows(outcome.keys)
        rows = {r["key"]: identity(r) for r in stored}
        cpu = sum(r.get("cpu_seconds") or 0 for r in stored)
        statuses: dict[str, int] = {}
        for r in rows.values():
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        results.append((n, scheduler, wall, rows, cpu))
        print(f"  {n} worker(s){' on Dask' if scheduler else ''}: {wall:.1f} s wall, "
              f"{cpu:.1f} CPU s in the solves  {statuses}", flush=True)
    return results


def print_table(results: list[Run], n_jobs: int) -> bool:
    """The Markdown table of the batches against the first; whether every batch's rows are
    identical to the first's."""
    base_wall = results[0][2]
    reference = results[0][3]
    print()
    print("| variants | workers | executor | wall seconds | speed-up | CPU seconds of the solves "
          "| cores busy (CPU / wall) | rows identical |")
    print("|---:|---:|:---|---:|---:|---:|---:|:---|")
    ok = True
    for n, scheduler, wall, rows, cpu in results:
        same = rows == reference
        ok &= same
        executor = "Dask LocalCluster" if scheduler else ("in process" if n == 1 else "process pool")
        print(f"| {n_jobs} | {n} | {executor} | {wall:.1f} | {base_wall / wall:.2f}x | "
              f"{cpu:.1f} | {cpu / wall:.2f} | {'yes' if same else 'NO'} |")
    objs = [r["objective"] for r in reference.values()]
    print(f"\nobjectives (first run, in variant order): {objs}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return ok


def main() -> int:
    """Run the sweep once per --jobs value (and on Dask); 1 when the rows differ or the
    speed-up misses --target."""
    args = parse_args()
    if not args.no_snapshot and "SWEEP_BENCH_SNAPSHOT" not in os.environ:
        rerun_on_a_snapshot()

    tmp = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    path = private_scenario(args.scenario, tmp)
    scn = load_scenario(path)
    variants = grid(scn.policy, [parse_vary(args.vary)])
    options = SolveOptions(time_limit=args.time_limit, seed=args.seed, workers=1,
                           deterministic=True)
    jobs = batch_jobs("sweep", [(str(path), scn, scenario_hash(scn))], lambda _: variants, options)
    print(f"planner code {code_hash()} from {Path(planner.__file__).parent}")
    print(f"scenario {path} ({len(scn.posts)} posts, {len(scn.candidates)} candidates); "
          f"{len(jobs)} variants of {args.vary}; time limit {args.time_limit} (deterministic), "
          f"1 CP-SAT thread per solve; {os.cpu_count()} CPUs; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    runs: list[tuple[int, str | None]] = [(int(j), None) for j in args.jobs.split(",")]
    if args.dask:
        runs.append((max(n for n, _ in runs), "local"))
    results = run_all(jobs, runs, tmp)
    if not print_table(results, len(jobs)):
        print("FAIL: the rows differ between runs", file=sys.stderr)
        return 1
    if args.target is not None:
        best = max(results, key=lambda r: (r[0], r[1] is None))
        speed = results[0][2] / best[2]
        if speed < args.target:
            print(f"FAIL: speed-up {speed:.2f}x is below the target {args.target}x", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
