"""The assignment core alone, as a max-weight bipartite matching: an upper bound on any plan.

Rows are posts; columns are candidates plus one "vacant" column per post. The cost of pair
(p, c) is ``BIG - coef`` (``coef`` being the pair's score plus the vacancy it saves, as the
builder computes it, soft pair rules included), the cost of leaving p vacant is ``BIG``. A
minimum-cost full matching of the rows (``scipy.sparse.csgraph.min_weight_full_bipartite_matching``)
therefore maximises the sum of ``coef`` over a matching of eligible pairs; plus the builder's
constant it is the best objective any plan could reach if the side rules (shares, quotas,
kinship, fills, pins) and the soft rules' penalties were dropped. They only lower it, so it is
a valid upper bound; and the time it takes is a lower limit on what any exact method needs.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from benchmarks.peers.common import PeerResult
from benchmarks.peers.spec import ModelSpec, derive_spec
from planner.scenario import Policy, Scenario


def flow_from_spec(spec: ModelSpec) -> PeerResult:
    """The flow bound of `spec`: its build and solve times are the matching's alone."""
    tick = time.perf_counter()
    n_posts, n_cands = len(spec.post_ids), len(spec.cand_ids)
    # the objective as the model has it (user sense): pair coefficients, constant, and any
    # reward on a non-pair variable taken at its best (the builder has penalties only there)
    variables, coefs, const = spec.user_terms()
    weights = np.zeros(spec.n_vars, dtype=np.int64)
    np.add.at(weights, variables, coefs)
    pair_w = weights[: spec.n_pairs]
    rest = weights[spec.n_pairs:]
    rest_best = int(np.maximum(rest * spec.var_lo[spec.n_pairs:], rest * spec.var_hi[spec.n_pairs:]).sum())
    useful = pair_w > 0  # a pair worth less than vacancy is never taken by a maximum
    post, cand, coef = spec.pair_post[useful], spec.pair_cand[useful], pair_w[useful]
    big = float(coef.max() + 1) if len(coef) else 1.0
    rows = np.concatenate([post, np.arange(n_posts)]).astype(np.int64)
    cols = np.concatenate([cand, n_cands + np.arange(n_posts)]).astype(np.int64)
    cost = np.concatenate([big - coef.astype(np.float64), np.full(n_posts, big)])
    graph = csr_matrix((cost, (rows, cols)), shape=(n_posts, n_cands + n_posts))
    build = time.perf_counter() - tick

    tick = time.perf_counter()
    r, c = min_weight_full_bipartite_matching(graph)
    solve = time.perf_counter() - tick

    matched = c < n_cands
    # sum of coef over the matched pairs, exactly in integers
    lookup = {(int(p), int(k)): int(w) for p, k, w in zip(post, cand, coef)} \
        if len(post) < 200_000 else None
    if lookup is not None:
        total = sum(lookup[(int(p), int(k))] for p, k in zip(r[matched], c[matched]))
    else:
        key = post.astype(np.int64) * n_cands + cand
        order = np.argsort(key)
        want = r[matched].astype(np.int64) * n_cands + c[matched]
        total = int(coef[order[np.searchsorted(key[order], want)]].sum())
    bound = int(round(const)) + rest_best + total
    return PeerResult("flow_bound", "bound", bound=bound, prep_seconds=spec.prep_seconds,
                      build_seconds=build, solve_seconds=solve,
                      extra={"filled": int(matched.sum()), "side_terms_best": rest_best})


def flow_bound(scenario: Scenario, policy: Policy | None = None, time_limit: float = 30.0,
               workers: int = 1) -> PeerResult:
    """Upper bound on the objective of any plan of `scenario` (time_limit/workers unused)."""
    return flow_from_spec(derive_spec(scenario, policy))
