"""A run folder is one set (issue 14, items 1 and 3): summary.json records the sha256 of every
other file and of the scenario and policy; a new set replaces the old one as a unit; readers
settle an interrupted write and say when files do not belong together; what is replaced is said
before it is replaced."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from click.testing import CliRunner
from reporting import SMALL, small_result

import planner.io.atomic as atomic
from planner.cli import main
from planner.explain.plan import load_run
from planner.explain.whatif import Inputs
from planner.output.folder import write_run
from planner.output.summary import RunRecord
from planner.solver.result import Result, Status

STAGING = ".staging"
"""Where the next set is written first (planner.io.atomic.STAGING)."""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


REC = RunRecord(Inputs(str(SMALL)))
"""What `planner solve SMALL` records: so that `explain` rebuilds the run."""


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _whole(out: Path) -> dict:
    """Assert `out` holds one complete set and nothing else; its summary."""
    data = _summary(out)
    assert sorted(p.name for p in out.iterdir()) == sorted([*data["files"], "summary.json"])
    for name, digest in data["files"].items():
        assert sha256_file(out / name) == digest, name
    return data


def _invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_summary_records_the_sha256_of_every_file_and_of_the_inputs(tmp_path: Path):
    result, scn = small_result()
    written = write_run(tmp_path, result, scn, None, REC)
    data = _whole(tmp_path)
    assert set(data["files"]) == {"plan.csv", "report.html", "plan.xlsx"}
    assert written.files == ["plan.csv", "summary.json", "report.html", "plan.xlsx"]
    assert len(data["scenario_sha256"]) == 64 and len(data["policy_sha256"]) == 64


def test_an_unmarked_staging_folder_is_removed_and_the_earlier_set_stands(tmp_path: Path):
    result, scn = small_result()
    write_run(tmp_path, result, scn, None, REC)
    before = (tmp_path / "plan.csv").read_bytes()
    (tmp_path / STAGING).mkdir()
    (tmp_path / STAGING / "plan.csv").write_text("post_id,candidate_id\nhalf")  # killed mid-write
    res = _invoke("check", SMALL, tmp_path / "plan.csv")
    assert res.exit_code == 0, res.output
    assert not (tmp_path / STAGING).exists()
    assert (tmp_path / "plan.csv").read_bytes() == before
    _whole(tmp_path)


def test_a_marked_set_cut_short_is_rolled_forward_by_the_next_reader(tmp_path: Path, monkeypatch):
    result, scn = small_result()
    write_run(tmp_path, result, scn, None, REC)
    other = scn.model_copy(update={"name": "another"})
    real = atomic._roll_forward

    def killed(folder: Path, names: list[str], remove: list[str]) -> None:
        atomic.os.replace(folder / STAGING / names[0], folder / names[0])
        raise SystemExit("killed")  # the new plan.csv is in place beside the old summary

    monkeypatch.setattr(atomic, "_roll_forward", killed)
    try:
        write_run(tmp_path, result, other, None, REC, html=False)
    except SystemExit:
        pass
    monkeypatch.setattr(atomic, "_roll_forward", real)
    assert (tmp_path / STAGING).is_dir()
    res = _invoke("explain", tmp_path)
    assert res.exit_code == 0, res.output
    assert "finished moving" in res.output
    data = _whole(tmp_path)
    assert data["scenario"] == "another" and not (tmp_path / "report.html").exists()


def test_readers_say_which_files_are_another_runs(tmp_path: Path):
    result, scn = small_result()
    write_run(tmp_path, result, scn, None, REC)
    with open(tmp_path / "report.html", "a", encoding="utf-8") as fh:
        fh.write("<!-- another run -->")
    for args in (["explain", tmp_path], ["check", SMALL, tmp_path / "plan.csv"],
                 ["diff", tmp_path, tmp_path]):
        res = _invoke(*args)
        assert res.exit_code == 0, res.output
        assert "report.html does not belong to" in res.output, (args, res.output)


def test_the_worse_plan_note_comes_before_anything_is_replaced(tmp_path: Path):
    result, scn = small_result()
    write_run(tmp_path, result, scn, None, REC)
    data = _summary(tmp_path)
    data["objective"] += 1000
    (tmp_path / "summary.json").write_text(json.dumps(data))
    seen = []

    def tell(note: str) -> None:
        seen.append((note, _summary(tmp_path)["objective"]))

    written = write_run(tmp_path, result, scn, None, REC, tell=tell)
    assert [n for n, _ in seen if "worse" in n], seen
    assert all(objective == data["objective"] for _, objective in seen)  # not yet replaced
    assert not [n for n in written.notes if "worse" in n]  # said once
    _whole(tmp_path)


def test_a_plan_of_another_scenario_or_policy_is_said_to_be_replaced(tmp_path: Path):
    result, scn = small_result()
    write_run(tmp_path, result, scn, None, REC)
    other = scn.model_copy(update={"name": "another"})
    notes = write_run(tmp_path, result, other, None).notes
    assert any("another scenario" in n and "'another'" in n for n in notes), notes
    policy = scn.policy.model_copy(update={"name": "stricter"})
    notes = write_run(tmp_path, result, other, policy).notes
    assert any("another policy" in n and "'stricter'" in n for n in notes), notes
    assert not write_run(tmp_path, result, other, policy).notes  # the same inputs: no note


def test_a_run_without_a_plan_keeps_the_folder_self_consistent(tmp_path: Path):
    result, scn = small_result()
    write_run(tmp_path, result, scn, None, REC)
    plan = (tmp_path / "plan.csv").read_bytes()
    written = write_run(tmp_path, Result(Status.unknown, None, None, {}, None), scn, None)
    assert any("left as they were" in n for n in written.notes), written.notes
    data = _whole(tmp_path)
    assert data["status"] == "unknown" and data["plan_file"] == "plan.csv"
    assert set(data["files"]) == {"plan.csv", "report.html", "plan.xlsx"}
    assert data["earlier_run"]["objective"] == result.objective
    assert (tmp_path / "plan.csv").read_bytes() == plan
    run = load_run(tmp_path)
    assert any("explaining the earlier run's plan" in n for n in run.notes), run.notes


def test_a_new_set_without_reports_drops_the_earlier_reports(tmp_path: Path):
    result, scn = small_result()
    write_run(tmp_path, result, scn, None, REC)
    written = write_run(tmp_path, result, scn, None, html=False, excel=False)
    assert not (tmp_path / "report.html").exists() and not (tmp_path / "plan.xlsx").exists()
    assert any("report.html and plan.xlsx" in n for n in written.notes), written.notes
    assert set(_whole(tmp_path)["files"]) == {"plan.csv"}


def test_two_writers_of_one_folder_take_turns(tmp_path: Path):
    result, scn = small_result()
    errors = []

    def writer(name: str) -> None:
        try:
            for _ in range(4):
                write_run(tmp_path, result, scn.model_copy(update={"name": name}), None, REC,
                          excel=False)
        except Exception as exc:  # a writer that removed the other's staging folder
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _whole(tmp_path)["scenario"] in ("one", "two")
