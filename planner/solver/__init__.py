"""Solving: the pipeline of `solve` and the `Result` it returns (imports nothing: the public
API is the package root, :mod:`planner`).

* `pipeline` — :func:`~planner.solver.pipeline.solve`, the stages in order;
* `bounds` — the assignment core's and the LP's bounds, and the pairs to model;
* `start` — the first plan: the LP's skeleton completed by CP-SAT, else the repair;
* `search` — CP-SAT's parameters, the warm start's hint, the Ctrl-C-safe search;
* `result` — `Status`, `Result`, the typed run figures `RunStats`, the gap, verification.
"""
