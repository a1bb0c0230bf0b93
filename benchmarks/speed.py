"""Issue 13's speed target, measured: `planner solve` with its default options on national
scenarios of seeds the other tables do not use, national and stricter policy.

    python -m benchmarks.speed                       # legacy seeds 11 and 3, the 2025 country
    python -m benchmarks.speed --seeds 11 --structures legacy --policies national

Each solve runs in a fresh process (`benchmarks.growth.measured_solve`: wall time of the whole
command, reports written, and the process's own peak memory); the stages come from its
summary.json. The target: a verified plan with a proven gap <= 0.1% in <= 10 s wall and
<= 2 GiB on the legacy country, <= 3 s on the 2025 country. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks.growth import ROOT, measured_solve, planner_cmd
from benchmarks.national import GIB, fmt_gap, machine
from planner.solver.search import CLI_GAP

POLICIES = {"national": None, "stricter": ROOT / "benchmarks" / "policies" / "stricter.yaml"}
"""The generated scenario's own policy.yaml, and issue 13's stricter one."""
STAGES = ("pairs_seconds", "shortlist_seconds", "relaxation_seconds", "build_seconds",
          "solve_seconds")


def generated(structure: str, seed: int, cache: Path) -> Path:
    """The whole country of `structure` and `seed`, generated into `cache` once."""
    folder = cache / f"{structure}-seed{seed}"
    if not (folder / "scenario.yaml").exists():
        subprocess.run(planner_cmd("generate", str(folder), "--structure", structure,
                                   "--seed", str(seed)),
                       check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return folder / "scenario.yaml"


def one(scenario: Path, policy: str, args: argparse.Namespace) -> dict:
    """One default-options solve of `scenario` under `policy`, with its stages."""
    path = POLICIES[policy] or scenario.parent / "policy.yaml"
    out = Path(args.cache) / "runs" / f"{scenario.parent.name}-{policy}"
    out.parent.mkdir(parents=True, exist_ok=True)
    row = measured_solve(scenario, out, args, ("--policy", str(path)))
    summary = out / "summary.json"
    stats = json.loads(summary.read_text()).get("stats", {}) if summary.exists() else {}
    row.update({k: stats.get(k) for k in STAGES}, lp_rounds=(stats.get("lp") or {}).get("rounds"),
               name=scenario.parent.name, policy=policy)
    return row


def markdown(rows: list[dict]) -> str:
    head = ("| scenario | policy | wall s | peak GiB | objective | bound | gap | pairs s | "
            "shortlist s | LP s (rounds) | build s | search s | verified |")
    lines = [head, "|" + "---|" * 13]
    for r in rows:
        lp = f"{r['relaxation_seconds']} ({r['lp_rounds']})" if r.get("relaxation_seconds") else "-"
        lines.append(f"| {r['name']} | {r['policy']} | {r['wall_seconds']:.1f} | "
                     f"{r['peak_bytes'] / GIB:.2f} | {r.get('objective')} | {r.get('bound')} | "
                     f"{fmt_gap(r.get('gap'))} | {r.get('pairs_seconds')} | "
                     f"{r.get('shortlist_seconds')} | {lp} | {r.get('build_seconds')} | "
                     f"{r.get('solve_seconds')} | {r.get('verified')} |")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", default="11,3", help="legacy seeds (not the tables' 0 or 5)")
    p.add_argument("--structures", default="legacy,2025")
    p.add_argument("--policies", default="national,stricter")
    p.add_argument("--cache", default="/tmp/planner-speed", help="generated scenarios and runs")
    p.add_argument("--time-limit", type=float, default=60.0, help="planner solve's default")
    p.add_argument("--gap", type=float, default=CLI_GAP, help="planner solve's default")
    p.add_argument("--mem-limit-gib", type=float, default=12.0)
    return p


def main(argv: list[str]) -> None:
    args = parser().parse_args(argv)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    rows = []
    for structure in args.structures.split(","):
        for seed in (args.seeds.split(",") if structure == "legacy" else args.seeds.split(",")[:1]):
            scenario = generated(structure, int(seed), cache)
            for policy in args.policies.split(","):
                rows.append(one(scenario, policy, args))
                print(markdown(rows[-1:]).splitlines()[-1], flush=True)
    print("\nMachine: " + ", ".join(f"{k} {v}" for k, v in machine().items()) +
          f"\n\n{markdown(rows)}")


if __name__ == "__main__":
    main(sys.argv[1:])
