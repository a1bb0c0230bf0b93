"""Options the solver cannot hold, and output folders that cannot be made, are refused before
solving: exit 2, the option named, no traceback (issue 14, items 4 and 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from reporting import SMALL

from planner.cli import main


def _no_solve(*args, **kwargs):
    raise AssertionError("solve must not be reached")


def _refused(args: list[str], monkeypatch, *named: str) -> str:
    monkeypatch.setattr("planner.cli.solving.solve", _no_solve)
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    for name in named:
        assert name in res.output, res.output
    return res.output


@pytest.mark.parametrize("option,value", [
    ("--gap", "nan"), ("--gap", "inf"), ("--time-limit", "nan"), ("--time-limit", "inf"),
    ("--time-limit", "-inf"), ("--time-limit", "0"),
])
def test_nan_and_infinite_numbers_are_refused(tmp_path: Path, monkeypatch, option, value):
    _refused(["solve", str(SMALL), "-o", str(tmp_path / "o"), option, value], monkeypatch, option)
    assert not (tmp_path / "o" / "summary.json").exists()


@pytest.mark.parametrize("option,value", [
    ("--workers", str(2**31)), ("--seed", str(2**31)), ("--seed", str(-(2**31) - 1)),
    ("--change-weight", str(10**19)), ("--relax-weight", str(10**19)),
])
def test_integers_beyond_the_solver_are_refused(tmp_path: Path, monkeypatch, option, value):
    _refused(["solve", str(SMALL), "-o", str(tmp_path / "o"), option, value], monkeypatch, option)


def test_fit_refuses_a_nan_time_limit(monkeypatch):
    res = CliRunner().invoke(main, ["fit", str(SMALL), "--candidate", "x", "--time-limit", "nan"])
    assert res.exit_code == 2 and "--time-limit" in res.output, res.output


def test_an_output_folder_under_a_regular_file_is_refused_before_solving(tmp_path: Path,
                                                                          monkeypatch):
    (tmp_path / "file").write_text("x")
    out = _refused(["solve", str(SMALL), "-o", str(tmp_path / "file" / "o")], monkeypatch, "--out")
    assert str(tmp_path / "file" / "o") in out


def test_an_output_folder_in_proc_is_refused_before_solving(monkeypatch):
    _refused(["solve", str(SMALL), "-o", "/proc/planner-out"], monkeypatch, "--out")


def test_an_output_folder_name_too_long_is_refused_before_solving(tmp_path: Path, monkeypatch):
    _refused(["solve", str(SMALL), "-o", str(tmp_path / ("x" * 300))], monkeypatch, "--out")


@pytest.mark.parametrize("content", ["[]", "3", '"text"', "null"])
def test_explain_of_a_summary_that_is_not_an_object_exits_2(tmp_path: Path, content: str):
    (tmp_path / "summary.json").write_text(content)
    res = CliRunner().invoke(main, ["explain", str(tmp_path)])
    assert res.exit_code == 2, res.output
    assert "summary.json" in res.output and "JSON object" in res.output
    (tmp_path / "plan.csv").write_text("post_id,candidate_id\n")
    res = CliRunner().invoke(main, ["explain", str(tmp_path)])
    assert res.exit_code == 2 and "JSON object" in res.output, res.output


def test_summary_json_is_strict_json(tmp_path: Path):
    res = CliRunner().invoke(main, ["solve", str(SMALL), "-o", str(tmp_path), "--time-limit", "1",
                                    "--workers", "1", "--no-report", "--no-excel", "-q"])
    assert res.exit_code == 0, res.output

    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    json.loads((tmp_path / "summary.json").read_text(), parse_constant=refuse)


def test_every_malformed_pin_is_listed_not_the_first(tmp_path: Path, monkeypatch):
    out = _refused(["solve", str(SMALL), "-o", str(tmp_path / "o"), "--fix", "nopin",
                    "--fix", "=x", "--forbid", "also-bad", "--forbid", "NO-SUCH-POST=NOBODY"],
                   monkeypatch, "--fix", "--forbid")
    for text in ("'nopin'", "'=x'", "'also-bad'", "unknown post 'NO-SUCH-POST'"):
        assert text in out, out


def test_diff_of_plans_of_unrelated_scenarios_warns(tmp_path: Path):
    other = tmp_path / "other.yaml"
    other.write_text(SMALL.read_text(encoding="utf-8").replace("name: ha-giang-small",
                                                                "name: somewhere-else"))
    for name, scenario in (("a", SMALL), ("b", other)):
        res = CliRunner().invoke(main, ["solve", str(scenario), "-o", str(tmp_path / name),
                                        "--time-limit", "1", "--workers", "1", "-q",
                                        "--no-report", "--no-excel"])
        assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["diff", str(tmp_path / "a"), str(tmp_path / "b")])
    assert res.exit_code == 0, res.output
    assert "different scenarios ('ha-giang-small' and 'somewhere-else')" in res.output
    for name, post in (("c", "X-1"), ("d", "Y-1")):  # no summary: compared by ids alone
        (tmp_path / name).mkdir()
        (tmp_path / name / "plan.csv").write_text(f"post_id,candidate_id\n{post},c1\n")
    res = CliRunner().invoke(main, ["diff", str(tmp_path / "c"), str(tmp_path / "d")])
    assert res.exit_code == 0, res.output
    assert "different posts (0 of 2 shared)" in res.output, res.output
