"""The planner's wording for a scenario with no plan: why a candidate may not take a post
(:class:`Words`), the structured :class:`Diagnosis` with the members of a conflicting set in
domain words (:class:`Member`, :func:`describe`), and quota groups in words. It sits apart so
that the structural checks (:mod:`planner.explain.structure`), the conflicting sets
(:mod:`planner.explain.cores`) and callers such as `planner.explain.fit` share one wording.

What a rule means is asked of the rule itself (the wording methods of
:class:`~planner.rules.base.Rule`: why it excludes a candidate, what each of its guards needs);
this module only puts the sentences together, so a new rule type is worded by its own module.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planner.check.view import PlanView
from planner.explain.period_ids import Copies, readable
from planner.model.builder import ModelBuilder
from planner.model.eligibility import pinned
from planner.model.instance import Instance
from planner.rules.base import Quota, Rule
from planner.rules.wording import few, post_ids, unit_name
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
        if self.key in ("forbidden", "fixed"):
            return f"{self.key} pair {self.post}"
        return self.key


class Words:
    """Domain words for posts, places, candidates and why a pair is excluded."""

    def __init__(self, inst: Instance, policy: Policy):
        self.inst = inst
        self.rules = list(policy.rules)
        scn = inst.scenario
        self.forbidden = {(inst.cand_index[f.candidate], inst.post_index[f.post]) for f in scn.forbidden}
        self.pins = pinned(inst)
        self.pinned_to = {c: p for p, c in self.pins.items()}
        self.view = PlanView(scn, {})

    def unit(self, u: int) -> str:
        return unit_name(self.inst, u)

    def cand(self, c: int) -> str:
        return self.inst.candidates[c].id

    def exclusions(self, c: int, p: int, first: bool = False) -> list[Why]:
        """Every reason candidate c may not take post p ([] if it may): the post's requirements
        (E1), a `forbidden` pin, then the hard pair rules of the policy, in policy order; where
        none of them does, a `fixed` pin of the post or of the candidate (the pairs it excludes
        are left out of the solve's table: planner/model/eligibility.py, `pinned`)."""
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
        pin = None if out else self._pin_against(c, p)
        return out if pin is None else [pin]

    def _pin_against(self, c: int, p: int) -> Why | None:
        """A `fixed` pin that gives post p to another officer, or officer c another post."""
        inst = self.inst
        holder, held = self.pins.get(p), self.pinned_to.get(c)
        if holder is not None and holder != c:
            pair = f"{inst.posts[p].id} = {self.cand(holder)}"
            return Why("fixed", pair, "is kept off: the post is fixed to another officer",
                       f"is kept off: the post is fixed to {self.cand(holder)}")
        if held is not None and held != p:
            pair = f"{inst.posts[held].id} = {self.cand(c)}"
            return Why("fixed", pair, "is fixed to another post",
                       f"is fixed to post {inst.posts[held].id}")
        return None

    def rule_words(self, rule: Rule, c: int, p: int, short: bool = False) -> str:
        """Why hard pair rule `rule` keeps c off p, read after the candidate's name."""
        return rule.excluded_words(self.inst, self.view, c, p, short)

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
    """Why a scenario has no plan, typed: `solve` keeps it as `Result.diagnosis` (its
    :meth:`lines` as `Result.explanation`), summary.json as `conflict`, and `--relax` softens
    the rules of its conflicting set."""

    structural: list[str] = field(default_factory=list)
    """Reasons found by the cheap checks, each sufficient for infeasibility on its own."""
    conflict: list[Member] = field(default_factory=list)
    """A set of hard rules, groups and pins that cannot all hold together."""
    minimal: bool = False
    """Proven minimal: dropping any one member was shown to make the rest feasible."""
    seconds: float = 0.0
    note: str | None = None
    copies: Copies = field(default_factory=dict, repr=False)
    """A horizon's copy ids (`HG-DIR@2031`), said in words in :meth:`lines` (members that
    share a line are listed by their places, which keep the copy ids)."""

    def lines(self) -> list[str]:
        out = list(self.structural)
        if self.conflict:
            head = "these cannot all hold together" + ("" if self.minimal else
                                                       " (not proven minimal)")
            out.append(head + ": " + "; ".join(merged(self.conflict)))
        if self.note:
            out.append(self.note)
        return [readable(line, self.copies) for line in out]

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


# -- quota groups, in words ---------------------------------------------------------------------

def quota_group_words(words: Words, title: str, quota: Quota, g: int, posts: list[int]) -> str:
    """'Province P07 cannot get a ministry-origin leader: of the 4 ministry-origin officers, ...'"""
    inst, k = words.inst, quota.per_group
    unit = inst.units[g]
    head = (f"{unit.kind.value.capitalize()} {unit.id} cannot get "
            + (f"a {quota.holder}" if k == 1 else f"{k} {quota.holder}s")
            + f" ({title}; posts {post_ids(inst, posts, 8)})")
    return head + ": " + pool_breakdown(words, quota, posts)


def pool_breakdown(words: Words, quota: Quota, posts: list[int]) -> str:
    """Why each officer of a quota's pool may take none of `posts`, grouped, and who may."""
    officers = [int(c) for c in np.flatnonzero(quota.pool)]
    if not officers:
        return f"there are no {quota.members}"
    reasons, free = [], []
    for c in officers:
        why = words.over_posts(c, posts)
        if why is None:
            free.append(words.cand(c))
        else:
            reasons.append(why)
    tail = _join([words.grouped(reasons) if reasons else "",
                  f"{len(free)} may take one of them ({few(free, 5)})" if free else ""])
    return f"of the {len(officers)} {quota.members}, {tail}"


# -- the conflicting set, in words --------------------------------------------------------------

def describe(mb: ModelBuilder, words: Words, key: object, group: object) -> Member:
    """Guard `key` (a hard rule or a pin) of the explain model, for `group` of it, in words."""
    if isinstance(key, Rule):
        member = _rule_member(mb, words, key, group)
        index = next(i for i, r in enumerate(mb.rules) if r is key)
        member.ident = ("rule", index, group)
        return member
    pin, kind = key.pin, key.kind  # type: ignore[attr-defined]
    text = (f"{pin.candidate} is fixed to post {pin.post}" if kind == "fixed"
            else f"{pin.candidate} is forbidden from post {pin.post}")
    member = Member("pin", kind, None, f"{pin.post}={pin.candidate}", text + f" ({kind} pair)")
    member.ident = ("pin", kind, pin.post, pin.candidate)
    return member


def _rule_member(mb: ModelBuilder, words: Words, rule: Rule, group: object) -> Member:
    """A hard rule's guard: the whole rule (group None), one post, one unit or one relation."""
    inst, title = mb.inst, rule.title
    if group is None:
        return Member("rule", title, rule.rule, None, rule.whole_words(inst))
    tag = group[0]  # type: ignore[index]
    if tag == "post":
        return _post_member(mb, words, rule, group[1])  # type: ignore[index]
    if tag == "unit":
        g = group[1]  # type: ignore[index]
        text = rule.group_words(inst, g)
        quota = rule.quota(inst)
        if quota is not None:
            text += "; " + pool_breakdown(words, quota, group_posts(inst, rule, g))
        return Member("rule", title, rule.rule, inst.units[g].id, text)
    if tag == "relation":
        a, b = group[1], group[2]  # type: ignore[index]
        return Member("rule", title, rule.rule, f"{words.cand(a)}~{words.cand(b)}",
                      rule.relation_words(inst, a, b))
    return Member("rule", title, rule.rule, str(group), rule.guard_words(inst, group))  # type: ignore[arg-type]


def _post_member(mb: ModelBuilder, words: Words, rule: Rule, p: int) -> Member:
    """A hard rule's guard at post p: the rule's own words, else what it excludes there."""
    inst, title = mb.inst, rule.title
    pid = inst.posts[p].id
    said = rule.post_words(inst, p)
    if said is not None:
        return Member("rule", title, rule.rule, pid, said.text, said.detail)
    if not rule.filters_pairs:
        return Member("rule", title, rule.rule, pid, f"{title}: post {pid}")
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


def group_posts(inst: Instance, rule: Rule, g: int | None) -> list[int]:
    """The posts of group g of a group rule (g None: all the rule's posts; a rule without
    groups: every post)."""
    groups = rule.post_groups(inst)
    if groups is None:
        return list(range(inst.n_posts))
    if g is None:
        return sorted(p for ps in groups.values() for p in ps)
    return groups.get(g, [])
