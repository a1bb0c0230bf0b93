"""The same batch in this process, in a local process pool and on Dask clusters on loopback:
identical rows (status, objective, metrics, hashes; not timings)."""

from __future__ import annotations

import pytest
from research_data import LAX, SOFT, STRICT, TINY, TINY_FILL, invoke, write

from planner.research.runner import identity
from planner.research.store import Store


def _rows(db):
    return {r["key"]: identity(r) for r in Store(db, create=False).rows()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    scns = [write(folder, "tiny.yaml", TINY), write(folder, "fill.yaml", TINY_FILL)]
    pols = [write(folder, f"{n}.yaml", t) for n, t in (("strict", STRICT), ("lax", LAX),
                                                       ("soft", SOFT))]
    args = [*scns]
    for p in pols:
        args += ["--policy", p]
    return folder, args


@pytest.fixture(scope="module")
def reference(inputs):
    folder, args = inputs
    res = invoke("compare", *args, "-j", "1", "-o", folder / "inline")
    assert res.exit_code == 0, res.output
    rows = _rows(folder / "inline" / "results.sqlite")
    assert len(rows) == 6
    return rows


def test_local_process_pool_gives_identical_rows(inputs, reference):
    folder, args = inputs
    res = invoke("compare", *args, "-j", "2", "-o", folder / "pool")
    assert res.exit_code == 0, res.output
    assert "on 2 local processes" in res.output
    assert _rows(folder / "pool" / "results.sqlite") == reference


def test_embedded_local_cluster_gives_identical_rows(inputs, reference):
    folder, args = inputs
    res = invoke("compare", *args, "-j", "2", "--scheduler", "local", "-o", folder / "local")
    assert res.exit_code == 0, res.output
    assert "on Dask scheduler local" in res.output
    assert _rows(folder / "local" / "results.sqlite") == reference


def test_remote_scheduler_address_on_loopback(inputs, reference):
    from distributed import LocalCluster

    folder, args = inputs
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, host="127.0.0.1",
                      protocol="tcp://", dashboard_address="127.0.0.1:0") as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        res = invoke("compare", *args, "--scheduler", address, "-o", folder / "remote")
    assert res.exit_code == 0, res.output
    assert _rows(folder / "remote" / "results.sqlite") == reference


def test_unreachable_scheduler_exits_2(inputs):
    import socket

    folder, args = inputs
    with socket.socket() as s:  # a free port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = invoke("compare", args[0], "--scheduler", f"tcp://127.0.0.1:{port}",
                 "--scheduler-timeout", "2", "-o", folder / "nowhere")
    assert res.exit_code == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in res.output
