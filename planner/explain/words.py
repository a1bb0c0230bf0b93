"""The planner's wording for a scenario with no plan: why a candidate may not take a post
(:class:`Words`), the structured :class:`Diagnosis` with the members of a conflicting set in
domain words (:class:`Member`), and the descriptions of ministry quota groups and of conflict
members. It sits apart so that the structural checks (:mod:`planner.explain.structure`), the
conflicting sets (:mod:`planner.explain.cores`) and callers such as `planner.explain.fit` share one
wording.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planner.check.view import PlanView
from planner.model.builder import ModelBuilder
from planner.model.instance import Instance
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


# -- structural checks, in words ----------------------------------------------------------------

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


# -- the conflicting set, in words --------------------------------------------------------------

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
