"""Reading YAML safely (planner/io/yamlio.py): syntax errors, tags, alias bombs, sizes,
encodings, duplicate and odd keys -- each named by file and line."""

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

import planner.io.yamlio
from planner.errors import InputError
from planner.io.loader import load_scenario

# -- reading YAML safely -----------------------------------------------------------------------

def test_yaml_syntax_error_names_the_line(tmp_path):
    text = swap("term_start: 2026", "term_start: [2026")
    (p,) = problems_of(tmp_path, text)
    assert p.file.endswith("scenario.yaml")
    assert p.line is not None and abs(p.line - line_of(text, "term_start")) <= 1
    says(p, "yaml", "expected")


@pytest.mark.parametrize("tagged", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/object:collections.OrderedDict {{}}",
    "!local_tag something",
])
def test_tags_that_build_objects_are_refused(tmp_path, tagged):
    marker = tmp_path / "marker"
    text = swap("name: probe", "name: " + tagged.format(marker=marker))
    (p,) = problems_of(tmp_path, text)
    only([p], field="name", line=1)
    says(p, "tag")
    assert not marker.exists(), "a YAML tag ran a command"


def test_tag_on_a_mapping_is_refused(tmp_path):
    text = swap("  - {id: M1,", "  - !!python/object:planner.schema.Unit {id: M1,")
    probs = problems_of(tmp_path, text)
    p = only(probs, field="units[3]")
    assert p.line == line_of(text, "id: M1")
    says(p, "tag", "python/object")


def test_alias_bomb_is_refused(tmp_path):
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        levels.append(f"a{i}: &a{i} [{refs}]")
    (p,) = problems_of(tmp_path, "\n".join(levels) + "\n")
    says(p, "alias", "bomb")
    assert p.line is not None


def test_alias_bomb_limit_follows_max_nodes(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.io.yamlio, "MAX_NODES", 50)
    text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a, *a]\n"
    (p,) = problems_of(tmp_path, text)
    says(p, "alias")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "x: 1\nloop: &l [1, [2, *l]]\n"])
def test_recursive_alias_is_refused(tmp_path, text):
    (p,) = problems_of(tmp_path, text)
    says(p, "recursive alias")
    assert p.line == line_of(text, "&")


def test_plain_aliases_still_work(tmp_path):
    text = swap("units:\n", "x-roles: &roles [director]\nunits:\n")
    probs = problems_of(tmp_path, text)
    only(probs, field="x-roles")  # an unknown top-level field, nothing about the alias


def test_oversized_scenario_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.io.yamlio, "MAX_FILE_BYTES", 100)
    (p,) = problems_of(tmp_path, BASE)
    assert p.file.endswith("scenario.yaml")
    says(p, "too large", str(len(BASE.encode())), "100")


def test_oversized_csv_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.io.yamlio, "MAX_FILE_BYTES", len(BASE))
    big = CANDIDATES_CSV + "".join(f"X{i},X,C1,M1,,,1975,male,master,advanced,good,80,,\n"
                                   for i in range(200))
    probs = problems_of(tmp_path, with_csv_candidates(), {"cands.csv": big})
    p = only(probs, file="cands.csv")
    says(p, "too large")
    assert all("unknown candidate" not in q.message for q in probs)


def test_non_utf8_scenario_names_the_line(tmp_path):
    raw = BASE.encode().replace(b"Binh", b"B\xecnh")
    (p,) = problems_of(tmp_path, raw)
    assert p.line == line_of(BASE, "Binh")
    says(p, "utf-8", "0xec")


def test_utf8_with_bom_is_accepted(tmp_path):
    scn = load_ok(tmp_path, "\ufeff" + BASE)
    assert scn.name == "probe"


def test_duplicate_yaml_key(tmp_path):
    text = swap("term_start: 2026", "term_start: 2026\nterm_start: 2027")
    (p,) = problems_of(tmp_path, text)
    assert p.line == line_of(text, "term_start", 2)
    assert p.field == "term_start"
    says(p, "twice", "line 2")


def test_duplicate_key_inside_a_row(tmp_path):
    text = swap("{id: P1-DIR, unit: P1, role: director}", "{id: P1-DIR, unit: P1, role: director, role: chief}")
    (p,) = problems_of(tmp_path, text)
    assert p.field == "posts[0].role" and p.line == line_of(text, "P1-DIR, unit")
    says(p, "twice")


@pytest.mark.parametrize("text, got", [("- a\n- b\n", "list"), ("just words\n", "just words"),
                                       ("42\n", "42")])
def test_top_level_must_be_a_mapping(tmp_path, text, got):
    (p,) = problems_of(tmp_path, text)
    assert p.line == 1
    says(p, "expected a scenario", "mapping", got)


def test_empty_scenario_file(tmp_path):
    (p,) = problems_of(tmp_path, "")
    says(p, "empty", "expected a scenario")


def test_missing_scenario_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path / "nope.yaml")
    (p,) = info.value.problems
    says(p, "cannot read")


def test_yaml_booleans_as_keys_stay_field_names(tmp_path):
    # `yes:` or `1:` would be a boolean / number key to a YAML 1.1 parser; here it is a name
    text = swap("term_start: 2026", "term_start: 2026\nyes: 1\n2: x")
    probs = problems_of(tmp_path, text)
    assert {p.field for p in probs} == {"yes", "2"}
    for p in probs:
        says(p, "unknown field")


def test_non_scalar_key(tmp_path):
    text = swap("term_start: 2026", "term_start: 2026\n? [a, b]\n: 1")
    (p,) = problems_of(tmp_path, text)
    assert p.line == line_of(text, "? [a, b]")
    says(p, "field name")


def test_merge_keys_are_refused_clearly(tmp_path):
    text = swap("  - {id: M1, name: Ministry, kind: ministry}",
                "  - &m {id: M1, name: Ministry, kind: ministry}\n  - {<<: *m, id: M2}")
    (p,) = problems_of(tmp_path, text)
    says(p, "merge")
    assert p.line == line_of(text, "<<")
