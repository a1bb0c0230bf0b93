"""Shared pieces of the report tests: a solved small scenario, a national-sized plan, chromium."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

import pytest

from planner.check.checker import check_plan
from planner.io.loader import load_scenario
from planner.scenario import Scenario
from planner.solver.pipeline import solve
from planner.solver.result import Result, RunStats, Status

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "scenarios" / "small.yaml"


def signal_at_first_plan(out: Path, sig: int) -> tuple[int, str, float]:
    """`planner solve` of the small scenario with a long limit, sent `sig` once the progress
    line shows a first plan: (exit code, standard error, seconds from start to exit). With 2
    workers the search is still running then, so the signal reaches it."""
    proc = subprocess.Popen([sys.executable, "-m", "planner", "solve", str(SMALL), "-o", str(out),
                             "--time-limit", "120", "--workers", "2", "--no-excel"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start, seen = time.monotonic(), []
    try:
        while time.monotonic() - start < 60:
            line = proc.stderr.readline()
            seen.append(line)
            if " best " in line or not line:
                break
        assert any(" best " in line for line in seen), "".join(seen)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, stderr, time.monotonic() - start


@lru_cache(maxsize=None)
def small_result() -> tuple[Result, Scenario]:
    """The bundled small scenario solved briefly (a valid plan, not necessarily optimal)."""
    scn = load_scenario(SMALL)
    result = solve(scn, time_limit=3, workers=2, seed=0)
    assert result.has_plan, result.status
    return result, scn


@lru_cache(maxsize=None)
def national_like(seed: int = 0) -> tuple[Result, Scenario]:
    """A plan the size of the national legacy scenario (63 provinces, ~11,300 posts), unsolved.

    Units carry coordinates inside Vietnam's bounding box; the plan is a random matching of
    officers to posts, checked by the independent checker, so every report figure is real.
    """
    rng = random.Random(seed)
    units = [dict(id="MIN", name="Bộ Nội vụ", kind="ministry", lat=21.03, lon=105.84)]
    posts, cands = [], []

    def officer(i: int, home: str, serves: str, current: str | None = None) -> dict:
        return dict(id=f"c{i}", name=f"Nguyễn Văn {i}", home=home, serves_at=serves,
                    current_post=current, consecutive_terms=1 if current else 0,
                    birth_year=rng.randint(1966, 1990), gender=rng.choice(["female", "male", "male"]),
                    education="university", political_theory="advanced", rating="good",
                    merit=rng.randint(20, 95))

    for d in range(6):
        units.append(dict(id=f"MIN-{d}", name=f"Vụ {d}", kind="ministry", parent="MIN"))
        posts.append(dict(id=f"MIN-{d}-HEAD", unit=f"MIN-{d}", role="department_head"))
    for p in range(63):
        lat, lon = rng.uniform(8.8, 23.0), rng.uniform(102.3, 109.3)
        pid = f"P{p:02d}"
        units.append(dict(id=pid, name=f"Tỉnh {p}", kind="province", lat=lat, lon=lon))
        posts.append(dict(id=f"{pid}-DIR", unit=pid, role="director", priority=3))
        posts += [dict(id=f"{pid}-DEP{k}", unit=pid, role="deputy_director", priority=2) for k in range(3)]
        for d in range(11):
            did = f"{pid}-D{d:02d}"
            units.append(dict(id=did, name=f"Huyện {p}.{d}", kind="district", parent=pid,
                              lat=lat + rng.uniform(-0.4, 0.4), lon=lon + rng.uniform(-0.4, 0.4)))
            posts.append(dict(id=f"{did}-CH", unit=did, role="district_chief", priority=2))
            for c in range(15):
                cid = f"{did}-C{c:02d}"
                units.append(dict(id=cid, name=f"Xã {p}.{d}.{c}", kind="commune", parent=did,
                                  lat=lat + rng.uniform(-0.5, 0.5), lon=lon + rng.uniform(-0.5, 0.5)))
                posts.append(dict(id=f"{cid}-CH", unit=cid, role="commune_chief"))
    unit_ids = [u["id"] for u in units]
    for i, post in enumerate(posts):
        cands.append(officer(i, rng.choice(unit_ids), post["unit"], post["id"]))
    for i in range(len(posts), len(posts) + 200):
        cands.append(officer(i, rng.choice(unit_ids), "MIN"))
    scenario = Scenario.model_validate(dict(
        name="national-like", term_start=2026, units=units, posts=posts, candidates=cands,
        policy=dict(name="national-like", rules=[
            dict(rule="non_local", unit_kind="province", roles=["director"], min_share=0.9),
            dict(rule="non_local", unit_kind="commune", roles=["commune_chief"], min_share=0.5,
                 hard=False, weight=10),
            dict(rule="term_limit"),
        ], weights=dict(move=5))))
    # Most incumbents stay; a quarter of the posts go to someone else (a random matching).
    plan = {p["id"]: f"c{i}" for i, p in enumerate(posts)}
    movers = [p["id"] for p in posts if rng.random() < 0.25]
    pool = [plan[m] for m in movers] + [f"c{i}" for i in range(len(posts), len(posts) + 200)]
    rng.shuffle(pool)
    for pid, cid in zip(movers, pool):
        plan[pid] = cid
    for pid in rng.sample(sorted(plan), 40):
        plan[pid] = None  # a few vacancies
    used = [c for c in plan.values() if c]
    assert len(used) == len(set(used))
    report = check_plan(scenario, plan, scenario.policy)
    result = Result(Status.feasible, report.objective, report.objective + 1234, plan, report,
                    stats=RunStats(solve_seconds=1.0, build_seconds=1.0, interrupted=False))
    return result, scenario


def chromium_binary() -> str:
    """Debian's chromium; its absence fails the test (CI installs it: see .ci/run)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("chromium is not installed: the HTML report is tested in a real headless browser. "
                "Install it with `apt-get install -y chromium` (Debian; .ci/run does this in CI).",
                pytrace=False)


def chromium(tmp_path: Path, url: str, *extra: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """Run headless chromium on `url` with `extra` (e.g. --dump-dom, --screenshot=...)."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *extra, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
