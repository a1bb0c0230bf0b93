"""The horizon fields (horizon contract, section 1): `periods`, post `opens`/`closes`,
candidate `joins`/`leaves`/`since`/`served_difficult` and a pin's `period`, as the loader reads
and checks them, in YAML and CSV, in the JSON Schema and through `planner validate`."""

from __future__ import annotations

import subprocess
import sys

import jsonschema
import pytest
import yaml
from bad_input import BASE, line_of, load_ok, only, problems_of, says, swap

from planner.io.json_schema import scenario_schema

HORIZON = """\
name: horizon
term_start: 2026
periods: [2026, 2031, 2036]
units:
  - {id: P1, name: Province 1, kind: province, lat: 21.0, lon: 105.8}
  - {id: D1, name: District 1, kind: district, parent: P1, difficult: true}
  - {id: M1, name: Ministry, kind: ministry}
posts:
  - {id: P1-DIR, unit: P1, role: director}
  - {id: D1-CH, unit: D1, role: chief, closes: 2036}
  - {id: D1-DEP, unit: D1, role: deputy, opens: 2031}
  - {id: D1-OLD, unit: D1, role: deputy, closes: 2026}
candidates:
  - {id: A, name: Anh, home: P1, serves_at: M1, birth_year: 1975, gender: male, education: master, political_theory: advanced, rating: good, merit: 80, leaves: 2036, served_difficult: yes}
  - {id: B, name: Binh, home: P1, serves_at: D1, current_post: D1-CH, consecutive_terms: 1, since: 2021, birth_year: 1970, gender: female, education: university, political_theory: intermediate, rating: excellent, merit: 70}
  - {id: C, name: Chi, home: M1, serves_at: M1, birth_year: 1985, gender: male, education: university, political_theory: intermediate, rating: good, merit: 60, joins: 2031}
  - {id: E, name: Em, home: M1, serves_at: D1, current_post: D1-OLD, consecutive_terms: 2, birth_year: 1980, gender: female, education: university, political_theory: intermediate, rating: good, merit: 65}
fixed:
  - {post: D1-CH, candidate: B}
  - {post: D1-DEP, candidate: C, period: 2031}
forbidden:
  - {post: P1-DIR, candidate: B, period: 2036}
  - {post: P1-DIR, candidate: C}
"""
"""A valid three-period horizon: a post that closes, one that opens, one already closed in the
first period and still E's current post; an officer who leaves, one who joins."""


# -- a valid horizon ---------------------------------------------------------------------------

def test_a_horizon_loads_with_every_new_field(tmp_path):
    scn = load_ok(tmp_path, HORIZON)
    assert scn.periods == [2026, 2031, 2036] and scn.years == [2026, 2031, 2036]
    posts = {p.id: p for p in scn.posts}
    assert [posts["D1-CH"].exists_in(y) for y in scn.years] == [True, True, False]
    assert [posts["D1-DEP"].exists_in(y) for y in scn.years] == [False, True, True]
    assert not posts["D1-OLD"].exists_in(2026)
    a, b, c, e = scn.candidates
    assert a.served_difficult is True and b.served_difficult is False
    assert [a.available_in(y) for y in scn.years] == [True, True, False]
    assert [c.available_in(y) for y in scn.years] == [False, True, True]
    assert b.since == 2021 and a.since is None
    assert e.current_post == "D1-OLD"   # a closed post may still be held: its holder must go
    assert [(p.post, p.period) for p in scn.fixed] == [("D1-CH", None), ("D1-DEP", 2031)]
    assert [p.period for p in scn.forbidden] == [2036, None]


def test_a_scenario_without_periods_is_one_period(tmp_path):
    scn = load_ok(tmp_path, BASE)
    assert scn.periods is None and scn.years == [2026]
    assert all(p.opens is None and p.closes is None for p in scn.posts)
    assert all(c.since is None and c.served_difficult is False for c in scn.candidates)
    assert all(p.period is None for p in scn.fixed)


def test_a_pin_on_term_start_needs_no_periods(tmp_path):
    scn = load_ok(tmp_path, swap("{post: D1-CH, candidate: B}", "{post: D1-CH, candidate: B, period: 2026}"))
    assert scn.fixed[0].period == 2026


# -- periods -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, field, words", [
    ("[2027, 2031]", "periods[0]", ["expected term_start (2026)", "got 2027"]),
    ("[2026, 2031, 2031]", "periods[2]", ["after 2031", "strictly increasing", "got 2031"]),
    ("[2026, 2036, 2031]", "periods[2]", ["after 2036", "got 2031"]),
    ("[2026, true]", "periods[1]", ["integer from 1900 to 2200", "a boolean is not a number"]),
    ("[2026, 2031.0]", "periods[1]", ["integer", "without a decimal point"]),
    ("[2026, '2031']", "periods[1]", ["integer", "quotes make it text"]),
    ("[2026, 2300]", "periods[1]", ["integer from 1900 to 2200", "2300"]),
    ("[]", "periods", ["expected a non-empty list of integers", "got an empty list"]),
    ("2026", "periods", ["expected a non-empty list of integers from 1900 to 2200", "got 2026"]),
])
def test_bad_periods(tmp_path, value, field, words):
    text = swap("periods: [2026, 2031, 2036]", f"periods: {value}", HORIZON)
    probs = problems_of(tmp_path, text)
    p = only(probs, field=field)
    assert p.line == line_of(text, "periods:")
    says(p, *words)


def test_a_bad_period_item_is_reported_at_its_own_line(tmp_path):
    text = swap("periods: [2026, 2031, 2036]", "periods:\n  - 2026\n  - 2031\n  - 2030", HORIZON)
    text = text.replace("period: 2036}", "period: 2031}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "periods[2]" and p.line == line_of(text, "  - 2030")
    says(p, "after 2031", "got 2030")


def test_bad_periods_leave_the_pins_periods_unchecked(tmp_path):
    # one mistake, one message: pins are not compared with periods that are themselves wrong
    text = swap("periods: [2026, 2031, 2036]", "periods: [2026, 2031, 2031]", HORIZON)
    (p,) = problems_of(tmp_path, text)
    assert p.field == "periods[2]"


# -- the tables' new fields --------------------------------------------------------------------

@pytest.mark.parametrize("old, new, field, words", [
    ("closes: 2026}", "opens: 2026, closes: 2026}", "posts[3].closes",
     ["after opens (2026)", "got 2026"]),
    ("opens: 2031}", "opens: 2031, closes: 2026}", "posts[2].closes", ["after opens (2031)"]),
    ("leaves: 2036,", "joins: 2040, leaves: 2036,", "candidates[0].leaves",
     ["after joins (2040)", "got 2036"]),
    ("merit: 60, joins: 2031}", "merit: 60, joins: 2031, since: 2020}", "candidates[2].since",
     ["current_post is not set", "2020"]),
    ("since: 2021,", "since: 2027,", "candidates[1].since", ["<= term_start (2026)", "got 2027"]),
    ("opens: 2031}", "opens: true}", "posts[2].opens", ["integer from 1900 to 2200", "boolean"]),
    ("joins: 2031}", "joins: '2031'}", "candidates[2].joins", ["integer", "quotes"]),
    ("served_difficult: yes}", "served_difficult: on}", "candidates[0].served_difficult",
     ["true or false"]),
    ("candidate: B, period: 2036}", "candidate: B, period: 2035}", "forbidden[0].period",
     ["one of the periods' years (2026, 2031, 2036)", "got 2035"]),
    ("candidate: C, period: 2031}", "candidate: C, period: 1800}", "fixed[1].period",
     ["integer from 1900 to 2200"]),
])
def test_bad_field(tmp_path, old, new, field, words):
    text = swap(old, new, HORIZON)
    (p,) = problems_of(tmp_path, text)
    assert p.field == field
    assert p.line == line_of(text, new)
    says(p, *words)


def test_a_pin_period_without_periods(tmp_path):
    text = swap("{post: D1-CH, candidate: B}", "{post: D1-CH, candidate: B, period: 2031}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "fixed[0].period" and p.line == line_of(text, "period: 2031")
    says(p, "(2026; without periods, term_start is the only period)", "got 2031")


@pytest.mark.parametrize("old, new, field, words", [
    # no period: a fixed row binds the first period, where D1-DEP does not exist yet
    ("{post: D1-DEP, candidate: C, period: 2031}", "{post: D1-DEP, candidate: B}", "fixed[1].post",
     ["'D1-DEP' does not exist in period 2026", "opens 2031"]),
    ("{post: D1-DEP, candidate: C, period: 2031}", "{post: D1-CH, candidate: B, period: 2036}",
     "fixed[1].post", ["'D1-CH' does not exist in period 2036", "closes 2036"]),
    ("{post: D1-DEP, candidate: C, period: 2031}", "{post: P1-DIR, candidate: C}",
     "fixed[1].candidate", ["'C' is not available in period 2026", "joins 2031"]),
    ("{post: D1-DEP, candidate: C, period: 2031}", "{post: D1-DEP, candidate: A, period: 2036}",
     "fixed[1].candidate", ["'A' is not available in period 2036", "leaves 2036"]),
])
def test_a_fixed_pair_impossible_in_its_period(tmp_path, old, new, field, words):
    text = swap(old, new, HORIZON)
    (p,) = problems_of(tmp_path, text)
    assert p.field == field and p.line == line_of(text, new)
    says(p, *words, "expected")


def test_a_forbidden_pair_may_name_a_post_that_is_gone(tmp_path):
    text = swap("{post: P1-DIR, candidate: C}", "{post: D1-OLD, candidate: C}", HORIZON)
    assert load_ok(tmp_path, text).forbidden[1].post == "D1-OLD"


def test_every_problem_at_once(tmp_path):
    text = (HORIZON.replace("periods: [2026, 2031, 2036]", "periods: [2026, 2031, 2036, 2036]")
            .replace("closes: 2036}", "opens: 2040, closes: 2036}")
            .replace("since: 2021,", "since: 2030,")
            .replace("leaves: 2036,", "joins: 2036, leaves: 2036,")
            .replace("candidate: C, period: 2031}", "candidate: C}"))
    probs = problems_of(tmp_path, text)
    got = {(p.field, p.line) for p in probs}
    assert got == {
        ("periods[3]", line_of(text, "periods:")),
        ("posts[1].closes", line_of(text, "opens: 2040")),
        ("candidates[1].since", line_of(text, "since: 2030")),
        ("candidates[0].leaves", line_of(text, "leaves: 2036")),
    }, probs
    # with the periods right, the pins are checked too, beside the rows' problems
    text = text.replace("2036, 2036]", "2036]")
    probs = problems_of(tmp_path, text)
    fields = sorted(p.field for p in probs)
    assert fields == ["candidates[0].leaves", "candidates[1].since", "fixed[1].candidate",
                      "fixed[1].post", "posts[1].closes"], probs
    says(only(probs, field="fixed[1].candidate"), "'C' is not available in period 2026")


# -- CSV ---------------------------------------------------------------------------------------

POSTS_CSV = """\
id,unit,role,opens,closes
P1-DIR,P1,director,,
D1-CH,D1,chief,,2036
D1-DEP,D1,deputy,2031,
D1-OLD,D1,deputy,,2026
"""

CANDS_CSV = """\
id,name,home,serves_at,current_post,consecutive_terms,since,birth_year,gender,education,political_theory,rating,merit,joins,leaves,served_difficult
A,Anh,P1,M1,,,,1975,male,master,advanced,good,80,,2036,TRUE
B,Binh,P1,D1,D1-CH,1,2021,1970,female,university,intermediate,excellent,70,,,
C,Chi,M1,M1,,,,1985,male,university,intermediate,good,60,2031,,no
E,Em,M1,D1,D1-OLD,2,,1980,female,university,intermediate,good,65,,,
"""

FIXED_CSV = """\
post,candidate,period
D1-CH,B,
D1-DEP,C,2031
"""


def _csv_horizon() -> str:
    head, rest = HORIZON.split("posts:\n")
    tail = rest[rest.index("forbidden:"):]
    return head + "posts: {csv: posts.csv}\ncandidates: {csv: cands.csv}\nfixed: {csv: fixed.csv}\n" + tail


def test_csv_tables_carry_the_new_columns(tmp_path):
    files = {"posts.csv": POSTS_CSV, "cands.csv": CANDS_CSV, "fixed.csv": FIXED_CSV}
    (tmp_path / "csv").mkdir()
    (tmp_path / "yaml").mkdir()
    csv_scn = load_ok(tmp_path / "csv", _csv_horizon(), files)
    yaml_scn = load_ok(tmp_path / "yaml", HORIZON)
    for table in ("posts", "candidates", "fixed", "forbidden"):
        assert getattr(csv_scn, table) == getattr(yaml_scn, table), table
    assert csv_scn.posts[2].opens == 2031 and isinstance(csv_scn.posts[2].opens, int)


def test_csv_problems_name_the_row_and_column(tmp_path):
    files = {"posts.csv": POSTS_CSV.replace("D1,deputy,2031,", "D1,deputy,2031,2031"),
             "cands.csv": CANDS_CSV.replace(",1970,", ",1970,").replace(",2021,", ",2029,"),
             "fixed.csv": FIXED_CSV.replace("D1-DEP,C,2031", "D1-DEP,C,2030")}
    probs = problems_of(tmp_path, _csv_horizon(), files)
    says(only(probs, file="posts.csv", row=4, field="closes"), "after opens (2031)")
    says(only(probs, file="cands.csv", row=3, field="since"), "<= term_start (2026)")
    says(only(probs, file="fixed.csv", row=3, field="period"), "got 2030")
    assert len(probs) == 3


# -- the JSON Schema ---------------------------------------------------------------------------

def test_the_json_schema_has_the_new_fields_and_their_ranges():
    schema = scenario_schema()
    defs = schema["definitions"]
    year = {"type": "integer", "minimum": 1900, "maximum": 2200}
    periods = schema["properties"]["periods"]
    assert periods["anyOf"][0]["items"] == year and periods["anyOf"][0]["minItems"] == 1
    for model, field in [("Post", "opens"), ("Post", "closes"), ("Candidate", "joins"),
                         ("Candidate", "leaves"), ("Candidate", "since"), ("Pin", "period")]:
        prop = defs[model]["properties"][field]
        assert year in prop["anyOf"] and prop["description"], (model, field)
    assert defs["Candidate"]["properties"]["served_difficult"]["default"] is False
    assert periods["description"]


def _schema_errors(data) -> set[tuple]:
    validator = jsonschema.Draft7Validator(scenario_schema())
    return {tuple(e.absolute_path) for e in validator.iter_errors(data)}


def test_the_json_schema_accepts_a_horizon_and_points_at_mistakes():
    data = yaml.safe_load(HORIZON)
    assert _schema_errors(data) == set()
    data["periods"] = [2026, 2026]              # not increasing: the loader says which item
    data["posts"][2]["opens"] = True
    data["candidates"][2]["since"] = 2020        # without current_post
    data["candidates"][0]["served_difficult"] = "maybe"
    data["fixed"][1]["period"] = "2031"
    assert _schema_errors(data) == {("periods",), ("posts", 2, "opens"),
                                    ("candidates", 2), ("candidates", 0, "served_difficult"),
                                    ("fixed", 1, "period")}


# -- planner validate --------------------------------------------------------------------------

def test_validate_a_bad_horizon_exits_2_with_every_problem(tmp_path):
    text = (HORIZON.replace("since: 2021,", "since: 2030,")
            .replace("candidate: B, period: 2036}", "candidate: B, period: 2035}"))
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "planner", "validate", str(path)],
                          check=False, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert "2 problems found" in proc.stderr
    assert f"{path}:{line_of(text, 'since: 2030')}: candidates[1].since: expected a year <= " \
           "term_start (2026), got 2030" in proc.stderr
    assert f"{path}:{line_of(text, 'period: 2035')}: forbidden[0].period: expected one of " \
           "the periods' years (2026, 2031, 2036), got 2035" in proc.stderr
