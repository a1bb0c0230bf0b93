"""report.html: self-contained, renders in a real headless browser without script errors.

The browser is Debian's chromium (`apt-get install chromium`; .ci/run installs it). Without it
these tests fail with a message saying so: the page is the planners' view of a plan, and a page
that was never opened in a browser is not tested.
"""

from __future__ import annotations

import re
import struct
from dataclasses import replace
from pathlib import Path

import pytest
from reporting import chromium, national_like, small_result

from planner.output.html import render_html, write_html
from planner.solver.result import EarlyStats

READY = re.compile(r'<html[^>]*\bdata-report="([^"]*)"')


def _dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    proc = chromium(tmp_path, page.as_uri() + fragment, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _status(dom: str) -> str:
    found = READY.search(dom)
    assert found, dom[:500]
    return found.group(1)


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]


@pytest.fixture(scope="module")
def small_page(tmp_path_factory) -> Path:
    result, scn = small_result()
    page = tmp_path_factory.mktemp("report") / "report.html"
    write_html(page, result, scn, scn.policy)
    return page


def test_report_is_self_contained(small_page: Path):
    text = small_page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # nothing is fetched: no external script, style, image or font, and the page's own policy
    # forbids any network use
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(http" not in text
    assert "default-src 'none'" in text
    for section in ("headline", "rules", "vacancies", "charts", "moves", "map", "plan-table",
                    "chart-nonlocal", "chart-ministry"):
        assert f'id="{section}"' in text, section


def test_report_shows_every_rule_and_the_headline(small_page: Path):
    result, scn = small_result()
    text = small_page.read_text(encoding="utf-8")
    for rep in result.check.rules:
        assert rep.rule.replace("&", "&amp;") in text
    assert f"{result.objective:,}" in text
    assert scn.name in text
    # the data: every post of the plan, each once
    for post in scn.posts:
        assert f'"{post.id}"' in text


def test_the_solve_card_says_when_an_early_plan_came():
    result, scn = small_result()
    assert "first plan at" not in render_html(result, scn, scn.policy)
    early = EarlyStats(objective=result.objective, bound=result.bound, lp_rounds=4, seconds=0.2,
                       at_seconds=9.48)
    later = replace(result, stats=replace(result.stats, early_plan=early))
    assert "first plan at 9.5 s" in render_html(later, scn, scn.policy)


def test_report_renders_in_chromium_without_errors_and_screenshots(small_page: Path, tmp_path: Path):
    shot = tmp_path / "report.png"
    proc = chromium(tmp_path, small_page.as_uri(), f"--screenshot={shot}", "--window-size=1400,1000",
                    "--hide-scrollbars")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not _console_errors(proc.stderr), _console_errors(proc.stderr)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 1000)
    assert len(data) > 30_000  # a real page, not a blank one (a blank 1400x1000 PNG is ~5 kB)

    dom = _dom(tmp_path, small_page)
    assert _status(dom) == "ready"
    # the script filled the first page of the plan table
    result, scn = small_result()
    assert f"posts 1–{len(scn.posts)} of {len(scn.posts)}" in dom
    assert dom.count("<tr><td>") >= len(scn.posts)


def test_filters_from_the_address(small_page: Path, tmp_path: Path):
    result, scn = small_result()
    moved = sum(1 for p in scn.posts if result.plan.get(p.id)
                and next(c for c in scn.candidates if c.id == result.plan[p.id]).current_post != p.id)
    dom = _dom(tmp_path, small_page, "#show=moved")
    assert _status(dom) == "ready"
    assert f"posts 1–{moved} of {moved} (filtered from {len(scn.posts)})" in dom
    dom = _dom(tmp_path, small_page, "#level=commune&q=no-such-officer")
    assert "No post matches these filters." in dom


def test_national_sized_report_is_small_and_renders(tmp_path: Path):
    result, scn = national_like()
    page = tmp_path / "report.html"
    write_html(page, result, scn, scn.policy)
    size = page.stat().st_size
    assert size < 10 * 1024 * 1024, size
    assert len(scn.posts) > 11_000
    dom = _dom(tmp_path, page)
    assert _status(dom) == "ready"
    assert f"posts 1–100 of {len(scn.posts):,}" in dom
    # the map aggregates the moves between areas: far fewer shapes than moves
    html = page.read_text(encoding="utf-8")
    svg = html[html.index('<svg id="map"'):html.index("</svg>", html.index('<svg id="map"'))]
    assert svg.count('class="mv') < 2_000 < result.check.moved


def test_report_marks_script_errors(tmp_path: Path):
    """The browser check is not blind: a broken script is seen as such."""
    result, scn = small_result()
    page = tmp_path / "broken.html"
    page.write_text(render_html(result, scn, scn.policy).replace(
        'JSON.parse(document.getElementById("plan-data").textContent)', "JSON.parse('{')"),
        encoding="utf-8")
    assert _status(_dom(tmp_path, page)).startswith("error")
