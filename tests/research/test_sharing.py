"""Research batches without overhead: a scenario prepared once per worker, pair tables shared
between the variants whose rules give the same pairs, and each price variant warm-started from
the base's plan; none of it changes a result."""

from __future__ import annotations

import numpy as np
import pytest
from reporting import ROOT

from planner.io.loader import load_policy, load_scenario
from planner.model.instance import Instance
from planner.model.pairs import pair_table
from planner.research import runner
from planner.research.batches import price_batch
from planner.research.runner import SolveOptions, identity, run_batch
from planner.research.store import Store
from planner.research.variants import price_variants
from planner.solver.memory import estimate
from planner.solver.pipeline import Prepared, eligibility_key, solve

SMALL = str(ROOT / "scenarios" / "small.yaml")
NATIONAL = str(ROOT / "scenarios" / "policies" / "national.yaml")
FAST = {"time_limit": 20, "workers": 1, "seed": 0, "deterministic": True}


@pytest.fixture(scope="module")
def small():
    policy = load_policy(NATIONAL)
    return load_scenario(SMALL, policy=policy), price_variants(policy)


def _label(variants, label):
    return next(v.policy for v in variants if v.label == label)


def test_a_shared_table_is_the_table_each_variant_would_build(small):
    scn, variants = small
    prepared = Prepared(scn)
    for v in variants:
        shared, fresh = prepared.table(v.policy), pair_table(Instance(scn), v.policy)
        for name in ("post", "cand", "coef"):
            assert np.array_equal(getattr(shared, name), getattr(fresh, name)), (v.label, name)
        assert shared.constant == fresh.constant
        assert not shared.coef.flags.writeable  # no solve can change another variant's table
    # 16 variants, 6 pair tables: the base's, and one per pair-filtering rule dropped or
    # relaxed below 1 (district non-local, term limit, difficult areas, both mobility rules)
    assert len(variants) == 16 and len(prepared._tables) == 6
    base = prepared.table(_label(variants, "base"))
    assert prepared.table(_label(variants, "drop no relatives in one province")) is base
    assert prepared.table(_label(variants, "drop non-local district chiefs")) is \
        prepared.table(_label(variants, "relax non-local district chiefs: min_share 1 -> 0.95"))
    assert prepared.table(_label(variants, "drop term limit")) is not base


def test_the_key_follows_the_pair_filters_and_the_weights(small):
    _, variants = small
    base = _label(variants, "base")
    soft_gone = _label(variants, "drop women in provincial leadership")
    assert eligibility_key(soft_gone) == eligibility_key(base)
    heavier = base.model_copy(update={"weights": base.weights.model_copy(update={"move": 6})})
    assert eligibility_key(heavier) != eligibility_key(base)


def test_results_are_the_same_with_and_without_sharing(small):
    scn, variants = small
    prepared = Prepared(scn)
    for v in variants:
        shared = solve(scn, v.policy, prepared=prepared, **FAST)
        alone = solve(scn, v.policy, **FAST)
        assert (shared.status, shared.objective, shared.bound, shared.plan) == \
            (alone.status, alone.objective, alone.bound, alone.plan), v.label
        assert shared.status.value == "optimal", v.label


def test_a_valid_hint_is_an_answer_and_an_invalid_one_changes_nothing(small):
    scn, variants = small
    base = solve(scn, _label(variants, "base"), **FAST)
    drop = _label(variants, "drop term limit")
    alone = solve(scn, drop, **FAST)
    hinted = solve(scn, drop, hint=base.plan, **FAST)
    assert (hinted.status, hinted.objective) == (alone.status, alone.objective) == \
        (alone.status, base.objective + 28)  # the term limit's price on small.yaml
    nonsense = {post: "nobody" for post in base.plan}
    broken = solve(scn, drop, hint=nonsense, **FAST)
    assert (broken.status, broken.objective) == (alone.status, alone.objective)
    # with the gap of the base's objective, the hint itself is the answer: no search
    loose = solve(scn, drop, hint=base.plan, **{**FAST, "gap": 0.5})
    assert (loose.objective, loose.stats.plan_source) == (base.objective, "hint")
    assert loose.stats.skeleton is None and loose.stats.search_skipped


def test_price_variants_start_from_the_base_plan_and_resume_gives_the_same_rows(tmp_path):
    batch = price_batch(SMALL, NATIONAL, SolveOptions(time_limit=20), None, step=0.05,
                        relax=True)
    base, *others = batch.jobs
    assert base["keeps_plan"] and "hint_of" not in base
    assert {j["hint_of"] for j in others} == {base["key"]} and len(others) == 15
    runner._SCENARIOS.clear()
    store = Store(tmp_path / "all.sqlite")
    outcome = run_batch(batch.jobs, store, parallel=1)
    assert outcome.solved == 16 and not outcome.errors
    rows = store.rows(outcome.keys)
    assert len(rows[0]["plan"]) == 29 and all("plan" not in r for r in rows[1:])
    assert [r["status"] for r in rows] == ["optimal"] * 16
    # one load and one index of small.yaml for the 16 jobs, six pair tables
    assert len(runner._SCENARIOS) == 1
    assert len(next(iter(runner._SCENARIOS.values()))[0]._tables) == 6
    # the base alone, then the rest with --resume: the hint comes from the stored base row
    runner._SCENARIOS.clear()
    again = Store(tmp_path / "resumed.sqlite")
    run_batch([base], again, parallel=1)
    resumed = run_batch(batch.jobs, again, parallel=2, resume=True)
    assert (resumed.skipped, resumed.solved) == (1, 15)
    assert [identity(r) for r in again.rows(outcome.keys)] == [identity(r) for r in rows]


def test_a_variant_past_its_share_of_the_memory_is_an_error_row_not_a_killed_worker(
        tmp_path, monkeypatch):
    batch = price_batch(SMALL, NATIONAL, SolveOptions(time_limit=20), None, step=0.05,
                        relax=False)
    est = estimate(load_scenario(SMALL, policy=load_policy(NATIONAL)))
    # room for one solve of small.yaml, not for two at once: two workers each get half
    monkeypatch.setattr(runner, "available_bytes", lambda: int(est.peak_bytes * 1.5))
    runner._SCENARIOS.clear()
    alone = run_batch(batch.jobs[:1], Store(tmp_path / "one.sqlite"), parallel=1)
    assert alone.solved == 1 and not alone.errors
    runner._SCENARIOS.clear()
    shared = run_batch(batch.jobs[:1], Store(tmp_path / "two.sqlite"), parallel=2)
    assert len(shared.errors) == 1 and "MemoryRefused" in shared.errors[0]
    assert "more than this worker's share of the memory available (1/2)" in shared.errors[0]
    assert "fewer solves at once (--jobs)" in shared.errors[0]


def test_the_largest_variants_run_first_and_every_row_is_stored(tmp_path, monkeypatch):
    """Each job carries its pairs' upper bound; a phase runs its jobs largest first (a pool
    then ends on small jobs), and every job's row is stored with its place in the batch."""
    batch = price_batch(SMALL, NATIONAL, SolveOptions(time_limit=20), None, step=0.05,
                        relax=True)
    scn = load_scenario(SMALL, policy=load_policy(NATIONAL))
    prepared = Prepared(scn)
    for job in batch.jobs:
        policy = runner.Policy.model_validate(job["policy"])
        assert job["pairs"] == estimate(scn, policy, prepared.instance()).pairs, job["label"]
    base, *others = batch.jobs
    dropped = {j["label"]: j["pairs"] for j in others}
    assert max(dropped, key=dropped.get).startswith("drop commune chiefs from within")
    assert dropped[max(dropped, key=dropped.get)] > base["pairs"]
    ran = []
    real = runner.run_job
    monkeypatch.setattr(runner, "run_job", lambda job: ran.append(job["label"]) or real(job))
    runner._SCENARIOS.clear()
    run_batch(batch.jobs, Store(tmp_path / "a.sqlite"), parallel=1)
    sizes = [dropped[label] for label in ran[1:]]
    assert ran[0] == base["label"] and sizes == sorted(sizes, reverse=True)
    stored = Store(tmp_path / "a.sqlite").rows([j["key"] for j in batch.jobs])
    assert sorted(r["order"] for r in stored) == list(range(len(batch.jobs)))
