"""Reading the plan.csv of a horizon (/work/shared/spec/horizon.md, section 5 and clarification
6): `period,post_id,candidate_id`, the period a year of `periods`. A row that is wrong for its
period, or a (period, post) without a row, is a problem (the plan is invalid, exit 1); a file of
the other shape, one period against several or the reverse, is no plan at all (exit 2)."""

from pathlib import Path

import pytest
from builders import cand, post, scenario, unit

from planner.errors import InputError
from planner.io.plan_file import read_horizon_plan, read_plan

POSTS = [post("P1-DIR", "P1", "director"), post("P1-OLD", "P1", closes=2031),
         post("P1-NEW", "P1", opens=2031)]
ONE = scenario([unit("P1", "province")], POSTS, [cand("A", home="P1"), cand("B", home="P1")])
SCN = ONE.model_copy(update={"periods": [2026, 2031]})


def plan_file(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text(content, encoding="utf-8")
    return path


def test_a_horizon_plan_read_with_vacancies_and_extra_columns(tmp_path):
    text = ("\ufeffperiod,post_id,candidate_id,unit\n"
            "2026,P1-DIR,A,P1\n"
            "2026,P1-OLD,,P1\n"
            "\n"
            " 2031 , P1-DIR , B \n"
            "2031,P1-NEW\n")          # no candidate cell: vacant
    plans, problems = read_horizon_plan(plan_file(tmp_path, text), SCN)
    assert plans == {2026: {"P1-DIR": "A", "P1-OLD": None}, 2031: {"P1-DIR": "B", "P1-NEW": None}}
    assert problems == []


def test_every_row_problem_is_named(tmp_path):
    text = ("period,post_id,candidate_id\n"
            "2026,P1-DIR,A\n"
            "2026,P1-DIR,B\n"         # repeated (period, post)
            "2026,P1-NEW,B\n"         # opens 2031
            "2031,P1-OLD,A\n"         # closes 2031
            "2030,P1-DIR,A\n"         # not a period
            "first,P1-DIR,A\n"        # not a year
            "2031,XX,A\n"             # unknown post
            "2031,P1-DIR,ZZ\n")       # an unknown candidate is the checker's to find
    plans, problems = read_horizon_plan(plan_file(tmp_path, text), SCN)
    assert plans == {2026: {"P1-DIR": "A"}, 2031: {"P1-DIR": "ZZ"}}
    assert problems == [
        "row 3: post P1-DIR is listed twice for period 2026",
        "row 4: post P1-NEW does not exist in 2026 (opens 2031)",
        "row 5: post P1-OLD does not exist in 2031 (closes 2031)",
        "row 6: period 2030 is not one of the periods (2026, 2031)",
        "row 7: period 'first' is not a year",
        "row 8: unknown post 'XX'",
        "period 2026: post P1-OLD is missing from the plan",
        "period 2031: post P1-NEW is missing from the plan"]


@pytest.mark.parametrize("reader,scn,content,words", [
    (read_horizon_plan, SCN, "post_id,candidate_id\nP1-DIR,A\n",
     ("expected a header starting period,post_id,candidate_id, got 'post_id,candidate_id': "
      "a plan of one period, but the scenario has several periods")),
    (read_plan, ONE, "period,post_id,candidate_id\n2026,P1-DIR,A\n",
     ("expected a header starting post_id,candidate_id, got 'period,post_id,candidate_id': "
      "a plan over several periods, but the scenario has one period")),
    (read_horizon_plan, SCN, "", ("expected a header starting period,post_id,candidate_id, "
                                  "got an empty file")),
])
def test_a_plan_of_the_wrong_shape_is_no_plan(tmp_path, reader, scn, content, words):
    with pytest.raises(InputError) as info:
        reader(plan_file(tmp_path, content), scn)
    (problem,) = info.value.problems
    assert problem.message == words and problem.row == 1


def test_one_period_knows_only_the_posts_that_exist(tmp_path):
    one = ONE.model_copy(update={"term_start": 2031})   # P1-OLD closed, P1-NEW open
    plan, problems = read_plan(plan_file(tmp_path, "post_id,candidate_id\nP1-DIR,A\nP1-OLD,B\n"), one)
    assert plan == {"P1-DIR": "A"}
    assert problems == ["row 3: post P1-OLD does not exist in 2031 (closes 2031)",
                        "post P1-NEW is missing from the plan"]
