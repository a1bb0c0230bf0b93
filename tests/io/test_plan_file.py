"""Reading a plan.csv for `planner check` (contract section 5): `post_id,candidate_id` first, an
empty candidate for a vacant post, further columns ignored. A missing, repeated or unknown post
makes the plan invalid (a problem to report, exit 1); a file that is no plan at all is an
:class:`InputError` (exit 2)."""

from pathlib import Path

import pytest
from builders import cand, post, scenario, unit

from planner.errors import InputError
from planner.io.plan_file import read_plan

SCN = scenario([unit("P1", "province"), unit("D1", "district", parent="P1")],
               [post("P1-DIR", "P1", "director"), post("D1-CH", "D1"), post("D1-DEP", "D1", "deputy")],
               [cand("A", home="P1"), cand("B", home="P1")])


def plan_file(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "plan.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_plan_read_with_vacancies_and_extra_columns(tmp_path):
    text = ("\ufeffpost_id,candidate_id,unit,name\n"
            "P1-DIR,A,P1,Anh\n"
            "\n"                    # blank lines are skipped
            " D1-CH , ,D1,\n"       # cells are trimmed; an empty candidate is a vacancy
            "D1-DEP,B\n")
    plan, problems = read_plan(plan_file(tmp_path, text), SCN)
    assert plan == {"P1-DIR": "A", "D1-CH": None, "D1-DEP": "B"} and problems == []


def test_plan_problems_are_all_reported(tmp_path):
    text = ("post_id,candidate_id\n"
            "P1-DIR,A\n"
            "XX,B\n"
            "P1-DIR,B\n"
            "D1-CH,ZZ\n")   # an unknown candidate is the checker's to find, not the reader's
    plan, problems = read_plan(plan_file(tmp_path, text), SCN)
    assert plan == {"P1-DIR": "A", "D1-CH": "ZZ"}
    assert problems == ["row 3: unknown post 'XX'", "row 4: post P1-DIR is listed twice",
                        "post D1-DEP is missing from the plan"]


@pytest.mark.parametrize("content,words", [
    ("post,candidate\nP1-DIR,A\n", "expected a header starting post_id,candidate_id, got 'post,candidate'"),
    ("", "expected a header starting post_id,candidate_id, got an empty file"),
    (b"post_id,candidate_id\nP1-DIR,\xff\n", "expected UTF-8 text, found the byte 0xff (byte 28)"),
])
def test_a_file_that_is_no_plan(tmp_path, content, words):
    with pytest.raises(InputError) as info:
        read_plan(plan_file(tmp_path, content), SCN)
    (problem,) = info.value.problems
    assert problem.message == words and problem.file.endswith("plan.csv")


def test_a_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_plan(tmp_path / "nope.csv", SCN)
    (problem,) = info.value.problems
    assert problem.message.startswith("cannot read file")
