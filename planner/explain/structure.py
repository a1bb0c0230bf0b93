"""Structural checks made before any solve, each a proof on its own that a scenario has no plan:
posts a hard rule requires filled that no candidate may take, Hall's condition on the posts hard
rules require filled (bipartite matching), and hard ministry quotas that the ministry-origin
officers cannot meet (matching, max-flow). They are cheap and concrete, so
:func:`planner.explain.infeasible.diagnose` reports them first, and the posts each proof names seed the
search for a conflicting set (:func:`planner.explain.cores.conflicting_set`).
"""

from __future__ import annotations

import networkx as nx

from planner.explain.words import Words, _few, _quota_group_words
from planner.model.builder import ModelBuilder
from planner.rules.base import exact, shortfall


def unfillable_posts(mb: ModelBuilder, words: Words, limit: int = 4) -> list[str]:
    """Posts a hard rule requires filled that no candidate may take, with why, grouped."""
    out = []
    inst = mb.inst
    for p, title in sorted(mb.required.items()):
        if len(mb.post_pairs(p)[0]):
            continue
        reasons = [(w[0].source, w[0].short) for c in range(inst.n_candidates)
                   if (w := words.exclusions(c, p, first=True))]
        why = words.grouped(reasons, limit) if reasons else "there are no candidates"
        out.append(f"post {inst.posts[p].id} must be filled ({title}) but no candidate may take it: "
                   f"of the {inst.n_candidates} candidates, {why}")
    return out


def deficient_posts(mb: ModelBuilder) -> set[int] | None:
    """Posts that hard rules require filled and that too few candidates can take between them
    (Hall's condition fails on this set), or None."""
    required = sorted(p for p in mb.required if len(mb.post_pairs(p)[0]))
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
    return {p for _, p in posts}


def hall_violation(mb: ModelBuilder, limit: int = 12, posts: set[int] | None = None) -> str | None:
    """Posts that hard rules require filled but that too few candidates can take between them."""
    posts = posts if posts is not None else deficient_posts(mb)
    if not posts:
        return None
    inst = mb.inst
    cands = sorted({int(c) for p in posts for c in mb.post_pairs(p)[1]})
    post_ids = [inst.posts[p].id for p in sorted(posts)]
    rules = sorted({mb.required[p] for p in posts})
    cand_ids = [inst.candidates[c].id for c in cands]
    return (f"{len(post_ids)} posts must be filled ({', '.join(rules)}): {_few(post_ids, limit)}; "
            f"but only {len(cand_ids)} candidate{'s are' if len(cand_ids) != 1 else ' is'} "
            f"eligible for any of them" + (f": {_few(cand_ids, limit)}" if cand_ids else ""))


def _max_matching(edges: list[tuple[object, object]], tops: list[object]) -> int:
    graph = nx.Graph()
    graph.add_nodes_from(tops)
    graph.add_edges_from(edges)
    return len(nx.bipartite.hopcroft_karp_matching(graph, top_nodes=tops)) // 2


def quota_reach(mb: ModelBuilder, words: Words, shown: int = 3,
                seeds: list[set[int]] | None = None) -> tuple[list[str], set[str]]:
    """Hard ministry quotas that the ministry-origin officers cannot meet, whatever the plan;
    with the titles of the rules so explained. The posts of each proof go to `seeds`."""
    inst = mb.inst
    ministry = inst.arrays.ministry
    out, explained = [], set()
    seeds = seeds if seeds is not None else []
    for rule in mb.rules:
        if type(rule).__name__ != "MinistryQuota" or not rule.hard:
            continue
        groups = rule.groups(inst)  # type: ignore[attr-defined]
        k = rule.min_per_unit  # type: ignore[attr-defined]
        need = shortfall(0, len(groups), exact(rule.min_share_of_units))  # type: ignore[attr-defined]
        kind = rule.unit_kind.value  # type: ignore[attr-defined]
        if need == 0 or k == 0:
            continue
        able, unable = [], []
        for g, posts in groups.items():
            edges = [(("post", p), ("cand", int(c))) for p in posts
                     for c in mb.post_pairs(p)[1] if ministry[c]]
            reach = _max_matching(edges, [("post", p) for p in posts]) if edges else 0
            (able if reach >= k else unable).append((g, posts))
        if len(able) < need:
            explained.add(rule.title)
            seeds.append(set(unable[0][1]) if need == len(groups)
                         else {p for ps in groups.values() for p in ps})
            for g, posts in unable[:shown]:
                out.append(_quota_group_words(mb, words, rule, g, posts))
            if len(unable) > shown:
                out.append(f"nor can {_few([inst.units[g].id for g, _ in unable[shown:]], 12)} "
                           f"({rule.title})")
            if need < len(groups):
                out.append(f"{rule.title} needs {need} of the {len(groups)} {kind}s to comply, "
                           f"but only {len(able)} can")
            continue
        # Across groups: each complying group takes k distinct ministry-origin officers.
        flow = nx.DiGraph()
        for g, posts in able:
            flow.add_edge(("group", g), "sink", capacity=k)
            for p in posts:
                for c in mb.post_pairs(p)[1]:
                    if ministry[c]:
                        flow.add_edge("source", ("cand", int(c)), capacity=1)
                        flow.add_edge(("cand", int(c)), ("group", g), capacity=1)
        total = nx.maximum_flow_value(flow, "source", "sink") if flow.has_node("source") else 0
        if total // k < need:
            explained.add(rule.title)
            seeds.append({p for ps in groups.values() for p in ps})
            officers = sorted(words.cand(n[1]) for n in flow.nodes
                              if isinstance(n, tuple) and n[0] == "cand")
            out.append(f"{rule.title}: {need} {kind}s need {k} ministry-origin leader"
                       f"{'s' if k > 1 else ''} each, but only {len(officers)} ministry-origin "
                       f"officers may take any of their posts ({_few(officers)}), enough for "
                       f"{total // k}")
    return out, explained
