"""CSV tables beside a scenario (planner/io/csvio.py): cells, booleans, headers, paths that
must stay inside the folder, and problems named by row and column."""

from __future__ import annotations

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
)

# -- CSV tables --------------------------------------------------------------------------------

def test_csv_table_loads(tmp_path):
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": CANDIDATES_CSV})
    a, b = scn.candidates
    assert a.ties == ["P1", "M1"]              # list cells are ;-separated
    assert a.current_post is None and a.consecutive_terms == 0   # empty cell = not given
    assert a.disciplined is True and b.disciplined is False
    assert b.ties is None and b.current_post == "D1-CH" and b.consecutive_terms == 1
    assert a.merit == 80 and isinstance(a.merit, int)


def test_csv_list_cells_trim_blanks(tmp_path):
    csv = CANDIDATES_CSV.replace("P1;M1", "P1 ; M1;")
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert scn.candidates[0].ties == ["P1", "M1"]


def test_csv_empty_required_cell_is_missing(tmp_path):
    csv = CANDIDATES_CSV.replace(",1970,", ",,")
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    p = only(probs, field="birth_year")
    assert p.file.endswith("cands.csv") and p.row == 3 and p.line is None
    says(p, "required", "missing")


@pytest.mark.parametrize("cell, expected", [
    ("true", True), ("FALSE", False), ("True", True), ("yes", True), ("NO", False),
    ("Yes", True), ("nO", False), ("1", True), ("0", False), (" true ", True), ("", False),
])
def test_csv_booleans_in_any_case(tmp_path, cell, expected):
    csv = CANDIDATES_CSV.replace(",TRUE\n", f",{cell}\n")
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert scn.candidates[0].disciplined is expected


@pytest.mark.parametrize("cell", ["maybe", "2", "t", "oui"])
def test_csv_bad_boolean(tmp_path, cell):
    csv = CANDIDATES_CSV.replace(",TRUE\n", f",{cell}\n")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 2 and p.field == "disciplined"
    says(p, "expected true or false", repr(cell))


def test_csv_bad_cells_name_row_and_column(tmp_path):
    csv = CANDIDATES_CSV.replace(",80,", ",190,").replace("female", "f")
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    merit = only(probs, field="merit")
    assert merit.row == 2 and merit.file.endswith("cands.csv")
    assert merit.message == "expected an integer from 0 to 100, got '190'"
    gender = only(probs, field="gender")
    assert gender.row == 3
    says(gender, "female or male", "'f'")
    assert len(probs) == 2


def test_csv_path_with_dotdot(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: ../cands.csv}", with_csv_candidates())
    (tmp_path / "inner").mkdir()
    probs = problems_of(tmp_path / "inner", text, {"../cands.csv": CANDIDATES_CSV})
    p = only(probs, field="candidates.csv")
    assert p.file.endswith("scenario.yaml") and p.line == line_of(text, "candidates:")
    says(p, "..", "inside")
    # the unreadable table does not make every reference to a candidate "unknown"
    assert len(probs) == 1


def test_csv_path_with_dotdot_inside(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: sub/../cands.csv}", with_csv_candidates())
    (p,) = problems_of(tmp_path, text, {"cands.csv": CANDIDATES_CSV})
    assert p.field == "candidates.csv"
    says(p, "..")


@pytest.mark.parametrize("path", ["/etc/passwd", "C:/data/cands.csv", "C:\\\\data\\\\cands.csv",
                                  "\\\\\\\\server\\\\share\\\\cands.csv"])
def test_csv_absolute_path(tmp_path, path):
    text = swap("{csv: cands.csv}", f'{{csv: "{path}"}}', with_csv_candidates())
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates.csv" and p.line == line_of(text, "candidates:")
    says(p, "absolute")


def test_csv_symlink_leaving_the_folder(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text(CANDIDATES_CSV)
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "cands.csv").symlink_to(outside)
    (p,) = problems_of(inner, with_csv_candidates())
    assert p.field == "candidates.csv"
    says(p, "outside")


def test_csv_missing_file(tmp_path):
    text = with_csv_candidates()
    (p,) = problems_of(tmp_path, text)
    assert p.file.endswith("scenario.yaml") and p.line == line_of(text, "candidates:")
    assert p.field == "candidates.csv"
    says(p, "cands.csv", "does not exist")


def test_csv_path_not_text(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: [a.csv]}", with_csv_candidates())
    (p,) = problems_of(tmp_path, text)
    assert p.field == "candidates.csv"
    says(p, "expected a relative file path")


def test_csv_reference_with_an_extra_key(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: cands.csv, sep: ';'}", with_csv_candidates())
    (p,) = problems_of(tmp_path, text, {"cands.csv": CANDIDATES_CSV})
    assert p.field == "candidates.sep" and p.line == line_of(text, "candidates:")
    says(p, "unknown field")


def test_csv_unknown_column(tmp_path):
    csv = CANDIDATES_CSV.replace("disciplined", "discipline")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 1 and p.field == "discipline"
    says(p, "unknown column", "disciplined")


def test_csv_repeated_column(tmp_path):
    csv = CANDIDATES_CSV.replace(",disciplined\n", ",merit\n")
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    p = only(probs, field="merit", row=1)
    says(p, "twice")


def test_csv_missing_required_column_reported_once(tmp_path):
    lines = CANDIDATES_CSV.splitlines()
    rows = [",".join(c for i, c in enumerate(ln.split(",")) if i != 6) for ln in lines]
    rows += ["X%d,X,C1,M1,,,male,master,advanced,good,80,,no" % i for i in range(5)]
    csv = "\n".join(rows) + "\n"
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    (p,) = probs  # once for the column, not once per row
    assert p.field == "birth_year" and p.row == 1 and p.file.endswith("cands.csv")
    says(p, "required column", "missing")


def test_csv_row_with_too_many_cells(tmp_path):
    csv = CANDIDATES_CSV.replace(",no\n", ",no,extra\n")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 3
    says(p, "expected at most 14 cells", "got 15")


def test_csv_row_with_fewer_cells_means_not_given(tmp_path):
    csv = CANDIDATES_CSV.replace(",,no\n", "\n")  # ties and disciplined left out
    scn = load_ok(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert scn.candidates[1].disciplined is False and scn.candidates[1].ties is None


def test_csv_blank_rows_are_skipped_but_counted(tmp_path):
    csv = CANDIDATES_CSV.replace("\nB,", "\n\n,,,\nB,").replace("female", "f")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.row == 5 and p.field == "gender"


def test_csv_empty_file(tmp_path):
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": ""})
    p = only(probs, file="cands.csv")
    says(p, "empty", "header")
    assert len(probs) == 1


def test_csv_non_utf8_names_the_row(tmp_path):
    csv = CANDIDATES_CSV.encode().replace(b"Binh", b"B\xecnh")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 3
    says(p, "utf-8")


def test_csv_consistency_checks_name_the_field(tmp_path):
    csv = CANDIDATES_CSV.replace("D1-CH,1,", ",1,")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.row == 3 and p.field == "consecutive_terms"
    says(p, "current_post")


def test_csv_references_name_the_row(tmp_path):
    csv = CANDIDATES_CSV.replace("P1;M1", "P1;MX")
    (p,) = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": csv})
    assert p.file.endswith("cands.csv") and p.row == 2 and p.field == "ties[1]"
    says(p, "unknown unit 'MX'")


def test_csv_units_table(tmp_path):
    units = ("id,name,kind,parent,lat,lon,difficult\n"
             "P1,Province,province,,21,105.8,Yes\n"
             "D1,District,district,P1,abc,1,0\n"
             "C1,Commune,commune,,,,\n"
             "M1,Ministry,ministry,,,,\n")
    text = swap(BASE[BASE.index("units:\n"):BASE.index("posts:")], "units: {csv: units.csv}\n")
    probs = problems_of(tmp_path, text, {"units.csv": units})
    assert {(p.row, p.field) for p in probs} == {(3, "lat"), (4, "parent")}
    assert all(p.file.endswith("units.csv") for p in probs)


def test_csv_in_a_subfolder(tmp_path):
    text = swap("{csv: cands.csv}", "{csv: tables/cands.csv}", with_csv_candidates())
    scn = load_ok(tmp_path, text, {"tables/cands.csv": CANDIDATES_CSV})
    assert len(scn.candidates) == 2
    csv = CANDIDATES_CSV.replace("female", "f")
    (p,) = problems_of(tmp_path, text, {"tables/cands.csv": csv})
    assert p.file.replace("\\", "/").endswith("tables/cands.csv")
