"""The eligible (candidate, post) pairs of a scenario with their objective coefficients.

Computed once per solve and shared by every stage that needs them: the assignment-core
relaxation (a bound and a first plan), the shortlist that large scenarios are solved on, and
the CP-SAT model itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.model.eligibility import eligible_pairs, pinned
from planner.model.instance import Instance
from planner.model.objective import pair_scores, vacancy_constant
from planner.scenario import Policy


@dataclass
class PairTable:
    """Pairs in post order (candidates ascending within a post); pair i of the table."""

    post: np.ndarray
    cand: np.ndarray
    coef: np.ndarray
    """score(c, p) plus the vacancy cost filling p saves (before any rule's terms)."""
    constant: int
    """The objective of the all-vacant plan."""
    may_stay: np.ndarray | None = None
    """A horizon's later periods: mask of the pairs that can be a stay (the same officer on the
    same post has a pair in the period before); `move` is in `coef` for every other pair, and
    the links price it for these (planner/model/links.py). None for a single period."""
    stay_credit: int = 0
    """The move weight that the coefficients of the `may_stay` pairs leave out: as if each were
    a stay. A rule that bounds the stays (`term_limit` over a horizon) takes it back in its LP
    rows where they cannot all be."""

    def __len__(self) -> int:
        return len(self.post)

    def subset(self, keep: np.ndarray) -> "PairTable":
        """The pairs where `keep` (a mask) is true, still in post order."""
        return PairTable(self.post[keep], self.cand[keep], self.coef[keep], self.constant,
                         None if self.may_stay is None else self.may_stay[keep], self.stay_credit)

    def starts(self, n_posts: int) -> np.ndarray:
        """Pairs of post p are `starts[p]:starts[p + 1]`."""
        return np.searchsorted(self.post, np.arange(n_posts + 1))


def pair_table(inst: Instance, policy: Policy, *, explain: bool = False,
               narrow_pins: bool = True) -> PairTable:
    """Eligible pairs and their coefficients. `explain` keeps pairs that hard rules and pins
    exclude (they are guarded in the explain model instead); `narrow_pins` false keeps the
    pairs that `fixed` pins would exclude (each pin is then only a row of the model), so that
    a conflict can name the pin."""
    forbidden = set() if explain else \
        {(inst.cand_index[f.candidate], inst.post_index[f.post]) for f in inst.scenario.forbidden}
    eligible = eligible_pairs(inst, [] if explain else list(policy.rules), forbidden,
                              pinned(inst) if narrow_pins and not explain else None)
    sizes = np.array([len(e) for e in eligible], dtype=np.int64)
    post = np.repeat(np.arange(inst.n_posts, dtype=np.int32), sizes)
    cand = np.concatenate(eligible).astype(np.int32) if eligible else np.zeros(0, np.int32)
    coef = pair_scores(inst, policy.weights, post, cand)
    may_stay, credit = None, 0
    if inst.horizon is not None:
        may_stay, credit = inst.horizon.may_stay(post, cand), policy.weights.move
        coef -= credit * (inst.dynamic[cand] & ~may_stay)
    return PairTable(post, cand, coef, vacancy_constant(inst, policy.weights), may_stay, credit)
