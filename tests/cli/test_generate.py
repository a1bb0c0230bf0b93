"""`planner generate`: the command writes the files, reports the counts, exits 2 on bad usage."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from planner import load_scenario
from planner.cli.generate import generate_cmd
from planner.generate import admin_data


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


