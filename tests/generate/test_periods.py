"""`planner generate --periods`: a generated horizon, and the bundled horizon scenarios.

The scenario without periods must stay what it was before horizons existed, byte for byte: the
digests below are those of the files written by the generator before this feature (commit
d6c76ad, vietnamadminunits 1.0.4).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import load_scenario
from planner.cli import main
from planner.generate import generate, scenario_files, write_scenario
from planner.generate.horizon import (
    HORIZON_FIELDS,
    NEWCOMER_AGE,
    RESERVE_AGE,
    RETIREMENT_AGE,
    check_periods,
)

PERIODS = [2026, 2031, 2036]
HORIZON_DIR = Path(__file__).resolve().parents[2] / "scenarios" / "horizon"
BEFORE_HORIZONS = {  # generate("legacy", fraction=0.05, seed=7)
    "candidates.csv": "43c4945b8badb1aee29904bce2c506a7ec7faffdfa0b4d3a87a81bd4d0963906",
    "policy.yaml": "8ea25b2ca5b4696b4c11d260531ca2f811e661cdd43369cd51c69a959db48f81",
    "posts.csv": "14cd26a00c4211f25c8b29a02f1e22a478146499548af7cc76374e74c65976cb",
    "relations.csv": "25d5fee73e2d39d457cec0367eab373d35ad68a57e9373ac5191d5975fe6f185",
    "scenario.yaml": "411b370dcaf8ad21d45e5568fcc1f536df1a5c9a28aadf4c1331996947c5d0a2",
    "units.csv": "38c6a0718e3550a07b8ba0c5cdff6ef1e3cbd5e25eafde9b95eb4e4c1eca95de",
}


@pytest.fixture(scope="module")
def horizon(tmp_path_factory):
    """A small generated horizon, written and loaded back, with its in-memory rows."""
    gen = generate("legacy", fraction=0.05, seed=7, periods=PERIODS)
    out = tmp_path_factory.mktemp("horizon")
    write_scenario(gen, out)
    return gen, load_scenario(out / "scenario.yaml")


def _digests(files: dict[str, str]) -> dict[str, str]:
    return {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in files.items()}


def test_without_periods_the_files_are_those_of_before():
    assert _digests(scenario_files(generate("legacy", fraction=0.05, seed=7))) == BEFORE_HORIZONS
    files = scenario_files(generate("legacy", fraction=0.05, seed=7, periods=None))
    header = files["candidates.csv"].splitlines()[0].split(",")
    assert not HORIZON_FIELDS & set(header)
    assert "periods" not in files["scenario.yaml"]


def test_the_horizon_loads_with_its_periods(horizon):
    gen, scn = horizon
    assert scn.periods == PERIODS and scn.term_start == PERIODS[0]
    assert scn.years == PERIODS
    assert len(scn.candidates) == len(gen.candidates) > len(generate("legacy", 0.05, seed=7).candidates)
    built = gen.to_scenario()
    assert built.candidates == scn.candidates and built.periods == scn.periods


def test_leaves_follow_birth_year_and_gender(horizon):
    _, scn = horizon
    end = PERIODS[-1] + scn.term_years  # the last period's term
    leaving = 0
    for c in scn.candidates:
        retires = c.birth_year + RETIREMENT_AGE[c.gender.value]
        if retires < end:
            assert c.leaves == max(retires, PERIODS[0] + 1), c.id
            leaving += 1
        else:
            assert c.leaves is None, c.id
    assert 0.1 * len(scn.candidates) < leaving < 0.8 * len(scn.candidates)
    # men and women alike retire inside the horizon, and some in each later period
    assert {c.gender.value for c in scn.candidates if c.leaves} == {"male", "female"}
    assert all(any(not c.available_in(y) for c in scn.candidates if c.leaves) for y in PERIODS[1:])


def test_since_is_consistent_with_terms(horizon):
    _, scn = horizon
    incumbents = [c for c in scn.candidates if c.current_post]
    assert incumbents
    for c in incumbents:
        first = scn.term_start - c.consecutive_terms * scn.term_years
        assert first <= c.since < first + scn.term_years <= scn.term_start, c.id
    assert all(c.since is None for c in scn.candidates if not c.current_post)
    # most took the post as a term began, some during one (min_tenure binds those)
    starts = sum((scn.term_start - c.since) % scn.term_years == 0 for c in incumbents)
    assert 0.5 * len(incumbents) < starts < len(incumbents)


def test_newcomers_are_young_and_join_inside_the_horizon(horizon):
    _, scn = horizon
    kinds = {u.id: u.kind.value for u in scn.units}
    newcomers = [c for c in scn.candidates if c.joins is not None]
    assert {c.joins for c in newcomers} == set(PERIODS[1:])
    assert 0.01 * len(scn.candidates) < len(newcomers) < 0.1 * len(scn.candidates)
    provinces = sum(1 for k in kinds.values() if k == "province")
    for year in PERIODS[1:]:  # one per province joins the ministry's reserve, each period
        reserve = [c for c in newcomers if c.joins == year and kinds[c.serves_at] == "ministry"]
        assert len(reserve) == provinces
    for c in newcomers:
        ages = NEWCOMER_AGE if kinds[c.serves_at] != "ministry" else RESERVE_AGE
        assert ages[0] <= c.joins - c.birth_year <= ages[1], c.id
        assert c.current_post is None and c.consecutive_terms == 0
        assert not c.available_in(PERIODS[0])
    ids = [c.id for c in scn.candidates]
    assert len(set(ids)) == len(ids)


def test_the_reserve_joining_later_is_qualified_for_province_leadership(horizon):
    """The ministry's reserve exists for the ministry quota: every one of its newcomers meets a
    provincial deputy's education and political theory (drawn after the open pools, they were
    mostly what those had left, and no plan of legacy x 0.1 met the quota in 2036)."""
    _, scn = horizon
    kinds = {u.id: u.kind.value for u in scn.units}
    deputy = next(p for p in scn.posts if p.role == "deputy_director")
    reserve = [c for c in scn.candidates if c.joins is not None and kinds[c.serves_at] == "ministry"]
    assert reserve
    for c in reserve:
        assert c.education.rank >= deputy.min_education.rank, c.id
        assert c.political_theory.rank >= deputy.min_political_theory.rank, c.id


def test_served_difficult_where_they_serve_and_for_some_others(horizon):
    _, scn = horizon
    units = {u.id: u for u in scn.units}

    def difficult(uid: str | None) -> bool:
        while uid is not None:
            if units[uid].difficult:
                return True
            uid = units[uid].parent
        return False

    assert all(c.served_difficult for c in scn.candidates if difficult(c.serves_at))
    elsewhere = [c for c in scn.candidates if not difficult(c.serves_at)]
    assert 0 < sum(c.served_difficult for c in elsewhere) < 0.5 * len(elsewhere)


def test_one_period_has_no_newcomers():
    gen = generate("legacy", fraction=0.05, seed=7, periods=[2026])
    assert gen.periods == [2026]
    assert not [c for c in gen.candidates if c["joins"]]
    assert all(c["leaves"] is None or c["leaves"] < 2031 for c in gen.candidates)


@pytest.mark.parametrize("periods", [[], [2031, 2026], [2026, 2026], [1950, 2000]])
def test_bad_periods_are_refused(periods):
    with pytest.raises(ValueError):
        check_periods(periods)
    with pytest.raises(ValueError):
        generate("legacy", fraction=0.05, periods=periods)


def test_the_command_writes_a_horizon(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["generate", str(tmp_path / "h"), "--fraction", "0.05",
                                  "--seed", "7", "--periods", "2026,2031,2036"])
    assert result.exit_code == 0, result.output
    assert "periods     2026, 2031, 2036" in result.output
    assert load_scenario(tmp_path / "h" / "scenario.yaml").periods == PERIODS
    result = runner.invoke(main, ["generate", str(tmp_path / "bad"), "--periods", "2026,2021"])
    assert result.exit_code == 2 and "--periods" in result.output
    assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize("name,posts_per_period", [("lookahead.yaml", [2, 2, 2]),
                                                    ("retire.yaml", [3, 2, 3])])
def test_bundled_horizon_scenarios_load(name, posts_per_period):
    scn = load_scenario(HORIZON_DIR / name)
    assert scn.periods == PERIODS
    assert scn.policy is not None and scn.policy.rules
    assert [sum(p.exists_in(y) for p in scn.posts) for y in PERIODS] == posts_per_period
    # the hand-written retirements follow the generator's rule
    leaving = [c for c in scn.candidates if c.leaves is not None]
    assert leaving and all(c.leaves == c.birth_year + RETIREMENT_AGE[c.gender.value] for c in leaving)
