"""The expansion's ids in words: `post P07-DIR in 2031` instead of `P07-DIR@2031`.

A horizon is diagnosed on its expanded instance (planner/model/horizon.py), whose posts, units
and officers are copies named `{id}@{year}`. The diagnosis words are made by the single-period
wording, which only knows those ids, so a planner reading them would see `l@2026 is fixed to
post HG-DEP@2026`. :func:`readable` rewrites a sentence once it is made: the year is said once,
after the first post or unit of that year (or after the first officer when no post or unit of
the year is named), and the other copies of that year are named by their own id alone.
"""

from __future__ import annotations

import re

from planner.model.instance import Instance

Copies = dict[str, tuple[str, int, str]]
"""Copy id -> (the scenario's id, the period's year, `post` / `unit` / `candidate`)."""

_COPY = re.compile(r"[^\s,;:()\[\]'\"=@]+@[0-9]+")
"""What a copy id looks like in a sentence; only ids the expansion made are rewritten."""


def copies(inst: Instance) -> Copies:
    """Every copy id of a horizon's expanded instance ({} for a one-period instance, whose ids
    are the scenario's own)."""
    hz = inst.horizon
    if hz is None or hz.n_periods < 2:
        return {}
    base = hz.base
    out: Copies = {}
    for t, year in enumerate(hz.years):
        out.update({f"{u.id}@{year}": (u.id, year, "unit") for u in base.units})
    for p, post in enumerate(inst.posts):
        out[post.id] = (base.posts[hz.post_base[p]].id, hz.years[hz.post_period[p]], "post")
    for c, cand in enumerate(inst.candidates):
        out[cand.id] = (base.candidates[hz.cand_base[c]].id, hz.years[hz.cand_period[c]],
                        "candidate")
    return out


def readable(text: str, known: Copies) -> str:
    """`text` with every copy id of `known` in the scenario's words: `post HG-DIR in 2031`,
    `l` (its year said by the post it is named with)."""
    if not known or "@" not in text:
        return text
    found = [(m, known[m.group(0)]) for m in _COPY.finditer(text) if m.group(0) in known]
    placed = {year for _, (_, year, kind) in found if kind != "candidate"}
    said: set[int] = set()
    parts, last = [], 0
    for m, (ident, year, kind) in found:
        tell = year not in said and (kind != "candidate" or year not in placed)
        parts += [text[last:m.start()], f"{ident} in {year}" if tell else ident]
        said.update([year] if tell else [])
        last = m.end()
    return "".join(parts) + text[last:]
