"""Why a scenario has no plan, in the planner's own words (see docs/explain.md).

Cheap structural checks come first, each a proof on its own (:mod:`planner.explain.structure`):

* a post that a hard rule requires filled but that no candidate may take, with why each
  candidate is excluded (grouped: "2 lack advanced political theory (min_political_theory of
  post P1-DIR) and 1 has served 2+ terms there (term_limit)");
* Hall's condition on the posts that hard rules require filled (networkx matching);
* hard quotas (:meth:`~planner.rules.base.Rule.quota`: ministry quotas) that the officers of
  their pool cannot meet, per group and across groups (matching, max-flow), each group with why
  the officers of the pool are excluded.

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
* this module — :func:`diagnose`, the entry point (it returns the typed :class:`Diagnosis`;
  `Diagnosis.lines()` is the explanation in words), and the public names of the modules above,
  re-exported so that `from planner.explain.infeasible import ...` finds them here.

What each rule means (its words, the posts it requires filled, its groups and quota) is asked
of the rule itself (planner/rules/base.py): nothing here names a rule type.
"""

from __future__ import annotations

import time
from dataclasses import replace

from planner.explain.cores import (
    LIGHT_PRESOLVE,
    MAX_FOCUS_POSTS,
    conflicting_set,
    holds_together,
)
from planner.explain.period_ids import copies, readable
from planner.explain.structure import (
    Finding,
    deficient_posts,
    hall_violation,
    quota_reach,
    unfillable_posts,
)
from planner.explain.words import Diagnosis, Member, Why, Words, merged
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
from planner.scenario import Policy

__all__ = ["LIGHT_PRESOLVE", "MAX_FOCUS_POSTS", "Diagnosis", "Finding", "Member", "Why", "Words",
           "conflicting_set", "deficient_posts", "diagnose", "hall_violation", "holds_together",
           "merged", "quota_reach", "unfillable_posts"]


def diagnose(inst: Instance, mb: ModelBuilder, policy: Policy, time_limit: float = 30.0) -> Diagnosis:
    """Everything known about why `inst` has no plan under `policy` (`mb`: the solve's model,
    on every eligible pair): the structural proofs first, then a conflicting set, searched
    first among the posts those proofs name."""
    t0 = time.perf_counter()
    words = Words(inst, policy)
    diag = Diagnosis()
    unfillable = unfillable_posts(mb, words)
    quota = quota_reach(mb, words)
    diag.structural += [line for f in unfillable for line in f.lines]
    diag.structural += _builder_reasons(mb, unfillable, quota)
    seeds: list[set[int]] = [set(f.posts) for f in unfillable] + [set(f.posts) for f in quota]
    deficient = deficient_posts(mb)
    if deficient:
        diag.structural.append(hall_violation(mb, posts=deficient))
        seeds.append(deficient)
    diag.structural += [line for f in quota for line in f.lines]
    diag.conflict, diag.minimal = conflicting_set(inst, policy, max(1.0, time_limit), words, seeds)
    if not diag.conflict and not diag.structural:
        diag.note = ("no conflicting set was found within the time limit; try a longer "
                     "--time-limit, or --relax to see which rules give way")
    diag.seconds = time.perf_counter() - t0
    return _in_periods(diag, inst)


def _in_periods(diag: Diagnosis, inst: Instance) -> Diagnosis:
    """On a horizon's expanded instance, the diagnosis with its copy ids in words (`post
    HG-DIR in 2031`); each member's `place` keeps the copy id, which names the group exactly."""
    known = copies(inst)
    if not known:
        return diag
    diag.copies = known
    diag.structural = [readable(x, known) for x in diag.structural]
    diag.conflict = [replace(m, text=readable(m.text, known),
                             detail=None if m.detail is None else readable(m.detail, known))
                     for m in diag.conflict]
    return diag


def _builder_reasons(mb: ModelBuilder, unfillable: list[Finding], quota: list[Finding]) -> list[str]:
    """What the model builder found impossible on its own (`mb.impossible`), less what the
    structural proofs already say better: a post to fill that no one may take, a quota group."""
    said = tuple(f"post {mb.inst.posts[p].id} " for f in unfillable for p in f.posts)
    explained = tuple(f"{f.rule}@" for f in quota)
    return [r for r in mb.impossible if not (said and r.startswith(said))
            and not (explained and r.startswith(explained))]

