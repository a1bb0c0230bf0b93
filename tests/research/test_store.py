"""The results file: rows stored as each solve ends, --resume, interruption, `compare --from`."""

from __future__ import annotations

import csv
import sqlite3

import pytest
from research_data import LAX, SOFT, STRICT, TINY, TINY_FILL, invoke, write

from planner.research import runner
from planner.research.store import Store, StoreError


@pytest.fixture
def calls(monkeypatch):
    """Count the solver calls of batches run in this process (-j 1)."""
    real = runner._solve
    seen: list[str] = []

    def counting(scenario, policy, **kwargs):
        seen.append(policy.name)
        return real(scenario, policy, **kwargs)

    monkeypatch.setattr(runner, "_solve", counting)
    return seen


def test_compare_writes_one_row_per_scenario_and_policy(tmp_path, calls):
    a, b = write(tmp_path, "tiny.yaml", TINY), write(tmp_path, "fill.yaml", TINY_FILL)
    pols = [write(tmp_path, f"{n}.yaml", t) for n, t in (("strict", STRICT), ("lax", LAX))]
    out = tmp_path / "out"
    res = invoke("compare", a, b, "--policy", pols[0], "--policy", pols[1], "-j", "1", "-o", out)
    assert res.exit_code == 0, res.output
    with open(out / "compare.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["scenario_name"], r["label"], r["status"], r["objective"]) for r in rows] == [
        ("tiny", "strict", "optimal", "160"), ("tiny", "lax", "optimal", "170"),
        ("tiny-fill", "strict", "optimal", "160"), ("tiny-fill", "lax", "optimal", "170")]
    first = rows[0]
    # reproducibility: hashes, versions, seed, workers, time limit
    assert len(first["scenario_hash"]) == 64 and len(first["policy_hash"]) == 64
    assert first["planner_version"] and first["ortools_version"]
    assert (first["seed"], first["workers"], first["time_limit"], first["deterministic"]) == \
           ("0", "1", "30.0", "true")
    assert rows[0]["scenario_hash"] != rows[2]["scenario_hash"]
    assert rows[0]["policy_hash"] == rows[2]["policy_hash"] != rows[1]["policy_hash"]
    # women: the soft gender rule (0.5) holds with A on a post
    assert first["female_share"] == "0.5" and first["soft:gender_balance[min_share=0.5]"] == "0"
    assert calls == ["strict", "lax", "strict", "lax"]
    for name in ("compare.csv", "compare.md", "compare.png"):
        assert (out / name).stat().st_size > 0


def test_resume_skips_the_runs_already_stored(tmp_path, calls):
    scn = write(tmp_path, "tiny.yaml", TINY)
    pols = [write(tmp_path, f"{n}.yaml", t) for n, t in (("strict", STRICT), ("lax", LAX),
                                                          ("soft", SOFT))]
    out = tmp_path / "out"
    assert invoke("compare", scn, "--policy", pols[0], "--policy", pols[1], "-j", "1",
                  "-o", out).exit_code == 0
    assert calls == ["strict", "lax"]
    res = invoke("compare", scn, "--policy", pols[0], "--policy", pols[1], "--policy", pols[2],
                 "-j", "1", "-o", out, "--resume")
    assert res.exit_code == 0, res.output
    assert "3 runs, 2 already stored (--resume): 1 on this process" in res.output
    assert calls == ["strict", "lax", "soft"]  # only the new policy was solved
    assert len(Store(out / "results.sqlite")) == 3
    with open(out / "compare.csv", encoding="utf-8") as fh:
        assert [r["label"] for r in csv.DictReader(fh)] == ["strict", "lax", "soft"]
    # another seed is another run
    assert invoke("compare", scn, "--policy", pols[0], "-j", "1", "-o", out, "--resume",
                  "--seed", "1").exit_code == 0
    assert calls[-1] == "strict" and len(calls) == 4


def test_an_interrupted_batch_keeps_every_finished_run(tmp_path, monkeypatch):
    scn = write(tmp_path, "fill.yaml", TINY_FILL)
    out = tmp_path / "out"
    db = out / "results.sqlite"
    real = runner._solve
    seen = []

    def interrupted_at_the_third(scenario, policy, **kwargs):
        seen.append(policy.rules[1].min_share)
        if len(seen) == 3:
            # the two finished runs are committed: another connection sees them
            with sqlite3.connect(db) as other:
                assert other.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2
            raise KeyboardInterrupt
        return real(scenario, policy, **kwargs)

    monkeypatch.setattr(runner, "_solve", interrupted_at_the_third)
    args = ["sweep", scn, "--vary", "young_cadres.min_share=0:1:0.25", "-j", "1", "-o", out]
    res = invoke(*args)
    assert res.exit_code == 130
    assert "interrupted: 2 of 5 runs are stored" in res.output and "--resume" in res.output
    store = Store(db, create=False)
    assert [r["variant"]["values"]["young_cadres.min_share"] for r in store.rows()] == ["0", "0.25"]
    assert all(r["status"] == "optimal" for r in store.rows())

    seen.clear()
    monkeypatch.setattr(runner, "_solve", lambda s, p, **k: (seen.append(p.rules[1].min_share),
                                                             real(s, p, **k))[1])
    res = invoke(*args, "--resume")
    assert res.exit_code == 0, res.output
    assert seen == [0.5, 0.75, 1.0]  # only the three runs not stored
    assert [r["status"] for r in Store(db).rows()] == ["optimal"] * 3 + ["infeasible"] * 2


def test_compare_from_results_renders_again_without_solving(tmp_path, monkeypatch):
    scn = write(tmp_path, "tiny.yaml", TINY)
    pols = [write(tmp_path, f"{n}.yaml", t) for n, t in (("strict", STRICT), ("lax", LAX))]
    out = tmp_path / "out"
    assert invoke("compare", scn, "--policy", pols[0], "--policy", pols[1], "-j", "1",
                  "-o", out).exit_code == 0

    def no_solver(*args, **kwargs):
        raise AssertionError("--from must not solve")

    monkeypatch.setattr(runner, "_solve", no_solver)
    again = tmp_path / "again"
    res = invoke("compare", "--from", out / "results.sqlite", "-o", again)
    assert res.exit_code == 0, res.output
    assert (again / "compare.csv").read_text() == (out / "compare.csv").read_text()
    assert (again / "compare.md").read_text().count("| tiny |") == 4  # metrics and soft rules
    assert (again / "compare.png").stat().st_size > 0
    assert "strict" in res.output and "lax" in res.output


def test_from_refuses_what_is_not_a_results_file(tmp_path):
    res = invoke("compare", "--from", tmp_path / "missing.sqlite")
    assert res.exit_code == 2 and "no such results file" in res.output
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all, just text " * 100)
    res = invoke("compare", "--from", junk)
    assert res.exit_code == 2 and "not a results file" in res.output
    with pytest.raises(StoreError):
        Store(junk, create=False)


def test_a_worker_refuses_a_changed_scenario_or_other_code(tmp_path):
    from planner.io.loader import load_scenario
    from planner.research.runner import SolveOptions, make_job, run_job, scenario_hash
    from planner.research.variants import Variant

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    scn = load_scenario(path)
    job = make_job("compare", path, scn, Variant("own", scn.policy), SolveOptions(time_limit=5))
    assert job["scenario_hash"] == scenario_hash(scn)
    assert run_job(job)["status"] == "optimal"
    row = run_job(dict(job, code_hash="0" * 16))
    assert row["status"] == "error" and "other planner code" in row["error"]
    path.write_text(TINY.replace("merit: 80", "merit: 81"), encoding="utf-8")
    runner._SCENARIOS.clear()
    row = run_job(job)
    assert row["status"] == "error"
    assert "is not the scenario the batch was planned with" in row["error"]


def test_a_failed_run_is_stored_and_exits_4(tmp_path, monkeypatch):
    scn = write(tmp_path, "tiny.yaml", TINY)
    out = tmp_path / "out"

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "_solve", broken)
    res = invoke("compare", scn, "-j", "1", "-o", out)
    assert res.exit_code == 4
    assert "RuntimeError: boom" in res.output
    (row,) = Store(out / "results.sqlite").rows()
    assert row["status"] == "error" and row["error"] == "RuntimeError: boom"
    monkeypatch.undo()
    res = invoke("compare", scn, "-j", "1", "-o", out, "--resume")  # failed runs are redone
    assert res.exit_code == 0, res.output
    assert Store(out / "results.sqlite").rows()[0]["status"] == "optimal"
