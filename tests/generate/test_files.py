"""The generated scenario's files: they load back as the scenario, byte-identical per seed."""

from __future__ import annotations

from planner import load_scenario
from planner.generate import generate, national_policy, scenario_files, write_scenario

FILES = ("scenario.yaml", "policy.yaml", "units.csv", "posts.csv", "candidates.csv", "relations.csv")


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
