"""`planner explain OUTDIR --candidate C` names the posts C envies and who holds them (careers
contract, section 2 "Envy"), when C has preferences; in a horizon, period by period.

Districts D1, D2, D3 of province P1, a chief's post in each (X1, X2, X3). Every officer's home
is D2 and a hard non_local rule keeps them all off X2, which stays vacant (non_local does not
excuse envy). Pinned in 2026: X1=L, X3=C; U and N have no post.

    C  merit 80  prefs D1,D2,D3  holds X3, its 3rd: envies X1 (1st, L 60 < 80) and X2 (2nd, vacant)
    L  merit 60  prefs D3,D2     holds X1, outside them: envies X2 (2nd, vacant); not X3 (C 80)
    U  merit 90  prefs D3        no post: envies X3 (1st, C 80 < 90)
    N  merit 50  no preferences: no envy paragraph

The horizon adds 2031 with X1=C and X3=L: C holds its 1st and envies no post.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import cand, pin, post, scenario, unit, write_yaml
from click.testing import CliRunner

from planner.cli import main
from planner.schema import Pin

UNITS = [unit("P1", "province"), *(unit(f"D{i}", "district", parent="P1") for i in (1, 2, 3))]
POSTS = [post(f"X{i}", f"D{i}") for i in (1, 2, 3)]
CANDS = [cand("C", home="D2", merit=80, preferences=["D1", "D2", "D3"]),
         cand("L", home="D2", merit=60, preferences=["D3", "D2"]),
         cand("U", home="D2", merit=90, preferences=["D3"]),
         cand("N", home="D2", merit=50)]
HORIZON_PINS = [Pin(post="X1", candidate="C", period=2031), Pin(post="X3", candidate="L", period=2031)]


def _solved(tmp: Path, periods: list[int] | None) -> Path:
    scn = scenario(UNITS, POSTS, CANDS, fixed=[pin("X1", "L"), pin("X3", "C"),
                                               *(HORIZON_PINS if periods else [])],
                   rules=[{"rule": "non_local"}])
    if periods:
        scn = scn.model_copy(update={"periods": periods})
    res = CliRunner().invoke(main, ["solve", write_yaml(scn, tmp / "s.yaml"), "-o", str(tmp / "out"),
                                    "-q", "--workers", "1", "--no-report", "--no-excel"])
    assert res.exit_code == 0, res.output
    return tmp / "out"


@pytest.fixture(scope="module")
def one(tmp_path_factory) -> Path:
    return _solved(tmp_path_factory.mktemp("one"), None)


@pytest.fixture(scope="module")
def horizon(tmp_path_factory) -> Path:
    return _solved(tmp_path_factory.mktemp("horizon"), [2026, 2031])


def _explain(out: Path, *args: str) -> str:
    res = CliRunner().invoke(main, ["explain", str(out), *args])
    assert res.exit_code == 0, res.output
    return res.output


def _envy_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("envy ")), None)
    if start is None:
        return []
    indent = len(lines[start]) - len(lines[start].lstrip())
    out = [lines[start].strip()]
    for line in lines[start + 1:]:
        if not line[:indent + 11].strip() and line.strip():
            out.append(line.strip())
        else:
            break
    return out


def test_the_posts_c_envies_and_their_holders(one):
    assert _envy_lines(_explain(one, "--candidate", "C")) == [
        "envy       C envies X1 (its 1st choice; C holds its 3rd) held by L (merit 60 < 80)",
        "C envies X2 (its 2nd choice; C holds its 3rd), which is vacant"]
    assert _envy_lines(_explain(one, "--candidate", "L")) == [
        "envy       L envies X2 (its 2nd choice; L's post X1 is outside its preferences), "
        "which is vacant"]
    assert _envy_lines(_explain(one, "--candidate", "U")) == [
        "envy       U envies X3 (its 1st choice; U has no post) held by C (merit 80 < 90)"]


def test_no_preferences_no_paragraph_and_the_json(one):
    assert _envy_lines(_explain(one, "--candidate", "N")) == []
    assert "envy" not in json.loads(_explain(one, "--candidate", "N", "--json"))
    data = json.loads(_explain(one, "--candidate", "C", "--json"))
    assert data["envy"] == [
        {"post": "X1", "rank": 1, "own_rank": 3, "holder": "L", "holder_merit": 60},
        {"post": "X2", "rank": 2, "own_rank": 3, "holder": None, "holder_merit": None}]


def test_a_horizon_explains_envy_period_by_period(horizon):
    text = _explain(horizon, "--candidate", "C")
    first, second = text.split("in 2026:")[1].split("in 2031:")
    assert _envy_lines(first) == [
        "envy       C envies X1 (its 1st choice; C holds its 3rd) held by L (merit 60 < 80)",
        "C envies X2 (its 2nd choice; C holds its 3rd), which is vacant"]
    assert _envy_lines(second) == ["envy       C envies no post"]
    data = json.loads(_explain(horizon, "--candidate", "C", "--period", "2031", "--json"))
    step = next(s for s in data["path"] if s["year"] == 2031)
    assert step["explanation"]["envy"] == []
