"""The national policy of a generated scenario: the published targets for rotating leaders."""

from __future__ import annotations

from typing import Any

TWO_TIER = ("National rotation policy for the two-tier local government of 2025 (provinces and "
            "communes, no district level): non-local leaders (97% of provincial directors, 90% of "
            "commune chiefs), two consecutive terms at most, a ministry-origin leader in 95% of "
            "provinces, no relatives leading in one province, commune chiefs rotate within their "
            "province.")
"""The description of the policy without its district rules."""


def national_policy(districts: bool = True) -> dict[str, Any]:
    """The national policy with the published targets; without `districts`, the policy of the
    2025 two-tier structure: the same rules less the two on district chiefs."""
    policy = {
        "name": "national",
        "description": ("National rotation policy: non-local leaders (97% of provincial directors, "
                        "all district chiefs, 90% of commune chiefs), two consecutive terms at most, "
                        "a ministry-origin leader in 95% of provinces, no relatives leading in one "
                        "province, district and commune chiefs rotate within their province."),
        "rules": [
            {"rule": "non_local", "unit_kind": "province", "roles": ["director"], "min_share": 0.97},
            {"rule": "non_local", "unit_kind": "district", "roles": ["chief"], "min_share": 1.0},
            {"rule": "non_local", "unit_kind": "commune", "roles": ["chief"], "min_share": 0.9},
            {"rule": "term_limit", "max_consecutive_terms": 2},
            {"rule": "ministry_quota", "roles": ["director", "deputy_director"], "unit_kind": "province",
             "min_per_unit": 1, "min_share_of_units": 0.95},
            {"rule": "kinship", "scope": "province"},
            {"rule": "mobility", "unit_kind": "district", "roles": ["chief"], "within": "province"},
            {"rule": "mobility", "unit_kind": "commune", "roles": ["chief"], "within": "province"},
        ],
        "weights": {"merit": 1, "move": 5, "distance": 1, "vacancy": 1000},
    }
    if not districts:
        policy["description"] = TWO_TIER
        policy["rules"] = [r for r in policy["rules"] if r.get("unit_kind") != "district"]
    return policy


CAREER_RULES: list[dict[str, Any]] = [
    {"rule": "career_step", "max_up": 1, "max_down": 0, "planned": True},
    {"rule": "continuity", "per": "province", "unit_kind": "province",
     "roles": ["director", "deputy_director"], "max_changed_share": 0.3334, "hard": False,
     "weight": 100},
    {"rule": "no_envy", "hard": False, "weight": 20},
]
"""The careers rules (docs/careers.md): moves one grade up at most, and only for the succession
pool, never down (hard); at most a third of each province's leadership (its director and deputy
directors) changed — 0.3334 allows exactly floor(n / 3) changed posts in a group of n < 4999,
where no decimal is exactly a third — soft, because hard it is infeasible in most generated
provinces: `term_limit` sends off every incumbent at two terms and a vacant post counts as
changed once filled, so often two of a province's four leadership posts must change; envy of
better-ranked posts held by lower merit, soft."""


def careers_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """`policy` (the national one) with the careers rules, named ``national-careers``."""
    return {**policy, "name": f"{policy['name']}-careers",
            "description": policy["description"] + (
                " Careers: moves at most one grade up and only for officers planned for the post, "
                "never down; at most a third of each province's leadership changed in a term "
                "(soft); envy by merit over ranked preferences discouraged (soft)."),
            "rules": [*policy["rules"], *(dict(r) for r in CAREER_RULES)]}
