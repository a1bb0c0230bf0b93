"""Minimal conflicting sets: the model rebuilt in explain mode with one assumption literal per
hard rule and group and per pin (:class:`_Guarded`), the sufficient assumptions CP-SAT names for
infeasibility shrunk by a deletion filter in two stages (:func:`conflicting_set`), and
:func:`holds_together` to test a set of members on its own. It sits apart from the wording and
the structural checks as the one part of the explanation that solves with CP-SAT.
"""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
from ortools.sat.python import cp_model

from planner.explain.words import Member, Words, describe, group_posts
from planner.model.builder import ModelBuilder, _PinKey
from planner.model.cpsat import new_solver
from planner.model.instance import Instance
from planner.model.pairs import pair_table
from planner.rules.base import Rule
from planner.scenario import Policy
from planner.schema import Pin


def _anchors(inst: Instance, key: object, group: object) -> set[int]:
    """Posts a guarded constraint needs in a restricted model: those whose vacancy could break
    it (a pin's post, a post to fill, every post of a share or quota group). Exclusions and
    kinship only forbid, so a vacancy never breaks them: they need none."""
    if not isinstance(key, Rule):
        return {inst.post_index[key.pin.post]}  # type: ignore[attr-defined]
    if group is None:
        return set(group_posts(inst, key, None))
    tag = group[0]  # type: ignore[index]
    if tag == "post":
        return {group[1]}  # type: ignore[index]
    if tag == "unit":
        return set(group_posts(inst, key, group[1]))  # type: ignore[index]
    if tag == "relation":
        return set()
    return set(range(inst.n_posts))


LIGHT_PRESOLVE = {"cp_model_probing_level": 0, "max_presolve_iterations": 1, "symmetry_level": 0}
"""Explain models are solved many times for feasibility: CP-SAT's probing presolve costs more
than it saves there (seconds per solve on the medium scenario)."""

MAX_FOCUS_POSTS = 150
"""Above this many posts in the restricted model, the conflict is shrunk on the full one first."""


class _Guarded:
    """One explain model and its guards, solved under chosen guards as assumptions."""

    def __init__(self, mb: ModelBuilder, deadline: float):
        self.mb, self.deadline, self.proven = mb, deadline, True
        self.guards = [(key, lit, mb.guard_group.get(lit)) for key, lit in mb.guards.values()]
        self.solves = 0
        self.matching_kind = [self._matching_kind(i) for i in range(len(self.guards))]

    def _matching_kind(self, i: int) -> tuple | None:
        """How guard i reads in a pure assignment problem, or None if it is not one:
        ("need", p, pairs excluded at p) for a post to fill, ("pin", p, c) for a fixed pair,
        ("drop", p, pairs) for pairs a hard pair rule or a forbidden pin excludes."""
        key, _, group = self.guards[i]
        mb, inst = self.mb, self.mb.inst
        if not isinstance(key, Rule):
            p, c = inst.post_index[key.pin.post], inst.cand_index[key.pin.candidate]  # type: ignore[attr-defined]
            if key.kind == "fixed":  # type: ignore[attr-defined]
                return ("pin", p, c)
            pairs, cands = mb.post_pairs(p)
            return ("drop", p, pairs[cands == c])
        if not (isinstance(group, tuple) and group[0] == "post"):
            return None
        p = group[1]
        pairs, cands = mb.post_pairs(p)
        if key.must_fill(inst, p):
            return ("need", p, pairs[key.breaks(inst, p, cands)] if key.filters_pairs else pairs[:0])
        if key.filters_pairs:
            return ("drop", p, pairs[key.breaks(inst, p, cands)])
        return None

    def _matching_infeasible(self, keep: list[int]) -> list[int] | None:
        """The same question as :meth:`infeasible` for fills, fixed pins and exclusions alone:
        a bipartite matching must cover every post to fill (pigeonhole proofs are hard for
        CP-SAT, instant here). Infeasible: the guards of a Hall set (posts to fill that too few
        candidates can take) and what excludes pairs there."""
        mb = self.mb
        need: dict[int, list[int]] = {}
        pinned: dict[int, int] = {}
        dropped: set[int] = set()
        for i in keep:
            kind = self.matching_kind[i]
            if kind[0] == "need":
                need.setdefault(kind[1], []).append(i)
                dropped.update(int(x) for x in kind[2])
            elif kind[0] == "pin":
                need.setdefault(kind[1], []).append(i)
                pinned.setdefault(kind[1], kind[2])
                if pinned[kind[1]] != kind[2]:
                    return keep  # two officers pinned on one post
            else:
                dropped.update(int(x) for x in kind[2])
        pin_cands = {c: p for p, c in pinned.items()}
        n = mb.inst.n_posts  # integer nodes, candidates after the posts: see deficient_posts
        graph = nx.Graph()
        tops = list(need)
        graph.add_nodes_from(tops)
        for p in need:
            pairs, cands = mb.post_pairs(p)
            for x, c in zip(pairs.tolist(), cands.tolist()):
                if x in dropped or (p in pinned and c != pinned[p]) or \
                        (c in pin_cands and pin_cands[c] != p):
                    continue
                graph.add_edge(p, n + c)
        matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=tops)
        free = next((t for t in tops if t not in matching), None)
        if free is None:
            return None
        posts, seen, queue = {free}, {free}, [free]
        while queue:  # the Hall set: posts reachable from the free one by alternating paths
            node = queue.pop()
            for cand in graph[node]:
                mate = matching.get(cand)
                if cand not in seen and mate is not None and mate not in seen:
                    seen.update((cand, mate))
                    posts.add(mate)
                    queue.append(mate)
                seen.add(cand)
        return [i for i in keep if self.matching_kind[i][0] == "pin"
                or self.matching_kind[i][1] in posts]

    def ident(self, i: int) -> tuple[object, object]:
        key, _, group = self.guards[i]
        return (id(key) if isinstance(key, Rule) else key, group)

    def infeasible(self, keep: list[int]) -> list[int] | None:
        """Solve under the kept guards: the sufficient subset if infeasible, else None."""
        if keep and all(self.matching_kind[i] is not None for i in keep):
            self.solves += 1
            return self._matching_infeasible(keep)
        left = self.deadline - time.perf_counter()
        if left <= 0:
            self.proven = False
            return None
        model = self.mb.model
        model.proto.assumptions.clear()
        model.proto.assumptions.extend(self.guards[i][1] for i in keep)
        solver = new_solver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = left
        for name, value in LIGHT_PRESOLVE.items():
            setattr(solver.parameters, name, value)
        self.solves += 1
        code = solver.solve(model)
        if code == cp_model.MODEL_INVALID:  # a bug in the explain model, never hidden
            raise RuntimeError(f"internal error: invalid explain model: {model.validate()}")
        if code != cp_model.INFEASIBLE:
            if code not in (cp_model.FEASIBLE, cp_model.OPTIMAL):
                self.proven = False
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return [i for i in keep if self.guards[i][1] in core] or keep

    def shrink(self, core: list[int], enough=None) -> list[int]:
        """Deletion filter: drop the members the rest do not need, in `core`'s order, until
        `enough(core)` holds (default: never, so the result is minimal). A member found
        necessary stays necessary in every smaller infeasible subset, so the members before
        `i` are kept as the core shrinks."""
        i = 0
        while i < len(core) and not (enough and enough(core)):
            trial = core[:i] + core[i + 1:]
            smaller = self.infeasible(trial) if trial else None
            if smaller is not None:
                kept = set(smaller)
                core = [j for j in core if j in kept]
            else:
                i += 1
        return core


def conflicting_set(inst: Instance, policy: Policy, time_limit: float = 30.0,
                    words: Words | None = None,
                    seeds: list[set[int]] = ()) -> tuple[list[Member], bool]:
    """A set of hard rules (by group) and pins that cannot all hold, and whether it is proven
    minimal (dropping any one member makes the rest feasible); ([], False) if none was found
    within `time_limit` seconds.

    Two stages keep this fast on large scenarios. First, on the solve's own pairs (hard pair
    rules and `forbidden` pins exclude pairs for good there; the pairs `fixed` pins exclude are
    kept, so that the pins can be named), CP-SAT names guards of group rules, requirements and
    `fixed` pins that conflict. Then the model is rebuilt with every requirement-meeting pair
    but only for the posts those members need, the hard pair rules' exclusions there guarded
    post by post, and the conflict is shrunk to a minimal one. A set that conflicts in the
    restricted model conflicts in the whole (the other posts stay vacant) and conversely, so
    minimality carries over.
    """
    deadline = time.perf_counter() + time_limit
    words = words or Words(inst, policy)
    for posts in sorted(seeds, key=len):  # a structural proof names the posts: start there
        if len(posts) > MAX_FOCUS_POSTS:
            continue
        second = _restricted(inst, policy, posts, deadline)
        universe = [i for i in range(len(second.guards)) if _in_focus(inst, second, i, posts)]
        found = second.infeasible(universe) if universe else None
        if found is not None:
            return _finish(second, found, words)
    table = pair_table(inst, policy, narrow_pins=False)
    first = _Guarded(ModelBuilder(inst, policy, explain=True, table=table).build(), deadline)
    if not first.guards:
        return [], False
    core = first.infeasible(list(range(len(first.guards))))
    if core is None:
        return [], False

    def focus(members: list[int]) -> set[int]:
        return set().union(*(_anchors(inst, first.guards[i][0], first.guards[i][2]) for i in members))

    if len(focus(core)) > MAX_FOCUS_POSTS:  # widest members first
        core.sort(key=lambda i: -len(_anchors(inst, first.guards[i][0], first.guards[i][2])))
        core = first.shrink(core, enough=lambda c: len(focus(c)) <= MAX_FOCUS_POSTS)
    posts = focus(core)

    second = _restricted(inst, policy, posts, deadline)
    wanted = {first.ident(i) for i in core}
    universe = [i for i in range(len(second.guards))
                if second.ident(i) in wanted or _in_focus(inst, second, i, posts, exclusions_only=True)]
    found = second.infeasible(universe)
    if found is None:  # not expected: fall back to the first stage's members
        core = first.shrink(core)
        return [describe(first.mb, words, first.guards[i][0], first.guards[i][2])
                for i in core], first.proven and second.proven
    members, proven = _finish(second, found, words)
    return members, proven and first.proven


def _in_focus(inst: Instance, model: _Guarded, i: int, posts: set[int],
              exclusions_only: bool = False) -> bool:
    """Is guard i of a restricted model about the posts in focus? Exclusions (hard pair rules,
    forbidden pins) at those posts; unless `exclusions_only`, also every guard whose posts all
    lie in focus (fills, fixed pins, share and quota groups). Kinship is not included."""
    key, _, group = model.guards[i]
    if isinstance(key, Rule):
        if key.filters_pairs and isinstance(group, tuple) and group[0] == "post":
            return group[1] in posts
        if exclusions_only or (isinstance(group, tuple) and group[0] == "relation"):
            return False
    elif key.kind == "forbidden":  # type: ignore[attr-defined]
        return inst.post_index[key.pin.post] in posts  # type: ignore[attr-defined]
    elif exclusions_only:
        return False
    anchors = _anchors(inst, key, group)
    return bool(anchors) and anchors <= posts


def _finish(model: _Guarded, found: list[int], words: Words) -> tuple[list[Member], bool]:
    """Shrink an infeasible set of a restricted model to a minimal one, described."""
    found.sort(key=lambda i: model.guards[i][2] is not None)  # whole rules tried first
    found = model.shrink(found)
    members = [describe(model.mb, words, model.guards[i][0], model.guards[i][2]) for i in found]
    # Shown: group rules and requirements first, then pins, then what pair rules exclude.
    members.sort(key=lambda m: (m.kind == "rule" and (m.detail or "").startswith(("keeps off",
                                                                                 "excludes")),
                                m.kind == "pin"))
    return members, model.proven


def _restricted(inst: Instance, policy: Policy, posts: set[int], deadline: float) -> _Guarded:
    """The explain model on every requirement-meeting pair of `posts` only."""
    table = pair_table(inst, policy, explain=True)
    mb = ModelBuilder(inst, policy, explain=True,
                      table=table.subset(np.isin(table.post, sorted(posts)))).build()
    return _Guarded(mb, deadline)


def holds_together(inst: Instance, policy: Policy, members: list[Member],
                   time_limit: float = 30.0) -> bool | None:
    """Can `members` (of a conflicting set) all hold at once, every other hard rule, group and
    pin dropped? True, False, or None when not decided within `time_limit`. Solved on the
    posts the members need (see :func:`conflicting_set`: the same answer as on the whole)."""
    rules = list(policy.rules)
    keys: list[tuple[object, object]] = []
    for m in members:
        if m.ident[0] == "rule":
            keys.append((rules[m.ident[1]], m.ident[2]))
        else:
            keys.append((_PinKey(m.ident[1], Pin(post=m.ident[2], candidate=m.ident[3])), None))
    posts = set().union(*(_anchors(inst, k, g) for k, g in keys)) if keys else set()
    model = _restricted(inst, policy, posts, time.perf_counter() + time_limit)
    wanted = {(id(k) if isinstance(k, Rule) else k, g) for k, g in keys}
    keep = [i for i in range(len(model.guards)) if model.ident(i) in wanted]
    if not keep:  # no member constrains anything (a guard exists once its constraint does)
        return True
    if model.infeasible(keep) is not None:
        return False
    return True if model.proven else None
