"""CP-SAT solvers that leave Python's Ctrl-C handling in place.

OR-Tools 9.15 catches SIGINT during a solve (`catch_sigint_signal`, on by default) and, when
the solve ends, puts back the *default* action, not Python's handler: from then on Ctrl-C
kills the process outright (exit -2: no "interrupted" line, no plan kept, nothing tidied up).
Measured: one tiny solve with the default parameters, then SIGINT to the process, ends it by
the signal; with the parameter off, Python raises KeyboardInterrupt as usual. Every solver the
planner runs is made here, so none can lose the handler (a clean-clone CI run caught the
start-up test's Ctrl-C landing just after the skeleton's solve).
"""

from __future__ import annotations

from ortools.sat.python import cp_model


def new_solver() -> cp_model.CpSolver:
    """A CP-SAT solver with SIGINT left to Python (the search stops itself on Ctrl-C:
    planner/solver/search.py)."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver
