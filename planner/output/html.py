"""`report.html`: one self-contained page that shows a plan to the people who decide on it.

Everything is inside the one file — CSS, the script, the data (as JSON), the SVG map and charts —
so it opens offline, from an e-mail or a USB stick, and asks no network for anything. It shows:

* the headline figures (status, objective against the bound, filled, vacant, moved);
* every rule's compliance: required against achieved, hard and soft, with the first breaches;
* the vacant posts;
* when some officer has `preferences`: the officers placed at their first, second and third
  choice and the envious pairs (the first 50), docs/reports.md "Preferences and envy";
* charts of the non-local and ministry-origin shares by level (with the non_local targets);
* a map of who moved where, drawn from the units' coordinates: moves are aggregated between
  areas (provinces; the ministry is one area) when there are many, so the national scenario
  stays small; moves inside one area are rings whose size tells how many;
* who moved where (the main flows between areas, and the kinds of moves);
* the whole plan by province, with filters (area, level, role, moved/vacant/local/...,
  a text search) and pages of 100 rows, so that 11,000 posts open at once. The filters can be
  given in the address, to share a view: ``report.html#area=HG&level=commune&show=moved&q=text``.

A horizon of several periods (docs/reports.md, "Horizons") adds the whole horizon's totals and
one control, the period selector in the navigation bar: every per-period part (the headline,
rules, vacancies, charts, map and the plan table) is rendered once per period and the selector
shows the chosen period's (``#period=2031`` in the address). An "officer paths" table gives,
per officer who holds a post in some period, the posts held period by period, with its own
search box.

The script marks the page `<html data-report="ready">` once it has run without error (an error
sets `data-report="error: ..."`): the browser test reads that back.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

from planner.check.envy import Envy
from planner.check.verdict import CheckReport, HorizonReport
from planner.io.atomic import write_bytes_atomic
from planner.output.careers import (
    CHOICES,
    MAX_ENVY_LISTED,
    PeriodPreferences,
    Preferences,
    changed_groups,
    group_words,
    ordinal,
    preferences,
)
from planner.output.planrows import (
    LEVELS,
    OfficerPath,
    PeriodRows,
    Places,
    PlanRow,
    move_kinds,
    officer_paths,
    period_rows,
    plan_rows,
    shares_by_level,
)
from planner.scenario import ELIGIBILITY_ONLY, Policy, Scenario
from planner.solver.result import Result

MAX_SINGLE_MOVES = 300
"""Up to this many moves the map draws each one between its exact units; above, flows between areas."""
MAX_VACANCIES_LISTED = 500
MAX_FLOWS_LISTED = 20
MAX_LABELS = 25
"""Areas named on the map: all of them up to this many, else the ministry and the busiest."""

_e = html.escape


def render_html(result: Result, scenario: Scenario, policy: Policy | None,
                rows: list[PlanRow] | None = None) -> str:
    """The report of `result` as one HTML document (text); `rows` as :func:`plan_rows` gives them
    (used for a one-period run: a horizon derives every period's rows itself)."""
    places = Places(scenario)
    prefs = _Prefs.of(result, scenario)
    parts = [_head(scenario, result), '<body><div class="wrap">', _header(result, scenario, policy)]
    if _is_horizon(result, scenario):
        periods = period_rows(result, scenario, places)
        paths = officer_paths(periods, scenario)
        parts += _horizon_body(result, policy, periods, paths, places, prefs)
        data = _data_script(periods[0].rows, places, periods, paths)
    else:
        if rows is None:
            rows = plan_rows(result.plan, scenario, places) if result.has_plan else []
        parts += _one_period_body(result, policy, rows, places, prefs)
        data = _data_script(rows, places)
    parts += [_footer(), "</div>", data, f"<script>{_JS}</script>", "</body></html>\n"]
    return "\n".join(parts)


def _is_horizon(result: Result, scenario: Scenario) -> bool:
    """Does the report show several periods (a horizon's plan, checked period by period)?"""
    return result.has_plan and isinstance(result.check, HorizonReport) and len(scenario.years) > 1


def _one_period_body(result: Result, policy: Policy | None, rows: list[PlanRow],
                     places: Places, prefs: _Prefs | None = None) -> list[str]:
    """The sections of a one-period report (preferences only when some officer has them)."""
    parts = [_nav(result, prefs is not None)]
    if result.has_plan and result.check is not None:
        chk = result.check
        parts += [_headline(result, chk, rows), _rules_section(chk), _vacancies_section(rows),
                  *([prefs.section(prefs.figures.total)] if prefs is not None else []),
                  _charts_section(rows, policy), _moves_section(rows, places), _plan_section(rows)]
    else:
        parts.append(_no_plan(result))
    return parts


def _horizon_body(result: Result, policy: Policy | None, periods: list[PeriodRows],
                  paths: list[OfficerPath], places: Places,
                  prefs: _Prefs | None = None) -> list[str]:
    """The sections of a horizon's report: the totals, then per period (one shown at a time,
    by the period selector) the headline, rules, vacancies, preferences, charts and map; the
    plan table (whose rows follow the selector) and the officers' paths."""
    chk = result.check
    assert isinstance(chk, HorizonReport)
    parts = [_horizon_nav([p.year for p in periods], prefs is not None),
             _horizon_section(result, chk, periods, prefs)]
    reports = dict(chk.periods)
    mine = {p.year: p for p in prefs.figures.periods} if prefs is not None else {}
    for i, period in enumerate(periods):
        year, rows, rep = period.year, period.rows, reports[period.year]
        parts += [f'<div class="period" data-period="{year}"{" hidden" if i else ""}>',
                  _headline(result, rep, rows, year), _rules_section(rep, year),
                  _vacancies_section(rows, year),
                  *([prefs.section(mine[year], year)] if prefs is not None else []),
                  _charts_section(rows, policy, year), _moves_section(rows, places, year),
                  "</div>"]
    parts += [_plan_section(periods[0].rows, horizon=True), _paths_section(paths, periods)]
    return parts


def write_html(path: Path, result: Result, scenario: Scenario, policy: Policy | None,
               rows: list[PlanRow] | None = None) -> None:
    """Write the report to `path` whole or not at all."""
    write_bytes_atomic(Path(path), render_html(result, scenario, policy, rows).encode("utf-8"))


# -- pieces -------------------------------------------------------------------------------------
def _head(scenario: Scenario, result: Result) -> str:
    title = f"Rotation plan — {scenario.name}"
    return ('<!DOCTYPE html>\n<html lang="en" data-report="loading"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head>")


def _header(result: Result, scenario: Scenario, policy: Policy | None) -> str:
    status = result.status.value
    pol = policy.name if policy is not None else ELIGIBILITY_ONLY
    out = [f'<header><h1>Rotation plan — {_e(scenario.name)}</h1>',
           f'<p class="sub">policy <b>{_e(pol)}</b> · term from {scenario.term_start} · '
           f'{len(scenario.posts):,} posts · {len(scenario.candidates):,} officers · '
           f'<span class="badge st-{_e(status)}">{_e(status)}</span>'
           + (' <span class="badge st-interrupted">interrupted</span>'
              if result.interrupted else "") + "</p>"]
    if scenario.description:
        out.append(f'<p class="desc">{_e(scenario.description.strip())}</p>')
    if result.interrupted and result.has_plan:
        gap = f" (gap {result.gap:.2%} to the bound)" if result.gap is not None else ""
        out.append('<div class="banner" id="interrupted">Interrupted: this is the best plan found '
                   f'before the search was stopped{gap}. It meets every hard rule and was checked '
                   'independently, but it is not proven to be the best.</div>')
    out.append("</header>")
    return "\n".join(out)


def _nav(result: Result, with_preferences: bool = False) -> str:
    if not result.has_plan:
        return ""
    links = [("rules", "Rules"), ("vacancies", "Vacancies"),
             *([("preferences", "Preferences")] if with_preferences else []),
             ("charts", "Shares by level"), ("moves", "Who moved where"), ("plan", "The plan")]
    return "<nav>" + " ".join(f'<a href="#{a}">{_e(t)}</a>' for a, t in links) + "</nav>"


_PERIOD_LINKS = [("headline", "Headline"), ("rules", "Rules"), ("vacancies", "Vacancies"),
                 ("charts", "Shares by level"), ("moves", "Who moved where")]
"""The sections a horizon's report has once per period (ids suffixed with the year)."""


def _horizon_nav(years: list[int], with_preferences: bool = False) -> str:
    """The navigation bar of a horizon's report with its one period selector; the links to
    the per-period sections point at the chosen period's (the script moves them)."""
    options = "".join(f'<option value="{y}">{y}</option>' for y in years)
    sections = _PERIOD_LINKS[:3] + [("preferences", "Preferences")] * with_preferences \
        + _PERIOD_LINKS[3:]
    links = ['<a href="#horizon">Horizon</a>']
    links += [f'<a href="#{a}-{years[0]}" data-sec="{a}">{_e(t)}</a>' for a, t in sections]
    links += ['<a href="#plan">The plan</a>', '<a href="#paths">Officer paths</a>']
    return (f'<nav><label class="pick">Period <select id="f-period">{options}</select></label> '
            + " ".join(links) + "</nav>")


def _horizon_section(result: Result, chk: HorizonReport, periods: list[PeriodRows],
                     prefs: _Prefs | None = None) -> str:
    """The whole horizon: the objective against the bound, the totals over the periods, one
    row of figures per period (its year selects it) and the rules summed over the horizon."""
    reports = dict(chk.periods)
    n_posts = sum(len(p.rows) for p in periods)
    years = ", ".join(str(p.year) for p in periods)
    cards = [_objective_card(result),
             _card("Periods", f"{len(periods)}", _e(years)),
             _card("Posts filled", f"{chk.filled:,}", f"of {n_posts:,} over the periods · "
                   f"{chk.vacant:,} vacant", "c-warn" if chk.vacant else ""),
             _card("Moves", f"{chk.moved:,}", "over the periods"),
             *([prefs.card()] if prefs is not None else []),
             *_rule_cards(chk), _solve_card(result)]
    body = []
    for p in periods:
        rep = reports[p.year]
        body.append(_period_row(f'<a href="#period={p.year}">{p.year}</a>', rep, len(p.rows),
                                len(p.available)))
    body.append(_period_row("whole horizon", chk, n_posts, None, "th"))
    return ('<section id="horizon"><h2>The horizon <span class="count">' + _e(years) + '</span></h2>'
            '<p class="hint">Every period planned at once: each officer\'s state in a period (post '
            'held, terms, where serving, experience) follows from the plan of the period before. '
            'The period selector above chooses the period that the sections below show.</p>'
            '<div class="cards">' + "".join(cards) + '</div><table class="periods"><thead><tr>'
            '<th>Period</th><th class="num">Posts</th><th class="num">Filled</th>'
            '<th class="num">Vacant</th><th class="num">Moved</th><th class="num">Officers '
            'available</th><th class="num">Objective</th><th>Hard rules</th>'
            '<th class="num">Soft penalty</th></tr></thead><tbody>' + "".join(body)
            + '</tbody></table><details class="terms"><summary>Rules over the whole horizon '
            '(violations and counts summed over the periods)</summary>'
            + _rules_table(chk) + "</details></section>")


def _period_row(label: str, chk: CheckReport, posts: int, available: int | None,
                cell: str = "td") -> str:
    """One row of the horizon's table of periods (`cell` th: the totals)."""
    hard = [r for r in chk.rules if r.hard]
    penalty = sum(r.penalty for r in chk.rules if not r.hard)
    nums = [posts, chk.filled, chk.vacant, chk.moved]
    cells = "".join(f'<{cell} class="num">{n:,}</{cell}>' for n in nums)
    return (f"<tr><{cell}>{label}</{cell}>{cells}<{cell} class=\"num\">"
            f"{'' if available is None else f'{available:,}'}</{cell}>"
            f'<{cell} class="num">{chk.objective:,}</{cell}>'
            f"<{cell}>{sum(r.holds for r in hard)} / {len(hard)} hold</{cell}>"
            f'<{cell} class="num">{penalty:,}</{cell}></tr>')


def _card(label: str, value: str, note: str = "", cls: str = "") -> str:
    return (f'<div class="card {cls}"><div class="lbl">{_e(label)}</div>'
            f'<div class="val">{value}</div><div class="note">{note}</div></div>')


def _pct(k: int, n: int) -> str:
    return "–" if not n else f"{k / n:.1%}"


def _sfx(year: int | None) -> str:
    """What a period's copy of a section adds to its ids (`-2031`); nothing in a one-period report."""
    return "" if year is None else f"-{year}"


def _yr(year: int | None) -> str:
    """The period's year beside a section's title, in a horizon's report."""
    return "" if year is None else f' <span class="yr">{year}</span>'


def _headline(result: Result, chk: CheckReport, rows: list[PlanRow], year: int | None = None) -> str:
    """The headline cards of the plan (`year` None) or of one period of a horizon (`chk` its
    verdict, `rows` its posts): then the objective is the period's part of the horizon's."""
    filled = [r for r in rows if r.filled]
    n = len(filled)
    if year is None:
        objective = _objective_card(result)
    else:
        objective = _card(f"Objective {year}", f"{chk.objective:,}",
                          f"this period's part of {result.objective:,}")
    cards = [
        objective,
        _card("Posts filled", f"{chk.filled:,}", f"of {len(rows):,} · {chk.vacant:,} vacant",
              "c-warn" if chk.vacant else ""),
        _card("Moved", f"{chk.moved:,}", f"{_pct(chk.moved, n)} of the officers placed"),
        _card("Non-local", _pct(sum(1 for r in filled if not r.local), n),
              "of filled posts: home and ties away from the post's unit"),
        _card("From the ministry", _pct(sum(1 for r in filled if r.ministry_origin), n),
              "of filled posts"),
        *_rule_cards(chk),
        _solve_card(result),
    ]
    return f'<section id="headline{_sfx(year)}" class="cards">' + "".join(cards) + "</section>"


def _objective_card(result: Result) -> str:
    gap = f"{result.gap:.2%}" if result.gap is not None else "–"
    return _card("Objective", f"{result.objective:,}", f"bound {result.bound:,} · gap {gap}"
                 if result.bound is not None else "no bound")


def _rule_cards(chk: CheckReport) -> list[str]:
    """The hard and soft rules holding, and the soft penalty."""
    hard = [r for r in chk.rules if r.hard]
    soft = [r for r in chk.rules if not r.hard]
    hard_ok = sum(r.holds for r in hard)
    soft_ok = sum(r.holds for r in soft)
    return [_card("Hard rules", f"{hard_ok} / {len(hard)}", "hold",
                  "" if hard_ok == len(hard) else "c-bad"),
            _card("Soft rules", f"{soft_ok} / {len(soft)}",
                  f"hold · penalty {sum(r.penalty for r in soft):,}",
                  "" if soft_ok == len(soft) else "c-warn")]


def _solve_card(result: Result) -> str:
    secs = result.stats.solve_seconds
    build = result.stats.build_seconds
    early = result.stats.early_plan
    first = "" if early is None else f" · first plan at {early.at_seconds:,.1f} s"
    return _card("Solve time", f"{secs:,.1f} s" if isinstance(secs, (int, float)) else "–",
                 f"build {'–' if build is None else build} s{first}")


_PAIRS = [("achieved", "assigned", "assigned"), ("complying_groups", "groups", "groups comply"),
          ("filled", "posts", "filled"), ("served_well", "difficult_posts", "served as required"),
          ("related_pairs_together", "relations", "related pairs together")]


def _rule_figures(fig: dict[str, Any]) -> tuple[str, str, str]:
    """(required, achieved, other figures) of one rule report, as HTML."""
    req = fig.get("required_share")
    ach = fig.get("achieved_share")
    required = f"{req:.1%}" if isinstance(req, (int, float)) else "every case"
    shown: set[str] = {"required_share", "achieved_share"}
    count = ""
    for k, n, words in _PAIRS:
        if k in fig and n in fig:
            count = f"{fig[k]:,} of {fig[n]:,} {words}"
            shown |= {k, n}
            break
    if isinstance(ach, (int, float)):
        bar_req = f'<i style="left:{req * 100:.1f}%"></i>' if isinstance(req, (int, float)) else ""
        achieved = (f'<span class="share">{ach:.1%}<span class="mini"><b style="width:{ach * 100:.1f}%">'
                    f'</b>{bar_req}</span></span><div class="note">{_e(count)}</div>')
    else:
        achieved = _e(count) if count else ""
    other = []
    groups = changed_groups(fig)
    for key, value in fig.items():
        if key in shown or value is None:
            continue
        if key == "groups" and groups:
            value = "; ".join(map(group_words, groups[:12])) + (" …" if len(groups) > 12 else "")
        elif isinstance(value, list):
            if not value:
                continue
            value = ", ".join(map(str, value[:12])) + (" …" if len(value) > 12 else "")
        other.append(f"{key.replace('_', ' ')}: {value}")
    return required, achieved, _e("; ".join(other))


def _rules_section(chk: CheckReport, year: int | None = None) -> str:
    """Every rule's verdict on the plan, or on one period of a horizon (`year`)."""
    return (f'<section id="rules{_sfx(year)}"><h2>Rules{_yr(year)}</h2>\n'
            '<p class="hint">Hard rules must hold; a soft rule may give way at its weight per unit '
            'of violation. The bar shows the achieved share, the tick the required one.</p>\n'
            f"{_rules_table(chk)}\n</section>")


def _rules_table(chk: CheckReport) -> str:
    """The rules table, the checker's hard violations and the objective by term."""
    out = ['<table class="rules"><thead><tr><th>Rule</th><th>Kind</th><th>Status</th>'
           '<th>Required</th><th>Achieved</th><th class="num">Violation</th>'
           '<th class="num">Penalty</th><th>Details</th></tr></thead><tbody>']
    if not chk.rules:
        out.append('<tr><td colspan="8">No policy rules: only the eligibility checks apply.</td></tr>')
    for rep in chk.rules:
        if rep.holds:
            status = '<span class="ok">✓ holds</span>'
        elif rep.hard:
            status = '<span class="bad">✗ broken</span>'
        else:
            status = '<span class="warn">gives way</span>'
        kind = "hard" if rep.hard else f"soft · weight {rep.weight:,}"
        required, achieved, other = _rule_figures(rep.figures)
        details = other
        if rep.breaches:
            items = "".join(f"<li>{_e(b)}</li>" for b in rep.breaches[:20])
            more = f"<li>… {rep.violation} in all</li>" if len(rep.breaches) > 20 else ""
            details += (f'<details><summary>{len(rep.breaches)} breach'
                        f'{"es" if len(rep.breaches) != 1 else ""}</summary><ul>{items}{more}</ul></details>')
        out.append(f'<tr class="{"" if rep.holds else ("r-bad" if rep.hard else "r-warn")}">'
                   f"<td><code>{_e(rep.rule)}</code></td><td>{_e(kind)}</td><td>{status}</td>"
                   f"<td class='nw'>{required}</td><td>{achieved}</td><td class='num'>{rep.violation:,}</td>"
                   f"<td class='num'>{rep.penalty:,}</td><td class='det'>{details}</td></tr>")
    out.append("</tbody></table>")
    if chk.violations:
        items = "".join(f"<li>{_e(v)}</li>" for v in chk.violations[:100])
        out.append(f'<div class="banner bad"><b>{len(chk.violations)} hard violation(s)</b><ul>{items}</ul></div>')
    terms = "".join(f"<tr><td>{_e(k)}</td><td class='num'>{v:,}</td></tr>" for k, v in chk.terms.items())
    out.append(f'<details class="terms"><summary>Objective by term</summary><table>{terms}'
               f"<tr><th>total</th><th class='num'>{chk.objective:,}</th></tr></table></details>")
    return "\n".join(out)


def _vacancies_section(rows: list[PlanRow], year: int | None = None) -> str:
    vacant = [r for r in rows if not r.filled]
    out = [f'<section id="vacancies{_sfx(year)}"><h2>Vacancies{_yr(year)} '
           f'<span class="count">{len(vacant):,}</span></h2>']
    if not vacant:
        out.append('<p class="ok">Every post is filled.</p></section>')
        return "\n".join(out)
    vacant.sort(key=lambda r: (-r.priority, r.area_name, r.post_id))
    body = "".join(f"<tr><td>{_e(r.post_id)}</td><td>{_e(r.unit_name)}</td><td>{_e(r.area_name)}</td>"
                   f"<td>{_e(r.level)}</td><td>{_e(r.role)}</td><td class='num'>{r.priority}</td></tr>"
                   for r in vacant[:MAX_VACANCIES_LISTED])
    more = (f'<p class="hint">… and {len(vacant) - MAX_VACANCIES_LISTED:,} more: choose “vacant” in '
            'the plan below.</p>' if len(vacant) > MAX_VACANCIES_LISTED else "")
    out.append('<table><thead><tr><th>Post</th><th>Unit</th><th>Area</th><th>Level</th><th>Role</th>'
               f'<th class="num">Priority</th></tr></thead><tbody>{body}</tbody></table>{more}</section>')
    return "\n".join(out)


def _targets(policy: Policy | None) -> dict[str, list[tuple[float, str]]]:
    """Required non-local shares by level, from the rules of the policy that ask one."""
    out: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for rule in (policy.rules if policy is not None else []):
        target = rule.non_local_target()
        if target is not None:
            kind, share = target
            out[kind.value].append((float(share), rule.title))
    return out


def _bar_chart(title: str, items: list[tuple[str, int, int, list[tuple[float, str]]]],
               color: str, chart_id: str) -> str:
    """Horizontal bars of k/n per label, with target ticks; inline SVG."""
    label_w, bar_w, row_h, top = 84, 300, 30, 8
    width = label_w + bar_w + 190
    height = top + row_h * len(items) + 22
    out = [f'<figure class="chart"><figcaption>{_e(title)}</figcaption>'
           f'<svg id="{chart_id}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="img" aria-label="{_e(title)}">']
    for i, (label, k, n, targets) in enumerate(items):
        y = top + i * row_h
        share = k / n if n else 0.0
        out.append(f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" class="cl">{_e(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="20" class="track"/>'
                   f'<rect x="{label_w}" y="{y + 4}" width="{bar_w * share:.1f}" height="20" fill="{color}">'
                   f'<title>{_e(label)}: {k:,} of {n:,}</title></rect>'
                   f'<text x="{label_w + bar_w + 8}" y="{y + 18}" class="cv">'
                   f'{_pct(k, n)} <tspan class="cn">({k:,}/{n:,})</tspan></text>')
        for share_req, name in targets:
            x = label_w + bar_w * share_req
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + 27}" class="target">'
                       f'<title>target {share_req:.0%}: {_e(name)}</title></line>')
    axis_y = top + row_h * len(items) + 4
    for t in (0, 0.25, 0.5, 0.75, 1):
        x = label_w + bar_w * t
        out.append(f'<text x="{x:.1f}" y="{axis_y + 12}" text-anchor="middle" class="ax">{t:.0%}</text>')
    out.append("</svg></figure>")
    return "".join(out)


def _charts_section(rows: list[PlanRow], policy: Policy | None, year: int | None = None) -> str:
    levels = shares_by_level(rows)
    targets = _targets(policy)
    nonlocal_items = [(x["level"], x["non_local"], x["filled"], targets.get(x["level"], []))
                      for x in levels]
    ministry_items = [(x["level"], x["ministry_origin"], x["filled"], []) for x in levels]
    moved_items = [(x["level"], x["moved"], x["filled"], []) for x in levels]
    female_items = [(x["level"], x["female"], x["filled"], []) for x in levels]
    sfx = _sfx(year)
    return (f'<section id="charts{sfx}"><h2>Shares by level{_yr(year)}</h2><p class="hint">Among the '
            'filled posts of each '
            'level (the kind of the post\'s unit). Non-local: neither the home nor a tie of the officer '
            'lies in or around the post\'s own unit. Ticks mark the non_local targets of the policy '
            '(which may count a subset of roles or a wider scope).</p><div class="charts">'
            + _bar_chart("Non-local share", nonlocal_items, "#0f766e", f"chart-nonlocal{sfx}")
            + _bar_chart("Ministry-origin share", ministry_items, "#1d4ed8", f"chart-ministry{sfx}")
            + _bar_chart("Moved share", moved_items, "#c2410c", f"chart-moved{sfx}")
            + _bar_chart("Women's share", female_items, "#9333ea", f"chart-female{sfx}")
            + "</div></section>")


def _moves_section(rows: list[PlanRow], places: Places, year: int | None = None) -> str:
    moves = [r for r in rows if r.moved]
    kinds = move_kinds(rows)
    flows = Counter((r.from_area, r.area) for r in moves if r.from_area != r.area)
    kinds_html = "".join(f"<li><b>{v:,}</b> {_e(k)}</li>" for k, v in kinds.most_common())
    flow_rows = "".join(
        f"<tr><td>{_e(places.name(a))}</td><td>→</td><td>{_e(places.name(b))}</td><td class='num'>{n:,}</td></tr>"
        for (a, b), n in flows.most_common(MAX_FLOWS_LISTED))
    flow_table = (f'<table class="flows"><thead><tr><th>From</th><th></th><th>To</th><th class="num">'
                  f'Officers</th></tr></thead><tbody>{flow_rows}</tbody></table>'
                  if flows else '<p class="hint">No moves between areas.</p>')
    later = ("" if year is None else " In a later period, “now” is that period's start: the post "
             "held and the unit served in the period before.")
    return (f'<section id="moves{_sfx(year)}"><h2>Who moved where{_yr(year)} '
            f'<span class="count">{len(moves):,}</span></h2>'
            '<p class="hint">An officer moves when placed on a post other than the one held now '
            '(newcomers included). From: the unit where the officer serves now. Choose “moved” in the '
            f'plan below for every move; choosing an area there highlights its flows on the map.{later}</p>'
            f'<div class="movegrid">{_map_svg(rows, places, _sfx(year))}<div><h3>Kinds of moves</h3>'
            f'<ul class="kinds">{kinds_html or "<li>No moves.</li>"}</ul><h3>Main flows between areas</h3>'
            f"{flow_table}</div></div></section>")


def _map_svg(rows: list[PlanRow], places: Places, sfx: str = "") -> str:
    """Moves drawn from unit coordinates: lines between units (few moves) or areas (many).
    `sfx` makes the ids of a period's map its own (a hidden period's markers would not draw)."""
    moves = [r for r in rows if r.moved and r.serves_at is not None]
    single = len(moves) <= MAX_SINGLE_MOVES
    areas = sorted({r.area for r in rows} | {r.from_area for r in moves if r.from_area})
    area_pts = {a: places.coord(a) for a in areas}
    edges = _Edges(moves, places, single)
    pts = [p for p in area_pts.values() if p is not None]
    for key in edges.count:
        if single:
            pts += [key[0], key[1]]
    if not pts:
        return '<p class="hint">No coordinates in the scenario: no map.</p>'
    frame = _Frame(pts)
    out = [f'<svg id="map{sfx}" viewBox="0 0 {frame.w:.0f} {frame.h:.0f}" width="{frame.w:.0f}" '
           f'height="{frame.h:.0f}" role="img" '
           'aria-label="Map of moves"><defs>'
           f'<marker id="ah{sfx}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'markerUnits="userSpaceOnUse" '
           'orient="auto"><path d="M0,0L10,5L0,10z" fill="#ea580c"/></marker>'
           f'<marker id="ahm{sfx}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'markerUnits="userSpaceOnUse" '
           'orient="auto"><path d="M0,0L10,5L0,10z" fill="#1d4ed8"/></marker>'
           '</defs><rect width="100%" height="100%" class="sea"/>']
    if single:
        for p in sorted({q for key in edges.count for q in key} - {p for p in area_pts.values() if p}):
            x, y = frame.xy(p)
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.4" class="pt"/>')
    out += _area_marks(areas, area_pts, edges, places, frame)
    out += _move_marks(edges, area_pts, places, frame, single, sfx)
    scope = ("each move between the officer's serving unit and the post's unit" if single else
             "moves aggregated between areas (provinces; the ministry is one area); rings: moves within an area")
    out.append("</svg>")
    note = (f'<p class="hint legend"><span class="sw min"></span> from the ministry '
            f'<span class="sw"></span> other moves — {_e(scope)}; width grows with the number of officers.'
            + (f" {edges.missing:,} move(s) without coordinates are not drawn." if edges.missing else "")
            + "</p>")
    return f'<div class="mapbox" style="max-width:{frame.w:.0f}px">' + "".join(out) + note + "</div>"


class _Edges:
    """The map's moves counted per edge: between exact units (`single`: keys are coordinate
    pairs) or between areas (keys are area pairs)."""

    def __init__(self, moves: list[PlanRow], places: Places, single: bool):
        self.count: Counter = Counter()
        self.ministry: dict[tuple, bool] = {}
        """Does any move on the edge bring an officer from the ministry?"""
        self.areas: dict[tuple, tuple[str, str]] = {}
        """The (from, to) areas of each edge."""
        self.missing = 0
        """Moves without coordinates at one end (not drawn)."""
        for r in moves:
            a, b = (r.serves_at, r.unit) if single else (r.from_area, r.area)
            pa, pb = places.coord(a), places.coord(b)
            if pa is None or pb is None:
                self.missing += 1
                continue
            key = (pa, pb) if single else (a, b)
            self.count[key] += 1
            self.ministry[key] = self.ministry.get(key, False) or bool(r.ministry_origin)
            self.areas[key] = (r.from_area or "", r.area)

    def within(self, key: tuple) -> bool:
        """Is the edge a move within one area (a ring on the map)?"""
        return self.areas[key][0] == self.areas[key][1]


class _Frame:
    """The map's projection: longitude scaled by the cosine of the mean latitude, fitted into
    about 620 x 820 pixels, with room for labels on the right."""

    def __init__(self, pts: list[tuple[float, float]]):
        self.lat0, self.lat1 = min(p[0] for p in pts), max(p[0] for p in pts)
        self.lon0, lon1 = min(p[1] for p in pts), max(p[1] for p in pts)
        self.k = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        span_x, span_y = max((lon1 - self.lon0) * self.k, 1e-3), max(self.lat1 - self.lat0, 1e-3)
        self.scale = min(620 / span_x, 820 / span_y)
        self.pad = 24
        self.w = span_x * self.scale + 2 * self.pad + 70
        self.h = span_y * self.scale + 2 * self.pad

    def xy(self, p: tuple[float, float]) -> tuple[float, float]:
        return (self.pad + (p[1] - self.lon0) * self.k * self.scale,
                self.pad + (self.lat1 - p[0]) * self.scale)


def _area_marks(areas: list[str], area_pts: dict[str, tuple[float, float] | None], edges: _Edges,
                places: Places, frame: _Frame) -> list[str]:
    """A dot per area, named when there are few areas, else the ministry and the busiest."""
    busy: Counter = Counter()
    for key, n in edges.count.items():
        fa, ta = edges.areas[key]
        if fa != ta:
            busy[fa] += n
            busy[ta] += n
    if len(areas) <= MAX_LABELS:
        labelled = set(areas)
    else:
        labelled = {a for a in areas if places.kind(a) == "ministry"}
        labelled |= {a for a, _ in busy.most_common(MAX_LABELS // 3)}
    out = []
    for a in areas:
        p = area_pts[a]
        if p is None:
            continue
        x, y = frame.xy(p)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" class="area" data-a="{_e(a)}">'
                   f"<title>{_e(places.name(a))}</title></circle>")
        if a in labelled:
            out.append(f'<text x="{x + 4:.1f}" y="{y - 3:.1f}" class="lab">{_e(places.name(a))}</text>')
    return out


def _move_marks(edges: _Edges, area_pts: dict[str, tuple[float, float] | None], places: Places,
                frame: _Frame, single: bool, sfx: str = "") -> list[str]:
    """A curved arrow per edge (width by count), or a ring where both ends meet; least first."""
    ring_max = max((n for k, n in edges.count.items() if edges.within(k)), default=1)
    line_max = max((n for k, n in edges.count.items() if not edges.within(k)), default=1)
    out = []
    for key, n in sorted(edges.count.items(), key=lambda kv: kv[1]):
        fa, ta = edges.areas[key]
        pa, pb = (key if single else (area_pts[key[0]], area_pts[key[1]]))
        x1, y1 = frame.xy(pa)
        x2, y2 = frame.xy(pb)
        cls = "mv min" if edges.ministry[key] else "mv"
        attrs = f'data-a="{_e(fa)}" data-b="{_e(ta)}" class="{cls}"'
        label = (f"{places.name(fa)} → {places.name(ta)}" if not single else "")
        if math.hypot(x2 - x1, y2 - y1) < 1.5:
            r = 2.5 + 13 * math.sqrt(n / max(ring_max, 25))
            what = f"{n:,} move{'s' if n != 1 else ''} within {places.name(ta)}" if not single else \
                f"{n:,} move{'s' if n != 1 else ''} nearby"
            out.append(f'<circle cx="{x2:.1f}" cy="{y2:.1f}" r="{r:.1f}" {attrs} fill="none">'
                       f"<title>{_e(what)}</title></circle>")
            continue
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        cx, cy = mx - dy * 0.18, my + dx * 0.18
        sw = 1.0 + 4 * math.sqrt(n / max(line_max, 16))
        title = f"{label}: {n:,}" if label else f"{n:,} move{'s' if n != 1 else ''}"
        out.append(f'<path d="M{x1:.1f},{y1:.1f}Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" '
                   f'stroke-width="{sw:.1f}" marker-end="url(#{"ahm" if edges.ministry[key] else "ah"}{sfx})" '
                   f'{attrs}><title>{_e(title)}</title></path>')
    return out


def _plan_section(rows: list[PlanRow], horizon: bool = False) -> str:
    """The plan table (the script fills it, a page at a time): in a horizon's report, the
    rows of the period chosen in the selector."""
    hint = ('<p class="hint">The posts of the period chosen above; moved and from: against the '
            'post held and the unit served at the start of that period.</p>' if horizon else "")
    return ('<section id="plan"><h2>The plan</h2>' + hint + '<div class="filters">'
            '<label>Area <select id="f-area"><option value="">all</option></select></label>'
            '<label>Level <select id="f-level"><option value="">all</option></select></label>'
            '<label>Role <select id="f-role"><option value="">all</option></select></label>'
            '<label>Show <select id="f-show"><option value="">all posts</option>'
            '<option value="filled">filled</option><option value="vacant">vacant</option>'
            '<option value="moved">moved</option><option value="stayed">stayed</option>'
            '<option value="nonlocal">non-local</option><option value="local">local</option>'
            '<option value="ministry">from the ministry</option></select></label>'
            '<label>Search <input id="f-text" type="search" placeholder="post, unit, officer"></label>'
            '</div><div class="pager"><button id="p-prev">‹ previous</button> <span id="p-info"></span> '
            '<button id="p-next">next ›</button></div>'
            '<table id="plan-table"><thead><tr><th>Post</th><th>Unit</th><th>Area</th><th>Level</th>'
            '<th>Role</th><th>Officer</th><th>From</th><th class="num">km</th><th>Notes</th></tr></thead>'
            f'<tbody id="plan-body"><tr><td colspan="9">{len(rows):,} posts (the script shows them '
            "here)</td></tr></tbody></table></section>")


def _paths_section(paths: list[OfficerPath], periods: list[PeriodRows]) -> str:
    """Who goes where, when: per officer who holds a post in some period, the post held in
    each period (the script fills the table from the data, a page at a time)."""
    head = "".join(f"<th>{p.year}</th>" for p in periods)
    return (f'<section id="paths"><h2>Officer paths <span class="count">{len(paths):,}</span></h2>'
            '<p class="hint">Every officer who holds a post in some period, and the post held in '
            'each period (moved: placed on a post other than the one held at the start of the '
            'period). —: no post; not available: not joined yet, or left.</p><div class="filters">'
            '<label>Show <select id="g-show"><option value="">all officers</option>'
            '<option value="moved">moved at least once</option>'
            '<option value="stayed">never moved</option></select></label>'
            '<label>Search <input id="g-text" type="search" placeholder="officer, post, unit">'
            '</label></div><div class="pager"><button id="g-prev">‹ previous</button> '
            '<span id="g-info"></span> <button id="g-next">next ›</button></div>'
            f'<table id="paths-table"><thead><tr><th>Officer</th>{head}<th class="num">Moves</th>'
            f'</tr></thead><tbody id="paths-body"><tr><td colspan="{len(periods) + 2}">'
            f"{len(paths):,} officers (the script shows them here)</td></tr></tbody></table>"
            "</section>")


class _Prefs:
    """A run's preference figures as the report shows them, with the officers' merit."""

    def __init__(self, figures: Preferences, merit: dict[str, int]):
        self.figures, self.merit = figures, merit

    @classmethod
    def of(cls, result: Result, scenario: Scenario) -> _Prefs | None:
        """The report's figures; None when no officer has preferences (no section then)."""
        figures = preferences(result, scenario)
        return None if figures is None else cls(figures, {c.id: c.merit for c in scenario.candidates})

    def card(self) -> str:
        """The horizon's card: the choices and envious pairs summed over the periods."""
        t = self.figures.total
        return _card("First choice", f"{t.choices[1]:,}", f"{t.choices[2]:,} second · "
                     f"{t.choices[3]:,} third · {len(t.envy):,} envious pairs over the periods",
                     "c-warn" if t.envy else "")

    def section(self, part: PeriodPreferences, year: int | None = None) -> str:
        """The preferences of the plan or of one period: the counts and the envy table."""
        n = len(part.envy)
        cards = [_card(f"{word.capitalize()} choice", f"{part.choices[rank]:,}",
                       "officers placed on it") for rank, word in CHOICES]
        cards.append(_card("Envious pairs", f"{n:,}", "officer and a post they would rather have",
                           "c-warn" if n else ""))
        rows = "".join(self._row(e) for e in part.envy[:MAX_ENVY_LISTED])
        more = (f'<p class="hint">… and {n - MAX_ENVY_LISTED:,} more (summary.json counts them '
                'all).</p>' if n > MAX_ENVY_LISTED else "")
        table = ('<p class="ok">No officer envies a post.</p>' if not n else
                 f'<table id="envy-table{_sfx(year)}"><thead><tr><th>Officer</th><th>Envies post</th>'
                 '<th>Its rank</th><th>Own post\'s rank</th><th>Held by</th></tr></thead>'
                 f"<tbody>{rows}</tbody></table>{more}")
        return (f'<section id="preferences{_sfx(year)}"><h2>Preferences and envy{_yr(year)} '
                f'<span class="count">{n:,} envious pairs</span></h2><p class="hint">A post\'s rank '
                'for an officer: the first unit of their preferences that contains the post\'s '
                'unit. An officer envies a post ranked better than their own (—: no post, or one '
                'outside their preferences) that they meet the requirements of and are not '
                'forbidden, when it is vacant or held by an officer of lower merit.</p>'
                f'<div class="cards">{"".join(cards)}</div>{table}</section>')

    def _row(self, e: Envy) -> str:
        held = ("vacant" if e.holder is None else
                f"{_e(e.holder)} <span class=\"sm\">merit {self.merit[e.holder]}</span>")
        own = "—" if e.own_rank is None else ordinal(e.own_rank)
        return (f"<tr><td>{_e(e.officer)} <span class=\"sm\">merit {self.merit[e.officer]}</span>"
                f"</td><td>{_e(e.post)}</td><td>{ordinal(e.rank)}</td><td>{own}</td>"
                f"<td>{held}</td></tr>")


def _no_plan(result: Result) -> str:
    out = [f'<section><h2>No plan</h2><p>Status: <b>{_e(result.status.value)}</b>.</p>']
    if result.explanation:
        out.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in result.explanation) + "</ul>")
    out.append("</section>")
    return "".join(out)


def _footer() -> str:
    try:
        version = metadata.version("rotation-planner")
    except metadata.PackageNotFoundError:
        version = "unknown"
    when = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f'<footer>rotation-planner {_e(version)} · written {_e(when)} · every plan is re-checked '
            "by independent code before it is written.</footer>")


class _Index:
    """Units, areas and roles by index, in the order first met: the compact form of the data."""

    def __init__(self, places: Places):
        self.places = places
        self._area: dict[str, int] = {}
        self._unit: dict[str, int] = {}
        self._role: dict[str, int] = {}
        self.areas: list[list[str]] = []
        self.units: list[list[Any]] = []
        self.roles: list[str] = []

    def area(self, a: str) -> int:
        if a not in self._area:
            self._area[a] = len(self.areas)
            self.areas.append([a, self.places.name(a)])
        return self._area[a]

    def unit(self, u: str) -> int:
        if u not in self._unit:
            places = self.places
            self._unit[u] = len(self.units)
            self.units.append([u, places.name(u), LEVELS.index(places.kind(u)),
                               self.area(places.area(u))])
        return self._unit[u]

    def role(self, r: str) -> int:
        if r not in self._role:
            self._role[r] = len(self.roles)
            self.roles.append(r)
        return self._role[r]

    def row(self, r: PlanRow) -> list[Any]:
        """A post of the plan: id, unit, role, priority, officer, name, serving unit, flags, km."""
        flags = (1 if r.filled else 0) | (2 if r.moved else 0) | (4 if r.local else 0) \
            | (8 if r.ministry_origin else 0) | (16 if r.gender == "female" else 0)
        return [r.post_id, self.unit(r.unit), self.role(r.role), r.priority, r.candidate_id or "",
                r.candidate_name or "", self.unit(r.serves_at) if r.serves_at else -1, flags,
                -1 if r.km is None else r.km]

    def path(self, path: OfficerPath) -> list[Any]:
        """An officer's path: id, name, and per period [post, unit, moved], 0 (no post) or -1
        (not available)."""
        cells: list[Any] = [-1 if not here else 0 if r is None
                            else [r.post_id, self.unit(r.unit), 1 if r.moved else 0]
                            for r, here in zip(path.held, path.available)]
        return [path.candidate_id, path.name, cells]


def _data_script(rows: list[PlanRow], places: Places, periods: list[PeriodRows] | None = None,
                 paths: list[OfficerPath] | None = None) -> str:
    """The plan as compact JSON: units, areas and roles by index, one array per post. A
    horizon gives instead `periods` ([year, rows] each) and the officers' `paths`."""
    ix = _Index(places)
    extra: dict[str, Any] = {}
    if periods is None:
        extra["rows"] = [ix.row(r) for r in rows]
    else:
        extra["periods"] = [[p.year, [ix.row(r) for r in p.rows]] for p in periods]
        extra["paths"] = [ix.path(x) for x in paths or []]
    data = {"levels": list(LEVELS), "areas": ix.areas, "units": ix.units, "roles": ix.roles,
            **extra}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script id="plan-data" type="application/json">{text}</script>'


_CSS = """
:root{--fg:#1f2937;--mut:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--ok:#15803d;--bad:#b91c1c;--warn:#b45309}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans",Arial,sans-serif;color:var(--fg);background:var(--bg)}
.wrap{max-width:1320px;margin:0 auto;padding:18px 22px 40px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0 0 8px}h3{font-size:14px;margin:12px 0 6px}
.sub{margin:0;color:var(--mut)}.desc{color:var(--mut);max-width:980px;margin:6px 0 0;font-size:13px}
nav{position:sticky;top:0;background:var(--bg);padding:8px 0;margin:8px 0;border-bottom:1px solid var(--line);z-index:2}
nav a{margin-right:16px;color:#1d4ed8;text-decoration:none}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:14px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;background:none;border:0;padding:0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 12px;border-top:3px solid #94a3b8}
.card.c-warn{border-top-color:var(--warn)}.card.c-bad{border-top-color:var(--bad)}
.lbl{color:var(--mut);font-size:12px;text-transform:uppercase;letter-spacing:.04em}.val{font-size:22px;font-weight:650}
.note{color:var(--mut);font-size:12px}.hint{color:var(--mut);font-size:12.5px;margin:0 0 8px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e5e7eb}
.st-optimal{background:#dcfce7;color:var(--ok)}.st-feasible{background:#dbeafe;color:#1d4ed8}
.st-infeasible,.st-unknown{background:#fee2e2;color:var(--bad)}.st-interrupted{background:#fef3c7;color:var(--warn)}
.banner{background:#fffbeb;border:1px solid #fcd34d;border-radius:6px;padding:8px 12px;margin:10px 0}
.banner.bad{background:#fef2f2;border-color:#fca5a5}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--mut);font-weight:600;background:#f9fafb}.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:var(--ok);font-weight:600;white-space:nowrap}.bad{color:var(--bad);font-weight:600;white-space:nowrap}.warn{color:var(--warn);font-weight:600;white-space:nowrap}
tr.r-bad{background:#fef2f2}tr.r-warn{background:#fffbeb}code{font-size:12.5px}
td.det{font-size:12px;color:var(--mut);max-width:380px}details ul{margin:4px 0;padding-left:18px}
.share{white-space:nowrap}.mini{display:inline-block;position:relative;width:80px;height:8px;background:#e5e7eb;border-radius:4px;margin-left:6px;vertical-align:middle}
.mini b{position:absolute;left:0;top:0;bottom:0;background:#0f766e;border-radius:4px}
.mini i{position:absolute;top:-3px;bottom:-3px;width:2px;background:#111827}
.count{font-size:13px;color:var(--mut);font-weight:500;margin-left:6px}
.charts{display:flex;flex-wrap:wrap;gap:18px}.chart{margin:0}.chart figcaption{font-weight:600;margin-bottom:4px}
.chart .track{fill:#f1f5f9}.chart .cl{font-size:12px;fill:#374151}.chart .cv{font-size:12px;fill:#111827;font-weight:600}
.chart .cn{fill:#6b7280;font-weight:400}.chart .ax{font-size:10px;fill:#9ca3af}.chart .target{stroke:#111827;stroke-width:2;stroke-dasharray:3 2}
.movegrid{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.movegrid>div:last-child{flex:1;min-width:300px}
svg[id^="map"]{max-width:100%;height:auto;max-height:820px;background:#f0f7ff;border:1px solid var(--line);border-radius:6px}
svg[id^="map"] .sea{fill:#f0f7ff}svg[id^="map"] .area{fill:#64748b}svg[id^="map"] .lab{font-size:9.5px;fill:#334155;pointer-events:none;paint-order:stroke;stroke:#f0f7ff;stroke-width:3px}svg[id^="map"] .pt{fill:#94a3b8}svg[id^="map"] .mv{stroke:#ea580c;fill:none;stroke-opacity:.55}
svg[id^="map"] .mv.min{stroke:#1d4ed8}svg[id^="map"] circle.mv{stroke-width:1.4}svg[id^="map"] .dim{opacity:.07}svg[id^="map"] .hi{stroke-opacity:.95}
.legend .sw{display:inline-block;width:18px;height:3px;background:#ea580c;vertical-align:middle;margin:0 4px}.legend .sw.min{background:#1d4ed8}
.kinds{padding-left:18px;margin:0}.flows td{padding:3px 6px}
.filters{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:8px}.filters label{font-size:12px;color:var(--mut)}
.filters select,.filters input{display:block;font:inherit;padding:4px 6px;border:1px solid #cbd5e1;border-radius:5px;min-width:130px;max-width:240px}
.pager{margin:6px 0;color:var(--mut)}.pager button{font:inherit;padding:3px 10px;border:1px solid #cbd5e1;background:#fff;border-radius:5px;cursor:pointer}
.pager button:disabled{opacity:.4;cursor:default}
#plan-table td{font-size:13px}#plan-table td:last-child{white-space:nowrap}.tag{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;margin-right:3px;background:#f1f5f9}
.tag.mv{background:#ffedd5;color:#9a3412}.tag.lc{background:#fee2e2;color:#991b1b}.tag.mi{background:#dbeafe;color:#1e40af}.tag.vac{background:#fef3c7;color:#92400e}
.sm{color:var(--mut);font-size:12px}.yr{font-size:13px;color:#1d4ed8;font-weight:600;margin-left:4px}
nav .pick{margin-right:18px;font-size:12px;color:var(--mut)}nav .pick select{font:inherit;font-size:14px;padding:2px 6px;border:1px solid #cbd5e1;border-radius:5px;margin-left:4px}
#horizon .cards{margin-bottom:10px}#paths-table td{font-size:13px}.nw{white-space:nowrap}footer{color:var(--mut);font-size:12px;margin-top:20px}
@media print{nav,.filters,.pager{display:none}section{break-inside:avoid}}
"""

_JS = r"""
(function(){
"use strict";
var root=document.documentElement;
window.addEventListener("error",function(e){root.setAttribute("data-report","error: "+(e.message||e));});
try{
var t0=performance.now();
var D=JSON.parse(document.getElementById("plan-data").textContent);
var body=document.getElementById("plan-body");
var U=D.units,A=D.areas;
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c];});}
function opt(sel,value,label){var o=document.createElement("option");o.value=value;o.textContent=label;sel.appendChild(o);}
function pager(info,prev,next,n,from,to,all,what){
  info.textContent=n?(what+" "+(from+1).toLocaleString()+"–"+to.toLocaleString()+" of "+n.toLocaleString()+
    (n<all?" (filtered from "+all.toLocaleString()+")":"")):"no "+what;
  prev.disabled=from===0;next.disabled=to>=n;}
// Filters from the address: report.html#show=vacant&level=commune&area=HG&q=text (and period=2031,
// who=text and paths=moved for the officer paths); null when the address sets none.
function hashParams(){
  if(location.hash.indexOf("=")<=0)return null;
  var H={};location.hash.slice(1).split("&").forEach(function(kv){
    var i=kv.indexOf("=");H[decodeURIComponent(kv.slice(0,i))]=decodeURIComponent(kv.slice(i+1));});
  return H;}
if(body){
var PAGE=100,page=0,shown=[];
var fArea=document.getElementById("f-area"),fLevel=document.getElementById("f-level"),
    fRole=document.getElementById("f-role"),fShow=document.getElementById("f-show"),
    fText=document.getElementById("f-text"),info=document.getElementById("p-info"),
    prev=document.getElementById("p-prev"),next=document.getElementById("p-next"),
    fPeriod=document.getElementById("f-period");
// A horizon's data holds every period's rows ([year, rows]); the plan table shows the chosen one's.
var PER=D.periods||[[null,D.rows]],R=PER[0][1];
function fill(sel,counts,keys,label){
  var keep=sel.value;while(sel.options.length>1)sel.remove(1);
  keys.forEach(function(k){opt(sel,k,label(k)+" ("+counts[k]+")");});
  sel.value=keep;if(sel.selectedIndex<0)sel.value="";}
function options(){
  var areaCount={},levelCount={},roleCount={};
  R.forEach(function(r){var u=U[r[1]];areaCount[u[3]]=(areaCount[u[3]]||0)+1;levelCount[u[2]]=(levelCount[u[2]]||0)+1;roleCount[r[2]]=(roleCount[r[2]]||0)+1;});
  fill(fArea,areaCount,Object.keys(areaCount).map(Number).sort(function(a,b){return A[a][1].localeCompare(A[b][1]);}),
    function(a){return A[a][1];});
  fill(fLevel,levelCount,Object.keys(levelCount).map(Number).sort(),function(l){return D.levels[l];});
  fill(fRole,roleCount,Object.keys(roleCount).map(Number).sort(function(a,b){return D.roles[a].localeCompare(D.roles[b]);}),
    function(r){return D.roles[r];});}
function setPeriod(y){
  if(!fPeriod)return;
  var i=0,k;for(k=0;k<PER.length;k++)if(String(PER[k][0])===String(y))i=k;
  fPeriod.value=String(PER[i][0]);R=PER[i][1];
  var els=document.querySelectorAll("[data-period]");
  for(k=0;k<els.length;k++)els[k].hidden=els[k].getAttribute("data-period")!==fPeriod.value;
  var links=document.querySelectorAll("nav a[data-sec]");
  for(k=0;k<links.length;k++)links[k].setAttribute("href","#"+links[k].getAttribute("data-sec")+"-"+fPeriod.value);
  options();}
var SHOW={filled:function(f){return f&1;},vacant:function(f){return !(f&1);},moved:function(f){return f&2;},
  stayed:function(f){return (f&1)&&!(f&2);},nonlocal:function(f){return (f&1)&&!(f&4);},
  local:function(f){return f&4;},ministry:function(f){return f&8;}};
function apply(){
  var a=fArea.value,l=fLevel.value,ro=fRole.value,s=SHOW[fShow.value],q=fText.value.trim().toLowerCase();
  a=a===""?-1:+a;l=l===""?-1:+l;ro=ro===""?-1:+ro;shown=[];
  for(var i=0;i<R.length;i++){var r=R[i],u=U[r[1]];
    if(a>=0&&u[3]!==a)continue;if(l>=0&&u[2]!==l)continue;if(ro>=0&&r[2]!==ro)continue;
    if(s&&!s(r[7]))continue;
    if(q){var hay=(r[0]+" "+u[1]+" "+r[4]+" "+r[5]+" "+A[u[3]][1]).toLowerCase();if(hay.indexOf(q)<0)continue;}
    shown.push(i);}
  page=0;render();highlight(a);}
function render(){
  var n=shown.length,pages=Math.max(1,Math.ceil(n/PAGE));if(page>=pages)page=pages-1;
  var from=page*PAGE,to=Math.min(n,from+PAGE),html=[];
  for(var j=from;j<to;j++){var r=R[shown[j]],u=U[r[1]],f=r[7],tags="";
    if(!(f&1))tags='<span class="tag vac">vacant</span>';
    else{if(f&2)tags+='<span class="tag mv">moved</span>';if(f&4)tags+='<span class="tag lc">local</span>';
      if(f&8)tags+='<span class="tag mi">ministry</span>';}
    var who=(f&1)?esc(r[5])+' <span class="sm">'+esc(r[4])+'</span>':'<span class="sm">—</span>';
    var fromU=r[6]>=0?U[r[6]]:null,fromTxt="";
    if(fromU){fromTxt=esc(fromU[1]);if(fromU[3]!==u[3])fromTxt+=' <span class="sm">'+esc(A[fromU[3]][1])+'</span>';}
    html.push("<tr><td>"+esc(r[0])+"</td><td>"+esc(u[1])+"</td><td>"+esc(A[u[3]][1])+"</td><td>"+esc(D.levels[u[2]])+
      "</td><td>"+esc(D.roles[r[2]])+"</td><td>"+who+"</td><td>"+fromTxt+'</td><td class="num">'+(r[8]>=0?r[8]:"")+
      "</td><td>"+tags+"</td></tr>");}
  body.innerHTML=html.length?html.join(""):'<tr><td colspan="9">No post matches these filters.</td></tr>';
  pager(info,prev,next,n,from,to,R.length,"posts");}
function highlight(a){
  var id=a>=0?A[a][0]:null,els=document.querySelectorAll('svg[id^="map"] .mv');
  for(var i=0;i<els.length;i++){var e=els[i],on=id===null||e.getAttribute("data-a")===id||e.getAttribute("data-b")===id;
    e.classList.toggle("dim",!on);e.classList.toggle("hi",id!==null&&on);}}
function fromHash(){
  var H=hashParams();if(!H)return false;
  if("period" in H)setPeriod(H.period);
  if("show" in H)fShow.value=H.show;if("q" in H)fText.value=H.q;
  if("level" in H)fLevel.value=String(D.levels.indexOf(H.level));
  if("role" in H)fRole.value=String(D.roles.indexOf(H.role));
  if("area" in H){for(var j=0;j<A.length;j++)if(A[j][0]===H.area)fArea.value=String(j);}
  return true;}
[fArea,fLevel,fRole,fShow].forEach(function(el){el.addEventListener("change",apply);});
fText.addEventListener("input",apply);
prev.addEventListener("click",function(){page--;render();});
next.addEventListener("click",function(){page++;render();});
if(fPeriod)fPeriod.addEventListener("change",function(){setPeriod(fPeriod.value);apply();});
window.addEventListener("hashchange",function(){if(fromHash())apply();});
options();fromHash();apply();}
// A horizon's officer paths: per officer, per period [post, unit, moved], 0 (no post) or -1 (not available).
var pbody=document.getElementById("paths-body");
if(pbody&&D.paths){
var P=D.paths,ppage=0,pshown=[];
var gShow=document.getElementById("g-show"),gText=document.getElementById("g-text"),
    gInfo=document.getElementById("g-info"),gPrev=document.getElementById("g-prev"),gNext=document.getElementById("g-next");
function moves(p){var n=0;p[2].forEach(function(c){if(c&&c.length&&c[2])n++;});return n;}
function papply(){
  var s=gShow.value,q=gText.value.trim().toLowerCase();pshown=[];
  for(var i=0;i<P.length;i++){var p=P[i],m=moves(p);
    if((s==="moved"&&!m)||(s==="stayed"&&m))continue;
    if(q){var hay=p[0]+" "+p[1];p[2].forEach(function(c){if(c&&c.length)hay+=" "+c[0]+" "+U[c[1]][1];});
      if(hay.toLowerCase().indexOf(q)<0)continue;}
    pshown.push(i);}
  ppage=0;prender();}
function cell(c){
  if(c===-1)return '<td class="sm">not available</td>';if(!c)return '<td class="sm">—</td>';
  return "<td>"+esc(c[0])+' <span class="sm">'+esc(U[c[1]][1])+"</span>"+(c[2]?' <span class="tag mv">moved</span>':"")+"</td>";}
function prender(){
  var n=pshown.length,pages=Math.max(1,Math.ceil(n/PAGE));if(ppage>=pages)ppage=pages-1;
  var from=ppage*PAGE,to=Math.min(n,from+PAGE),html=[];
  for(var j=from;j<to;j++){var p=P[pshown[j]];
    html.push("<tr><td>"+esc(p[1])+' <span class="sm">'+esc(p[0])+"</span></td>"+p[2].map(cell).join("")+
      '<td class="num">'+moves(p)+"</td></tr>");}
  pbody.innerHTML=html.length?html.join(""):'<tr><td colspan="'+(PER.length+2)+'">No officer matches these filters.</td></tr>';
  pager(gInfo,gPrev,gNext,n,from,to,P.length,"officers");}
var H=hashParams()||{};if("who" in H)gText.value=H.who;if("paths" in H)gShow.value=H.paths;
gShow.addEventListener("change",papply);gText.addEventListener("input",papply);
gPrev.addEventListener("click",function(){ppage--;prender();});
gNext.addEventListener("click",function(){ppage++;prender();});
papply();}
root.setAttribute("data-render-ms",String(Math.round(performance.now()-t0)));
root.setAttribute("data-ready-ms",String(Math.round(performance.now())));
if(root.getAttribute("data-report")==="loading")root.setAttribute("data-report","ready");
}catch(err){root.setAttribute("data-report","error: "+err);throw err;}
})();
"""
