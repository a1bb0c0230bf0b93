"""How cost grows: wall time and peak memory of `planner solve` against size and rules (issue 13).

    python -m benchmarks.growth                      # every size, then the rules at x 0.25
    python -m benchmarks.growth --sizes 0.05,0.1 --no-rules --merge
    python -m benchmarks.growth --render             # the table again, from --json

(from the repository root). Sizes are the legacy country at a fraction of its provinces
(``0.25``: ``planner generate --fraction 0.25``) or several whole countries side by side
(``x2``: ``--countries 2``), all with ``--seed 5`` (a seed neither the benchmark tables, seed 0,
nor the speed targets, seeds 3 and 11, use). Each solve is ``planner solve SCENARIO --gap 0.001
--time-limit 300`` with every other option at its default (reports included), in a fresh
subprocess: its wall time is the command's, its peak memory the child's own ``ru_maxrss``
(``os.wait4``). The rules series solves the ``--rules-size`` scenario with the national policy's
first k rules, k = 0 ... 8. The table gives the exponent of the least-squares fit of log wall
time and log peak memory against log posts, and beside each measured peak the estimate of
:mod:`planner.solver.memory` (what `planner solve` refuses on).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from benchmarks.national import GIB, _rss, fmt_gap, fmt_s, machine
from planner.generate.policy import national_policy
from planner.io.loader import load_scenario
from planner.model.horizon import index
from planner.model.pairs import pair_table
from planner.scenario import effective_policy
from planner.solver.memory import scenario_estimate

ROOT = Path(__file__).resolve().parent.parent
SIZES = ["0.05", "0.1", "0.25", "0.5", "1", "x2", "x4"]
SEED = 5
MIB = 1024 ** 2


def size_args(key: str) -> list[str]:
    """`planner generate` options of a size key: ``0.25`` a fraction, ``x4`` four countries."""
    if key.startswith("x"):
        return ["--countries", key[1:]]
    return ["--fraction", key]


def size_label(key: str) -> str:
    """A size key as the table shows it: legacy x 0.25, legacy x 4 (four countries)."""
    return f"legacy x {key[1:]} ({key[1:]} countries)" if key.startswith("x") else f"legacy x {key}"


def planner_cmd(*args: str) -> list[str]:
    """The `planner` command of this checkout's interpreter."""
    return [sys.executable, "-m", "planner", *args]


def generated(key: str, cache: Path, seed: int) -> Path:
    """The scenario of size `key` (generated into `cache` once): its scenario.yaml."""
    folder = cache / f"legacy-{key}-seed{seed}"
    if not (folder / "scenario.yaml").exists():
        subprocess.run(planner_cmd("generate", str(folder), "--seed", str(seed), *size_args(key)),
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return folder / "scenario.yaml"


def _waited(proc: subprocess.Popen, limit_bytes: float) -> tuple[int, int, str | None]:
    """Wait for `proc`, killing it once its resident memory passes `limit_bytes` (so that a
    size past the machine never brings the kernel's out-of-memory killer onto other work):
    (exit status, its own peak ru_maxrss in bytes, why it was killed or None)."""
    why = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, why
        if why is None and _rss(proc.pid) > limit_bytes:
            why = f"killed: resident memory passed {limit_bytes / GIB:g} GiB"
            proc.kill()
        time.sleep(0.1)


def measured_solve(scenario: Path, out: Path, args: argparse.Namespace,
                   extra: tuple[str, ...] = ()) -> dict:
    """One `planner solve` in a fresh process: wall, its own peak memory, exit status, and the
    figures of its summary.json."""
    cmd = planner_cmd("solve", str(scenario), "-o", str(out), "-q", "--gap", str(args.gap),
                      "--time-limit", str(args.time_limit), *extra)
    tick = time.perf_counter()
    with open(out.parent / f"{out.name}.log", "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        code, peak, why = _waited(proc, args.mem_limit_gib * GIB)
    row = {"scenario": str(scenario), "policy": extra[1] if extra else None,
           "wall_seconds": time.perf_counter() - tick, "peak_bytes": peak, "exit": code,
           "note": why or ""}
    summary = out / "summary.json"
    if why is None and summary.exists():
        s = json.loads(summary.read_text())
        row.update({k: s.get(k) for k in ("status", "posts", "candidates", "objective", "bound",
                                          "gap", "verified")})
        row["pairs"] = s.get("stats", {}).get("model", {}).get("pairs")
    return row


def child_estimate(path: str, policy: str | None) -> dict:
    """In a child: :func:`planner.solver.memory.scenario_estimate` of the scenario, how long it
    took, and the exact number of eligible pairs (the pair table, as the solve builds it)."""
    tick = time.perf_counter()
    out = scenario_estimate(path, policy)
    out["seconds"] = time.perf_counter() - tick
    scn = load_scenario(path, policy=policy) if policy else load_scenario(path)
    out["eligible_pairs"] = len(pair_table(index(scn), effective_policy(scn)))
    return out


def estimated(scenario: Path, policy: str | None = None) -> dict:
    """:func:`child_estimate` in a child (so the parent never holds a whole scenario)."""
    code = ("import json, sys; from benchmarks.growth import child_estimate; "
            "print(json.dumps(child_estimate(sys.argv[1], sys.argv[2] or None)))")
    out = subprocess.run([sys.executable, "-c", code, str(scenario), str(policy or "")],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def rules_policies(folder: Path) -> list[Path]:
    """The national policy with its first k rules, k = 0 ... all, written beside the scenario."""
    full = national_policy()
    paths = []
    for k in range(len(full["rules"]) + 1):
        path = folder / f"policy-rules-{k}.yaml"
        path.write_text(yaml.safe_dump({**full, "name": f"national-first-{k}",
                                        "rules": full["rules"][:k]}, sort_keys=False))
        paths.append(path)
    return paths


def run_sizes(args: argparse.Namespace, stored: dict) -> None:
    """Measure every size of --sizes, saving after each."""
    for key in args.sizes.split(","):
        scenario = generated(key, args.cache, args.seed)
        row = measured_solve(scenario, args.cache / f"out-{key}", args)
        row["key"] = key
        stored["sizes"][key] = row
        save(args.json, stored)
        print(f"{key}: {fmt_s(row['wall_seconds'])} s, {row['peak_bytes'] / MIB:.0f} MiB",
              flush=True)


def run_rules(args: argparse.Namespace, stored: dict) -> None:
    """Measure the --rules-size scenario under the national policy's first k rules."""
    scenario = generated(args.rules_size, args.cache, args.seed)
    for k, policy in enumerate(rules_policies(scenario.parent)):
        row = measured_solve(scenario, args.cache / f"out-rules-{k}", args,
                             ("--policy", str(policy)))
        row["rules"] = k
        stored["rules"][str(k)] = row
        save(args.json, stored)
        print(f"{k} rules: {fmt_s(row['wall_seconds'])} s, {row['peak_bytes'] / MIB:.0f} MiB",
              flush=True)


def save(path: Path, stored: dict) -> None:
    """Write the results (every figure) to `path`, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(stored, indent=1, default=str))
    os.replace(tmp, path)


def exponent(rows: list[dict], field: str) -> float | None:
    """The slope of the least-squares line of log `field` against log posts (None: < 2 rows)."""
    pts = [(r["posts"], r[field]) for r in rows if r.get("posts") and r.get(field)]
    if len(pts) < 2:
        return None
    x, y = np.log([p for p, _ in pts]), np.log([v for _, v in pts])
    return float(np.polyfit(x, y, 1)[0])


def _count(x: float | None) -> str:
    """A count with thousands separators, "-" for none."""
    return "-" if x is None else f"{x:,.0f}"


def _cells(r: dict) -> list[str]:
    """The figures of one measured solve, as the table shows them."""
    est = r.get("estimate", {})
    mib = est.get("peak_bytes") and est["peak_bytes"] / MIB
    return [_count(r.get("posts") or est.get("posts")),
            _count(r.get("candidates") or est.get("officers")),
            _count(est.get("eligible_pairs")), _count(est.get("pairs")), _count(r.get("pairs")),
            fmt_s(r["wall_seconds"]), _count(r["peak_bytes"] / MIB), _count(mib),
            _count(r.get("objective")), _count(r.get("bound")), fmt_gap(r.get("gap")),
            r.get("note") or r.get("status") or f"exit {r['exit']}"]


HEAD = ["posts", "officers", "eligible pairs", "pair bound", "model pairs", "wall s",
        "peak MiB", "estimate MiB", "objective", "bound", "gap", "status"]


def memory_fit(rows: list[dict]) -> str:
    """The least-squares line peak = base + a * officers + b * pair bound over `rows` (what
    :mod:`planner.solver.memory`'s constants were rounded from)."""
    pts = [(r["estimate"]["officers"], r["estimate"]["pairs"], r["peak_bytes"]) for r in rows
           if r.get("estimate") and not r.get("note")]
    if len(pts) < 3:
        return ""
    a = np.array([[1.0, o, p] for o, p, _ in pts])
    base, per_officer, per_pair = np.linalg.lstsq(a, np.array([m for *_, m in pts]), rcond=None)[0]
    return (f"Least-squares fit of the peak over these {len(pts)} runs: {base / MIB:,.0f} MiB + "
            f"{per_officer / 1024:,.1f} KiB per officer + {per_pair:,.0f} B per pair bound.")


def markdown(stored: dict) -> str:
    """The size table, the fitted exponents, the rules table and the machine."""
    sizes = [stored["sizes"][k] for k in SIZES if k in stored["sizes"]]
    sizes += [r for k, r in stored["sizes"].items() if k not in SIZES]
    lines = ["| size | " + " | ".join(HEAD) + " |", "|" + "---|" * (len(HEAD) + 1)]
    lines += [f"| {size_label(r['key'])} | " + " | ".join(_cells(r)) + " |" for r in sizes]
    wall, mem = exponent(sizes, "wall_seconds"), exponent(sizes, "peak_bytes")
    lines += ["", f"Fitted growth (least squares of log against log posts, {len(sizes)} sizes): "
              f"wall time ~ posts^{wall:.2f}, peak memory ~ posts^{mem:.2f}."
              if wall is not None and mem is not None else ""]
    if stored["rules"]:
        lines += ["", "| rules | " + " | ".join(HEAD) + " |", "|" + "---|" * (len(HEAD) + 1)]
        lines += [f"| {k} | " + " | ".join(_cells(r)) + " |"
                  for k, r in sorted(stored["rules"].items(), key=lambda kv: int(kv[0]))]
    lines += ["", memory_fit([*sizes, *stored["rules"].values()])]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in stored["machine"].items())]
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(SIZES))
    p.add_argument("--rules-size", default="0.25")
    p.add_argument("--no-rules", action="store_true", help="Skip the rules series.")
    p.add_argument("--no-sizes", action="store_true", help="Skip the sizes series.")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--gap", type=float, default=0.001)
    p.add_argument("--time-limit", type=float, default=300.0)
    p.add_argument("--mem-limit-gib", type=float, default=14.0,
                   help="Kill a solve whose resident memory passes this (reported as such).")
    p.add_argument("--cache", type=Path, default=Path("/tmp/growth"))
    p.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/growth.json")
    p.add_argument("--merge", action="store_true", help="Keep the stored rows not re-run.")
    p.add_argument("--render", action="store_true", help="Only print the table of --json.")
    return p


def main(argv: list[str]) -> None:
    """Measure (or with --render only print) and print the Markdown tables."""
    args = parser().parse_args(argv)
    keep = args.merge or args.render
    stored = json.loads(args.json.read_text()) if keep and args.json.exists() else \
        {"sizes": {}, "rules": {}}
    if not args.render:
        args.cache.mkdir(parents=True, exist_ok=True)
        stored["machine"] = {**machine(), "load before": os.getloadavg()}
        if not args.no_sizes:
            run_sizes(args, stored)
        if not args.no_rules:
            run_rules(args, stored)
        stored["machine"]["load after"] = os.getloadavg()
    for row in [*stored["sizes"].values(), *stored["rules"].values()]:
        if Path(row["scenario"]).exists():
            row["estimate"] = estimated(Path(row["scenario"]), row["policy"])
    save(args.json, stored)
    print(markdown(stored))


if __name__ == "__main__":
    main(sys.argv[1:])
