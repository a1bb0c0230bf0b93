"""`planner generate --careers`: grades, succession pools, ranked preferences, the careers policy.

Without careers the files must stay what they were before careers existed, byte for byte: the
digests below are those of the files the generator wrote before this feature (commit a29b948,
vietnamadminunits 1.0.4).
"""

from __future__ import annotations

import csv
import hashlib
import io
import statistics
from collections import Counter

import pytest
from click.testing import CliRunner

from planner import load_scenario
from planner.cli import main
from planner.generate import generate, scenario_files, write_scenario
from planner.generate.careers import LEVEL_BELOW, MAX_PLANNED, Units, qualifies, step_up_chance

BEFORE_CAREERS = {  # (structure, fraction, seed, periods): candidates.csv, posts.csv
    ("legacy", 0.05, 1, None): ("3201e62228133cfe16cda8ca8ddd608fa4c2016bcc329eb818cc62d9fcbd0ba4",
                                "376e04192b3bc5eebe24a3032c7eabc3ccd4b1083d3c0def6d5f570061f79ee4"),
    ("2025", 0.1, 3, None): ("35a5ad9fa55609a40d17b313a7a5988112c79b45c61185c24748e61002b5d923",
                             "105351769a5ef706fb967d07baa009f78385cb7a16c359b93b48cd1b9b5aef56"),
    ("legacy", 0.05, 2, (2026, 2031)): (  # the newcomers: with the qualified ministry reserve
        "b1665950103928fc476d8df4a21c7e0cb7ac3a4f87b456f7927ad2d53a58cb9c",
        "6db34f5cb7089d5bb0030ba026dde982c7be346f62f0cb312d932e99827471c9"),
    ("transition", 0.05, 1, None): (
        "814f82a937e46253cb52315f186ec2ad84b1976bfa5c41221615a640df91769a",
        "ee73afcd13cc5b71e3c2622fe50c058127994ea8a53af96f5d817be2c70a04c3"),
}
EXPECTED_GRADES = {("ministry", "department_head", 4), ("province", "director", 4),
                   ("province", "deputy_director", 3), ("district", "chief", 2),
                   ("commune", "chief", 1)}


@pytest.fixture(scope="module")
def gen():
    return generate("legacy", fraction=0.05, seed=1, careers=True)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("key", list(BEFORE_CAREERS))
def test_without_careers_the_files_are_those_before_careers(key):
    structure, fraction, seed, periods = key
    files = scenario_files(generate(structure, fraction, seed=seed,
                                    periods=list(periods) if periods else None))
    assert (_sha(files["candidates.csv"]), _sha(files["posts.csv"])) == BEFORE_CAREERS[key]
    assert "policy-careers.yaml" not in files


def test_careers_are_drawn_last_everything_else_unchanged(gen):
    plain = generate("legacy", fraction=0.05, seed=1)
    assert gen.units == plain.units and gen.relations == plain.relations
    drop = {"grade", "planned_for", "preferences"}
    assert [{k: v for k, v in p.items() if k != "grade"} for p in gen.posts] == plain.posts
    assert [{k: v for k, v in c.items() if k not in drop} for c in gen.candidates] == \
        [{k: v for k, v in c.items() if k not in drop} for c in plain.candidates]
    assert gen.name == plain.name + "-careers" and plain.careers_policy is None


def test_post_grades_by_level(gen):
    kinds = Units(gen.units).kind
    assert {(kinds[p["unit"]], p["role"], p["grade"]) for p in gen.posts} == EXPECTED_GRADES


def test_officer_grades_from_post_else_by_where_they_serve(gen):
    grade = {p["id"]: p["grade"] for p in gen.posts}
    kinds = Units(gen.units).kind
    drawn = Counter()
    for c in gen.candidates:
        if c["current_post"]:
            assert c["grade"] == grade[c["current_post"]], c["id"]
        else:
            low = LEVEL_BELOW[kinds[c["serves_at"]]]
            assert c["grade"] in (low, low + 1), c["id"]
            drawn[c["grade"] - low] += 1
    assert drawn[0] > 0 and drawn[1] > 0  # both grades are drawn


def test_step_up_chance_by_age_education_theory():
    assert step_up_chance(30, "college", "primary") == pytest.approx(0.15)
    assert step_up_chance(50, "university", "advanced") == pytest.approx(0.85)
    assert step_up_chance(44, "master", "intermediate") == pytest.approx(0.30)


def test_succession_pools_regulation_65(gen):
    posts = {p["id"]: p for p in gen.posts}
    per_post = Counter(q for c in gen.candidates for q in c["planned_for"] or ())
    per_officer = [len(c["planned_for"]) for c in gen.candidates if c["planned_for"]]
    assert max(per_post.values()) == MAX_PLANNED == max(per_officer) == 3
    assert set(per_post) <= set(posts)
    assert all(c["planned_for"] is None or c["planned_for"] for c in gen.candidates)
    median = statistics.median(c["merit"] for c in gen.candidates)
    above = total = 0
    for c in gen.candidates:
        for q in c["planned_for"] or ():
            assert c["grade"] == posts[q]["grade"] - 1, (c["id"], q)
            assert qualifies(c, posts[q], gen.term_start), (c["id"], q)
            above += c["merit"] > median
            total += 1
    assert total == sum(per_officer) > 100
    assert 0.7 < above / total < 1


def test_preferences_ranked_near_home_and_existing(gen):
    idx = Units(gen.units)
    with_posts = {u for p in gen.posts for u in idx.up(p["unit"])}
    lengths = Counter(len(c["preferences"]) for c in gen.candidates)
    assert set(lengths) == {2, 3}
    for c in gen.candidates:
        prefs = c["preferences"]
        home_province = idx.of_kind(c["home"], "province")
        assert len(set(prefs)) == len(prefs) and set(prefs) <= with_posts, c["id"]
        assert prefs[0] in (home_province, idx.of_kind(c["home"], "district")), c["id"]
        assert home_province in prefs[:2], c["id"]
    firsts = Counter(idx.kind[c["preferences"][0]] for c in gen.candidates)
    assert firsts["district"] > 0 and firsts["province"] > 0


def test_written_scenario_loads_and_round_trips(gen, tmp_path):
    written = write_scenario(gen, tmp_path)
    assert "policy-careers.yaml" in written
    scn = load_scenario(tmp_path / "scenario.yaml")
    assert scn.candidates == gen.to_scenario().candidates and scn.posts == gen.to_scenario().posts
    row = next(csv.DictReader(io.StringIO(scenario_files(gen)["candidates.csv"])))
    first = gen.candidates[0]
    assert row["preferences"] == ";".join(first["preferences"])
    assert row["grade"] == str(first["grade"])


def test_careers_policy_file_loads(gen, tmp_path):
    write_scenario(gen, tmp_path)
    scn = load_scenario(tmp_path / "scenario.yaml", policy=tmp_path / "policy-careers.yaml")
    rules = [r.rule for r in scn.policy.rules]
    assert scn.policy.name == "national-careers"
    assert rules[-3:] == ["career_step", "continuity", "no_envy"]
    assert [(r.hard, r.weight) for r in scn.policy.rules[-3:]] == \
        [(True, None), (False, 100), (False, 20)]


def test_same_seed_same_bytes_with_careers():
    a = scenario_files(generate("2025", fraction=0.1, seed=3, careers=True))
    b = scenario_files(generate("2025", fraction=0.1, seed=3, careers=True))
    c = scenario_files(generate("2025", fraction=0.1, seed=4, careers=True))
    assert a == b and a["candidates.csv"] != c["candidates.csv"]


def test_horizon_newcomers_get_grades_and_preferences():
    g = generate("legacy", fraction=0.05, seed=2, periods=[2026, 2031], careers=True)
    joining = [c for c in g.candidates if c.get("joins")]
    assert joining and all(c["grade"] is not None and c["preferences"] for c in joining)
    assert len(g.to_scenario().candidates) == len(g.candidates)


def test_transition_plans_no_one_for_closed_posts():
    g = generate("transition", fraction=0.05, seed=1, careers=True)
    closed = {p["id"] for p in g.posts if p.get("closes")}
    planned = {q for c in g.candidates for q in c["planned_for"] or ()}
    assert planned and not planned & closed
    assert all(p["grade"] is not None for p in g.posts)


def test_cli_careers(tmp_path):
    out = CliRunner().invoke(main, ["generate", str(tmp_path), "--fraction", "0.05", "--seed",
                                    "1", "--careers"])
    assert out.exit_code == 0, out.output
    assert "policy-careers.yaml (11 rules)" in out.output
    expected = scenario_files(generate("legacy", fraction=0.05, seed=1, careers=True))
    assert (tmp_path / "policy-careers.yaml").read_text(encoding="utf-8") == \
        expected["policy-careers.yaml"]
