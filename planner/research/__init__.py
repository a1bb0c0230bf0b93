"""Policy research: compare rule sets, price each rule, sweep parameters, in parallel.

* :mod:`planner.research.metrics` — the figures of one plan (moves, relocation km, non-local
  shares, ministry quota, women, young cadres, soft violations), from the plan and the scenario
  alone, never from the solver;
* :mod:`planner.research.variants` — policy variants: drop a rule, relax a share one step,
  the ``--vary`` grammar for parameter grids;
* :mod:`planner.research.runner` — jobs (scenario path, policy, solve options) solved in a local
  process pool or on a Dask cluster, each row stored as soon as its solve ends;
* :mod:`planner.research.store` — the SQLite results file (one row per run, ``--resume``);
* :mod:`planner.research.render` — terminal tables (rich), CSV, Markdown and PNG charts
  (matplotlib);
* :mod:`planner.cli.research` — the ``compare``, ``price`` and ``sweep`` commands.

The optional dependencies (matplotlib, rich, dask[distributed]) come with the ``research``
extra: ``pip install 'rotation-planner[research]'``.
"""

from __future__ import annotations

import importlib.util

EXTRA = "research"
INSTALL_HINT = "pip install 'rotation-planner[research]'"


def missing_modules(*names: str) -> list[str]:
    """Which of these importable module names are not installed."""
    out = []
    for name in names:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            out.append(name)
    return out
