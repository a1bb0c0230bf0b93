"""Structural checks made before any solve, each a proof on its own that a scenario has no plan:
posts a hard rule requires filled that no candidate may take, Hall's condition on the posts hard
rules require filled (bipartite matching), and hard quotas (:meth:`Rule.quota`, e.g. ministry
quotas) that the officers of their pool cannot meet (matching, max-flow). They are cheap and
concrete, so :func:`planner.explain.infeasible.diagnose` reports them first, and the posts each
proof names (:class:`Finding`) seed the search for a conflicting set
(:func:`planner.explain.cores.conflicting_set`).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from planner.explain.words import Words, quota_group_words
from planner.model.builder import ModelBuilder
from planner.rules.base import Quota, Rule
from planner.rules.wording import few


@dataclass(frozen=True)
class Finding:
    """One structural proof that the scenario has no plan."""

    lines: tuple[str, ...]
    """The proof in words, one or more lines."""
    posts: frozenset[int]
    """The posts it is about: where the search for a conflicting set starts."""
    rule: str | None = None
    """The title of the hard rule it shows cannot be met, if one."""


def unfillable_posts(mb: ModelBuilder, words: Words, limit: int = 4) -> list[Finding]:
    """Posts a hard rule requires filled that no candidate may take, with why, grouped."""
    out = []
    inst = mb.inst
    for p, title in sorted(mb.required.items()):
        if len(mb.post_pairs(p)[0]):
            continue
        reasons = [(w[0].source, w[0].short) for c in range(inst.n_candidates)
                   if (w := words.exclusions(c, p, first=True))]
        why = words.grouped(reasons, limit) if reasons else "there are no candidates"
        out.append(Finding((f"post {inst.posts[p].id} must be filled ({title}) but no candidate "
                            f"may take it: of the {inst.n_candidates} candidates, {why}",),
                           frozenset({p})))
    return out


def deficient_posts(mb: ModelBuilder) -> set[int] | None:
    """Posts that hard rules require filled and that too few candidates can take between them
    (Hall's condition fails on this set), or None."""
    required = sorted(p for p in mb.required if len(mb.post_pairs(p)[0]))
    if not required:
        return None
    # Integer nodes (posts, then candidates after them): tuples holding strings would hash
    # differently in every process, and the matching, so the set named, would vary with them.
    n = mb.inst.n_posts
    graph = nx.Graph()
    graph.add_nodes_from(required)
    for p in required:
        graph.add_edges_from((p, n + int(c)) for c in mb.post_pairs(p)[1])
    matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=required)
    free = next((p for p in required if p not in matching), None)
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
    return posts


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
    return (f"{len(post_ids)} posts must be filled ({', '.join(rules)}): {few(post_ids, limit)}; "
            f"but only {len(cand_ids)} candidate{'s are' if len(cand_ids) != 1 else ' is'} "
            f"eligible for any of them" + (f": {few(cand_ids, limit)}" if cand_ids else ""))


def _max_matching(edges: list[tuple[object, object]], tops: list[object]) -> int:
    graph = nx.Graph()
    graph.add_nodes_from(tops)
    graph.add_edges_from(edges)
    return len(nx.bipartite.hopcroft_karp_matching(graph, top_nodes=tops)) // 2


def quota_reach(mb: ModelBuilder, words: Words, shown: int = 3) -> list[Finding]:
    """Hard quotas that the officers of their pool cannot meet, whatever the plan: one finding
    per such rule, its posts the group (or groups) the proof is about."""
    out = []
    for rule in mb.rules:
        quota = rule.quota(mb.inst) if rule.hard else None
        if quota is None or quota.need == 0 or quota.per_group == 0:
            continue
        able, unable = _able_groups(mb, quota)
        found = (_too_few_able(mb, words, rule, quota, len(able), unable, shown)
                 if len(able) < quota.need else _pool_too_small(mb, words, rule, quota, able))
        if found is not None:
            out.append(found)
    return out


Groups = list[tuple[int, list[int]]]
"""Groups of a quota as (unit index, its posts)."""


def _able_groups(mb: ModelBuilder, quota: Quota) -> tuple[Groups, Groups]:
    """The groups that can, and those that cannot, get `per_group` officers of the pool on
    their posts (a matching per group)."""
    able, unable = [], []
    for g, posts in quota.groups.items():
        edges = [(("post", p), ("cand", int(c))) for p in posts
                 for c in mb.post_pairs(p)[1] if quota.pool[c]]
        reach = _max_matching(edges, [("post", p) for p in posts]) if edges else 0
        (able if reach >= quota.per_group else unable).append((g, posts))
    return able, unable


def _too_few_able(mb: ModelBuilder, words: Words, rule: Rule, quota: Quota, n_able: int,
                  unable: Groups, shown: int) -> Finding:
    """Fewer groups than the quota needs can comply, even one at a time."""
    inst, need, groups = mb.inst, quota.need, quota.groups
    lines = [quota_group_words(words, rule.title, quota, g, posts) for g, posts in unable[:shown]]
    if len(unable) > shown:
        lines.append(f"nor can {few([inst.units[g].id for g, _ in unable[shown:]], 12)} "
                     f"({rule.title})")
    if need < len(groups):
        lines.append(f"{rule.title} needs {need} of the {len(groups)} {quota.kind}s to comply, "
                     f"but only {n_able} can")
    posts = set(unable[0][1]) if need == len(groups) else {p for ps in groups.values() for p in ps}
    return Finding(tuple(lines), frozenset(posts), rule.title)


def _pool_too_small(mb: ModelBuilder, words: Words, rule: Rule, quota: Quota,
                    able: Groups) -> Finding | None:
    """Across groups: each complying group takes `per_group` distinct officers of the pool
    (max-flow); None if enough of the `able` groups can comply at once."""
    k, need = quota.per_group, quota.need
    flow = nx.DiGraph()
    for g, posts in able:
        flow.add_edge(("group", g), "sink", capacity=k)
        for p in posts:
            for c in mb.post_pairs(p)[1]:
                if quota.pool[c]:
                    flow.add_edge("source", ("cand", int(c)), capacity=1)
                    flow.add_edge(("cand", int(c)), ("group", g), capacity=1)
    total = nx.maximum_flow_value(flow, "source", "sink") if flow.has_node("source") else 0
    if total // k >= need:
        return None
    officers = sorted(words.cand(n[1]) for n in flow.nodes if isinstance(n, tuple) and n[0] == "cand")
    line = (f"{rule.title}: {need} {quota.kind}s need {k} {quota.holder}{'s' if k > 1 else ''} "
            f"each, but only {len(officers)} {quota.members} may take any of their posts "
            f"({few(officers)}), enough for {total // k}")
    return Finding((line,), frozenset(p for ps in quota.groups.values() for p in ps), rule.title)
