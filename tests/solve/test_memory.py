"""The memory estimate of `planner solve`: its pair bound, its limit, and a measured run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner import load_scenario
from planner.model.horizon import index
from planner.model.pairs import pair_table
from planner.scenario import effective_policy
from planner.solver import memory
from planner.solver.memory import (
    BASE_BYTES,
    PER_OFFICER_BYTES,
    PER_PAIR_BYTES,
    Estimate,
    MemoryRefused,
    check_fits,
    estimate,
)
from tests.builders import cand, post, scenario, unit

MEDIUM = Path(__file__).resolve().parents[2] / "scenarios" / "medium" / "scenario.yaml"
FACTOR = 1.5
"""The estimate is within this factor of the measured peak of a small run (either way)."""


def _two_provinces(rules: list[dict]) -> object:
    """Two provinces of two communes each; six officers, one without a university degree."""
    units = [unit("P1", "province"), unit("P2", "province"),
             *(unit(f"C{i}", "commune", parent="P1" if i <= 2 else "P2") for i in range(1, 5))]
    posts = [post(f"C{i}-chief", f"C{i}", min_education="university") for i in range(1, 5)]
    posts.append(post("P1-dir", "P1", "director"))
    cands = [cand("A", "C1"), cand("B", "C2"), cand("C", "C3"), cand("D", "C4"),
             cand("E", "C4", serves_at="P2"), cand("F", "C1", education="college")]
    return scenario(units, posts, cands, rules=rules)


def test_pair_bound_counts_each_pool_against_the_requirements():
    scn = _two_provinces([{"rule": "mobility", "unit_kind": "commune", "roles": ["chief"],
                           "within": "province"}])
    # commune chiefs of P1: A, B (F lacks the degree); of P2: C, D, E; the director: all six
    assert estimate(scn) == Estimate(posts=5, officers=6, pairs=2 * 2 + 2 * 3 + 6)
    inst = index(scn)
    assert len(pair_table(inst, effective_policy(scn))) == 16  # here the bound is exact


def test_pair_bound_of_a_horizon_with_pools_of_later_periods():
    """A later period's `mobility within` pool comes from where each officer may serve after
    the period before: the estimate takes it from the qualified pools it counted there."""
    scn = _two_provinces([{"rule": "mobility", "unit_kind": "commune", "roles": ["chief"],
                           "within": "province"}]).model_copy(update={"periods": [2026, 2031]})
    est = estimate(scn)
    # 2026 as above. 2031: P1's communes also take C, D and E, who may hold P1's directorate in
    # 2026 (5 qualified each); P2's only C, D and E (A and B may serve nowhere in P2)
    assert est == Estimate(posts=10, officers=12, pairs=16 + 2 * 5 + 2 * 3 + 6)
    assert len(pair_table(index(scn), effective_policy(scn))) <= est.pairs


def test_pair_bound_without_pools_is_every_qualified_pair():
    scn = _two_provinces([])
    assert estimate(scn).pairs == 4 * 5 + 6


def test_peak_is_the_fitted_line():
    est = Estimate(posts=10, officers=1000, pairs=10**6)
    assert est.peak_bytes == BASE_BYTES + 1000 * PER_OFFICER_BYTES + 10**6 * PER_PAIR_BYTES


def test_available_memory_is_the_lower_of_physical_and_cgroup(tmp_path, monkeypatch):
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    unlimited, low = tmp_path / "v2", tmp_path / "v1"
    unlimited.write_text("max\n")
    low.write_text(f"{2 * 1024 ** 3}\n")
    monkeypatch.setattr(memory, "CGROUP_FILES", (unlimited, tmp_path / "absent"))
    assert memory.available_bytes() == physical
    monkeypatch.setattr(memory, "CGROUP_FILES", (unlimited, low))
    assert memory.available_bytes() == min(physical, 2 * 1024 ** 3)


def test_check_fits_refuses_naming_the_estimate_and_the_limit():
    scn = _two_provinces([])
    assert check_fits(scn, None, 1.0) == estimate(scn)
    with pytest.raises(MemoryRefused) as err:
        check_fits(scn, None, 0.01)
    peak = estimate(scn).peak_bytes / 1024 ** 3
    assert str(err.value).startswith(
        f"this solve would need about {peak:.3g} GiB of memory (estimated from 5 posts, "
        "6 officers and at most 26 eligible pairs), more than --memory-limit: 0.01 GiB.")


PEAK_OF_THE_SOLVE = """
import re, sys
from planner.entry import run
try:
    run()
except SystemExit as stop:
    assert not stop.code, stop.code
print(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
"""
"""`planner solve` in a child that prints its own peak (VmHWM: the high-water mark of its own
memory; a child's ru_maxrss starts at its parent's size at the fork, and pytest's process is
1.5 GB by the end of the suite)."""


def test_estimate_is_within_a_factor_of_a_measured_run(tmp_path):
    out = subprocess.run([sys.executable, "-c", PEAK_OF_THE_SOLVE, "solve", str(MEDIUM), "-q",
                          "-o", str(tmp_path / "out"), "--workers", "1", "--no-excel"],
                         capture_output=True, text=True, check=True)
    measured = int(out.stdout.split()[-1]) * 1024
    predicted = estimate(load_scenario(MEDIUM)).peak_bytes
    assert measured / FACTOR <= predicted <= measured * FACTOR, (measured, predicted)
