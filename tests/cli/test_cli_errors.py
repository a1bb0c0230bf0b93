"""The `planner` command on bad input (contract sections 5 and 6).

Invalid scenarios, policies and unreadable plan files exit 2 with every problem listed as
`file:line: field: message` and no Python traceback; `planner check` exits 1 for a plan that
reads fine but is invalid (missing, repeated or unknown post, unknown candidate, a candidate
on two posts). A failed `solve` writes nothing.

Most tests run the command in-process with click's CliRunner (fast); a few run
`python -m planner` in a subprocess to see the real stderr and exit status.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import planner.io.yamlio
from planner.cli import main

SCENARIO = """\
name: tiny
term_start: 2026
units:
  - {id: M, name: Ministry, kind: ministry}
  - {id: P1, name: Prov 1, kind: province}
  - {id: D1, name: Dist 1, kind: district, parent: P1}
posts:
  - {id: P1-DIR, unit: P1, role: director}
  - {id: D1-CH, unit: D1, role: chief}
candidates:
  - {id: A, name: Anh, home: M, serves_at: M, birth_year: 1970, gender: female, education: master, political_theory: advanced, rating: excellent, merit: 90}
  - {id: B, name: Binh, home: D1, serves_at: D1, birth_year: 1980, gender: male, education: university, political_theory: intermediate, rating: good, merit: 70}
  - {id: C, name: Chi, home: M, serves_at: M, birth_year: 1985, gender: male, education: university, political_theory: intermediate, rating: good, merit: 60}
policy:
  name: p
  rules:
    - {rule: non_local, unit_kind: province, roles: [director]}
  weights: {move: 1}
"""

BROKEN = (SCENARIO.replace("merit: 90", "merit: 190")
          .replace("kind: district", "kind: county")
          .replace("{id: D1-CH, unit: D1,", "{id: D1-CH, unit: DX,"))
"""Three problems: merit out of range (line 11), unknown kind (line 6), unknown unit (line 9)."""


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    return result


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    return path


def assert_lists_broken(text: str, path: Path) -> None:
    assert "3 problems found" in text
    assert f"{path}:6: units[2].kind: expected ministry, province, district or commune" in text
    assert f"{path}:9: posts[1].unit: unknown unit 'DX'" in text
    assert f"{path}:11: candidates[0].merit: expected an integer from 0 to 100, got 190" in text


# -- validate ----------------------------------------------------------------------------------

def test_validate_accepts_a_good_scenario(good: Path):
    result = cli("validate", str(good))
    assert result.exit_code == 0
    assert "valid" in result.stdout and "3 candidates" in result.stdout


def test_validate_lists_every_problem_and_exits_2(broken: Path):
    proc = run("validate", str(broken))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert_lists_broken(proc.stderr, broken)
    assert proc.stdout == ""


@pytest.mark.parametrize("text, words", [
    ("name: [oops\n", ["not valid yaml"]),
    ("name: !!python/object/apply:os.system ['echo pwned']\n", ["tag"]),
    ("a: &a [*a]\n", ["recursive alias"]),
    ("- just\n- a list\n", ["expected a scenario"]),
    ("", ["empty"]),
])
def test_validate_unreadable_yaml(tmp_path: Path, text: str, words: list[str]):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert "pwned" not in result.output
    for w in words:
        assert w in result.stderr.lower()
    assert str(path) in result.stderr


def test_validate_alias_bomb(tmp_path: Path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = cli("validate", str(path))
    assert result.exit_code == 2 and "alias bomb" in result.stderr


def test_validate_oversized_file(good: Path, monkeypatch):
    monkeypatch.setattr(planner.io.yamlio, "MAX_FILE_BYTES", 200)
    result = cli("validate", str(good))
    assert result.exit_code == 2 and "too large" in result.stderr


def test_validate_non_utf8(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(SCENARIO.replace("Binh", "Bình").encode("latin-1"))
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:12:" in result.stderr and "UTF-8" in result.stderr


def test_validate_missing_file(tmp_path: Path):
    result = cli("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_validate_a_folder(tmp_path: Path):
    result = cli("validate", str(tmp_path))
    assert result.exit_code == 2


def test_validate_with_bad_policy_file(good: Path, tmp_path: Path):
    pol = tmp_path / "pol.yaml"
    pol.write_text("name: x\nrules:\n  - {rule: fill, hard: false}\nweights: {merit: -1}\n")
    result = cli("validate", str(good), "--policy", str(pol))
    assert result.exit_code == 2
    assert f"{pol}:3: rules[0].weight:" in result.stderr
    assert f"{pol}:4: weights.merit: expected an integer from 0 to 1000000, got -1" in result.stderr


def test_validate_reports_scenario_and_policy_problems_together(broken: Path, tmp_path: Path):
    pol = tmp_path / "pol.yaml"
    pol.write_text("name: x\nrules:\n  - {rule: nope}\n")
    result = cli("validate", str(broken), "--policy", str(pol))
    assert result.exit_code == 2
    assert "4 problems found" in result.stderr
    assert f"{pol}:3: rules[0].rule: unknown rule type 'nope'" in result.stderr


def test_validate_missing_policy_file(good: Path, tmp_path: Path):
    result = cli("validate", str(good), "--policy", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_policy_option_replaces_the_scenarios_own(good: Path, tmp_path: Path):
    pol = tmp_path / "pol.yaml"
    pol.write_text("name: other\nrules:\n  - {rule: fill}\n  - {rule: kinship}\n")
    result = cli("validate", str(good), "--policy", str(pol))
    assert result.exit_code == 0 and "2 rules" in result.stdout


def test_csv_problems_through_the_command(tmp_path: Path):
    head, rest = SCENARIO.split("candidates:\n")
    text = head + "candidates: {csv: c.csv}\n" + rest[rest.index("policy:"):]
    (tmp_path / "s.yaml").write_text(text)
    (tmp_path / "c.csv").write_text(
        "id,name,home,serves_at,birth_year,gender,education,political_theory,rating,merit,colour\n"
        "A,Anh,M,M,1970,female,master,advanced,excellent,90,red\n"
        "B,Binh,D1,D1,1980,male,university,intermediate,good,70,blue,extra\n")
    result = cli("validate", str(tmp_path / "s.yaml"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'c.csv'} row 1: colour: unknown column" in result.stderr
    assert f"{tmp_path / 'c.csv'} row 3: expected at most 11 cells" in result.stderr


def test_csv_path_leaving_the_folder_through_the_command(tmp_path: Path):
    head, rest = SCENARIO.split("candidates:\n")
    path = tmp_path / "s.yaml"
    path.write_text(head + "candidates: {csv: ../c.csv}\n" + rest[rest.index("policy:"):])
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:10: candidates.csv: path '../c.csv' must stay inside" in result.stderr


# -- solve -------------------------------------------------------------------------------------

def test_solve_bad_input_exits_2_and_writes_nothing(broken: Path, tmp_path: Path):
    out = tmp_path / "out"
    proc = run("solve", str(broken), "-o", str(out), "--workers", "1")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert_lists_broken(proc.stderr, broken)
    assert not out.exists()


def test_solve_bad_input_leaves_an_earlier_plan_alone(broken: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.csv").write_text("post_id,candidate_id\nP1-DIR,A\n")
    before = sorted(p.name for p in out.iterdir())
    result = cli("solve", str(broken), "-o", str(out))
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "plan.csv").read_text() == "post_id,candidate_id\nP1-DIR,A\n"


def test_solve_bad_input_creates_no_default_out_folder(broken: Path, tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    proc = run("solve", str(broken), cwd=work)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert list(work.iterdir()) == []


def test_solve_bad_policy_option_exits_2(good: Path, tmp_path: Path):
    pol = tmp_path / "pol.yaml"
    pol.write_text("name: x\nrules:\n  - {rule: gender_balance, min_share: 1.5}\n")
    out = tmp_path / "out"
    result = cli("solve", str(good), "--policy", str(pol), "-o", str(out))
    assert result.exit_code == 2
    assert f"{pol}:3: rules[0].min_share: expected a number from 0 to 1, got 1.5" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("args", [["--time-limit", "0"], ["--workers", "0"], ["--seed", "x"],
                                  ["--bogus"]])
def test_solve_bad_options_are_usage_errors(good: Path, tmp_path: Path, args: list[str]):
    out = tmp_path / "out"
    result = cli("solve", str(good), "-o", str(out), *args)
    assert result.exit_code == 2
    assert not out.exists()


def test_usage_errors_exit_2():
    assert cli("solve").exit_code == 2
    assert cli("check", "only-one.yaml").exit_code == 2
    assert cli("frobnicate").exit_code == 2


def test_solve_with_too_large_weights_exits_2(good: Path, tmp_path: Path):
    pol = tmp_path / "pol.yaml"
    pol.write_text("name: x\nweights: {merit: 100000000000000000000}\n")
    result = cli("solve", str(good), "--policy", str(pol), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"{pol}:2: weights.merit: expected an integer from 0 to 1000000" in result.stderr


# -- check -------------------------------------------------------------------------------------

def write_plan(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "plan.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def test_check_valid_plan(good: Path, tmp_path: Path):
    plan = write_plan(tmp_path, "post_id,candidate_id,notes\nP1-DIR,A,x\nD1-CH,\n")
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def test_check_bad_scenario_exits_2(broken: Path, tmp_path: Path):
    plan = write_plan(tmp_path, "post_id,candidate_id\nP1-DIR,A\nD1-CH,B\n")
    result = cli("check", str(broken), str(plan))
    assert result.exit_code == 2
    assert_lists_broken(result.stderr, broken)


def test_check_bad_policy_exits_2(good: Path, tmp_path: Path):
    plan = write_plan(tmp_path, "post_id,candidate_id\nP1-DIR,A\nD1-CH,B\n")
    pol = tmp_path / "pol.yaml"
    pol.write_text("name: x\nrules: [{rule: fill, hard: maybe}]\n")
    result = cli("check", str(good), str(plan), "--policy", str(pol))
    assert result.exit_code == 2
    assert f"{pol}:2: rules[0].hard: expected true or false" in result.stderr


@pytest.mark.parametrize("text", [
    "post,candidate\nP1-DIR,A\nD1-CH,B\n",
    "candidate_id,post_id\nA,P1-DIR\nB,D1-CH\n",
    "P1-DIR,A\nD1-CH,B\n",
    "post_id\nP1-DIR\nD1-CH\n",
    "",
])
def test_check_plan_with_bad_header_exits_2(good: Path, tmp_path: Path, text: str):
    plan = write_plan(tmp_path, text)
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 2
    assert f"{plan} row 1: header: expected a header starting post_id,candidate_id" in result.stderr


def test_check_plan_with_bom_header_is_fine(good: Path, tmp_path: Path):
    plan = write_plan(tmp_path, "\ufeffpost_id,candidate_id\nP1-DIR,A\nD1-CH,B\n".encode())
    assert cli("check", str(good), str(plan)).exit_code == 0


def test_check_missing_plan_file_exits_2(good: Path, tmp_path: Path):
    result = cli("check", str(good), str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_check_plan_that_is_a_folder_exits_2(good: Path, tmp_path: Path):
    (tmp_path / "plandir").mkdir()
    result = cli("check", str(good), str(tmp_path / "plandir"))
    assert result.exit_code == 2


def test_check_non_utf8_plan_exits_2(good: Path, tmp_path: Path):
    plan = write_plan(tmp_path, b"post_id,candidate_id\nP1-DIR,\xff\n")
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 2 and "UTF-8" in result.stderr


def test_check_oversized_plan_exits_2(good: Path, tmp_path: Path, monkeypatch):
    import planner.io.plan_file
    monkeypatch.setattr(planner.io.plan_file, "MAX_FILE_BYTES", 10)
    plan = write_plan(tmp_path, "post_id,candidate_id\nP1-DIR,A\nD1-CH,B\n")
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 2 and "too large" in result.stderr


def test_check_plan_with_a_giant_cell_exits_2(good: Path, tmp_path: Path):
    plan = write_plan(tmp_path, 'post_id,candidate_id\nP1-DIR,"' + "x" * 200_000 + '"\n')
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 2 and "not valid CSV" in result.stderr


@pytest.mark.parametrize("text, words", [
    ("post_id,candidate_id\nP1-DIR,A\n", ["post D1-CH is missing from the plan"]),
    ("post_id,candidate_id\nP1-DIR,A\nD1-CH,B\nD1-CH,C\n", ["row 4: post D1-CH is listed twice"]),
    ("post_id,candidate_id\nP1-DIR,A\nD1-CH,B\nX9,C\n", ["row 4: unknown post 'X9'"]),
    ("post_id,candidate_id\nP1-DIR,A\nD1-CH,Zed\n", ["unknown candidate 'Zed'"]),
    ("post_id,candidate_id\nP1-DIR,A\nD1-CH,A\n", ["candidate A is on two posts", "P1-DIR",
                                                   "D1-CH"]),
])
def test_check_invalid_plan_exits_1(good: Path, tmp_path: Path, text: str, words: list[str]):
    plan = write_plan(tmp_path, text)
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 1, result.output
    assert "INVALID" in result.stdout
    for w in words:
        assert w in result.stdout


def test_check_every_plan_problem_at_once(good: Path, tmp_path: Path):
    plan = write_plan(tmp_path, "post_id,candidate_id\nP1-DIR,Zed\nP1-DIR,B\nX9,C\n")
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 1
    for w in ["unknown candidate 'Zed'", "row 3: post P1-DIR is listed twice",
              "row 4: unknown post 'X9'", "post D1-CH is missing"]:
        assert w in result.stdout


def test_check_plan_breaking_a_hard_rule_exits_1(good: Path, tmp_path: Path):
    # B's home D1 lies in P1: a local director, against the hard non_local rule
    plan = write_plan(tmp_path, "post_id,candidate_id\nP1-DIR,B\nD1-CH,A\n")
    result = cli("check", str(good), str(plan))
    assert result.exit_code == 1 and "non_local" in result.stdout
