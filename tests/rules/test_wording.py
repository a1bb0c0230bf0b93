"""Every rule type words itself: the explanations of an infeasible scenario (planner/explain) ask
the rule why it excludes a candidate and what each of its guards needs, and never which type it
is. On one micro scenario, each rule type's wording methods give non-empty text of their own;
the exact strings pin each rule module's override (remove it and the generic default comes
back, which the last test shows differs), and a new rule type must add its case here.

    M (ministry) ── post M-HEAD (department_head)
    P1 (province) ── post P1-DIR (director)
      └ D1 (district, difficult) ── post D1-CH (chief)
    P2 (province) ── post P2-DIR (director)

OLD (66, disciplined, home D1, serves at P1, leaves service in 2028), MIN (36, a woman, serves
at the ministry, home P2, asks for P1) and LOC (51, serves at D1, home P1, two terms in D1-CH, taken in
2024); OLD and MIN are spouses.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from builders import cand, post, relation, scenario, unit

from planner.check.view import PlanView
from planner.model.instance import Instance
from planner.rules import REGISTRY
from planner.rules.base import Rule, ShareRule
from planner.rules.wording import MemberText

UNITS = [unit("M", "ministry", lat=21.0, lon=105.8), unit("P1", "province", lat=22.8, lon=105.0),
         unit("D1", "district", parent="P1", difficult=True, lat=23.2, lon=105.3),
         unit("P2", "province", lat=20.4, lon=106.2)]
POSTS = [post("M-HEAD", "M", "department_head"), post("P1-DIR", "P1", "director"),
         post("D1-CH", "D1", "chief"), post("P2-DIR", "P2", "director")]
CANDS = [cand("OLD", home="D1", serves_at="P1", birth_year=1960, disciplined=True, leaves=2028),
         cand("MIN", home="P2", serves_at="M", birth_year=1990, gender="female", served_local=True,
              preferences=["P1"]),
         cand("LOC", home="P1", serves_at="D1", current_post="D1-CH", consecutive_terms=2,
              served_local=True, since=2024)]
RELATIONS = [relation("OLD", "MIN", "spouse")]

PARAMS: dict[str, dict[str, Any]] = {
    "age_limit": {"max_age": 50},
    "career_step": {},
    "clean_record": {},
    "continuity": {"per": "province", "max_changed_share": 0.5},
    "difficult_areas": {"min_rating": "excellent"},
    "difficult_experience": {},
    "fill": {"roles": ["director"]},
    "gender_balance": {"min_share": 1},
    "kinship": {},
    "local_experience": {},
    "min_tenure": {"years": 3},
    "ministry_quota": {"roles": ["director"]},
    "mobility": {"within": "province"},
    "no_envy": {},
    "non_local": {},
    "service_left": {"years": 5},
    "stay_close": {"previous": {"P1-DIR": "LOC", "P2-DIR": None}},
    "term_limit": {"max_consecutive_terms": 2},
    "young_cadres": {"max_age": 40, "min_share": 1},
}
"""One hard rule of each type (labelled with its type), set to exclude someone here."""


def _setup(rule_type: str, **params: Any) -> tuple[Rule, Instance, PlanView]:
    spec = {"rule": rule_type, "label": rule_type, **PARAMS[rule_type], **params}
    scn = scenario(UNITS, POSTS, CANDS, relations=RELATIONS, rules=[spec])
    return scn.policy.rules[0], Instance(scn), PlanView(scn, {})


def _ids(inst: Instance, cid: str, pid: str) -> tuple[int, int]:
    return inst.cand_index[cid], inst.post_index[pid]


def _excluded(rule_type: str, cid: str, pid: str, short: bool) -> str:
    rule, inst, view = _setup(rule_type)
    c, p = _ids(inst, cid, pid)
    assert rule.breaks(inst, p, np.array([c]))[0], "the case must exclude the pair"
    return rule.excluded_words(inst, view, c, p, short)


EXCLUDED = [
    # rule type, candidate, post, short words, long words
    ("age_limit", "OLD", "P1-DIR", "is older than 50", "is 66, older than 50"),
    ("clean_record", "OLD", "P1-DIR", "is under a disciplinary record", "is under a disciplinary record"),
    ("difficult_areas", "LOC", "D1-CH", "is rated below excellent for a difficult area",
     "is rated good, below excellent for a difficult area"),
    ("difficult_experience", "OLD", "D1-CH", "has not served in a difficult area",
     "has not served in a difficult area"),
    ("gender_balance", "OLD", "P1-DIR", "is not a woman", "is not a woman"),
    ("local_experience", "OLD", "M-HEAD", "has not served at local level", "has not served at local level"),
    ("mobility", "MIN", "P1-DIR", "serves outside province P1", "serves at M, outside province P1"),
    ("non_local", "OLD", "D1-CH", "is local to D1", "is local to D1"),
    ("service_left", "OLD", "P1-DIR", "has fewer than 5 years of service left",
     "leaves service in 2028, 2 years after 2026, fewer than 5"),
    ("term_limit", "LOC", "D1-CH", "has served 2+ terms there", "would start term 3 in the same post"),
    ("young_cadres", "OLD", "P1-DIR", "is older than 40", "is 66, older than 40"),
]


@pytest.mark.parametrize("rule_type, cid, pid, short, long", EXCLUDED)
def test_why_a_pair_rule_excludes_a_candidate(rule_type, cid, pid, short, long):
    assert _excluded(rule_type, cid, pid, short=True) == short
    assert _excluded(rule_type, cid, pid, short=False) == long


def test_post_guards_in_words():
    rule, inst, _ = _setup("difficult_areas")
    need = " by an officer rated excellent or better"
    assert rule.post_words(inst, inst.post_index["D1-CH"]) == MemberText(
        f"difficult_areas: post D1-CH (a difficult area) must be filled{need}",
        f"in a difficult area, must be filled{need}")
    rule, inst, _ = _setup("fill")
    assert rule.post_words(inst, inst.post_index["P1-DIR"]) == MemberText(
        "fill: post P1-DIR must be filled", "must be filled")
    assert rule.post_words(inst, inst.post_index["D1-CH"]) is None  # not a director: not filled
    rule, inst, _ = _setup("stay_close")
    assert rule.post_words(inst, inst.post_index["P1-DIR"]).text == "stay_close: post P1-DIR must keep LOC"
    assert rule.post_words(inst, inst.post_index["P2-DIR"]).text == "stay_close: post P2-DIR must stay vacant"
    rule, inst, _ = _setup("min_tenure")
    assert rule.post_words(inst, inst.post_index["D1-CH"]) == MemberText(
        "min_tenure: LOC (took it in 2024) must stay on post D1-CH, taken less than 3 years before",
        "must keep its holder of less than 3 years")
    assert rule.post_words(inst, inst.post_index["P1-DIR"]) is None  # nobody is bound there


@pytest.mark.parametrize("rule_type, filled", [
    ("fill", {"P1-DIR", "P2-DIR"}), ("difficult_areas", {"D1-CH"}), ("ministry_quota", set()),
    ("stay_close", set()), ("non_local", set())])
def test_which_posts_a_rule_requires_filled(rule_type, filled):
    rule, inst, _ = _setup(rule_type)
    assert {inst.posts[p].id for p in range(inst.n_posts) if rule.must_fill(inst, p)} == filled


def test_quota_groups_pool_and_words():
    rule, inst, _ = _setup("ministry_quota")
    p1, p2 = inst.unit_index["P1"], inst.unit_index["P2"]
    quota = rule.quota(inst)
    assert quota.groups == {p1: [inst.post_index["P1-DIR"]], p2: [inst.post_index["P2-DIR"]]}
    assert (quota.per_group, quota.need, quota.kind) == (1, 2, "province")
    assert [inst.candidates[c].id for c in np.flatnonzero(quota.pool)] == ["MIN"]
    assert (quota.holder, quota.members) == ("ministry-origin leader", "ministry-origin officers")
    assert rule.post_groups(inst) == quota.groups
    assert rule.group_words(inst, p1) == ("ministry_quota: province P1 needs 1 of its posts (P1-DIR) "
                                          "held by ministry-origin officers")
    assert rule.whole_words(inst) == ("ministry_quota: at least 2 of the 2 provinces need 1 of "
                                      "their posts held by ministry-origin officers")


@pytest.mark.parametrize("rule_type, counted", [
    ("gender_balance", "women"), ("non_local", "non-local officers"),
    ("young_cadres", "officers aged 40 or less")])
def test_who_counts_towards_a_share_rule(rule_type, counted):
    rule, inst, _ = _setup(rule_type)
    assert rule.counted_words() == counted
    assert rule.whole_words(inst).endswith(f"must go to {counted}")


def test_share_rule_groups_in_words():
    rule, inst, _ = _setup("gender_balance", min_share=0.5, per="province")
    p1 = inst.unit_index["P1"]
    assert rule.post_groups(inst) == {p1: [inst.post_index["P1-DIR"], inst.post_index["D1-CH"]],
                                      inst.unit_index["P2"]: [inst.post_index["P2-DIR"]]}
    assert rule.group_words(inst, p1) == ("gender_balance: in province P1, at least 50% of the "
                                          "assigned posts among P1-DIR, D1-CH must go to women")


def test_kinship_relation_in_words():
    rule, inst, _ = _setup("kinship")
    a, b = inst.cand_index["OLD"], inst.cand_index["MIN"]
    assert rule.relation_words(inst, a, b) == ("kinship: OLD and MIN are related (spouse) and may "
                                               "not both lead in the same province")


def test_the_generic_defaults_a_new_rule_type_starts_from():
    rule, inst, view = _setup("clean_record")
    c, p = _ids(inst, "OLD", "P1-DIR")
    assert Rule.excluded_words(rule, inst, view, c, p) == "does not meet it"
    assert Rule.whole_words(rule, inst) == f"hard rule clean_record ({rule.summary})"
    assert Rule.post_words(rule, inst, p) is None and not Rule.must_fill(rule, inst, p)
    assert Rule.group_words(rule, inst, inst.unit_index["P1"]) == "clean_record in province P1"
    assert Rule.relation_words(rule, inst, c, inst.cand_index["MIN"]) == \
        "clean_record: OLD and MIN are related (spouse)"
    assert Rule.guard_words(rule, inst, ("period", 2)) == "clean_record (('period', 2))"
    assert Rule.post_groups(rule, inst) is None and Rule.quota(rule, inst) is None
    share, inst, _ = _setup("gender_balance")
    assert ShareRule.counted_words(share) == "officers who count towards it"


def test_every_rule_type_has_a_case_here():
    """A new rule type brings its wording (and its case in this file) with it."""
    assert set(PARAMS) == set(REGISTRY)


def _wording(rule: Rule, inst: Instance, view: PlanView, owner: type) -> list[Any]:
    """Everything the wording methods of `owner` (the rule's class, or a base class standing for
    the generic default) say about `rule` on the micro scenario."""
    out: list[Any] = [owner.whole_words(rule, inst), owner.post_groups(rule, inst),
                      owner.quota(rule, inst) is not None]
    out += [owner.must_fill(rule, inst, p) for p in range(inst.n_posts)]
    out += [owner.post_words(rule, inst, p) for p in range(inst.n_posts)]
    out += [owner.group_words(rule, inst, g) for g in (rule.post_groups(inst) or {}) if g >= 0]
    out += [owner.relation_words(rule, inst, 0, 1)]
    if isinstance(rule, ShareRule):
        out.append(owner.counted_words(rule) if issubclass(owner, ShareRule) else "")
    one = np.array([0])
    for p in range(inst.n_posts):
        for c in range(inst.n_candidates):
            if rule.filters_pairs and rule.breaks(inst, p, one + c)[0]:
                out += [owner.excluded_words(rule, inst, view, c, p, s) for s in (True, False)]
    return out


@pytest.mark.parametrize("rule_type", sorted(PARAMS))
def test_every_rule_type_says_something_of_its_own(rule_type):
    """Non-empty text throughout, and not only the generic defaults of :class:`Rule`."""
    rule, inst, view = _setup(rule_type)
    own = _wording(rule, inst, view, type(rule))
    texts = [said.text if isinstance(said, MemberText) else said for said in own
             if isinstance(said, (str, MemberText))]
    assert texts and all(texts), (rule_type, own)
    assert own != _wording(rule, inst, view, Rule)
