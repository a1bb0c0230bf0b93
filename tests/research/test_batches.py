"""What each research command solves: inputs read at once, variants labelled, errors before solving."""

from __future__ import annotations

import pytest
from builders import policy
from research_data import LAX, STRICT, TINY, write

from planner.errors import InputError
from planner.research.batches import (
    BatchError,
    compare_batch,
    policy_labels,
    price_batch,
    sweep_batch,
)
from planner.research.runner import SolveOptions
from planner.research.variants import VaryError

OPTIONS = SolveOptions(time_limit=5)


def test_policy_labels_are_distinct_by_name_then_file_then_position():
    pols = [policy(name="a"), policy(name="b"), policy(name="b"), policy(name="c"),
            policy(name="c")]
    paths = ["x/a.yaml", "x/b1.yaml", "y/b2.yaml", "x/same.yaml", "y/same.yaml"]
    assert policy_labels(pols, paths) == ["a", "b (b1)", "b (b2)", "c (same) #4", "c (same) #5"]


def test_compare_batch_runs_every_scenario_under_every_policy(tmp_path):
    scn = write(tmp_path, "tiny.yaml", TINY)
    pols = [write(tmp_path, "strict.yaml", STRICT), write(tmp_path, "lax.yaml", LAX)]
    batch = compare_batch([scn], pols, OPTIONS, None)
    assert [j["label"] for j in batch.jobs] == ["strict", "lax"]
    assert [j["variant"] for j in batch.jobs] == [{"kind": "policy", "file": p} for p in pols]
    assert batch.title == "1 scenario(s) x 2 policy(ies)"
    own = compare_batch([scn], [], OPTIONS, None)
    assert [j["label"] for j in own.jobs] == ["tiny-policy"]


def test_every_input_problem_is_raised_at_once(tmp_path):
    bad = write(tmp_path, "bad.yaml", "name: bad\nrules:\n  - {rule: non_local, min_share: 2}\n")
    with pytest.raises(InputError) as err:
        compare_batch([str(tmp_path / "missing.yaml")], [bad], OPTIONS, None)
    report = err.value.report()
    assert "bad.yaml" in report and "missing.yaml" in report


def test_price_batch_marks_every_variant_with_its_base(tmp_path):
    scn = write(tmp_path, "tiny.yaml", TINY)
    batch = price_batch(scn, None, OPTIONS, None, step=0.05, relax=True)
    assert batch.name == "tiny"
    assert batch.jobs[0]["variant"]["kind"] == "base"
    assert len({j["variant"]["base"] for j in batch.jobs}) == 1
    empty = write(tmp_path, "empty.yaml", "name: empty\nrules: []\n")
    with pytest.raises(BatchError, match="has no rules to price"):
        price_batch(scn, empty, OPTIONS, None, step=0.05, relax=True)


def test_sweep_batch_reads_the_vary_options_before_the_files(tmp_path):
    with pytest.raises(VaryError, match="one or two --vary"):
        sweep_batch(str(tmp_path / "missing.yaml"), None, ["a.b=1", "c.d=2", "e.f=3"], OPTIONS,
                    None)
    with pytest.raises(VaryError, match="unknown rule type"):
        sweep_batch(str(tmp_path / "missing.yaml"), None, ["nope.min_share=1"], OPTIONS, None)
    scn = write(tmp_path, "tiny.yaml", TINY)
    batch = sweep_batch(scn, None, ["non_local.min_share=0.5,1"], OPTIONS, None)
    assert [j["label"] for j in batch.jobs] == ["non_local.min_share=0.5", "non_local.min_share=1"]
