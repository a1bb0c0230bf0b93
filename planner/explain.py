"""Why a scenario has no plan, in the planner's own words (see docs/explain.md).

Cheap structural checks come first, each a proof on its own:

* a post that a hard rule requires filled but that no candidate may take, with why each
  candidate is excluded (grouped: "2 lack advanced political theory (min_political_theory of
  post P1-DIR) and 1 has served 2+ terms there (term_limit)");
* Hall's condition on the posts that hard rules require filled (networkx matching);
* hard ministry quotas that no pool of ministry-origin officers can meet, per group and across
  groups (matching, max-flow), each group with why its ministry-origin officers are excluded.

Then a conflicting set: the model is rebuilt in explain mode with one assumption literal per
hard rule *and group* (per province for ministry quotas and share rules with `per`, per
relation for kinship, per post for `fill`, `difficult_areas` and the pairs a hard pair rule
excludes) and per pin. CP-SAT names a set of them that cannot hold together (sufficient
assumptions for infeasibility), shrunk by a deletion filter until dropping any member makes the
rest feasible, in two stages (:func:`conflicting_set`): group rules on the solve's own pairs,
then exclusions on a model restricted to the posts in question; sets of fills, fixed pins and
exclusions alone are decided by a bipartite matching. Each member is described in domain words
(:class:`Member`).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from ortools.sat.python import cp_model

from planner.check import PlanView
from planner.instance import Instance
from planner.model.builder import ModelBuilder, _PinKey
from planner.schema import Pin
from planner.rules.base import PairRule, Rule, ShareRule, exact, shortfall
from planner.scenario import Policy

# -- words ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Why:
    """One reason a candidate may not take a post."""

    key: str
    """What excludes: `min_<field>`, `max_age`, `forbidden`, or a hard rule's title."""
    post: str
    short: str
    """Words shared by every candidate excluded the same way, e.g. `is local to P07`."""
    long: str
    """Words about this candidate, e.g. `serves at MOHA-TCCB, outside province P07`."""

    @property
    def source(self) -> str:
        """Where the reason comes from, with its post: `min_education of post X`, a rule title."""
        if self.key.startswith(("min_", "max_")):
            return f"{self.key} of post {self.post}"
        if self.key == "forbidden":
            return f"forbidden pair {self.post}"
        return self.key


class Words:
    """Domain words for posts, places, candidates and why a pair is excluded."""

    def __init__(self, inst: Instance, policy: Policy):
        self.inst = inst
        self.rules = list(policy.rules)
        scn = inst.scenario
        self.forbidden = {(inst.cand_index[f.candidate], inst.post_index[f.post]) for f in scn.forbidden}
        self.view = PlanView(scn, {})

    def unit(self, u: int) -> str:
        unit = self.inst.units[u]
        return f"{unit.kind.value} {unit.id}"

    def cand(self, c: int) -> str:
        return self.inst.candidates[c].id

    def exclusions(self, c: int, p: int, first: bool = False) -> list[Why]:
        """Every reason candidate c may not take post p ([] if it may): the post's requirements
        (E1), a `forbidden` pin, then the hard pair rules of the policy, in policy order."""
        inst, post, cand = self.inst, self.inst.posts[p], self.inst.candidates[c]
        out: list[Why] = []
        for fld, phrase in (("education", "lack{} {} education"),
                            ("political_theory", "lack{} {} political theory"),
                            ("rating", "{}rated below {}")):
            need = getattr(post, f"min_{fld}")
            if need is not None and getattr(cand, fld).rank < need.rank:
                text = phrase.format("s" if fld != "rating" else "is ", need.value.replace("_", " "))
                out.append(Why(f"min_{fld}", post.id, text,
                               f"{text} (has {getattr(cand, fld).value.replace('_', ' ')})"))
                if first:
                    return out
        if post.max_age is not None and inst.age[c] > post.max_age:
            out.append(Why("max_age", post.id, f"is older than {post.max_age}",
                           f"is {inst.age[c]}, older than {post.max_age}"))
            if first:
                return out
        if (c, p) in self.forbidden:
            out.append(Why("forbidden", f"{post.id} = {cand.id}", "is forbidden there",
                           "is forbidden there"))
            if first:
                return out
        one = np.array([c], dtype=np.int32)
        for rule in self.rules:
            if rule.filters_pairs and rule.breaks(inst, p, one)[0]:
                out.append(Why(rule.title, post.id, self.rule_words(rule, c, p, short=True),
                               self.rule_words(rule, c, p)))
                if first:
                    return out
        return out

    def rule_words(self, rule: Rule, c: int, p: int, short: bool = False) -> str:
        """Why hard pair rule `rule` keeps c off p, read after the candidate's name."""
        inst = self.inst
        name = type(rule).__name__
        if name == "NonLocal":
            s = rule.scope_unit(inst, p)  # type: ignore[attr-defined]
            return f"is local to {inst.units[s].id}"
        if name == "Mobility" and short:
            area = rule._area(inst, p)  # type: ignore[attr-defined]
            parts = []
            if area is not None:
                parts.append(f"serves outside {self.unit(area)}")
            if rule.max_km is not None:  # type: ignore[attr-defined]
                parts.append(f"or more than {rule.max_km} km away" if parts  # type: ignore[attr-defined]
                             else f"serves more than {rule.max_km} km away")  # type: ignore[attr-defined]
            return " ".join(parts)
        if name == "TermLimit" and short:
            return (f"has served {rule.max_consecutive_terms}+ terms there"  # type: ignore[attr-defined]
                    if rule.same == "post" else  # type: ignore[attr-defined]
                    f"has served {rule.max_consecutive_terms}+ terms in its unit")  # type: ignore[attr-defined]
        if name == "AgeLimit" and short:
            return f"is older than {rule.max_age}"  # type: ignore[attr-defined]
        if isinstance(rule, PairRule):
            why = rule.why_broken(self.view, c, p)
            if why:
                return why
        if name == "GenderBalance":
            return "is not a woman"
        if name == "YoungCadres":
            return (f"is older than {rule.max_age}" if short  # type: ignore[attr-defined]
                    else f"is {inst.age[c]}, older than {rule.max_age}")  # type: ignore[attr-defined]
        if name == "DifficultAreas":
            need = rule.min_rating.value  # type: ignore[attr-defined]
            return (f"is rated below {need} for a difficult area" if short else
                    f"is rated {inst.candidates[c].rating.value}, below {need} for a difficult area")
        return "does not meet it"

    def over_posts(self, c: int, posts: list[int]) -> tuple[str, str] | None:
        """One reason, as (source, words), that c may take none of `posts`; None if c may take
        one. A reason shared by every post is preferred ("is local to P07")."""
        per_post = []
        for p in posts:
            why = self.exclusions(c, p)
            if not why:
                return None
            per_post.append(why)
        if len(posts) == 1:
            return per_post[0][0].source, per_post[0][0].short
        common = [w for w in per_post[0]
                  if all(any((v.key, v.short) == (w.key, w.short) for v in other)
                         for other in per_post[1:])]
        if common:
            w = common[0]
            if w.key.startswith(("min_", "max_")):
                return f"{w.key} of all {len(posts)} posts", w.short
            return w.source, w.short
        firsts = [why[0] for why in per_post]
        return "; ".join(sorted({w.source for w in firsts})), " or ".join(sorted({w.short for w in firsts}))

    @staticmethod
    def grouped(reasons: list[tuple[str, str]], limit: int = 4) -> str:
        """'3 are local to P07 (non_local ...) and 1 lacks ...' from one reason per candidate."""
        counts = Counter(reasons)
        top = counts.most_common(limit)
        parts = [f"{n} {words if n == 1 else _plural(words)} ({source})" for (source, words), n in top]
        rest = sum(counts.values()) - sum(n for _, n in top)
        if rest:
            parts.append(f"{rest} for other reasons")
        return _join(parts)


def _plural(words: str) -> str:
    """'is local to X' -> 'are local to X', 'lacks ...' -> 'lack ...' (the first verb only)."""
    head, _, tail = words.partition(" ")
    irregular = {"is": "are", "has": "have", "was": "were", "does": "do"}
    if head in irregular:
        head = irregular[head]
    elif head.endswith("s") and not head.endswith("ss"):
        head = head[:-1]
    return f"{head} {tail}".strip()


def _join(parts: list[str]) -> str:
    parts = [x for x in parts if x]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _few(items: list[str], limit: int = 8) -> str:
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


# -- the diagnosis ------------------------------------------------------------------------------

@dataclass
class Member:
    """One member of a conflicting set: a hard rule (or one group of it) or a pin."""

    kind: str
    """`rule` or `pin`."""
    name: str
    """The rule's title; for pins `fixed` or `forbidden`."""
    rule_type: str | None
    place: str | None
    """The group: a post id, a unit id, `A~B` for a relation; None for the whole rule."""
    text: str
    """The member in domain words."""
    detail: str | None = None
    """For a hard pair rule at one post: what it excludes there (members of one rule with the
    same detail are shown on one line, their posts listed)."""
    ident: tuple = ()
    """Which guard: ("rule", index in the policy, group) or ("pin", kind, post, candidate)."""

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "rule": self.name, "rule_type": self.rule_type,
                "place": self.place, "text": self.text,
                "rule_index": self.ident[1] if self.ident[:1] == ("rule",) else None}


@dataclass
class Diagnosis:
    structural: list[str] = field(default_factory=list)
    """Reasons found by the cheap checks, each sufficient for infeasibility on its own."""
    conflict: list[Member] = field(default_factory=list)
    """A set of hard rules, groups and pins that cannot all hold together."""
    minimal: bool = False
    """Proven minimal: dropping any one member was shown to make the rest feasible."""
    seconds: float = 0.0
    note: str | None = None

    def lines(self) -> list[str]:
        out = list(self.structural)
        if self.conflict:
            head = "these cannot all hold together" + ("" if self.minimal else
                                                       " (not proven minimal)")
            out.append(head + ": " + "; ".join(merged(self.conflict)))
        if self.note:
            out.append(self.note)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"structural": self.structural, "conflict": [m.to_json() for m in self.conflict],
                "minimal": self.minimal, "seconds": round(self.seconds, 3), "note": self.note}


def merged(members: list[Member]) -> list[str]:
    """Members in words, a hard pair rule's members with the same detail on one line."""
    lines: dict[tuple, list[Member]] = {}
    for m in members:
        key = (m.name, m.detail) if m.detail is not None else (id(m),)
        lines.setdefault(key, []).append(m)
    out = []
    for group in lines.values():
        if len(group) == 1:
            out.append(group[0].text)
        else:
            out.append(f"{group[0].name} at posts {', '.join(m.place or '' for m in group)}: "
                       f"{group[0].detail}")
    return out


class Reasons(list):
    """The explanation lines (a list of str, as `Result.explanation` holds them), with the
    structured :class:`Diagnosis` beside them as `.diagnosis`."""

    diagnosis: Diagnosis | None = None


# -- structural checks --------------------------------------------------------------------------

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


def _quota_group_words(mb: ModelBuilder, words: Words, rule: Rule, g: int, posts: list[int]) -> str:
    """'Province P07 cannot get a ministry-origin leader: of the 4 ministry-origin officers, ...'"""
    inst = mb.inst
    k = rule.min_per_unit  # type: ignore[attr-defined]
    unit = inst.units[g]
    head = (f"{unit.kind.value.capitalize()} {unit.id} cannot get "
            + ("a ministry-origin leader" if k == 1 else f"{k} ministry-origin leaders")
            + f" ({rule.title}; posts {_few([inst.posts[p].id for p in posts])})")
    return head + ": " + _ministry_breakdown(words, posts, k)


def _ministry_breakdown(words: Words, posts: list[int], k: int) -> str:
    officers = [int(c) for c in np.flatnonzero(words.inst.arrays.ministry)]
    if not officers:
        return "there are no ministry-origin officers"
    reasons, free = [], []
    for c in officers:
        why = words.over_posts(c, posts)
        if why is None:
            free.append(words.cand(c))
        else:
            reasons.append(why)
    tail = _join([words.grouped(reasons) if reasons else "",
                  f"{len(free)} may take one of them ({_few(free, 5)})" if free else ""])
    return f"of the {len(officers)} ministry-origin officers, {tail}"


# -- the conflicting set ------------------------------------------------------------------------

def _describe(mb: ModelBuilder, words: Words, key: object, group: object) -> Member:
    member = _describe_member(mb, words, key, group)
    if isinstance(key, Rule):
        index = next(i for i, r in enumerate(mb.rules) if r is key)
        member.ident = ("rule", index, group)
    else:
        member.ident = ("pin", key.kind, key.pin.post, key.pin.candidate)  # type: ignore[attr-defined]
    return member


def _describe_member(mb: ModelBuilder, words: Words, key: object, group: object) -> Member:
    inst = mb.inst
    if not isinstance(key, Rule):  # a pin
        pin = key.pin  # type: ignore[attr-defined]
        kind = key.kind  # type: ignore[attr-defined]
        text = (f"{pin.candidate} is fixed to post {pin.post}" if kind == "fixed"
                else f"{pin.candidate} is forbidden from post {pin.post}")
        return Member("pin", kind, None, f"{pin.post}={pin.candidate}", text + f" ({kind} pair)")
    rule, title = key, key.title
    name = type(rule).__name__
    if group is None:
        return Member("rule", title, rule.rule, None, _whole_rule_words(inst, rule))
    tag = group[0]  # type: ignore[index]
    if tag == "post":
        p = group[1]  # type: ignore[index]
        pid = inst.posts[p].id
        if name in ("Fill", "DifficultAreas"):
            need = ""
            if name == "DifficultAreas":
                need = (f" by an officer rated {rule.min_rating.value} or better"  # type: ignore[attr-defined]
                        if rule.min_rating is not None else "")  # type: ignore[attr-defined]
            where = " (a difficult area)" if name == "DifficultAreas" else ""
            return Member("rule", title, rule.rule, pid,
                          f"{title}: post {pid}{where} must be filled{need}",
                          f"{'in a difficult area, ' if where else ''}must be filled{need}")
        if name == "StayClose":
            prev = rule.previous.get(pid)  # type: ignore[attr-defined]
            text = f"post {pid} must keep {prev}" if prev else f"post {pid} must stay vacant"
            return Member("rule", title, rule.rule, pid, f"{title}: {text}")
        if rule.filters_pairs:
            _, cands = mb.post_pairs(p)
            bad = [int(c) for c in cands[rule.breaks(inst, p, cands)]]
            counts = Counter(words.rule_words(rule, c, p, short=True) for c in bad)
            text = _join([f"{n} candidate{'s' if n > 1 else ''} {_plural(w) if n > 1 else w}"
                          for w, n in counts.most_common()]) or "it excludes no one"
            if 0 < len(bad) <= 4:
                text += f" ({', '.join(words.cand(c) for c in bad)})"
            detail = "keeps off candidates who " + _join([_plural(w) for w in sorted(counts)]) \
                if counts else "excludes no one"
            return Member("rule", title, rule.rule, pid, f"{title} at post {pid}: {text}", detail)
        return Member("rule", title, rule.rule, pid, f"{title}: post {pid}")
    if tag == "unit":
        g = group[1]  # type: ignore[index]
        posts = _group_posts(inst, rule, g)
        ids = _few([inst.posts[p].id for p in posts], 6)
        if name == "MinistryQuota":
            k = rule.min_per_unit  # type: ignore[attr-defined]
            text = (f"{title}: {words.unit(g)} needs {k} of its posts ({ids}) held by "
                    f"ministry-origin officers; {_ministry_breakdown(words, posts, k)}")
            return Member("rule", title, rule.rule, inst.units[g].id, text)
        if isinstance(rule, ShareRule):
            text = (f"{title}: in {words.unit(g)}, at least {_pct(rule.share)} of the assigned "
                    f"posts among {ids} must go to {_good_words(rule)}")
        else:
            text = f"{title} in {words.unit(g)}"
        return Member("rule", title, rule.rule, inst.units[g].id, text)
    if tag == "relation":
        a, b = group[1], group[2]  # type: ignore[index]
        kinds = sorted({r.kind for r in inst.scenario.relations
                        if {r.a, r.b} == {words.cand(a), words.cand(b)}})
        scope = getattr(rule, "scope", None)
        text = (f"{title}: {words.cand(a)} and {words.cand(b)} are related ({', '.join(kinds)}) "
                f"and may not both lead in the same {scope.value if scope is not None else 'area'}")
        return Member("rule", title, rule.rule, f"{words.cand(a)}~{words.cand(b)}", text)
    return Member("rule", title, rule.rule, str(group), f"{title} ({group})")


def _pct(share: Any) -> str:
    return f"{float(share):.0%}" if float(share) * 100 == int(float(share) * 100) else str(share)


def _group_posts(inst: Instance, rule: Rule, g: int | None) -> list[int]:
    """The posts of group g of a group rule (g None: all the rule's posts)."""
    if type(rule).__name__ == "MinistryQuota":
        groups = rule.groups(inst)  # type: ignore[attr-defined]
        return groups.get(g, []) if g is not None else [p for ps in groups.values() for p in ps]
    if isinstance(rule, ShareRule):
        return [p for p in range(inst.n_posts) if rule.subject(inst, p)
                and (g is None or rule.group(inst, p) == g)]
    return list(range(inst.n_posts))


def _whole_rule_words(inst: Instance, rule: Rule) -> str:
    title = rule.title
    if type(rule).__name__ == "MinistryQuota":
        groups = rule.groups(inst)  # type: ignore[attr-defined]
        need = shortfall(0, len(groups), exact(rule.min_share_of_units))  # type: ignore[attr-defined]
        return (f"{title}: at least {need} of the {len(groups)} {rule.unit_kind.value}s "  # type: ignore[attr-defined]
                f"need {rule.min_per_unit} of their posts held by ministry-origin officers")  # type: ignore[attr-defined]
    if isinstance(rule, ShareRule):
        posts = [inst.posts[p].id for p in _group_posts(inst, rule, None)]
        return (f"{title}: at least {_pct(rule.share)} of the assigned posts among "
                f"{_few(posts, 6)} must go to {_good_words(rule)}")
    return f"hard rule {title} ({rule.summary})" if rule.summary else f"hard rule {title}"


def _good_words(rule: Rule) -> str:
    """Who counts towards a share rule, e.g. `non-local officers`."""
    name = type(rule).__name__
    if name == "NonLocal":
        return "non-local officers"
    if name == "GenderBalance":
        return "women"
    if name == "YoungCadres":
        return f"officers aged {rule.max_age} or less"  # type: ignore[attr-defined]
    return "officers who count towards it"


def _anchors(inst: Instance, key: object, group: object) -> set[int]:
    """Posts a guarded constraint needs in a restricted model: those whose vacancy could break
    it (a pin's post, a post to fill, every post of a share or quota group). Exclusions and
    kinship only forbid, so a vacancy never breaks them: they need none."""
    if not isinstance(key, Rule):
        return {inst.post_index[key.pin.post]}  # type: ignore[attr-defined]
    if group is None:
        return set(_group_posts(inst, key, None))
    tag = group[0]  # type: ignore[index]
    if tag == "post":
        return {group[1]}  # type: ignore[index]
    if tag == "unit":
        return set(_group_posts(inst, key, group[1]))  # type: ignore[index]
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
        name = type(key).__name__
        if name in ("Fill", "DifficultAreas"):
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
        graph = nx.Graph()
        tops = [("post", p) for p in need]
        graph.add_nodes_from(tops)
        for p in need:
            pairs, cands = mb.post_pairs(p)
            for x, c in zip(pairs.tolist(), cands.tolist()):
                if x in dropped or (p in pinned and c != pinned[p]) or \
                        (c in pin_cands and pin_cands[c] != p):
                    continue
                graph.add_edge(("post", p), ("cand", c))
        matching = nx.bipartite.hopcroft_karp_matching(graph, top_nodes=tops)
        free = next((t for t in tops if t not in matching), None)
        if free is None:
            return None
        posts, seen, queue = {free[1]}, {free}, [free]
        while queue:  # the Hall set: posts reachable from the free one by alternating paths
            node = queue.pop()
            for cand in graph[node]:
                mate = matching.get(cand)
                if cand not in seen and mate is not None and mate not in seen:
                    seen.update((cand, mate))
                    posts.add(mate[1])
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
        solver = cp_model.CpSolver()
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
    rules and `forbidden` pins exclude pairs for good there), CP-SAT names guards of group
    rules, requirements and `fixed` pins that conflict. Then the model is rebuilt with every
    requirement-meeting pair but only for the posts those members need, the hard pair rules'
    exclusions there guarded post by post, and the conflict is shrunk to a minimal one. A set
    that conflicts in the restricted model conflicts in the whole (the other posts stay vacant)
    and conversely, so minimality carries over.
    """
    from planner.model.pairs import pair_table

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
    first = _Guarded(ModelBuilder(inst, policy, explain=True, table=pair_table(inst, policy)).build(),
                     deadline)
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
        return [_describe(first.mb, words, first.guards[i][0], first.guards[i][2])
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
    members = [_describe(model.mb, words, model.guards[i][0], model.guards[i][2]) for i in found]
    # Shown: group rules and requirements first, then pins, then what pair rules exclude.
    members.sort(key=lambda m: (m.kind == "rule" and (m.detail or "").startswith(("keeps off",
                                                                                 "excludes")),
                                m.kind == "pin"))
    return members, model.proven


def _restricted(inst: Instance, policy: Policy, posts: set[int], deadline: float) -> _Guarded:
    """The explain model on every requirement-meeting pair of `posts` only."""
    from planner.model.pairs import pair_table

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
