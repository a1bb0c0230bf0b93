"""Benchmarks with peers, side by side, on generated national scenarios (issue 3).

    python -m benchmarks.national                       # every size, every method, 30 s each
    python -m benchmarks.national --sizes 0.05,0.1,2025 --time-limit 30 --merge

(from the repository root: the children it starts are ``python -m benchmarks.national --child``
run there too, so that ``benchmarks`` and ``planner`` import from the same checkout).

Instances: the legacy country at fractions 0.05, 0.1, 0.25, 0.5 and 1.0 of its provinces, and
the 2025 country in full (``planner.generate.national``, seed 0, 2 officers per post, national policy).
Methods (``--peers``):

* ``planner``  — ``planner.solve(scenario, time_limit, workers)``, whatever it does today;
* ``naive``    — the same model rebuilt naively through CP-SAT's object API (benchmarks.peers.naive);
* ``highs``    — the same MIP in HiGHS, default options (benchmarks.peers.highs);
* ``highs_nopre`` — the same, with HiGHS's presolve off (often far faster here; not default);
* ``greedy``   — greedy heuristic (benchmarks.peers.greedy), plan checked;
* ``flow``     — min-cost-flow relaxation (benchmarks.peers.flow): upper bound, lower limit on time;
* ``scip``     — the same MIP in SCIP (benchmarks.peers.scip), one thread;
* ``timefold`` — the core rules in Timefold's constraint streams (benchmarks.peers.timefold_streams).

Each method runs in a fresh subprocess, so its peak memory (``ru_maxrss`` of that process,
taken before the plan is re-checked) is its own. The parent watches every child: one whose
resident memory passes ``--mem-limit-gib`` or whose wall time passes ``--wall-limit`` is killed
and reported as such; a peer whose estimated memory passes the limit is not started, and the
naive model stops building past the time limit. Results go to ``--json`` (every figure) and to
``--out`` (a Markdown table with the machine it ran on and the command), between the markers
``<!-- national:begin -->`` and ``<!-- national:end -->`` when the file has them.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.peers.common import PeerResult, Timeline, rel_gap
from benchmarks.peers.flow import flow_from_spec
from benchmarks.peers.greedy import greedy
from benchmarks.peers.highs import highs_from_spec
from benchmarks.peers.naive import naive_from_spec
from benchmarks.peers.scip import scip_from_spec
from benchmarks.peers.spec import ModelSpec, derive_spec
from planner import check_plan, runtime, solve
from planner.generate.national import generate
from planner.scenario import Scenario

if TYPE_CHECKING:
    from planner.solver.result import Progress

MODULE = "benchmarks.national"
"""How the children are started (``python -m``, in ROOT), and how the results say to re-run."""
ROOT = Path(__file__).resolve().parent.parent
SIZES = ["0.05", "0.1", "0.25", "0.5", "1.0", "2025"]
METHODS = ["planner", "naive", "highs", "scip", "timefold", "greedy", "flow"]
ALL_METHODS = ["planner", "naive", "highs", "highs_nopre", "scip", "timefold", "greedy", "flow"]
SPEC_METHODS = ("naive", "highs", "highs_nopre", "scip", "timefold", "flow")
"""The methods that solve the model read back as arrays (the others take the scenario)."""
LABELS = {"planner": "this planner", "naive": "naive CP-SAT", "highs": "HiGHS MIP",
          "highs_nopre": "HiGHS, presolve off", "scip": "SCIP MIP", "timefold": "Timefold",
          "greedy": "greedy", "flow": "flow bound"}
BEGIN, END = "<!-- national:begin -->", "<!-- national:end -->"
STAGE = "stage: "
"""A child's line that says which step it has begun (a killed child's row quotes the last)."""
GIB = 1024 ** 3

# Rough peak-memory models (bytes), fitted on the small sizes; used only to refuse a run
# that could not fit, never reported as measurements.
EST = {
    "naive": lambda s: 400e6 + 2200 * s["variables"] + 60 * s["nonzeros"],
    "highs": lambda s: 300e6 + 1500 * s["variables"] + 120 * s["nonzeros"],
    "highs_nopre": lambda s: 300e6 + 1500 * s["variables"] + 120 * s["nonzeros"],
    "scip": lambda s: 400e6 + 3300 * s["variables"],  # fitted on x 0.05 to x 1 (534 MiB to 11.8 GiB)
    "timefold": lambda s: 1.2e9 + 4000 * s["pairs"],
}
EST_SECONDS = {"timefold": lambda s: 15 + 0.4e-3 * s["pairs"]}
"""Rough build-time models (seconds), for the peers whose build dwarfs their solve (Timefold's
package hands the problem to Java object by object): a peer that could not have its model
within the wall limit is not started."""


def size_params(key: str) -> tuple[str, float]:
    """(structure, fraction) of the generator for a size key ("2025" or a legacy fraction)."""
    return ("2025", 1.0) if key == "2025" else ("legacy", float(key))


def size_label(key: str) -> str:
    """A size key as the table shows it."""
    return "2025 country" if key == "2025" else f"legacy x {key}"


# -- children ----------------------------------------------------------------------------------
def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _unpickle(args: argparse.Namespace, what: str) -> object:
    """The size's `what` ("scenario" or "spec") as the preparing child pickled it."""
    with open(Path(args.cache) / f"{args.size}.{what}.pkl", "rb") as f:
        return pickle.load(f)


def _scenario(args: argparse.Namespace) -> Scenario:
    return _unpickle(args, "scenario")


def _spec(args: argparse.Namespace) -> ModelSpec:
    return _unpickle(args, "spec")


def child_prepare(args: argparse.Namespace) -> dict:
    """Generate the size's scenario (and with --spec read back its model) once, for every
    method's child to load: generating is not any method's time."""
    structure, fraction = size_params(args.size)
    tick = time.perf_counter()
    gen = generate(structure, fraction=fraction, officers_per_post=2.0, seed=args.seed)
    scenario = gen.to_scenario()
    out = {"generate_seconds": time.perf_counter() - tick, "counts": gen.counts()}
    cache = Path(args.cache)
    with open(cache / f"{args.size}.scenario.pkl", "wb") as f:
        pickle.dump(scenario, f, protocol=pickle.HIGHEST_PROTOCOL)
    if args.spec:
        spec = derive_spec(scenario)
        with open(cache / f"{args.size}.spec.pkl", "wb") as f:
            pickle.dump(spec, f, protocol=pickle.HIGHEST_PROTOCOL)
        out.update(spec=spec.sizes(), prep_seconds=spec.prep_seconds, read_seconds=spec.read_seconds,
                   builder_timings=spec.info.get("builder_timings", {}))
    out["peak_bytes"] = _peak_bytes()
    return out


def child_planner(scenario: Scenario, args: argparse.Namespace) -> dict:
    """`planner.solve` on the scenario, timed from its progress hook (each improving plan with
    the bound at that moment) and, at the end, from its run statistics."""
    timeline = Timeline()

    def hook(p: Progress) -> None:
        if p.objective is not None:
            timeline.events.append((p.elapsed, "plan", float(p.objective)))
            if p.bound is not None:
                timeline.events.append((p.elapsed, "bound", float(p.bound)))

    tick = time.perf_counter()
    result = solve(scenario, time_limit=args.time_limit, workers=args.workers, progress=hook)
    total = time.perf_counter() - tick
    peak = _peak_bytes()
    stats = result.stats.to_json()  # the figures as summary.json has them
    build = stats.get("build_seconds")
    solve_s = stats.get("solve_seconds")
    obj, bound = result.objective, result.bound
    first = timeline.first_plan()
    if first is None and obj is not None:
        first = total - stats.get("check_seconds", 0.0)
    end = (build or 0.0) + (solve_s or total)
    return {"method": "planner", "status": result.status.value,
            "objective": obj, "bound": bound, "gap": rel_gap(obj, bound),
            "build_seconds": build, "solve_seconds": solve_s, "total_seconds": total,
            "first_plan_seconds": first,
            "gap1_seconds": timeline.time_to_gap(0.01, (end, obj, bound)),
            "valid": result.check.valid if result.check is not None else None,
            "peak_bytes": peak, "note": "",
            "extra": {k: v for k, v in stats.items() if isinstance(v, (int, float, str, bool, dict))}}


def child_greedy(scenario: Scenario) -> dict:
    """The greedy peer; its peak memory includes the check, as greedy checks its own plan."""
    res = greedy(scenario)
    out = res.to_json()
    out["peak_bytes"] = _peak_bytes()
    out["build_seconds"] = res.prep_seconds
    return out


def _solve_spec(method: str, spec: ModelSpec, args: argparse.Namespace) -> PeerResult:
    """Run one of the SPEC_METHODS on the model read back as arrays."""
    if method == "naive":
        return naive_from_spec(spec, args.time_limit, args.workers, args.seed)
    if method in ("highs", "highs_nopre"):
        options = {"presolve": "off"} if method == "highs_nopre" else {}
        res = highs_from_spec(spec, args.time_limit, args.workers, args.seed, options=options)
        res.method = method
        return res
    if method == "scip":
        return scip_from_spec(spec, args.time_limit, args.workers, args.seed)
    if method == "timefold":
        # imported here: importing it starts a Java VM, which no other method needs
        from benchmarks.peers.timefold_streams import timefold_from_spec

        return timefold_from_spec(spec, args.time_limit, args.seed,
                                  stage=lambda what: print(f"{STAGE}{what}", flush=True))
    if method == "flow":
        return flow_from_spec(spec)
    raise SystemExit(f"unknown method {method}")


def child_spec_peer(args: argparse.Namespace) -> dict:
    """A peer of SPEC_METHODS; its peak memory is taken before its plan is checked (the check
    needs the scenario, which the peer itself never holds)."""
    spec = _spec(args)
    res = _solve_spec(args.method, spec, args)
    peak = _peak_bytes()
    out = res.to_json()
    out["build_seconds"] = res.prep_seconds + res.build_seconds
    out["peak_bytes"] = peak
    if res.plan is not None:
        report = check_plan(_scenario(args), res.plan)
        out["valid"] = report.valid
        out["check_objective"] = report.objective
        if report.objective != res.objective:
            out["note"] = (out.get("note", "") + f" checker's objective {report.objective}").strip()
    return out


def child_method(args: argparse.Namespace) -> dict:
    """One method's run on one size, in this (fresh) process."""
    if args.method == "planner":
        return child_planner(_scenario(args), args)
    if args.method == "greedy":
        return child_greedy(_scenario(args))
    return child_spec_peer(args)


def run_child(argv: list[str]) -> None:
    """A child's entry (``--child METHOD``): run it and write its JSON result atomically. Every
    child, the peers' too, runs in a process tuned as the `planner` command's is
    (planner/runtime.py), so that the planner row measures what a user runs and the peers get
    the same allocator and collector."""
    runtime.for_a_run()
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", required=True)
    ap.add_argument("--size", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--spec", action="store_true")
    ap.add_argument("--result", required=True)
    args = ap.parse_args(argv)
    args.method = args.child
    out = child_prepare(args) if args.child == "prepare" else child_method(args)
    tmp = args.result + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, default=str)
    os.replace(tmp, args.result)


# -- the parent --------------------------------------------------------------------------------
def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def spawn(child: str, size: str, args: argparse.Namespace, wall_limit: float,
          extra: tuple[str, ...] = ()) -> dict:
    """Run one child; its JSON result, or a record of why there is none."""
    result = Path(args.cache) / f"{size}.{child}.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", MODULE, "--child", child, "--size", size,
           "--cache", str(args.cache), "--time-limit", str(args.time_limit),
           "--workers", str(args.workers), "--seed", str(args.seed), "--result", str(result), *extra]
    log = Path(args.cache) / f"{size}.{child}.log"
    tick = time.perf_counter()
    watched_peak, why = 0, None
    with open(log, "w") as logf:
        proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, cwd=ROOT)
        while proc.poll() is None:
            rss = _rss(proc.pid)
            watched_peak = max(watched_peak, rss)
            if rss > args.mem_limit_gib * GIB:
                why = f"killed: resident memory passed {args.mem_limit_gib:g} GiB"
            elif time.perf_counter() - tick > wall_limit:
                why = f"killed: still running after {wall_limit:.0f} s wall"
            if why:
                proc.kill()
                proc.wait()
                break
            time.sleep(0.1)
    wall = time.perf_counter() - tick
    if why is None and result.exists():
        out = json.loads(result.read_text())
        out["wall_seconds"] = wall
        return out
    tail = log.read_text()[-600:] if log.exists() else ""
    stages = [line[len(STAGE):] for line in tail.splitlines() if line.startswith(STAGE)]
    if why is not None and stages:
        why += f" while {stages[-1]}"
    if why is None:
        why = f"failed (exit {proc.returncode}): " + (tail.strip().splitlines() or ["no output"])[-1]
    return {"method": child, "status": "failed", "note": why, "wall_seconds": wall,
            "peak_bytes": watched_peak}


def machine() -> dict:
    """The machine and the solver versions, for the results' header."""
    info = {"python": platform.python_version(), "platform": platform.platform()}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for key in ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket", "Socket(s)"):
            m = re.search(rf"^{re.escape(key)}:\s*(.+)$", out, re.M)
            if m:
                info[key] = m.group(1).strip()
    except OSError:
        pass
    info["usable cpus"] = len(os.sched_getaffinity(0))
    info["java"] = java_version()
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        info["memory"] = f"{kb / 1024 ** 2:.1f} GiB"
    except (OSError, StopIteration):
        pass
    for mod, name in (("ortools", "OR-Tools"), ("highspy", "highspy"), ("PySCIPOpt", "PySCIPOpt"),
                      ("timefold", "timefold"), ("scipy", "SciPy"), ("numpy", "NumPy")):
        try:
            info[name] = version(mod)
        except PackageNotFoundError:
            info[name] = "not installed"
    return info


def java_version() -> str:
    """The first line of ``java -version`` (Timefold's runtime), or why there is none."""
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30,
                             check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "no java"
    return (out.stderr.strip().splitlines() or ["java ?"])[0].replace('"', "")


def fmt_s(x: float | None) -> str:
    """Seconds as the table shows them (3 significant figures, "-" for none)."""
    if x is None:
        return "-"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def fmt_gap(x: float | None) -> str:
    """A relative gap as the table shows it."""
    if x is None:
        return "-"
    return "0" if x == 0 else (f"{100 * x:.3f}%" if x < 0.01 else f"{100 * x:.2f}%")


def table(results: dict, sizes: list[str], methods: list[str], time_limit: float) -> str:
    """The Markdown table of `results`: a row per size and method that ran."""
    head = ["size", "method", "posts", "officers", "pairs", "build s", "first plan s",
            "1% gap s", "objective", "proven gap", "gap to flow UB", "valid", "peak MiB", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for size in sizes:
        entry = results.get(size)
        if not entry:
            continue
        counts = entry.get("prepare", {}).get("counts", {})
        pairs = entry.get("prepare", {}).get("spec", {}).get("pairs")
        flow_ub = (entry.get("methods", {}).get("flow") or {}).get("bound")
        for method in methods:
            r = entry.get("methods", {}).get(method)
            if r is None:
                continue
            cells = [size_label(size), LABELS.get(method, method), str(counts.get("posts", "-")),
                     str(counts.get("candidates", "-")), str(pairs if pairs is not None else "-")]
            cells += _figures(method, r, flow_ub)
            cells.append(_note(method, r, pairs, time_limit).replace("|", "/"))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _figures(method: str, r: dict, flow_ub: int | None) -> list[str]:
    """A row's cells from "build s" to "peak MiB". The flow bound has a bound, not a plan:
    its "first plan" is its total time and its objective column shows the bound."""
    obj = r.get("objective")
    if method == "flow":
        shown, gap, vs = (f"<= {r.get('bound')}" if r.get("bound") is not None else "-"), "-", "-"
    else:
        shown = str(obj) if obj is not None else "-"
        gap = fmt_gap(r.get("gap"))
        vs = fmt_gap((flow_ub - obj) / max(1, abs(obj))) if flow_ub is not None and obj is not None else "-"
    valid = {True: "yes", False: "NO", None: "-"}[r.get("valid")]
    peak = r.get("peak_bytes")
    first = r.get("total_seconds") if method == "flow" else r.get("first_plan_seconds")
    return [fmt_s(r.get("build_seconds")), fmt_s(first), fmt_s(r.get("gap1_seconds")),
            shown, gap, vs, valid, f"{peak / 2 ** 20:.0f}" if peak else "-"]


def _note(method: str, r: dict, pairs: int | None, time_limit: float) -> str:
    """A row's note: the method's own, the planner's shortlist, or the status in words."""
    note = r.get("note", "") or ""
    model = (r.get("extra") or {}).get("model") or {}
    if method == "planner" and model.get("pairs") is not None and pairs is not None \
            and model["pairs"] != pairs:
        note = (note + f" solved on {model['pairs']} of the pairs").strip()
    if "still running" in note:
        note += f" (time limit {time_limit:g} s not honoured)"
    if r.get("status") in ("unknown",) and not note:
        note = f"no plan in {time_limit:g} s"
    if r.get("status") == "optimal" and not note:
        note = "optimal"
    return note


def markdown(results: dict, sizes: list[str], methods: list[str], args: argparse.Namespace,
             mach: dict,
             command: str, loads: list, measured: str | None = None) -> str:
    """The results section of docs/benchmarks.md, between the markers: when, on what, how to
    reproduce, and the table."""
    cpu = mach.get("Model name", "?")
    cores = mach.get("Core(s) per socket", "?")
    lines = [BEGIN, "",
             f"Measured {measured or time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, time limit "
             f"{args.time_limit:g} s, {args.workers} workers, seed {args.seed}.", "",
             f"Machine: {cpu}; {mach.get('usable cpus')} usable CPUs ({cores} cores per socket, "
             f"{mach.get('Thread(s) per core', '?')} threads per core), {mach.get('memory', '?')}; "
             f"Python {mach['python']}, OR-Tools {mach['OR-Tools']}, highspy {mach['highspy']}, "
             f"PySCIPOpt {mach.get('PySCIPOpt', '?')}, timefold {mach.get('timefold', '?')} "
             f"({mach.get('java', '?')}), SciPy {mach['SciPy']}, NumPy {mach['NumPy']}. "
             "Load average (1 min) before/after the runs: "
             + (", ".join(f"{a:.1f}" for a in loads) or "?")
             + (" — other work shared the CPUs, so times are inflated" if loads and
                max(loads) > 1.5 * (mach.get("usable cpus") or 1) else "") + ".", "",
             "Reproduce:", "", "```", command, "```", "",
             table(results, sizes, methods, args.time_limit), "", END]
    return "\n".join(lines)


def write_markdown(path: Path, section: str) -> None:
    """Put `section` between the markers of `path` (appended, or a new file, when it has none)."""
    if path.exists():
        text = path.read_text()
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END):]
            path.write_text(text)
            return
        path.write_text(text.rstrip() + "\n\n## National benchmarks\n\n" + section + "\n")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Benchmarks\n\n## National benchmarks\n\n" + section + "\n")


def parser() -> argparse.ArgumentParser:
    """The command line of a benchmark run (the children have their own, in `run_child`)."""
    ap = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=",".join(SIZES),
                    help=f"comma-separated: legacy fractions and/or 2025 (default {','.join(SIZES)})")
    ap.add_argument("--peers", default=",".join(METHODS),
                    help=f"comma-separated methods among {','.join(ALL_METHODS)} "
                         f"(default {','.join(METHODS)})")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mem-limit-gib", type=float, default=12.0,
                    help="kill (or do not start) a method past this resident memory")
    ap.add_argument("--wall-limit", type=float, default=None,
                    help="kill a method after this many wall seconds (default 3 x limit + 120)")
    ap.add_argument("--cache", default=None, help="folder for instances and logs (default: temp)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "results" / "national.json"))
    ap.add_argument("--merge", action="store_true",
                    help="keep earlier results of sizes/methods not run now (from --json)")
    ap.add_argument("--render", action="store_true",
                    help="run nothing: rewrite --out from the results in --json")
    return ap


def main(argv: list[str]) -> None:
    """Run the sizes and methods asked for, each in its own process; write --json and --out."""
    ap = parser()
    args = ap.parse_args(argv)
    if args.render:
        stored = json.loads(Path(args.json).read_text())
        render(stored, args)
        return
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    methods = [m.strip() for m in args.peers.split(",") if m.strip()]
    for s in sizes:
        if s != "2025":
            float(s)
    bad = [m for m in methods if m not in ALL_METHODS]
    if bad:
        ap.error(f"unknown method(s) {bad}; choose among {ALL_METHODS}")
    args.cache = Path(args.cache or tempfile.mkdtemp(prefix="planner-bench-"))
    args.cache.mkdir(parents=True, exist_ok=True)

    json_path = Path(args.json)
    earlier = json.loads(json_path.read_text()) if args.merge and json_path.exists() else {}
    results: dict = earlier.get("results", {})
    loads = [os.getloadavg()[0]]
    for size in sizes:
        run_size(size, methods, args, results)
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps({"machine": machine(), "results": results}, indent=1,
                                        default=str))
    loads.append(os.getloadavg()[0])

    measured = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    stored = {"machine": machine(), "command": merged_command(earlier, reproduce_command(argv), measured),
              "loads": loads, "time_limit": args.time_limit, "workers": args.workers,
              "seed": args.seed, "measured": measured, "results": results}
    json_path.write_text(json.dumps(stored, indent=1, default=str))
    render(stored, args)
    print(f"wrote {args.out} and {json_path}; instances and logs in {args.cache}")


def run_size(size: str, methods: list[str], args: argparse.Namespace, results: dict) -> None:
    """Prepare one size, then run each method on it in turn; into `results[size]`."""
    wall_limit = args.wall_limit or 3 * args.time_limit + 120
    needs_spec = any(m in methods for m in SPEC_METHODS)
    print(f"== {size_label(size)}: preparing", flush=True)
    prep = spawn("prepare", size, args, wall_limit=1800, extra=("--spec",) if needs_spec else ())
    if prep.get("status") == "failed":
        print(f"   preparation failed: {prep['note']}", flush=True)
        results[size] = {"prepare": prep, "methods": {}}
        return
    entry = results.setdefault(size, {"methods": {}})
    if "spec" not in prep and "spec" in entry.get("prepare", {}):
        prep["spec"] = entry["prepare"]["spec"]  # same generator seed: the same instance
    entry["prepare"] = prep
    entry.setdefault("methods", {})
    c = prep["counts"]
    print(f"   {c['posts']} posts, {c['candidates']} officers, "
          f"{prep.get('spec', {}).get('pairs', '?')} pairs; generated in "
          f"{prep['generate_seconds']:.1f} s", flush=True)
    for method in methods:
        why = refusal(method, prep.get("spec"), args, wall_limit)
        out = {"method": method, "status": "skipped", "note": why} if why else \
            spawn(method, size, args, wall_limit)
        entry["methods"][method] = out
        print(f"   {LABELS[method]:<20} status={out.get('status')} obj={out.get('objective')} "
              f"bound={out.get('bound')} first={fmt_s(out.get('first_plan_seconds'))} "
              f"gap1%={fmt_s(out.get('gap1_seconds'))} peak="
              f"{(out.get('peak_bytes') or 0) / 2 ** 20:.0f} MiB {out.get('note', '')}", flush=True)


def refusal(method: str, sizes: dict | None, args: argparse.Namespace, wall_limit: float
            ) -> str | None:
    """Why `method` is not started on a model of `sizes` (None: it is): its estimated memory
    passes the limit, or its estimated build time the wall limit."""
    if sizes is None:
        return None
    memory, seconds = EST.get(method), EST_SECONDS.get(method)
    if memory and memory(sizes) > args.mem_limit_gib * GIB:
        return f"estimated {memory(sizes) / GIB:.0f} GiB > {args.mem_limit_gib:g} GiB limit"
    if seconds and seconds(sizes) > wall_limit:
        return f"estimated {seconds(sizes):.0f} s to build its model > {wall_limit:.0f} s wall limit"
    return None


def reproduce_command(argv: list[str]) -> str:
    """The command line the results say to re-run, less the flags that only say where files
    go (they do not change the figures)."""
    shown = list(argv)
    for flag in ("--cache", "--out", "--json"):
        while flag in shown and shown.index(flag) + 1 < len(shown):
            i = shown.index(flag)
            del shown[i:i + 2]
    return " ".join(["python", "-m", MODULE] + [shlex.quote(a) for a in shown])


def merged_command(earlier: dict, command: str, measured: str) -> str:
    """The commands that made the merged rows: the earlier results' command(s), then this one
    (a run without --merge, or with nothing earlier, is its own command)."""
    if not earlier.get("command"):
        return command
    return (f"{earlier['command']}\n# then, at {measured} UTC, the rows of this command again "
            f"(the others kept from {earlier.get('measured', '?')} UTC):\n{command}")


def render(stored: dict, args: argparse.Namespace) -> None:
    """Print the table of `stored` results and write it into --out."""
    results = stored["results"]
    for key in ("time_limit", "workers", "seed"):
        if key in stored:
            setattr(args, key, stored[key])
    all_sizes = [s for s in SIZES if s in results] + [s for s in results if s not in SIZES]
    all_methods = [m for m in ALL_METHODS if any(m in results[s].get("methods", {}) for s in results)]
    print()
    print(table(results, all_sizes, all_methods, args.time_limit))
    section = markdown(results, all_sizes, all_methods, args, stored["machine"],
                       stored.get("command", "?"), stored.get("loads", []),
                       stored.get("measured"))
    write_markdown(Path(args.out), section)


if __name__ == "__main__":
    if "--child" in sys.argv[1:]:
        run_child(sys.argv[1:])
    else:
        main(sys.argv[1:])
