"""`planner generate --countries N`: several countries side by side, ids kept unique."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from planner.cli.generate import generate_cmd
from planner.generate import generate, scenario_files
from planner.generate.countries import ID_FIELDS, prefixed_rows


def _unprefixed(rows: list[dict], table: str, prefix: str) -> list[dict]:
    """`rows` with `prefix` taken off every id field (the inverse of prefixed_rows)."""
    def strip(v):
        if isinstance(v, list):
            return [x.removeprefix(prefix) for x in v]
        return v.removeprefix(prefix) if isinstance(v, str) else v
    return [{k: strip(v) if k in ID_FIELDS[table] else v for k, v in r.items()} for r in rows]


@pytest.fixture(scope="module")
def two() -> tuple:
    return generate("legacy", 0.05, seed=5), generate("legacy", 0.05, seed=5, countries=2)


def test_one_country_writes_the_same_bytes_as_no_option(tmp_path):
    runner = CliRunner()
    assert runner.invoke(generate_cmd, [str(tmp_path / "a"), "--fraction", "0.05"]).exit_code == 0
    res = runner.invoke(generate_cmd, [str(tmp_path / "b"), "--fraction", "0.05",
                                       "--countries", "1"])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes()
               for n in names)


def test_first_copy_is_the_single_country_and_the_second_is_prefixed(two):
    one, both = two
    for table in ID_FIELDS:
        rows, n = getattr(both, table), len(getattr(one, table))
        assert rows[:n] == getattr(one, table)
        assert all(v.startswith("C2-") for r in rows[n:] for f in ID_FIELDS[table]
                   for v in ([r[f]] if isinstance(r.get(f), str) else r.get(f) or []))
    assert both.name == "vietnam-legacy-0.05-seed5-countries2"
    assert both.meta["countries"] == 2 and both.policy == one.policy


def test_second_copy_is_drawn_with_its_own_seed(two):
    one, both = two
    n = len(one.candidates)
    second = _unprefixed(both.candidates[n:], "candidates", "C2-")
    assert second != one.candidates
    assert [c["id"] for c in both.candidates[n:n + 2]] == ["C2-O000001", "C2-O000002"]


def test_copies_make_one_valid_scenario_with_unique_ids(two):
    _, both = two
    scn = both.to_scenario()  # every reference resolves, no id repeated
    assert len({u.id for u in scn.units}) == len(scn.units) == len(both.units)
    assert len({c.id for c in scn.candidates}) == len(scn.candidates) == len(both.candidates)
    assert sum(u.kind.value == "ministry" for u in scn.units) == 6


def test_prefixed_rows_prefix_ids_and_lists_only():
    rows = [{"id": "O1", "name": "An", "home": "C1", "serves_at": "P1", "current_post": None,
             "ties": ["C2", "C3"], "preferences": None, "merit": 5}]
    assert prefixed_rows(rows, "candidates", "C3-") == [
        {"id": "C3-O1", "name": "An", "home": "C3-C1", "serves_at": "C3-P1", "current_post": None,
         "ties": ["C3-C2", "C3-C3"], "preferences": None, "merit": 5}]


def test_countries_with_careers_and_periods():
    gen = generate("legacy", 0.05, seed=5, periods=[2026, 2031], careers=True, countries=2)
    files = scenario_files(gen)
    assert "policy-careers.yaml" in files
    scn = gen.to_scenario()
    assert scn.periods == [2026, 2031]
    posts = {p.id for p in scn.posts}
    planned = [p for c in scn.candidates if c.id.startswith("C2-") for p in c.planned_for or []]
    assert planned and all(p.startswith("C2-") and p in posts for p in planned)


def test_countries_below_one_is_refused(tmp_path):
    res = CliRunner().invoke(generate_cmd, [str(tmp_path), "--countries", "0"])
    assert res.exit_code == 2 and "--countries" in res.output
    with pytest.raises(ValueError, match="countries must be at least 1, not 0"):
        generate("legacy", 0.05, countries=0)
