"""`planner sweep`: a grid with infeasible points, the Pareto front, and `--from`."""

from __future__ import annotations

import csv

from research_data import TINY, TINY_FILL, invoke, write


def _csv(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_sweep_with_infeasible_points(tmp_path):
    scn = write(tmp_path, "fill.yaml", TINY_FILL)
    out = tmp_path / "out"
    res = invoke("sweep", scn, "--vary", "young_cadres.min_share=0:1:0.25", "-j", "1",
                 "--pareto", "moved,young_share", "-o", out)
    assert res.exit_code == 0, res.output
    rows = _csv(out / "sweep.csv")
    axis = "young_cadres.min_share"
    assert [(r[axis], r["status"]) for r in rows] == [
        ("0", "optimal"), ("0.25", "optimal"), ("0.5", "optimal"), ("0.75", "infeasible"),
        ("1", "infeasible")]
    assert [r["objective"] for r in rows] == ["170", "170", "170", "", ""]
    assert rows[0]["young_age"] == "50"  # the yardstick follows the policy's young_cadres rule
    assert rows[0]["young_share"] == "0.5"
    assert [r["pareto"] for r in rows] == ["true", "true", "true", "false", "false"]
    assert "no plan at 2 point(s)" in res.output
    assert "young_cadres.min_share=0.75 (infeasible)" in res.output
    for name in ("sweep.csv", "sweep.md", "sweep.png", "sweep-pareto.png"):
        assert (out / name).stat().st_size > 0
    md = (out / "sweep.md").read_text(encoding="utf-8")
    assert "| 0.75 |  | infeasible |" in md


def test_sweep_2d_grid_and_pareto_front(tmp_path):
    scn = write(tmp_path, "tiny.yaml", TINY)
    out = tmp_path / "out"
    res = invoke("sweep", scn, "--vary", "non_local.min_share=0,1", "--vary", "weights.move=0,5",
                 "-j", "1", "--pareto", "moved,objective", "-o", out)
    assert res.exit_code == 0, res.output
    rows = _csv(out / "sweep.csv")
    got = [(r["non_local.min_share"], r["weights.move"], r["objective"], r["moved"], r["pareto"])
           for r in rows]
    # share 0: nobody moves (170); share 1: A and B swap, paying 2 moves x the move weight
    assert got == [("0", "0", "170", "0", "true"), ("0", "5", "170", "0", "true"),
                   ("1", "0", "170", "2", "false"), ("1", "5", "160", "2", "false")]


def test_sweep_from_results_renders_without_solving(tmp_path, monkeypatch):
    scn = write(tmp_path, "fill.yaml", TINY_FILL)
    out = tmp_path / "out"
    assert invoke("sweep", scn, "--vary", "young_cadres.min_share=0,1", "-j", "1",
                  "-o", out).exit_code == 0
    from planner.research import runner

    def no_solver(*args, **kwargs):
        raise AssertionError("--from must not solve")

    monkeypatch.setattr(runner, "_solve", no_solver)
    again = tmp_path / "again"
    res = invoke("sweep", "--from", out / "results.sqlite", "-o", again)
    assert res.exit_code == 0, res.output
    assert (again / "sweep.csv").read_text() == (out / "sweep.csv").read_text()
    assert (again / "sweep-pareto.png").stat().st_size > 0
    res = invoke("price", "--from", out / "results.sqlite", "-o", again)
    assert res.exit_code == 2 and "holds no runs of planner price" in res.output
