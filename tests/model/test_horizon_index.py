"""The horizon's map from pairs to the same officer on the same post in the period before."""

from __future__ import annotations

import numpy as np
import pytest
from builders import cand, post, scenario, unit
from horizon_bruteforce import random_horizon_scenario

from planner.model.horizon import index
from planner.model.pairs import pair_table
from planner.scenario import effective_policy


def _two_posts_two_periods():
    units = [unit("P1", "province"), unit("P2", "province")]
    posts = [post("P1-DIR", "P1", "director"), post("P2-DIR", "P2", "director")]
    scn = scenario(units, posts, [cand("A", "P1")], rules=[])
    scn = scn.model_copy(update={"periods": [2026, 2031]})
    inst = index(scn)
    table = pair_table(inst, effective_policy(scn))
    hz = inst.horizon
    ids = [(inst.candidates[c].id, inst.posts[p].id) for p, c in zip(table.post, table.cand)]
    return inst, table, hz, ids


def test_may_stay_marks_the_later_pairs_with_a_pair_before():
    inst, table, hz, ids = _two_posts_two_periods()
    stay = hz.may_stay(table.post, table.cand)
    assert {ids[i] for i in np.flatnonzero(stay)} == {("A@2031", "P1-DIR@2031"),
                                                    ("A@2031", "P2-DIR@2031")}


def test_with_stays_adds_the_next_period_only():
    """A kept pair of the last period has no next period: nothing is added for it (its key + 1
    is the next post's first-period pair, which is no stay)."""
    inst, table, hz, ids = _two_posts_two_periods()
    last = np.array([i == ("A@2031", "P1-DIR@2031") for i in ids])
    assert hz.with_stays(table.post, table.cand, last).tolist() == last.tolist()
    first = np.array([i == ("A@2026", "P1-DIR@2026") for i in ids])
    grown = hz.with_stays(table.post, table.cand, first)
    assert {ids[i] for i in np.flatnonzero(grown)} == {("A@2026", "P1-DIR@2026"),
                                                     ("A@2031", "P1-DIR@2031")}


def test_pools_inside_are_the_members_below_each_area():
    from pathlib import Path

    from planner import load_scenario
    from planner.model.instance import Instance

    inst = Instance(load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "small.yaml"))
    want: dict[int, list[int]] = {}
    for c, at in enumerate(inst.serves_at):
        for a in inst.lineage[at]:
            want.setdefault(a, []).append(c)
    for area in range(len(inst.units)):
        assert inst.arrays.serving_inside(area).tolist() == want.get(area, [])
    # a member with several units is listed once per area
    pools = inst.arrays.pools_inside(np.array([7, 7, 3]), np.array([0, 0, 0]))
    assert pools.get(0, None).tolist() == [3, 7]
    assert pools.get(1, None) is None  # no member is inside area 1


@pytest.mark.parametrize("seed", range(60))
def test_the_pair_before_is_found_as_a_dictionary_of_ids_finds_it(seed):
    """Each later pair's predecessor (the same officer on the same post one period before),
    read from the pair table's order without a sort, against a lookup by ids; posts that
    open and close, officers who join and leave, on random tiny horizons."""
    scn = random_horizon_scenario(seed)
    inst = index(scn)
    hz = inst.horizon
    if hz is None:
        return
    table = pair_table(inst, effective_policy(scn))
    where = {(int(hz.post_period[p]), int(hz.post_base[p]), int(hz.cand_base[c])): i
             for i, (p, c) in enumerate(zip(table.post, table.cand))}
    want = [where.get((int(hz.post_period[p]) - 1, int(hz.post_base[p]), int(hz.cand_base[c])), -1)
            for p, c in zip(table.post, table.cand)]
    assert hz._before(table.post, table.cand).tolist() == want
    assert hz.may_stay(table.post, table.cand).tolist() == [w >= 0 for w in want]
    keep = np.random.default_rng(seed).random(len(table)) < 0.3
    grown = [bool(k) or (w >= 0 and bool(keep[w])) for k, w in zip(keep, want)]
    assert hz.with_stays(table.post, table.cand, keep).tolist() == grown


def test_pairs_out_of_the_table_s_order_are_refused():
    inst, table, hz, ids = _two_posts_two_periods()
    with pytest.raises(ValueError, match="order"):
        hz.may_stay(table.post[::-1], table.cand[::-1])
