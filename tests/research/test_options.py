"""The research commands refuse option values beyond what a solve can take, and a --scheduler
that is not an address, with exit 2 naming the option, before anything is solved or written."""

from __future__ import annotations

import pytest
from research_data import TINY, invoke, write

BEYOND = [
    ("--seed", "99999999999"), ("--seed", "-2147483649"),
    ("--solver-workers", "1000000000000"), ("--solver-workers", "0"),
    ("-j", "100000000000000000000"),
    ("--time-limit", "nan"), ("--time-limit", "inf"), ("--time-limit", "-1"),
    ("--scheduler-timeout", "nan"), ("--scheduler-timeout", "inf"),
    ("--young-age", "1000000000000000000000000000000"),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return write(tmp_path_factory.mktemp("options"), "tiny.yaml", TINY)


@pytest.mark.parametrize("command", ["compare", "price", "sweep"])
@pytest.mark.parametrize("option,value", BEYOND)
def test_values_beyond_range_exit_2_naming_the_option(tiny, tmp_path, command, option, value):
    out = tmp_path / "out"
    extra = ["--vary", "weights.merit=1,2"] if command == "sweep" else []
    res = invoke(command, tiny, *extra, option, value, "-o", out)
    assert res.exit_code == 2, res.output
    assert option in res.output and "Traceback" not in res.output
    assert not out.exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_price_step_must_be_finite(tiny, tmp_path, value):
    res = invoke("price", tiny, "--step", value, "-o", tmp_path / "out")
    assert res.exit_code == 2 and "--step" in res.output, res.output


@pytest.mark.parametrize("address", ["not-an-address", "tcp://host", "foo://host:1",
                                     "tcp://host:99999", "tcp://:8786"])
def test_scheduler_that_is_not_an_address_exits_2(tiny, tmp_path, address):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    res = invoke("compare", tiny, "--scheduler", address, "-o", out)
    assert res.exit_code == 2, res.output
    assert "--scheduler" in res.output and repr(address) in res.output
    assert "Traceback" not in res.output
    assert not out.exists()


def test_values_at_the_edges_are_taken(tiny, tmp_path):
    res = invoke("compare", tiny, "--seed", "-2147483648", "--solver-workers", "1",
                 "--time-limit", "5", "--young-age", "150", "-j", "1", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
