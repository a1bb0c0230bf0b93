"""What the reports say about an officer on a post, one definition each: plan.csv, the HTML
and Excel reports (planner/output/planrows.py) and the research metrics use these.

* *local*: the officer's home or one of their ties lies in or around the post's own unit (one
  contains the other);
* *ministry origin*: the officer serves at a ministry unit now.

The model (planner/model/instance.py) and the rules' independent checks keep their own copies
on purpose, so that the checker does not inherit the model's bugs; this is the report side's.
"""

from __future__ import annotations

from planner.check.tree import Tree
from planner.schema import Candidate, UnitKind


def is_local(tree: Tree, unit: str, cand: Candidate) -> bool:
    """Does `cand`'s home or a tie overlap `unit` (either contains the other)?"""
    return any(tree.contains(unit, x) or tree.contains(x, unit) for x in [cand.home, *(cand.ties or [])])


def from_ministry(tree: Tree, cand: Candidate) -> bool:
    """Does `cand` serve at a ministry unit now?"""
    return tree.kind(cand.serves_at) == UnitKind.ministry
