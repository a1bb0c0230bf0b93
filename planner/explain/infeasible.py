"""Why a scenario has no plan, in the planner's own words (see docs/explain.md).

Cheap structural checks come first, each a proof on its own (:mod:`planner.explain.structure`):

* a post that a hard rule requires filled but that no candidate may take, with why each
  candidate is excluded (grouped: "2 lack advanced political theory (min_political_theory of
  post P1-DIR) and 1 has served 2+ terms there (term_limit)");
* Hall's condition on the posts that hard rules require filled (networkx matching);
* hard ministry quotas that no pool of ministry-origin officers can meet, per group and across
  groups (matching, max-flow), each group with why its ministry-origin officers are excluded.

Then a conflicting set (:mod:`planner.explain.cores`): the model is rebuilt in explain mode
with one assumption literal per hard rule *and group* (per province for ministry quotas and
share rules with `per`, per relation for kinship, per post for `fill`, `difficult_areas` and the
pairs a hard pair rule excludes) and per pin. CP-SAT names a set of them that cannot hold
together (sufficient assumptions for infeasibility), shrunk by a deletion filter until dropping
any member makes the rest feasible, in two stages (:func:`conflicting_set`): group rules on the
solve's own pairs, then exclusions on a model restricted to the posts in question; sets of
fills, fixed pins and exclusions alone are decided by a bipartite matching. Each member is
described in domain words (:class:`Member`, :mod:`planner.explain.words`).

The modules:

* `words` — the wording: why a candidate may not take a post (:class:`Words`), the structured
  :class:`Diagnosis` and :class:`Member`, quota groups and conflict members in words;
* `structure` — the structural checks made before any solve;
* `cores` — the guarded explain model, minimal conflicting sets and :func:`holds_together`;
* this module — :func:`diagnose` and :func:`explain`, the entry points, and the public names of
  the modules above, re-exported so that `from planner.explain.infeasible import ...` finds them here.
"""

from __future__ import annotations

import time

from planner.explain.cores import (
    LIGHT_PRESOLVE,
    MAX_FOCUS_POSTS,
    conflicting_set,
    holds_together,
)
from planner.explain.structure import (
    deficient_posts,
    hall_violation,
    quota_reach,
    unfillable_posts,
)
from planner.explain.words import Diagnosis, Member, Reasons, Why, Words, merged
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.scenario import Policy

__all__ = ["LIGHT_PRESOLVE", "MAX_FOCUS_POSTS", "Diagnosis", "Member", "Reasons", "Why", "Words",
           "conflicting_set", "deficient_posts", "diagnose", "explain", "hall_violation",
           "holds_together", "merged", "quota_reach", "unfillable_posts"]


def diagnose(inst: Instance, mb: ModelBuilder, policy: Policy, time_limit: float = 30.0) -> Diagnosis:
    """Everything known about why `inst` has no plan under `policy` (`mb`: the solve's model,
    on every eligible pair)."""
    t0 = time.perf_counter()
    words = Words(inst, policy)
    diag = Diagnosis()
    unfillable = unfillable_posts(mb, words)
    seeds: list[set[int]] = [{inst.post_index[line.split(" ")[1]]} for line in unfillable]
    quota, explained = quota_reach(mb, words, seeds=seeds)
    shown = {line.split(" ")[1] for line in unfillable}
    diag.structural += unfillable
    diag.structural += [r for r in mb.impossible
                        if not (r.startswith("post ") and r.split(" ")[1] in shown)
                        and not any(r.startswith(f"{t}@") for t in explained)]
    deficient = deficient_posts(mb)
    if deficient:
        diag.structural.append(hall_violation(mb, posts=deficient))
        seeds.append(deficient)
    diag.structural += quota
    diag.conflict, diag.minimal = conflicting_set(inst, policy, max(1.0, time_limit), words, seeds)
    if not diag.conflict and not diag.structural:
        diag.note = ("no conflicting set was found within the time limit; try a longer "
                     "--time-limit, or --relax to see which rules give way")
    diag.seconds = time.perf_counter() - t0
    return diag


def explain(inst: Instance, mb: ModelBuilder, policy: Policy, time_limit: float = 30.0) -> list[str]:
    """Reasons, most concrete first, that scenario `inst` has no plan under `policy`; the
    returned list also carries the structured :class:`Diagnosis` as `.diagnosis`."""
    diag = diagnose(inst, mb, policy, time_limit)
    out = Reasons(diag.lines())
    out.diagnosis = diag
    return out
