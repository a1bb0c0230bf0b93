"""Peers of the planner for benchmarks (issue 3): the same rules solved other ways.

* :func:`naive_cpsat` — the same model built naively through CP-SAT's Python object API;
* :func:`highs_mip` — the same MIP in HiGHS (``highspy``);
* :func:`scip_mip` — the same MIP in SCIP (``pyscipopt``), read from the HiGHS peer's rows;
* ``benchmarks.peers.timefold_streams.timefold_streams`` — the core rules in Timefold's
  constraint streams; imported on its own, as importing it starts a Java VM;
* :func:`greedy` — posts by descending priority, best remaining candidate that keeps the hard
  rules satisfiable in a simple sense;
* :func:`flow_bound` — the assignment core as a max-weight bipartite matching (``scipy``): a
  valid upper bound on any plan's objective, and a lower limit on solve time.

All peers start from :class:`ModelSpec` (:func:`derive_spec`), the planner's own model read
back from its CP-SAT proto as plain numpy arrays: "the same rules", whatever solves them.
Every peer returns a :class:`PeerResult`. None of this is used by ``planner solve``.
"""

from benchmarks.peers.common import PeerResult, Timeline
from benchmarks.peers.flow import flow_bound, flow_from_spec
from benchmarks.peers.greedy import greedy
from benchmarks.peers.highs import highs_from_spec, highs_mip
from benchmarks.peers.naive import naive_cpsat, naive_from_spec
from benchmarks.peers.scip import scip_from_spec, scip_mip
from benchmarks.peers.spec import ModelSpec, derive_spec

__all__ = ["ModelSpec", "PeerResult", "Timeline", "derive_spec", "flow_bound", "flow_from_spec",
           "greedy", "highs_from_spec", "highs_mip", "naive_cpsat", "naive_from_spec",
           "scip_from_spec", "scip_mip"]
