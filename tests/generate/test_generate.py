"""`planner generate`: national scenarios from Vietnam's real administrative units."""

from __future__ import annotations

import sys
from collections import Counter

import pytest
from click.testing import CliRunner

from planner import check_plan, load_scenario, solve
from planner.generate.national import (
    EDUCATION,
    MOUNTAIN,
    POLITICAL_THEORY,
    RATING,
    admin_data,
    generate,
    generate_cmd,
    national_policy,
    scenario_files,
    write_scenario,
)

FILES = ("scenario.yaml", "policy.yaml", "units.csv", "posts.csv", "candidates.csv", "relations.csv")


@pytest.fixture(scope="module")
def legacy():
    return generate("legacy", seed=0)


@pytest.fixture(scope="module")
def new2025():
    return generate("2025", seed=0)


def _province_of(units: dict[str, dict], uid: str) -> str:
    while units[uid]["parent"] is not None and units[uid]["kind"] != "province":
        uid = units[uid]["parent"]
    return uid


def test_output_loads_and_matches_counts(tmp_path):
    gen = generate("legacy", fraction=0.05, seed=1)
    written = write_scenario(gen, tmp_path)
    assert sorted(written) == sorted(FILES)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folder left
    scn = load_scenario(tmp_path / "scenario.yaml")
    n = gen.counts()
    assert (len(scn.units), len(scn.posts), len(scn.candidates)) == (n["units"], n["posts"], n["candidates"])
    assert len(scn.relations) == n["relations"] > 0
    assert scn.policy is not None and scn.policy.name == "national"
    assert [r.rule for r in scn.policy.rules] == [r["rule"] for r in national_policy()["rules"]]
    assert scn.policy.weights.move == 5 and scn.policy.weights.vacancy == 1000


def test_2025_output_loads(tmp_path):
    gen = generate("2025", fraction=0.1, seed=3)
    write_scenario(gen, tmp_path)
    scn = load_scenario(tmp_path / "scenario.yaml")
    assert len(scn.posts) == gen.counts()["posts"]
    assert not [u for u in scn.units if u.kind.value == "district"]


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_scenario(generate("legacy", fraction=0.05, seed=7), a)
    write_scenario(generate("legacy", fraction=0.05, seed=7), b)
    write_scenario(generate("legacy", fraction=0.05, seed=8), c)
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "candidates.csv").read_bytes() != (c / "candidates.csv").read_bytes()


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


def test_command_writes_and_reports_counts(tmp_path):
    out = tmp_path / "vn"
    res = CliRunner().invoke(generate_cmd, [str(out), "--structure", "2025", "--fraction", "0.1",
                                            "--officers-per-post", "1.5", "--seed", "2"])
    assert res.exit_code == 0, res.output
    assert "provinces" in res.output and "candidates" in res.output
    assert (out / "scenario.yaml").exists()
    assert load_scenario(out / "scenario.yaml").name == "vietnam-2025-0.1-seed2"


def test_command_usage_errors_exit_2(tmp_path):
    res = CliRunner().invoke(generate_cmd, [str(tmp_path), "--fraction", "0"])
    assert res.exit_code == 2
    res = CliRunner().invoke(generate_cmd, [str(tmp_path), "--structure", "1990"])
    assert res.exit_code == 2


def test_missing_data_package_exits_2_with_install_hint(tmp_path, monkeypatch):
    admin_data.cache_clear()
    monkeypatch.setitem(sys.modules, "vietnamadminunits.database", None)  # import fails
    try:
        res = CliRunner().invoke(generate_cmd, [str(tmp_path / "x")])
    finally:
        admin_data.cache_clear()
    assert res.exit_code == 2
    assert "pip install 'rotation-planner[geo]'" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "x").exists()


def test_files_are_utf8_with_real_names(legacy):
    files = scenario_files(generate("legacy", fraction=0.02, seed=0))
    assert set(files) == set(FILES)
    assert "policy: {file: policy.yaml}" in files["scenario.yaml"]
    assert "units: {csv: units.csv}" in files["scenario.yaml"]
    assert any(u["name"] == "Thành phố Hà Nội" for u in legacy.units)


def test_in_memory_scenario_equals_the_loaded_one(tmp_path):
    gen = generate("2025", fraction=0.05, seed=4)
    write_scenario(gen, tmp_path)
    loaded = load_scenario(tmp_path / "scenario.yaml")
    built = gen.to_scenario()
    assert built.units == loaded.units and built.posts == loaded.posts
    assert built.candidates == loaded.candidates and built.relations == loaded.relations
