"""Policy research: compare rule sets, price each rule, sweep parameters, in parallel.

* :mod:`planner.research.metrics` — the figures of one plan (moves, relocation km, non-local
  shares, ministry quota, women, young cadres, soft violations), from the plan and the scenario
  alone, never from the solver;
* :mod:`planner.research.variants` — policy variants: drop a rule, relax a share one step,
  the ``--vary`` grammar for parameter grids;
* :mod:`planner.research.runner` — jobs (scenario path, policy, solve options) solved in a local
  process pool or on a Dask cluster, each row stored as soon as its solve ends;
* :mod:`planner.research.store` — the SQLite results file (one row per run, ``--resume``);
* :mod:`planner.research.batches` — what each command solves: its input files read, its
  variants made, one job per scenario and variant;
* :mod:`planner.research.analysis` — reading a batch's rows: the price of each rule (slack,
  binding, causes of infeasibility), the Pareto front of a sweep;
* :mod:`planner.research.render` — what each command shows and writes, from stored rows alone
  (so ``--from RESULTS`` renders again without solving), with
  :mod:`planner.research.tables` (terminal tables with rich, CSV, Markdown) and
  :mod:`planner.research.charts` (PNG charts with matplotlib);
* :mod:`planner.cli.research` — the ``compare``, ``price`` and ``sweep`` commands: options,
  progress, exit status.

The optional dependencies (matplotlib, rich, dask[distributed]) come with the ``research``
extra: ``pip install 'rotation-planner[research]'``.
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = "pip install 'rotation-planner[research]'"
"""How to install the optional dependencies, as every message about them says it."""


def missing_modules(*names: str) -> list[str]:
    """Which of these importable module names are not installed (checked without importing
    them, so a missing extra is named before any work starts)."""
    out = []
    for name in names:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            out.append(name)
    return out
