"""Shared fixtures of the generator's tests: the two whole countries, generated once."""

from __future__ import annotations

import pytest

from planner.generate import GeneratedScenario, generate


@pytest.fixture(scope="session")
def legacy() -> GeneratedScenario:
    return generate("legacy", seed=0)


@pytest.fixture(scope="session")
def new2025() -> GeneratedScenario:
    return generate("2025", seed=0)
