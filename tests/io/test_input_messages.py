"""Messages for input that used to mislead (issue 14, item 9, input side): an unterminated CSV
quote, a CSV that is a FIFO or another non-regular file, a post held by two officers."""

from __future__ import annotations

import os
import warnings

import pytest
from bad_input import (
    BASE,
    CANDIDATES_CSV,
    line_of,
    load_ok,
    only,
    problems_of,
    says,
    swap,
    with_csv_candidates,
    write,
)

from planner.errors import InputError
from planner.io.loader import load_scenario

MORE_ROWS = "".join(
    f"C{i},Cuong {i},C1,M1,,,1980,male,master,advanced,good,60,,no\n" for i in range(30))


def test_unterminated_quote_names_the_quote_and_its_row(tmp_path):
    """The quote opened in row 3 swallows the 30 rows after it: one problem, at row 3."""
    csv = CANDIDATES_CSV.replace("B,Binh,", 'B,"Binh,') + MORE_ROWS
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    from_csv = [p for p in probs if p.file.endswith("cands.csv")]
    assert len(from_csv) == 1, from_csv
    (p,) = from_csv
    assert p.row == 3 and p.field == "name"
    says(p, "unterminated quote", "never closed")


def test_quoted_cells_over_several_lines_still_read(tmp_path):
    csv = CANDIDATES_CSV.replace("B,Binh,", 'B,"Binh\nthe second",') + MORE_ROWS
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert scn.candidates[1].name == "Binh\nthe second" and len(scn.candidates) == 32


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_as_csv_says_so(tmp_path):
    os.mkfifo(tmp_path / "cands.csv")
    probs = problems_of(tmp_path, with_csv_candidates())
    p = only(probs, field="candidates.csv")
    says(p, "named pipe (FIFO)", "not a regular file")
    assert "does not exist" not in p.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_as_policy_or_scenario_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "p.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, BASE), policy=tmp_path / "p.yaml")
    says(only(info.value.problems, file="p.yaml"), "named pipe", "regular file")
    os.mkfifo(tmp_path / "s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path / "s.yaml")
    says(info.value.problems[0], "named pipe")


def test_post_held_by_two_officers_is_a_warning_with_the_field(tmp_path):
    from planner.io.loader import InputWarning

    text = swap("merit: 80}", "merit: 80, current_post: D1-CH, consecutive_terms: 2}")
    with pytest.warns(InputWarning) as caught:
        load_ok(tmp_path, text)
    (w,) = caught.list
    msg = str(w.message)
    assert "candidates[1].current_post" in msg and "'D1-CH'" in msg and "'A'" in msg
    assert w.filename.endswith("scenario.yaml")
    assert w.lineno == line_of(text, "{id: B,")


def test_one_holder_per_post_gives_no_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_ok(tmp_path, BASE)
