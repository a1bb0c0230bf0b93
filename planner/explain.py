"""Why a scenario has no plan, in the planner's own words.

Cheap structural checks come first (posts that must be filled but have no candidate, Hall's
condition on the posts that hard rules require filled); then a core: the model is rebuilt with
one assumption literal per hard rule and pin, CP-SAT names a set of them that cannot hold
together, and that set is shrunk until dropping any member makes the rest feasible.
"""

from __future__ import annotations

import networkx as nx
from ortools.sat.python import cp_model

from planner.instance import Instance
from planner.model.builder import ModelBuilder
from planner.scenario import Policy


def hall_violation(mb: ModelBuilder, limit: int = 12) -> str | None:
    """Posts that hard rules require filled but that too few candidates can take between them."""
    required = sorted(mb.required)
    if not required:
        return None
    graph = nx.Graph()
    tops = [("post", p) for p in required]
    graph.add_nodes_from(tops)
    for p in required:
        for c in mb.post_pairs(p)[1]:
            graph.add_edge(("post", p), ("cand", int(c)))
    matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=tops)
    free = next((t for t in tops if t not in matching), None)
    if free is None:
        return None
    # Posts reachable from an unmatched post by alternating paths share too few candidates
    # (Konig): every candidate they can take is matched to one of them.
    posts, seen, queue = {free}, {free}, [free]
    while queue:
        node = queue.pop()
        for cand in graph[node]:
            if cand in seen:
                continue
            seen.add(cand)
            mate = matching.get(cand)
            if mate is not None and mate not in seen:
                seen.add(mate)
                posts.add(mate)
                queue.append(mate)
    cands = sorted({c for node in posts for _, c in graph[node]})
    post_ids = [mb.inst.posts[p].id for _, p in sorted(posts)]
    rules = sorted({mb.required[p] for _, p in posts})
    cand_ids = [mb.inst.candidates[c].id for c in cands]
    return (f"{len(post_ids)} post(s) must be filled ({', '.join(rules)}): {_few(post_ids, limit)}; "
            f"but only {len(cand_ids)} candidate(s) are eligible for any of them"
            + (f": {_few(cand_ids, limit)}" if cand_ids else ""))


def _few(items: list[str], limit: int) -> str:
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def conflicting_set(inst: Instance, policy: Policy, time_limit: float = 30.0) -> list[str] | None:
    """A minimal set of hard rules and pins that cannot all hold; None if none was proven."""
    mb = ModelBuilder(inst, policy, explain=True).build()
    guards = list(mb.guards.values())
    if not guards:
        return None

    def infeasible(keep: list[int]) -> list[int] | None:
        """Solve under the kept guards; the sufficient subset if infeasible, else None."""
        mb.model.clear_assumptions()
        mb.model.add_assumptions([mb.model.get_bool_var_from_proto_index(guards[i][1]) for i in keep])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = time_limit
        if solver.solve(mb.model) != cp_model.INFEASIBLE:
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return [i for i in keep if guards[i][1] in core] or keep

    core = infeasible(list(range(len(guards))))
    if core is None:
        return None
    i = 0
    while i < len(core):  # deletion filter: drop members the rest do not need
        trial = core[:i] + core[i + 1:]
        smaller = infeasible(trial) if trial else None
        if smaller is not None:
            core = smaller
            i = 0 if len(smaller) < len(trial) else i
        else:
            i += 1
    return [_describe(guards[i][0]) for i in core]


def _describe(key: object) -> str:
    summary = getattr(key, "summary", "")
    title = getattr(key, "title", str(key))
    kind = "hard rule " if summary else ""
    return f"{kind}{title}" + (f" ({summary})" if summary else "")


def explain(inst: Instance, mb: ModelBuilder, policy: Policy, time_limit: float = 30.0) -> list[str]:
    """Reasons, most concrete first, that scenario `inst` has no plan under `policy`."""
    reasons = list(mb.impossible)
    hall = hall_violation(mb)
    if hall:
        reasons.append(hall)
    core = conflicting_set(inst, policy, time_limit)
    if core:
        reasons.append("these cannot all hold together: " + "; ".join(core))
    return reasons
