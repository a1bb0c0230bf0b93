"""`planner generate --structure transition`: the 2025 reorganisation, from the legacy structure
to the 2025 one, and the bundled scenarios/horizon/transition-small.yaml.

The other structures must stay what they were: the digests below are those of the files the
generator wrote before the transition existed (vietnamadminunits 1.0.4).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import check_plan, load_scenario, solve
from planner.cli import main
from planner.generate import generate, scenario_files, write_scenario
from planner.generate.admin import admin_data, transition_map
from planner.generate.transition import (
    CAPITALS,
    DEPUTIES,
    LEGACY,
    REORGANISATION_YEAR,
    Transition,
)

SMALL = Path(__file__).resolve().parents[2] / "scenarios" / "horizon" / "transition-small.yaml"
BEFORE_TRANSITION = {
    ("2025", 0.1, 3, None): {  # generate("2025", fraction=0.1, seed=3)
        "units.csv": "a12fef3597393d826b5afefb8b63163e9f4b77907cdab9e7a69fcfb1ba4c6bbe",
        "posts.csv": "105351769a5ef706fb967d07baa009f78385cb7a16c359b93b48cd1b9b5aef56",
        "candidates.csv": "35a5ad9fa55609a40d17b313a7a5988112c79b45c61185c24748e61002b5d923",
        "relations.csv": "70bfc4cf9c443d9bb34b741a83d0d1d10aa8f2a795b78a7f7f75862115a50688",
        "policy.yaml": "8ea25b2ca5b4696b4c11d260531ca2f811e661cdd43369cd51c69a959db48f81",
        "scenario.yaml": "0f0fa60ebde9f646485c59af18190deec4a1f4fe3dbdb9e71bb5e2185f7732e0",
    },
    ("legacy", 0.05, 7, (2026, 2031)): {  # candidates.csv: with the qualified ministry reserve joining
        "units.csv": "38c6a0718e3550a07b8ba0c5cdff6ef1e3cbd5e25eafde9b95eb4e4c1eca95de",
        "posts.csv": "27175ba9154af663c9f2e3240299a82c6dc8d375b0666c289703482d49580de4",
        "candidates.csv": "016dbb7fe9a55f1eb3a9ddc57d412cff6c22b65fd05dcd52bbfe468ba2242b42",
        "relations.csv": "25d5fee73e2d39d457cec0367eab373d35ad68a57e9373ac5191d5975fe6f185",
        "policy.yaml": "8ea25b2ca5b4696b4c11d260531ca2f811e661cdd43369cd51c69a959db48f81",
        "scenario.yaml": "d4aa6dacf9bb6627cfa3edc04378d5d70b67db8d25217ee6b93d52bcc812c89b",
    },
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Two 2025 provinces of the transition, written and loaded back, with the in-memory rows."""
    gen = generate("transition", fraction=0.05, seed=0)
    out = tmp_path_factory.mktemp("transition")
    write_scenario(gen, out)
    return gen, load_scenario(out / "scenario.yaml")


def _legacy_units(units) -> set[str]:
    """The units of the legacy forest: the legacy provinces and everything under them."""
    kind_parent = {u.id: u.parent for u in units}
    roots = {u.id for u in units if u.kind == "province" and u.id.startswith(LEGACY)}

    def root(uid: str) -> str:
        while kind_parent[uid] is not None:
            uid = kind_parent[uid]
        return uid
    return {u.id for u in units if root(u.id) in roots}


@pytest.mark.parametrize("args", list(BEFORE_TRANSITION))
def test_other_structures_write_the_files_of_before(args):
    structure, fraction, seed, periods = args
    gen = generate(structure, fraction=fraction, seed=seed,
                   periods=list(periods) if periods else None)
    digests = {name: hashlib.sha256(text.encode("utf-8")).hexdigest()
               for name, text in scenario_files(gen).items()}
    assert digests == BEFORE_TRANSITION[args]


def test_the_mapping_takes_every_legacy_unit_into_the_2025_structure():
    moved = transition_map()
    legacy, new = admin_data("legacy"), admin_data("2025")
    new_province = {c["code"]: c["province"] for c in new.communes}
    assert set(moved.province) == {p["code"] for p in legacy.provinces}
    assert set(moved.province.values()) == {p["code"] for p in new.provinces}
    assert set(moved.commune) == {c["code"] for c in legacy.communes}
    # a legacy commune goes into a commune of the province its own province merged into
    assert all(new_province[moved.commune[c["code"]]] == moved.province[c["province"]]
               for c in legacy.communes)
    assert len(set(moved.commune.values())) >= 0.99 * len(new.communes)


def test_the_2025_structure_has_its_real_counts_and_deputies():
    tr = Transition.keep(1.0, random.Random(0))
    assert (len(tr.new.provinces), len(tr.new.communes), len(tr.new.districts)) == (34, 3321, 0)
    assert len(tr.legacy.provinces) == 63 and len(tr.legacy.districts) >= 690
    deputies = tr.deputies()
    merged = Counter(tr.moved.province.values())
    assert sum(1 for n in merged.values() if n == 1) == 11  # provinces the reorganisation kept
    for code, n in deputies.items():
        kind = "capital" if code in CAPITALS else "merged" if merged[code] > 1 else "unchanged"
        assert n == DEPUTIES[kind], code


def test_the_scenario_loads_and_legacy_posts_exist_in_no_period(small):
    gen, scn = small
    legacy = _legacy_units(scn.units)
    assert legacy and all(u.startswith(LEGACY) for u in legacy)
    closed = [p for p in scn.posts if p.unit in legacy]
    assert closed and all(p.closes == REORGANISATION_YEAR for p in closed)
    assert not any(p.exists_in(y) for p in closed for y in scn.years)
    rest = [p for p in scn.posts if p.unit not in legacy]
    assert all(p.exists_in(y) for p in rest for y in scn.years)
    roles = Counter(p.role for p in rest)
    deputies = Transition.keep(0.05, random.Random(0)).deputies()  # the provinces generate() kept
    assert roles["director"] == len(deputies) == 2
    assert roles["deputy_director"] == sum(deputies.values())
    assert not any(u.kind == "district" for u in scn.units if u.id not in legacy)
    assert gen.meta["closed_posts"] == len(closed)


def test_incumbents_hold_legacy_posts_and_live_in_the_2025_structure(small):
    _, scn = small
    legacy = _legacy_units(scn.units)
    unit_of = {p.id: p.unit for p in scn.posts}
    kind = {u.id: u.kind for u in scn.units}
    held = [c for c in scn.candidates if c.current_post]
    outside_ministry = [c for c in held if kind[unit_of[c.current_post]] != "ministry"]
    assert len(outside_ministry) > 0.8 * len(held)
    assert all(unit_of[c.current_post] in legacy for c in outside_ministry)
    for c in scn.candidates:  # what an officer is now is in the 2025 structure
        assert c.home not in legacy and c.serves_at not in legacy
        assert not set(c.ties or ()) & legacy
    # a legacy commune chief serves at the commune their legacy commune merged into
    moved = transition_map()
    for c in outside_ministry:
        post_unit = unit_of[c.current_post]
        if kind[post_unit] == "commune":
            assert c.serves_at == f"C{moved.commune[post_unit[len(LEGACY) + 1:]]}"


def test_policy_has_no_district_rules(small):
    gen, _ = small
    assert all(r.get("unit_kind") != "district" for r in gen.policy["rules"])
    assert {r["rule"] for r in gen.policy["rules"]} >= {"non_local", "mobility", "ministry_quota"}


def test_a_fraction_solves_to_a_checked_plan(small):
    _, scn = small
    result = solve(scn, time_limit=30, workers=2, seed=0)
    assert result.has_plan, result.status
    assert check_plan(scn, result.plan).violations == []
    existing = [p.id for p in scn.posts if p.exists_in(scn.term_start)]
    assert set(result.plan) == set(existing)
    assert sum(1 for c in result.plan.values() if c) >= 0.95 * len(existing)


def test_same_seed_same_files_and_a_horizon(tmp_path):
    a = scenario_files(generate("transition", fraction=0.05, seed=1))
    assert a == scenario_files(generate("transition", fraction=0.05, seed=1))
    assert "closes" in a["posts.csv"].splitlines()[0] and "periods" not in a["scenario.yaml"]
    gen = generate("transition", fraction=0.05, seed=1, periods=[2026, 2031])
    write_scenario(gen, tmp_path)
    scn = load_scenario(tmp_path / "scenario.yaml")
    assert scn.years == [2026, 2031]
    assert any(c.joins == 2031 for c in scn.candidates)
    assert all(c.since is not None for c in scn.candidates if c.current_post)


@pytest.mark.parametrize("periods", [[2021, 2026], [2025], [2031, 2036]])
def test_a_horizon_not_starting_after_the_reorganisation_is_refused(periods, tmp_path):
    with pytest.raises(ValueError, match="first term after"):
        generate("transition", fraction=0.05, periods=periods)
    res = CliRunner().invoke(main, ["generate", str(tmp_path), "--structure", "transition",
                                    "--fraction", "0.05", "--periods", ",".join(map(str, periods))])
    assert res.exit_code == 2 and "first term after" in res.output


def test_the_command_writes_a_transition(tmp_path):
    res = CliRunner().invoke(main, ["generate", str(tmp_path), "--structure", "transition",
                                    "--fraction", "0.05"])
    assert res.exit_code == 0, res.output
    assert "legacy" in res.output and "incumbents to re-place" in res.output
    assert load_scenario(tmp_path / "scenario.yaml").name == "vietnam-transition-0.05-seed0"


def test_the_bundled_small_transition_solves_to_a_checked_plan():
    scn = load_scenario(SMALL)
    closed = [p for p in scn.posts if p.closes is not None]
    assert closed and not any(p.exists_in(y) for p in closed for y in scn.years)
    held = [c for c in scn.candidates if c.current_post in {p.id for p in closed}]
    assert len(held) >= 8
    result = solve(scn, time_limit=30, workers=2, seed=0)
    assert result.has_plan, result.status
    assert check_plan(scn, result.plans).violations == []
    assert not {post for plan in result.plans.values() for post in plan} & {p.id for p in closed}
    # legacy incumbents are re-placed: some of them lead in the new structure
    assert {c.id for c in held} & set(result.plans[2026].values())
