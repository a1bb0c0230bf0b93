"""The loader's reference phase (planner/io/loader.py): unique ids, ids that resolve,
and the unit forest with its kinds."""

from __future__ import annotations

import pytest
from bad_input import line_of, load_ok, only, problems_of, says, swap

# -- ids and references ------------------------------------------------------------------------

@pytest.mark.parametrize("table, old, new, first", [
    ("units", "{id: M1, name: Ministry", "{id: D1, name: Ministry", "{id: D1,"),
    ("posts", "  - {id: D1-CH, unit: D1, role: chief, priority: 2}",
     "  - {id: D1-CH, unit: D1, role: chief, priority: 2}\n  - {id: D1-CH, unit: D1, role: deputy}",
     "{id: D1-CH,"),
    ("candidates", "relations:", "  - {id: A, name: Again, home: P1, serves_at: P1, birth_year: 1980, "
     "gender: male, education: phd, political_theory: advanced, rating: good, merit: 1}\nrelations:",
     "{id: A,"),
])
def test_duplicate_id(tmp_path, table, old, new, first):
    text = swap(old, new)
    if table == "units":  # keep M1 referenced nowhere else
        text = text.replace("serves_at: M1", "serves_at: P1")
    (p,) = problems_of(tmp_path, text)
    assert p.field.startswith(table) and p.field.endswith(".id")
    assert p.line == line_of(text, first, 2)
    says(p, "duplicate id", f"first at line {line_of(text, first)}")


@pytest.mark.parametrize("old, new, field, what", [
    ("parent: P1}", "parent: PX}", "units[1].parent", "unit"),
    ("{id: P1-DIR, unit: P1,", "{id: P1-DIR, unit: PX,", "posts[0].unit", "unit"),
    ("home: C1,", "home: CX,", "candidates[0].home", "unit"),
    ("serves_at: M1,", "serves_at: MX,", "candidates[0].serves_at", "unit"),
    ("current_post: D1-CH,", "current_post: XX,", "candidates[1].current_post", "post"),
    ("merit: 80}", "merit: 80, ties: [P1, TX]}", "candidates[0].ties[1]", "unit"),
    ("merit: 80}", "merit: 80, preferences: [PX]}", "candidates[0].preferences[0]", "unit"),
    ("{a: A, b: B", "{a: Q, b: B", "relations[0].a", "candidate"),
    ("{a: A, b: B", "{a: A, b: Z", "relations[0].b", "candidate"),
    ("{post: D1-CH, candidate: B}", "{post: XX, candidate: B}", "fixed[0].post", "post"),
    ("{post: D1-CH, candidate: B}", "{post: D1-CH, candidate: Q}", "fixed[0].candidate", "candidate"),
    ("{post: P1-DIR, candidate: B}", "{post: XX, candidate: B}", "forbidden[0].post", "post"),
    ("{post: P1-DIR, candidate: B}", "{post: P1-DIR, candidate: Q}", "forbidden[0].candidate",
     "candidate"),
])
def test_unresolved_reference(tmp_path, old, new, field, what):
    text = swap(old, new)
    (p,) = problems_of(tmp_path, text)
    assert p.field == field
    assert p.line == line_of(text, new.split(",")[0] if "{" in new else old.split(":")[0])
    says(p, f"unknown {what}", f"expected the id of one of the {what}s")


def test_references_still_checked_in_an_invalid_row(tmp_path):
    # one bad cell must not hide an unknown id next to it
    text = swap("merit: 80}", "merit: 800}").replace("home: C1,", "home: CX,")
    probs = problems_of(tmp_path, text)
    only(probs, field="candidates[0].merit")
    only(probs, field="candidates[0].home")
    assert len(probs) == 2


# -- the unit forest ---------------------------------------------------------------------------

def test_district_whose_parent_is_a_commune(tmp_path):
    text = swap("  - {id: M1,", "  - {id: D2, name: District 2, kind: district, parent: C1}\n  - {id: M1,")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[3].parent" and p.line == line_of(text, "{id: D2")
    says(p, "expected a province", "district", "got the commune 'C1'")


def test_commune_whose_parent_is_a_ministry(tmp_path):
    text = swap("kind: commune, parent: D1}", "kind: commune, parent: M1}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[2].parent"
    says(p, "province or district", "ministry 'M1'")


def test_province_with_a_parent(tmp_path):
    text = swap("kind: province,", "kind: province, parent: M1,")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[0].parent" and p.line == line_of(text, "{id: P1,")
    says(p, "expected no parent", "province")


@pytest.mark.parametrize("kind", ["commune", "district"])
def test_unit_that_needs_a_parent(tmp_path, kind):
    text = swap("  - {id: M1,", f"  - {{id: X1, name: X, kind: {kind}}}\n  - {{id: M1,")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[3].parent" and p.line == line_of(text, "{id: X1")
    says(p, "required", kind, "parent")


def test_cycle_among_ministry_units(tmp_path):
    text = swap("  - {id: M1, name: Ministry, kind: ministry}",
                "  - {id: M1, name: Ministry, kind: ministry, parent: M3}\n"
                "  - {id: M2, name: Dept 2, kind: ministry, parent: M1}\n"
                "  - {id: M3, name: Dept 3, kind: ministry, parent: M2}")
    (p,) = problems_of(tmp_path, text)
    assert p.field.endswith(".parent")
    says(p, "cycle", "M1", "M2", "M3", "expected a tree")


def test_unit_that_is_its_own_parent(tmp_path):
    text = swap("kind: ministry}", "kind: ministry, parent: M1}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "units[3].parent"
    says(p, "cycle", "M1 -> M1")


def test_ministry_chain_is_fine(tmp_path):
    text = swap("kind: ministry}", "kind: ministry}\n  - {id: M2, name: Dept, kind: ministry, parent: M1}")
    scn = load_ok(tmp_path, text)
    assert scn.units[-1].parent == "M1"
