"""Several countries side by side in one scenario: how `planner generate --countries N` grows a
scenario past one country (to measure how cost grows, docs/benchmarks.md "How cost grows").

Copy 1 is the scenario :func:`~planner.generate.national.generate` writes without the option,
drawn from ``random.Random(seed)``; copy k > 1 runs every stage again from
``random.Random(f"{seed}-C{k}")`` (its own provinces when `fraction` < 1, officers, homes,
relations, names) and every id it has or refers to gets the prefix ``Ck-``, so the copies never
share a unit, post or officer. The policy is the same for every copy, so it is written once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # national.generate calls side_by_side: a runtime import would be circular
    from planner.generate.national import GeneratedScenario

ID_FIELDS = {"units": ("id", "parent"), "posts": ("id", "unit"),
             "candidates": ("id", "home", "serves_at", "current_post", "ties", "preferences",
                            "planned_for"),
             "relations": ("a", "b")}
"""Each table's fields that hold an id (or a list of ids) of a unit, post or officer."""

SUMMED_META = ("legacy_provinces", "legacy_districts", "legacy_communes", "closed_posts",
               "incumbents_to_replace")
"""The transition's counts in `meta` (what `planner generate` reports): the copies' sum."""


def copy_seed(seed: int, k: int) -> int | str:
    """The seed of copy `k` (from 1): `seed` itself for the first, so that one country is the
    scenario generated without the option, ``"<seed>-C<k>"`` for the others."""
    return seed if k == 1 else f"{seed}-C{k}"


def _prefixed(value: str | list[str] | None, prefix: str) -> str | list[str] | None:
    """An id, or each id of a list, with `prefix`; None stays None."""
    if value is None:
        return None
    if isinstance(value, list):
        return [prefix + v for v in value]
    return prefix + value


def prefixed_rows(rows: list[dict], table: str, prefix: str) -> list[dict]:
    """`rows` of `table` with `prefix` on every id they hold (:data:`ID_FIELDS`), key order kept."""
    fields = ID_FIELDS[table]
    return [{key: _prefixed(v, prefix) if key in fields else v for key, v in row.items()}
            for row in rows]


def side_by_side(copies: list[GeneratedScenario]) -> GeneratedScenario:
    """One scenario of every copy's tables, copy k > 1's ids prefixed ``Ck-``; named after the
    first copy with ``-countriesN``, its description saying how the copies were drawn."""
    first, n = copies[0], len(copies)
    tables = {t: [row for k, gen in enumerate(copies, start=1)
                  for row in (getattr(gen, t) if k == 1 else
                              prefixed_rows(getattr(gen, t), t, f"C{k}-"))]
              for t in ID_FIELDS}
    meta = {**first.meta, "countries": n}
    for key in SUMMED_META:
        if key in meta:
            meta[key] = sum(gen.meta[key] for gen in copies)
    description = (f"{n} countries side by side, each with its own officers: copy k > 1 drawn "
                   f"with the seed '{first.meta['seed']}-Ck', its ids prefixed Ck-. "
                   f"The first copy: {first.description}")
    return replace(first, name=f"{first.name}-countries{n}", description=description,
                   meta=meta, **tables)
