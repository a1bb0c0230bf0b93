"""The benchmark peers (benchmarks/peers) on a tiny scenario: same optimum, valid bound, checked greedy."""

from __future__ import annotations

from benchmarks.peers import flow_bound, greedy, highs_mip, naive_cpsat
from benchmarks.peers.flow import flow_from_spec
from benchmarks.peers.highs import highs_from_spec
from benchmarks.peers.naive import naive_from_spec
from planner import check_plan


def test_spec_has_the_rule_shapes(case):
    _, _, spec = case
    assert spec.n_vars > spec.n_pairs  # penalty and `complies` variables
    assert (spec.enf_start[1:] > spec.enf_start[:-1]).any()  # enforced constraints


def test_naive_cpsat_reaches_the_planner_optimum(case):
    scn, ref, spec = case
    res = naive_from_spec(spec, time_limit=20, workers=2)
    assert res.status == "optimal"
    assert res.objective == ref.objective == res.bound
    report = check_plan(scn, res.plan)
    assert report.valid and report.objective == ref.objective
    assert res.first_plan_seconds is not None and res.gap1_seconds is not None
    assert naive_cpsat(scn, time_limit=20, workers=2).objective == ref.objective  # public entry


def test_highs_reaches_the_planner_optimum(case):
    scn, ref, spec = case
    res = highs_from_spec(spec, time_limit=20, workers=2)
    assert res.status == "optimal"
    assert res.objective == ref.objective
    report = check_plan(scn, res.plan)
    assert report.valid and report.objective == ref.objective
    assert highs_mip(scn, time_limit=20, workers=2).objective == ref.objective  # public entry


def test_flow_bound_is_an_upper_bound(case):
    scn, ref, spec = case
    res = flow_from_spec(spec)
    assert res.bound is not None and res.bound >= ref.objective
    assert flow_bound(scn).bound == res.bound


def test_greedy_plan_is_checked(case):
    scn, ref, _ = case
    res = greedy(scn)
    report = check_plan(scn, res.plan)
    assert res.valid == report.valid
    assert res.objective == report.objective
    if report.valid:
        assert res.objective <= ref.objective
