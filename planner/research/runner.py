"""Batches of solves: jobs run in a local process pool or on a Dask cluster, rows stored at once.

A **job** is a plain dict: the scenario's path, the policy as a dict, the solve options, and
the hashes that make its **key**. The worker that runs it loads the scenario itself (once per
process), solves with one CP-SAT thread in deterministic mode, and returns a plain dict
**row**: status, objective, bound, gap, the metrics of :mod:`planner.research.metrics`, and
what reproduces the run (hashes of the scenario and the policy, planner and OR-Tools versions,
seed, CP-SAT workers, time limit). The process that runs the batch stores each row as soon as
it arrives, so an interrupted batch loses nothing and ``--resume`` skips stored keys.

The key hashes the scenario's content (every table, not its file bytes: the same data from
YAML or CSV is the same scenario), the policy's rules and weights, the row's label and the
solve options. It is the same whichever executor ran the job, so rows from a local pool and
from a Dask cluster can be compared key by key.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import platform
import signal
import socket
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from planner import runtime
from planner.io.loader import load_scenario
from planner.research.metrics import EMPTY, YOUNG_AGE, horizon_metrics, plan_metrics
from planner.research.store import Store
from planner.research.variants import Variant
from planner.scenario import Policy, Scenario, effective_policy
from planner.solver.memory import GIB, available_bytes, check_fits, pair_bound
from planner.solver.pipeline import Prepared, eligibility_key, solve_myopic
from planner.solver.pipeline import solve as _solve
from planner.solver.result import Result

TIMING_FIELDS = frozenset({"started_at", "finished_at", "wall_seconds", "cpu_seconds",
                           "solve_seconds", "build_seconds", "host", "pid"})
"""Fields of a row that depend on the machine and the moment, not on the inputs."""


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 30.0
    """CP-SAT's deterministic time limit (roughly seconds)."""
    seed: int = 0
    workers: int = 1
    """CP-SAT search workers inside each solve (1: reproducible, and the batch is the parallelism)."""
    deterministic: bool = True
    gap: float = 0.0
    """Stop a solve once its plan is within this fraction of the valid bound (0: until proven
    optimal, so that prices compare optima; 0.0001 as `planner solve`'s default)."""


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8")


def _digest(data: Any) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


def scenario_hash(scenario: Scenario) -> str:
    """Hash of the scenario's content, its own policy left out (a batch gives the policy)."""
    return _digest(scenario.model_dump(mode="json", exclude={"policy"}))


def policy_dict(policy: Policy) -> dict[str, Any]:
    return policy.model_dump(mode="json")


def policy_hash(policy: Policy) -> str:
    """Hash of what the policy asks (its rules and weights; not its name or description)."""
    data = policy_dict(policy)
    return _digest({"rules": data["rules"], "weights": data["weights"]})


_CODE_HASH: str | None = None


def code_hash() -> str:
    """Hash of the planner's own source files (every .py of the package), once per process.

    The version number does not change with every edit of a working tree: this does. Rows
    carry it, keys include it, and a worker whose code differs from the batch's refuses the job.
    """
    global _CODE_HASH
    if _CODE_HASH is None:
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
        _CODE_HASH = h.hexdigest()[:16]
    return _CODE_HASH


def versions() -> dict[str, str]:
    out = {}
    for key, dist in (("planner_version", "rotation-planner"), ("ortools_version", "ortools")):
        try:
            out[key] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[key] = "unknown"
    return out


def make_job(command: str, scenario_path: str | Path, scenario: Scenario, variant: Variant,
             options: SolveOptions, *, order: int = 0, scenario_digest: str | None = None,
             young_age: int = YOUNG_AGE) -> dict[str, Any]:
    """A job: everything a worker needs, as plain data that pickles and travels anywhere."""
    s_hash = scenario_digest or scenario_hash(scenario)
    p_hash = policy_hash(variant.policy)
    opts = asdict(options)
    key = _digest({"scenario": s_hash, "policy": p_hash, "label": variant.label,
                   "young_age": young_age, "code": code_hash(), **opts})[:24]
    return {"key": key, "command": command, "order": order,
            "scenario": str(Path(scenario_path).resolve()), "scenario_name": scenario.name,
            "scenario_hash": s_hash, "policy": policy_dict(variant.policy), "policy_hash": p_hash,
            "policy_name": variant.policy.name, "label": variant.label, "variant": variant.info,
            "options": opts, "young_age": young_age, "code_hash": code_hash()}


# -- the worker side ---------------------------------------------------------------------------

_SCENARIOS: dict[str, tuple[Prepared, str]] = {}
"""Scenarios this process has loaded, indexed, with their pair tables: path -> (prepared,
hash). A worker keeps them for the next job of the same scenario."""

SOLVE_CALLS = 0
"""Solves this process ran (tests count them)."""


def _scenario(job: dict[str, Any], policy: Policy) -> Prepared:
    """The job's scenario, prepared: loaded, parsed and indexed once per process and content."""
    path = job["scenario"]
    cached = _SCENARIOS.get(path)
    if cached is None or cached[1] != job["scenario_hash"]:
        scn = load_scenario(path, policy=policy)
        cached = (Prepared(scn), scenario_hash(scn))
        _SCENARIOS[path] = cached
    if cached[1] != job["scenario_hash"]:
        raise RuntimeError(f"{path} is not the scenario the batch was planned with (its content "
                           "changed, or this worker sees another file at that path)")
    return cached[0]


def _solve_job(job: dict[str, Any], prepared: Prepared, policy: Policy) -> Result:
    """The job's solve: planned one period at a time for a myopic variant, else on the
    prepared scenario, warm-started from the plan in `job["hint"]` when there is one."""
    opts = job["options"]
    limits = {"time_limit": opts["time_limit"], "workers": opts["workers"], "seed": opts["seed"],
              "deterministic": opts["deterministic"], "gap": opts.get("gap", 0.0)}
    if (job["variant"] or {}).get("planning") == "myopic":
        return solve_myopic(prepared.scenario, policy, **limits)
    return _solve(prepared.scenario, policy, hint=_hint(prepared.scenario, job.get("hint")),
                  prepared=prepared, **limits)


def _hint(scenario: Scenario, plan: dict[str, Any] | None) -> Any:
    """A stored plan as `solve`'s hint: one period's plan, or a horizon's year -> plan."""
    if plan is None or len(scenario.years) == 1:
        return plan
    return {int(year): p for year, p in plan.items()}


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Solve one job and return its row; any failure becomes a row with status ``error``."""
    global SOLVE_CALLS
    started = time.time()
    t0, cpu0 = time.perf_counter(), time.process_time()
    opts = job["options"]
    row: dict[str, Any] = {k: job[k] for k in (
        "key", "command", "order", "scenario", "scenario_name", "scenario_hash", "policy_name",
        "label", "policy_hash", "variant")}
    row.update(seed=opts["seed"], workers=opts["workers"], time_limit=opts["time_limit"],
               gap_limit=opts.get("gap", 0.0), deterministic=opts["deterministic"], **versions(), code_hash=job.get("code_hash"),
               host=socket.gethostname(), pid=os.getpid(),
               python_version=platform.python_version())
    try:
        if job.get("code_hash") not in (None, code_hash()):
            raise RuntimeError(f"this worker runs other planner code ({code_hash()}) than the "
                               f"batch was planned with ({job['code_hash']}): install the same "
                               "version everywhere")
        policy = Policy.model_validate(job["policy"])
        prepared = _scenario(job, policy)
        scenario = prepared.scenario
        # A variant too large for its share of the memory (dropping `mobility` can turn 4
        # million pairs into 159 million) is refused as an error row, not an OOM-killed worker.
        share = job.get("memory_share", 1)
        check_fits(scenario, policy, available_bytes() / share / GIB, prepared.instance(),
                   f"this worker's share of the memory available (1/{share})",
                   "Not solved; fewer solves at once (--jobs) give each a larger share.")
        SOLVE_CALLS += 1
        result = _solve_job(job, prepared, policy)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - one failed job must not end the batch
        row.update(status="error", error=f"{type(exc).__name__}: {exc}", objective=None,
                   bound=None, gap=None, interrupted=False, explanation=[], **EMPTY,
                   violations={}, rules={}, solve_seconds=None, build_seconds=None)
    else:
        row.update(status=result.status.value, error=None, objective=result.objective,
                   bound=result.bound,
                   gap=None if result.gap is None else round(result.gap, 6),
                   interrupted=result.interrupted,
                   explanation=list(result.explanation)[:20],
                   solve_seconds=result.stats.solve_seconds,
                   build_seconds=result.stats.build_seconds)
        if result.has_plan:
            age = job.get("young_age", YOUNG_AGE)
            row.update(plan_metrics(scenario, result.plan, result.check, young_age=age)
                       if len(scenario.years) == 1 else
                       horizon_metrics(scenario, result.plans, result.check, young_age=age))
            plan = result.plan if len(scenario.years) == 1 else \
                {str(y): p for y, p in result.plans.items()}
            row["plan_hash"] = _digest(plan)[:16]
            if job.get("keeps_plan"):
                row["plan"] = plan
        else:
            row.update(EMPTY, violations={}, rules={}, plan_hash=None)
    row["started_at"] = datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds")
    row["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    row["wall_seconds"] = round(time.perf_counter() - t0, 3)
    row["cpu_seconds"] = round(time.process_time() - cpu0, 3)
    return row


def _worker_init() -> None:
    """Pool workers leave Ctrl-C to the batch: it cancels what is queued and keeps what is done.
    Each solves scenarios of their own, as the command line does (planner/runtime.py)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    runtime.for_a_run()


def identity(row: dict[str, Any]) -> dict[str, Any]:
    """A row without the fields that depend on the machine and the moment (for comparisons)."""
    return {k: v for k, v in row.items() if k not in TIMING_FIELDS}


# -- the batch side ----------------------------------------------------------------------------

class SchedulerError(RuntimeError):
    """The Dask scheduler cannot be reached or started, or its address is not one."""


_HOST_PORT_SCHEMES = ("tcp", "tls", "ws", "wss")


def check_scheduler_address(address: str) -> None:
    """Raise SchedulerError unless `address` is 'local' or a Dask address with a port.

    Checked before anything is planned or written: Dask itself finds a malformed address only
    when it connects, as a ValueError from deep inside its event loop.
    """
    if address == "local":
        return
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    expected = "expected 'local' or SCHEME://HOST:PORT such as tcp://10.0.0.5:8786"
    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in _HOST_PORT_SCHEMES:
            host, port = parse_host_port(location)
            if not host or not 0 < int(port) < 65536:
                raise ValueError("the host is empty or the port is not from 1 to 65535")
    except (ValueError, TypeError) as exc:
        raise SchedulerError(f"--scheduler: {expected}, got {address!r} ({exc})") from None


@dataclass
class Outcome:
    """What a batch did."""

    keys: list[str]
    """Every job key of the batch, in job order."""
    solved: int = 0
    skipped: int = 0
    interrupted: bool = False
    crashed: str | None = None
    """Why the batch stopped early when a worker died (its finished runs are stored)."""
    errors: list[str] = field(default_factory=list)


def run_batch(jobs: list[dict[str, Any]], store: Store, *, parallel: int = 1,
              scheduler: str | None = None, resume: bool = False,
              on_row: Callable[[dict[str, Any], int, int], None] | None = None,
              local_cluster: dict[str, Any] | None = None,
              scheduler_timeout: float = 20.0) -> Outcome:
    """Run `jobs`, storing each row as it arrives.

    `parallel` solves at once: in this process when 1 (and no scheduler), else in a process
    pool of that size; with `scheduler` ("local" for an embedded LocalCluster of `parallel`
    workers, or an address such as tcp://host:8786) on Dask. With `resume`, jobs whose key is
    already stored with a final status are skipped. Ctrl-C stops the batch; rows stored so far
    stay. Jobs warm-started from another's plan (:func:`warm_started`) run after the others,
    with the plan their source stored as their hint.
    """
    unique: dict[str, dict[str, Any]] = {}
    for job in jobs:
        unique.setdefault(job["key"], job)
    outcome = Outcome(keys=list(unique))
    todo = list(unique.values())
    if resume:
        done = store.done_keys()
        todo = [j for j in todo if j["key"] not in done]
        outcome.skipped = len(unique) - len(todo)
    total = len(todo)

    def take(row: dict[str, Any]) -> None:
        if row.get("interrupted"):
            outcome.interrupted = True
            return  # a solve stopped by Ctrl-C is not a result: --resume redoes it
        store.put(row)
        outcome.solved += 1
        if row["status"] == "error":
            outcome.errors.append(f"{row['label']}: {row.get('error')}")
        if on_row is not None:
            on_row(row, outcome.solved, total)

    if scheduler is None or scheduler == "local":  # the workers share this machine's memory
        todo = [{**j, "memory_share": max(1, parallel)} for j in todo]
    first = largest_first([j for j in todo if "hint_of" not in j])
    then = largest_first([j for j in todo if "hint_of" in j])
    try:
        _run_phase(first, take, outcome, parallel, scheduler, local_cluster, scheduler_timeout)
        if then and not (outcome.interrupted or outcome.crashed):
            sources = sorted({j["hint_of"] for j in then})
            plans = {r["key"]: r.get("plan") for r in store.rows(sources)}
            then = [{**j, "hint": plans.get(j["hint_of"])} for j in then]
            _run_phase(then, take, outcome, parallel, scheduler, local_cluster, scheduler_timeout)
    except KeyboardInterrupt:
        outcome.interrupted = True
    except BrokenProcessPool as exc:
        outcome.crashed = f"a worker process died ({exc})"
    return outcome


def _run_phase(todo: list[dict[str, Any]], take: Callable[[dict[str, Any]], None],
               outcome: Outcome, parallel: int, scheduler: str | None,
               local_cluster: dict[str, Any] | None, scheduler_timeout: float) -> None:
    """Run `todo` in this process, a process pool or on Dask (see :func:`run_batch`)."""
    if not todo:
        return
    if scheduler is not None:
        _run_dask(todo, take, scheduler, parallel, local_cluster or {}, scheduler_timeout)
    elif parallel <= 1 or len(todo) == 1:
        for job in todo:
            take(run_job(job))
            if outcome.interrupted:
                break
    else:
        _run_pool(todo, take, parallel)


def warm_started(jobs: list[dict[str, Any]], base: int = 0) -> list[dict[str, Any]]:
    """The jobs, each but `jobs[base]` warm-started from the plan the base finds.

    The base runs first and keeps its plan in its row (``plan``); the others then run with it
    as their hint. The hint is part of their key (it may steer the search to another plan of
    the same objective), so a row is the same whether the base ran in this batch or an earlier
    one (``--resume``: its stored plan is the hint).
    """
    source = jobs[base]["key"]
    return [{**job, "keeps_plan": True} if i == base else
            {**job, "key": _digest({"key": job["key"], "hint_of": source})[:24], "hint_of": source}
            for i, job in enumerate(jobs)]


def _run_pool(todo: list[dict[str, Any]], take: Callable[[dict[str, Any]], None],
              parallel: int) -> None:
    ctx = _context()
    pool = ProcessPoolExecutor(max_workers=min(parallel, len(todo)), mp_context=ctx,
                               initializer=_worker_init)
    try:
        pending = {pool.submit(run_job, job) for job in todo}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                take(fut.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context():
    """Where there is one, a fork server that has imported the planner once: each worker then
    starts as a cheap fork of a clean process (no threads of the parent's solver, no second
    import of OR-Tools); elsewhere fresh interpreters (spawn)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["planner.research.runner"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_dask(todo: list[dict[str, Any]], take: Callable[[dict[str, Any]], None],
              scheduler: str, parallel: int, cluster_options: dict[str, Any],
              timeout: float) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler == "local":
            # loopback only; the scheduler's HTTP endpoint on a free port (not a fixed 8787)
            options = dict(n_workers=max(1, parallel), threads_per_worker=1, processes=True,
                           dashboard_address="127.0.0.1:0", host="127.0.0.1")
            options.update(cluster_options)
            cluster = LocalCluster(**options)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=f"{timeout}s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        futures = [client.submit(run_job, job, key=f"planner-solve-{job['key']}", pure=False)
                   for job in todo]
        try:
            for fut in as_completed(futures):
                take(fut.result())
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def batch_jobs(command: str, scenarios: Iterable[tuple[str, Scenario, str]],
               variants_of: Callable[[Scenario], list[Variant]], options: SolveOptions,
               young_age: int | None = None) -> list[dict[str, Any]]:
    """One job per scenario x variant, in that order; the scenarios, already loaded, are kept
    for the jobs this process runs itself.

    `young_age` (default: the age limit of the first young-cadre share rule among the variants,
    else :data:`YOUNG_AGE`) is the one yardstick of the young-cadre share for the whole batch.
    """
    scenarios = list(scenarios)
    for path, scn, digest in scenarios:  # jobs run in this process need not load them again
        _SCENARIOS.setdefault(str(Path(path).resolve()), (Prepared(scn), digest))
    planned = [(path, scn, digest, variant) for path, scn, digest in scenarios
               for variant in variants_of(scn)]
    if young_age is None:
        young_age = next((age for *_, v in planned for r in v.policy.rules
                          if (age := r.young_age()) is not None), YOUNG_AGE)
    jobs = [make_job(command, path, scn, variant, options, order=i, scenario_digest=digest,
                     young_age=young_age)
            for i, (path, scn, digest, variant) in enumerate(planned)]
    sizes: dict[tuple[str, str], int] = {}
    for job, (path, scn, digest, variant) in zip(jobs, planned):
        policy = effective_policy(scn, variant.policy)
        size = (digest, eligibility_key(policy))
        if size not in sizes:
            prepared = _SCENARIOS[str(Path(path).resolve())][0]
            sizes[size] = pair_bound(prepared.instance(), policy)
        job["pairs"] = sizes[size]
    return jobs


def largest_first(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The jobs by their pairs' upper bound (`pairs`, from :func:`batch_jobs`), largest first,
    in their order among equals: a pool then ends on small jobs, not on the one variant whose
    pairs are a multiple of the others' (national price: dropping the district chiefs'
    `mobility` takes 60 s against ~20 s for each other variant, and run last it left the
    other worker idle for 40 s of the 3 minutes). The rows do not depend on the order."""
    return sorted(jobs, key=lambda job: -job.get("pairs", 0))
