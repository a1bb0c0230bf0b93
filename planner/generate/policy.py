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
