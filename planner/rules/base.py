"""What every rule type is made of, and the shared shapes of rule families.

A rule type is one module in :mod:`planner.rules` holding one subclass of :class:`Rule`:
its pydantic parameters, :meth:`Rule.build` (its part of the CP-SAT model) and
:meth:`Rule.check` (a solver-independent verdict on a finished plan). Two families share
their mechanics here:

* :class:`PairRule` — the rule is a property of single (candidate, post) pairs. Hard, the
  offending pairs never get a variable; soft, each offending pair pays the weight, which is
  exact because a candidate holds one post and a post one candidate.
* :class:`ShareRule` — "among assigned matching posts, good ones >= s x assigned", per group.

``build`` reads the model-side indices of :class:`~planner.model.instance.Instance` (ancestor sets);
``check`` walks the plan with :mod:`planner.check.tree` so that the two never share constraint code.

A rule also says what it means in words and in structure, for the explanations of a scenario
with no plan (planner/explain), which never ask which rule type they hold: why it keeps a
candidate off a post (:meth:`Rule.excluded_words`), how each of its guards reads in a
conflicting set (:meth:`Rule.whole_words`, :meth:`Rule.post_words`, :meth:`Rule.group_words`,
:meth:`Rule.relation_words`, :meth:`Rule.guard_words`), which posts it requires filled
(:meth:`Rule.must_fill`), its groups of posts (:meth:`Rule.post_groups`) and, for a quota, its
pool (:meth:`Rule.quota`). The defaults are generic; the families add their shared wording
(:meth:`PairRule.excluded_words` is the checker's reason, :class:`ShareRule` words its groups
from :meth:`ShareRule.counted_words`) and each rule module overrides the rest, so that a new
rule type is explained in its own words by its own module.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import scipy.sparse as sp
from pydantic import Field, model_validator

from planner.check.verdict import RuleVerdict
from planner.rules.rows import Rows, rows_of
from planner.rules.wording import (
    MemberText,
    percent,
    post_ids,
    relation_kinds,
    unit_name,
)
from planner.schema import FieldError, Flag, Row, Texts, UnitKind, decimal_text

if TYPE_CHECKING:
    from planner.check.view import PlanView
    from planner.model.builder import ModelBuilder
    from planner.model.instance import Instance
    from planner.model.pairs import PairTable


INF = 2**62
"""An upper bound that stands for none in linear constraints."""


def shortfall(k: int, n: int, share: Fraction) -> int:
    """Least integer d >= 0 with k + d >= share * n (exact rational arithmetic)."""
    a, b = share.numerator, share.denominator
    return max(0, -((b * k - a * n) // b))


def model_share(share: Fraction, n: int) -> Fraction:
    """The least fraction with denominator <= n that is >= `share`, for a group of n posts.

    For every number of assigned posts up to n it asks for exactly as many good ones as
    `share` does: if k >= s'm failed where k >= sm held, k/m would be a fraction in [s, s')
    with denominator <= n, and s' would not be least. It keeps the model's coefficients small
    whatever decimal the policy wrote (min_share 1e-300 is 1/10^300 exactly, too large for
    CP-SAT); the checker keeps the exact share."""
    if share.denominator <= n or n < 1:
        return share
    return min(Fraction(-(-share.numerator * q // share.denominator), q) for q in range(1, n + 1))


def exact(x: float) -> Fraction:
    """A share as the decimal text it was written in (0.7 is 7/10, not the binary float).

    A share read from YAML, CSV or Excel keeps that text (:class:`planner.schema.Written`), so
    `0.50000000000000000001` is just above a half, as the contract counts it; a share made in
    code has no text and counts from its shortest repr."""
    return Fraction(decimal_text(x))


@dataclass(frozen=True)
class Quota:
    """A rule read as a quota: at least `need` of its `groups` must each have `per_group` of
    their posts held by officers of the `pool`. The structural check of an infeasible scenario
    (planner/explain/structure.py) tests it by matching and max-flow, and words it with the
    nouns below."""

    groups: dict[int, list[int]]
    """Group (a unit index) -> its posts, in post order."""
    per_group: int
    need: int
    """How many groups must comply."""
    pool: np.ndarray
    """Mask over candidates: who counts towards a group."""
    kind: str
    """The groups' unit kind, e.g. `province`."""
    holder: str
    """One post held from the pool, e.g. `ministry-origin leader` (a plural adds `s`)."""
    members: str
    """The pool, e.g. `ministry-origin officers`."""


class Rule(Row):
    """Parameters every rule takes; subclasses add their own and set `rule` to a Literal."""

    rule: str
    hard: Flag = True
    weight: int | None = Field(None, ge=1)
    label: str | None = None
    """Extension: a name for reports, to tell apart two rules of one type."""

    summary: ClassVar[str] = ""
    """One line on what the rule asks, for `--help`-style listings and docs."""

    @model_validator(mode="after")
    def _soft_needs_weight(self) -> "Rule":
        if not self.hard and self.weight is None:
            raise FieldError("weight", "expected an integer >= 1: a soft rule (hard: false) "
                                       "needs a weight, the cost of each unit of violation")
        return self

    @property
    def title(self) -> str:
        """Readable name: the label, else the rule type with its distinguishing parameters."""
        if self.label:
            return self.label
        shown = {k: v for k, v in self.model_dump(exclude_defaults=True, mode="json").items()
                 if k not in ("rule", "hard", "weight", "label")}
        inner = ", ".join(f"{k}={'/'.join(map(str, v)) if isinstance(v, list) else v}"
                          for k, v in shown.items())
        return f"{self.rule}[{inner}]" if inner else self.rule

    @property
    def cost(self) -> int:
        """Weight per unit of violation (0 for hard rules)."""
        return 0 if self.hard else int(self.weight or 0)

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        """Mask over `cands`: does placing each on post p break the rule? (Pair rules only.)"""
        return np.zeros(len(cands), dtype=bool)

    def pool(self, inst: Instance, p: int) -> np.ndarray | None:
        """A superset of the candidates this rule, hard, lets take post p; None for everyone.

        Lets eligibility skip officers who could never qualify (e.g. outside the province)."""
        return None

    @property
    def filters_pairs(self) -> bool:
        """True when, hard, the rule removes pairs before any variable exists."""
        return False

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Large scenarios: None if the rule holds in `plan` (post -> table index or -1), else
        (table indices to favour, table indices to disfavour) so that a re-matching moves
        towards keeping it. See planner/model/repair.py."""
        return None

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        """Large scenarios: mask over `table` of the pairs that help this rule hold, or None.

        A rule that needs particular candidates on particular posts (non-local ones,
        ministry-origin ones) names those pairs, and the shortlist keeps the best of them for
        every post and every candidate, so that the rule can be met on it."""
        return None

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        """The rule as linear rows over `table`'s pairs for the Lagrangian bound, or None.

        None drops the rule from the bound (valid, only looser). Rows must hold for every plan
        that keeps the rule (a soft rule: with its penalty as an auxiliary's negative worth);
        see planner/model/lagrangian.py."""
        return None

    def build(self, mb: ModelBuilder) -> None:
        raise NotImplementedError

    def link(self, mb: ModelBuilder) -> None:
        """A horizon's exact terms for the rule in the periods after the first, where the
        officers' state follows from the plan (`mb.links`, planner/model/links.py). `build`
        saw those copies with a neutral state that relaxes the rule; a rule that reads no
        state (current post, terms, since, serves_at, served_local, served_difficult, ministry
        origin) needs nothing here."""

    def check(self, view: PlanView) -> RuleVerdict:
        raise NotImplementedError

    def report(self, violation: int, figures: dict[str, Any] | None = None,
               breaches: list[str] | None = None) -> RuleVerdict:
        return RuleVerdict(self.title, self.hard, int(self.weight or 0), violation,
                          figures or {}, breaches or [])

    # -- structure and words, for the explanations ---------------------------------------
    def must_fill(self, inst: Instance, p: int) -> bool:
        """Does the rule, hard, require post p filled? Its explain guard at p then stands for
        "p has a holder" (a pure assignment question, see planner/explain/cores.py)."""
        return False

    def post_groups(self, inst: Instance) -> dict[int, list[int]] | None:
        """The groups of posts the rule asks something of as a whole (group key -> its posts,
        in post order; a unit index, or -1 for one group of every subject post), or None when
        the rule has no groups. A re-plan that touches one post of a group may have to move
        the rest of it (planner/explain/fit.py)."""
        return None

    def quota(self, inst: Instance) -> Quota | None:
        """The rule as a :class:`Quota` of officers from a pool per group, or None."""
        return None

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        """Why the rule, hard, keeps candidate c off post p, read after the candidate's name.

        `short`: the words every candidate excluded the same way shares (`is older than 57`),
        to group them; else about this one (`is 61, older than 57`). `view` is the checker's
        view of the scenario, whose reasons (:meth:`PairRule.why_broken`) read the same."""
        return "does not meet it"

    def whole_words(self, inst: Instance) -> str:
        """The rule as a whole, as a member of a conflicting set."""
        return f"hard rule {self.title} ({self.summary})" if self.summary else f"hard rule {self.title}"

    def post_words(self, inst: Instance, p: int) -> MemberText | None:
        """The rule's guard at post p, as a member of a conflicting set; None when the rule has
        no words of its own there (the explanation then says what it excludes at p)."""
        if not self.must_fill(inst, p):
            return None
        return MemberText(f"{self.title}: post {inst.posts[p].id} must be filled", "must be filled")

    def group_words(self, inst: Instance, g: int) -> str:
        """What the rule needs of group g (a unit index), as a member of a conflicting set."""
        return f"{self.title} in {unit_name(inst, g)}"

    def relation_words(self, inst: Instance, a: int, b: int) -> str:
        """The rule's guard on related candidates a and b, as a member of a conflicting set."""
        cand = inst.candidates
        return f"{self.title}: {cand[a].id} and {cand[b].id} are related ({relation_kinds(inst, a, b)})"

    def guard_words(self, inst: Instance, group: tuple) -> str:
        """A guard of the rule on a group of its own kind (a tag other than `post`, `unit` and
        `relation`, see `ModelBuilder.guard`), as a member of a conflicting set."""
        return f"{self.title} ({group})"

    # -- what the reports read of the rule -------------------------------------------------
    def non_local_target(self) -> tuple[UnitKind, float] | None:
        """(level, share) when the rule asks a non-local share of the posts at one level, for
        the report's chart of non-local shares by level; None otherwise."""
        return None

    def young_age(self) -> int | None:
        """The age up to which an officer is a young cadre, when the rule asks a share of them
        (the research metrics' yardstick of the young-cadre share); None otherwise."""
        return None


def filled_rows(table: PairTable, n_posts: int, posts: list[int], hard: bool, cost: int,
                counts: np.ndarray | None = None) -> Rows | None:
    """Rows "each of `posts` is filled" (by a pair where `counts`, a mask over the table, is
    true): its pairs sum to >= 1; soft, a 0/1 shortfall auxiliary per post, worth -cost."""

    if not posts:
        return None
    starts = table.starts(n_posts)
    idx = [np.arange(starts[p], starts[p + 1]) for p in posts]
    if counts is not None:
        idx = [i[counts[i]] for i in idx]
    matrix = rows_of(idx, [np.ones(len(i), np.int64) for i in idx], len(table))
    lo = np.ones(len(posts), np.int64)
    if hard:
        return Rows(matrix, lo)
    return Rows(matrix, lo, sp.identity(len(posts), dtype=np.int64, format="csr"),
                np.full(len(posts), -cost, np.int64), np.ones(len(posts), np.int64))


def vacant_nudge(table: PairTable, posts: list[int],
                 plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """`Rule.nudge` for "these posts are filled": None when all are, else favour every pair of
    the vacant ones."""
    vacant = [p for p in posts if plan[p] < 0]
    if not vacant:
        return None
    return np.flatnonzero(np.isin(table.post, vacant)), np.zeros(0, dtype=np.int64)


def link_requires(mb: ModelBuilder, rule: Rule, here: list[int], before: list[int],
                  name: str) -> None:
    """A horizon link "taking one of the pairs `here` requires one of the literals `before`":
    local service or a difficult area among the posts held earlier, the post held in t-1 (a
    stay), a unit the officer may serve at. `here` are one officer's pairs in one period (at
    most one is taken), `before` exclusive literals, so both sums are 0 or 1. Soft: weight per
    post."""
    coefs = [1] * len(here) + [-1] * len(before)
    if rule.hard:
        mb.add_hard(rule, [*here, *before], coefs, -INF, 0, name)
        return
    short = mb.new_var(0, 1, f"short:{name}")
    mb.add_linear([*here, *before, short], [*coefs, -1], -INF, 0, name)
    mb.add_penalty(short, rule.cost, rule.title)


def link_experience(mb: ModelBuilder, rule: PostFilter, had: str, earns: list[bool]) -> None:
    """A horizon link for "every officer on a matching post has gained an experience": an
    officer whose scenario row says so (`had`, a Candidate field) has it in every period; any
    other may hold a matching post in a later period only after a post where `earns` (per
    expanded post) in an earlier one. Soft: weight per post."""
    links, inst = mb.links, mb.inst
    assert links is not None
    for c in np.flatnonzero(inst.dynamic).tolist():
        o, t = links.officer(c)
        if getattr(links.hz.base.candidates[o], had):
            continue
        here = [int(v) for v in links.pairs(c) if rule.matches(inst, int(mb.pair_post[v]))]
        if here:
            link_requires(mb, rule, here, links.earlier(o, t, lambda p: earns[p]),
                          f"{rule.title}:{c}")


class PostFilter(Rule):
    """Rules that apply to the posts matching `roles` and `unit_kind`."""

    roles: Texts | None = None
    unit_kind: UnitKind | None = None

    def matches(self, inst: Instance, p: int) -> bool:
        post = inst.posts[p]
        if self.roles is not None and post.role not in self.roles:
            return False
        return self.unit_kind is None or inst.units[inst.post_unit[p]].kind is self.unit_kind

    def matching_posts(self, inst: Instance) -> list[int]:
        return [p for p in range(inst.n_posts) if self.matches(inst, p)]


class PairRule(PostFilter):
    """A rule on single pairs: hard it filters pairs, soft it charges each offending pair."""

    @property
    def filters_pairs(self) -> bool:
        return self.hard

    def build(self, mb: ModelBuilder) -> None:
        if self.hard:
            return  # offending pairs were never given a variable
        for p in range(mb.inst.n_posts):  # breaks() applies the filter (term_limit: on the current post)
            pairs, cands = mb.post_pairs(p)
            if len(pairs):
                mb.add_pair_coef(pairs[self.breaks(mb.inst, p, cands)], -self.cost)

    moves_only: ClassVar[bool] = False
    """The rule reads only officers *moved* onto a post (a stay never breaks it)."""
    checked_figure: ClassVar[str | None] = None
    """The figure that counts the pairs the check read (e.g. `moved_checked`); None: none."""
    broken_figure: ClassVar[str] = "breaking_posts"
    """The figure that counts the breaches (the violation)."""

    def check(self, view: PlanView) -> RuleVerdict:
        checked, breaches = 0, []
        for p, c in view.assigned():
            if self.checks(view, c, p):
                checked += 1
                why = self.why_broken(view, c, p)
                if why:
                    breaches.append(f"post {view.post_id(p)} holds {view.cand_id(c)}: {why}")
        counted = {self.checked_figure: checked} if self.checked_figure else {}
        return self.report(len(breaches), {**counted, self.broken_figure: len(breaches)},
                           breaches)

    def checks(self, view: PlanView, c: int, p: int) -> bool:
        """Checker side: does the rule read the assigned pair (c, p)? A matching post, and
        with :attr:`moves_only` an officer whose current post it is not."""
        return self.matches_check(view, p) and not (
            self.moves_only and view.cand(c).current_post == view.post_id(p))

    def matches_check(self, view: PlanView, p: int) -> bool:
        """Post filter as the checker sees it (term_limit filters on the current post instead)."""
        post = view.post(p)
        return ((self.roles is None or post.role in self.roles)
                and (self.unit_kind is None or view.unit_of_post(p).kind == self.unit_kind))

    def why_broken(self, view: PlanView, c: int, p: int) -> str | None:
        """Checker side: the reason the pair breaks the rule, or None."""
        raise NotImplementedError

    def excluded_words(self, inst: Instance, view: PlanView, c: int, p: int,
                       short: bool = False) -> str:
        """The checker's reason (:meth:`why_broken`); a rule whose reason names the candidate's
        own figures overrides the `short` form."""
        return self.why_broken(view, c, p) or super().excluded_words(inst, view, c, p, short)


class ShareRule(PostFilter):
    """`good >= min_share x assigned` among assigned subject posts, separately per `per` unit."""

    min_share: float = Field(ge=0, le=1)
    per: UnitKind | None = None

    @property
    def share(self) -> Fraction:
        return exact(self.min_share)

    @property
    def filters_pairs(self) -> bool:
        return self.hard and self.share == 1

    def breaks(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        """With min_share 1 every subject pair must be good: a bad one is a broken pair."""
        if self.share != 1 or not self.subject(inst, p):
            return np.zeros(len(cands), dtype=bool)
        return ~self.good(inst, p, cands)

    def subject(self, inst: Instance, p: int) -> bool:
        """Is post p counted by the rule (matches, and in scope where the rule has one)?"""
        return self.matches(inst, p) and self.group(inst, p) is not None

    def good_pairs(self, inst: Instance, posts: np.ndarray, cands: np.ndarray) -> np.ndarray:
        """:meth:`good` for many pairs at once (`posts` ascending): one call per post, unless
        a rule has a faster way."""
        out = np.zeros(len(posts), dtype=bool)
        if not len(posts):
            return out
        cuts = np.flatnonzero(np.diff(posts)) + 1
        for lo, hi in zip([0, *cuts.tolist()], [*cuts.tolist(), len(posts)]):
            out[lo:hi] = self.good(inst, int(posts[lo]), cands[lo:hi])
        return out

    def group(self, inst: Instance, p: int) -> int | None:
        """Group of post p: its `per` unit (-1 for the one group without `per`; a horizon's
        expansion has one such group per period, -1 - period), None if outside."""
        if self.per is None:
            return -1 if inst.horizon is None else -1 - int(inst.horizon.post_period[p])
        return inst.anc(inst.post_unit[p], self.per)

    def good(self, inst: Instance, p: int, cands: np.ndarray) -> np.ndarray:
        """Mask over `cands`: would each count as good on post p?"""
        raise NotImplementedError

    def post_groups(self, inst: Instance) -> dict[int, list[int]]:
        """Subject posts by group (:meth:`group`), groups in the order of their first post."""
        groups: dict[int, list[int]] = {}
        for p in range(inst.n_posts):
            if self.subject(inst, p):
                groups.setdefault(self.group(inst, p), []).append(p)  # type: ignore[arg-type]
        return groups

    def counted_words(self) -> str:
        """Who counts towards the share, e.g. `non-local officers`."""
        return "officers who count towards it"

    def group_words(self, inst: Instance, g: int) -> str:
        posts = self.post_groups(inst).get(g, [])
        return (f"{self.title}: in {unit_name(inst, g)}, at least {percent(self.share)} of the "
                f"assigned posts among {post_ids(inst, posts, 6)} must go to {self.counted_words()}")

    def whole_words(self, inst: Instance) -> str:
        posts = sorted(p for ps in self.post_groups(inst).values() for p in ps)
        return (f"{self.title}: at least {percent(self.share)} of the assigned posts among "
                f"{post_ids(inst, posts, 6)} must go to {self.counted_words()}")

    def pair_groups(self, inst: Instance, table: PairTable) -> tuple[np.ndarray, np.ndarray]:
        """Per pair of `table`: its group (-2 outside the rule) and whether it is good."""
        def compute() -> tuple[np.ndarray, np.ndarray]:
            starts = table.starts(inst.n_posts)
            group = np.full(len(table), -2, dtype=np.int64)
            for p in range(inst.n_posts):
                lo, hi = starts[p], starts[p + 1]
                if hi > lo and self.subject(inst, p):
                    group[lo:hi] = self.group(inst, p)
            good = np.zeros(len(table), dtype=bool)
            inside = np.flatnonzero(group != -2)
            good[inside] = self.good_pairs(inst, table.post[inside], table.cand[inside])
            return group, good
        return inst.memo((id(self), "pair_groups"), table, compute)

    def helps(self, inst: Instance, table: PairTable) -> np.ndarray | None:
        if self.share == 0:
            return None
        group, good = self.pair_groups(inst, table)
        return good & (group != -2)

    def nudge(self, inst: Instance, table: PairTable,
              plan: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        group, good = self.pair_groups(inst, table)
        held = plan[plan >= 0]
        held = held[group[held] != -2]
        short_groups = [g for g in np.unique(group[held])
                        if shortfall(int(good[held][group[held] == g].sum()),
                                     int((group[held] == g).sum()), self.share)]
        if not short_groups:
            return None
        favour = np.flatnonzero(good & np.isin(group, short_groups))
        return favour, np.zeros(0, dtype=np.int64)

    def lp_rows(self, inst: Instance, table: PairTable) -> Rows | None:
        if self.share == 0 or self.share == 1:
            return None  # share 1: hard it filters pairs, soft it is a pair coefficient
        group, good = self.pair_groups(inst, table)
        inside = np.flatnonzero(group != -2)
        if len(inside) == 0:
            return None  # no subject post has a pair: nothing to ask
        order = inside[np.argsort(group[inside], kind="stable")]  # one pass, not one per group
        keys, firsts = np.unique(group[order], return_index=True)
        idx = np.split(order, firsts[1:])
        posts = [len(np.unique(table.post[i])) for i in idx]
        shares = [model_share(self.share, n) for n in posts]
        coefs = [np.where(good[i], s.denominator - s.numerator, -s.numerator)
                 for i, s in zip(idx, shares)]
        matrix = rows_of(idx, coefs, len(table))
        lo = np.zeros(len(keys), np.int64)
        if self.hard:
            return Rows(matrix, lo)
        # b*k + b*short >= a*n: one shortfall variable per group, each unit costs the weight
        b = [s.denominator for s in shares]
        return Rows(matrix, lo, sp.diags(b, format="csr", dtype=np.int64),
                    np.full(len(keys), -self.cost, np.int64), np.array(posts, np.int64))

    def build(self, mb: ModelBuilder) -> None:
        if self.share == 0:
            return
        inst = mb.inst
        for g, posts in self.post_groups(inst).items():
            share = model_share(self.share, len(posts))
            a, b = share.numerator, share.denominator
            parts = [mb.post_pairs(p) for p in posts]
            pairs = np.concatenate([pp for pp, _ in parts])
            good = self.good_pairs(inst, np.repeat(posts, [len(c) for _, c in parts]),
                                   np.concatenate([c for _, c in parts]))
            if self.share == 1:
                if not self.hard:  # shortfall at share 1 is the number of bad assigned posts
                    mb.add_pair_coef(pairs[~good], -self.cost)
                continue  # hard share 1: bad pairs were filtered out
            if good.all():
                continue
            # b*k >= a*n  <=>  sum over assigned pairs of (b if good else 0) - a >= 0
            coefs = np.where(good, b - a, -a)
            name = f"{self.title}@{inst.units[g].id if g >= 0 else 'all'}"
            if self.hard:
                mb.add_hard(self, pairs, coefs, 0, INF, name, ("unit", g) if g >= 0 else None)
            else:
                short = mb.new_var(0, len(posts), f"short:{name}")
                mb.add_linear(np.append(pairs, short), np.append(coefs, b), 0, INF, name)
                mb.add_penalty(short, self.cost, name)

    def check(self, view: PlanView) -> RuleVerdict:
        share = self.share
        per_group: dict[str, list[int]] = {}
        for p, c in view.assigned():
            post = view.post(p)
            if self.roles is not None and post.role not in self.roles:
                continue
            if self.unit_kind is not None and view.unit_of_post(p).kind != self.unit_kind:
                continue
            key = self.check_group(view, p)
            if key is None or not self.in_scope_check(view, p):
                continue
            counts = per_group.setdefault(key, [0, 0])
            counts[1] += 1
            counts[0] += self.is_good_check(view, c, p)
        violation, breaches, good_total, n_total = 0, [], 0, 0
        for key, (k, n) in per_group.items():
            d = shortfall(k, n, share)
            violation += d
            good_total, n_total = good_total + k, n_total + n
            if d:
                breaches.append(f"{key}: {k} of {n} assigned, {share} x {n} needed, short by {d}")
        figures = {"required_share": float(share), "achieved": good_total, "assigned": n_total,
                   "achieved_share": round(good_total / n_total, 4) if n_total else None,
                   "groups": len(per_group),
                   "groups_short": sum(1 for b in breaches)}
        return self.report(violation, figures, breaches)

    def check_group(self, view: PlanView, p: int) -> str | None:
        if self.per is None:
            return "all"
        g = view.tree.anc(view.post(p).unit, self.per)
        return g

    def in_scope_check(self, view: PlanView, p: int) -> bool:
        return True

    def is_good_check(self, view: PlanView, c: int, p: int) -> bool:
        raise NotImplementedError
