"""The generated scenario itself: real units, posts, a realistic officer pool, a plan exists."""

from __future__ import annotations

from collections import Counter

import pytest

from planner import check_plan, load_scenario, solve
from planner.generate import generate, write_scenario
from planner.generate.distributions import EDUCATION, POLITICAL_THEORY, RATING
from planner.generate.units import MOUNTAIN


def _province_of(units: dict[str, dict], uid: str) -> str:
    while units[uid]["parent"] is not None and units[uid]["kind"] != "province":
        uid = units[uid]["parent"]
    return uid


def test_full_structures_by_count(legacy, new2025):
    n = new2025.counts()
    assert (n["provinces"], n["districts"]) == (34, 0)
    assert 3200 <= n["communes"] <= 3500
    units = {u["id"]: u for u in new2025.units}
    assert all(units[u["parent"]]["kind"] == "province" for u in new2025.units if u["kind"] == "commune")
    assert n["posts"] == 4 * 34 + n["communes"] + sum(p["role"] == "department_head" for p in new2025.posts)

    n = legacy.counts()
    assert n["provinces"] == 63
    assert 650 <= n["districts"] <= 750
    assert 9500 <= n["communes"] <= 10500
    assert 10500 <= n["posts"] <= 11500
    assert 17000 <= n["candidates"] <= 30000
    units = {u["id"]: u for u in legacy.units}
    assert all(units[u["parent"]]["kind"] == "district" for u in legacy.units if u["kind"] == "commune")
    roles = Counter(p["role"] for p in legacy.posts)
    assert roles["director"] == 63 and roles["deputy_director"] == 3 * 63
    assert roles["chief"] == n["districts"] + n["communes"]
    assert all(u["lat"] is not None for u in legacy.units if u["kind"] in ("province", "district"))
    assert sum(u["lat"] is not None for u in legacy.units if u["kind"] == "commune") == n["communes"]


def test_fraction_is_a_seeded_subset():
    small = generate("legacy", fraction=0.1, seed=0)
    again = generate("legacy", fraction=0.1, seed=0)
    assert small.counts()["provinces"] == 6
    assert [u["id"] for u in small.units] == [u["id"] for u in again.units]


def _shares(rows: list[dict], field: str) -> dict[str, float]:
    counts = Counter(r[field] for r in rows)
    return {k: 100 * v / len(rows) for k, v in counts.items()}


@pytest.mark.parametrize("field,published,tol", [
    ("education", EDUCATION, {"college": 1.5, "university": 1.5, "master": 0.6, "phd": 0.15}),
    ("political_theory", POLITICAL_THEORY, {"primary": 1.5, "intermediate": 1.5, "advanced": 0.8}),
    ("rating", RATING, {"not_completed": 0.5, "completed": 0.5, "good": 1.5, "excellent": 1.0}),
])
def test_published_distributions_hold(legacy, field, published, tol):
    got = _shares(legacy.candidates, field)
    total = sum(published.values())
    for level, share in published.items():
        assert abs(got.get(level, 0) - 100 * share / total) <= tol[level], (level, got)


def test_officer_pool_is_realistic(legacy):
    cands = legacy.candidates
    assert abs(_shares(cands, "gender")["female"] - 20) <= 1.5
    units = {u["id"]: u for u in legacy.units}
    posts = {p["id"]: p for p in legacy.posts}
    # incumbents on most posts, with 1-3 consecutive terms
    holders = [c for c in cands if c["current_post"]]
    assert len(holders) >= 0.8 * len(posts)
    assert len({c["current_post"] for c in holders}) == len(holders)
    assert {c["consecutive_terms"] for c in holders} == {1, 2, 3}
    # home towns mostly in the province where the officer serves, homes at commune level
    local = sum(_province_of(units, c["home"]) == _province_of(units, c["serves_at"]) for c in cands)
    assert 0.8 <= local / len(cands) <= 0.97
    assert all(units[c["home"]]["kind"] in ("commune", "district") for c in cands)
    # ministry-origin officers qualified for province leadership
    director = posts["P01-director"]
    ministry = [c for c in cands if units[c["serves_at"]]["kind"] == "ministry"
                and c["political_theory"] == director["min_political_theory"]]
    assert len(ministry) >= 63
    # kin relations, mostly inside one province
    assert len(legacy.relations) >= 0.03 * len(cands)
    # difficult areas concentrated in the mountain provinces
    communes = [u for u in legacy.units if u["kind"] == "commune"]
    mountain = [u for u in communes if _province_of(units, u["id"])[1:] in MOUNTAIN["legacy"]]
    rest = [u for u in communes if _province_of(units, u["id"])[1:] not in MOUNTAIN["legacy"]]
    share = lambda us: sum(u["difficult"] for u in us) / len(us)  # noqa: E731
    assert share(mountain) > 3 * share(rest)


def test_small_scenario_solves_to_a_checked_plan(tmp_path):
    gen = generate("legacy", fraction=0.03, seed=0)
    write_scenario(gen, tmp_path)
    scn = load_scenario(tmp_path / "scenario.yaml")
    # time limit kept short for the suite; the plan need not be optimal, only valid
    result = solve(scn, time_limit=30, workers=2, seed=0)
    assert result.has_plan, result.status
    report = check_plan(scn, result.plan)
    assert report.violations == []
    filled = sum(1 for c in result.plan.values() if c)
    assert filled >= 0.9 * len(scn.posts)


