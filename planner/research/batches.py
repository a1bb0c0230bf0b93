"""What `compare`, `price` and `sweep` solve: their input files read, their variants made,
one job per scenario and variant (:func:`planner.research.runner.batch_jobs`).

Every problem in the input files is raised at once (:class:`~planner.errors.InputError`), a
``--vary`` that cannot be applied as :class:`~planner.research.variants.VaryError`, a batch
that cannot be made otherwise as :class:`BatchError`: all of them are the user's to fix, before
anything is solved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import InputError, Problem
from planner.io.loader import load_policy, load_scenario
from planner.research.runner import (
    SolveOptions,
    batch_jobs,
    policy_hash,
    scenario_hash,
    warm_started,
)
from planner.research.variants import (
    Variant,
    VaryError,
    grid,
    parse_vary,
    price_variants,
)
from planner.scenario import Policy, Scenario, effective_policy

Loaded = list[tuple[str, Scenario, str]]
"""Scenarios of a batch: (path as given, scenario, content hash)."""


class BatchError(ValueError):
    """A batch that cannot be made from what was asked (exit status 2)."""


@dataclass(frozen=True)
class Batch:
    """The jobs of one command, and what its outputs are named after."""

    jobs: list[dict[str, Any]]
    name: str
    """The scenario's name (the default output folder of price and sweep); empty for compare."""
    title: str = ""
    """The title of the compare table; price and sweep title each group of rows themselves."""


def load_inputs(scenarios: list[str], policies: list[str]) -> tuple[Loaded, list[Policy]]:
    """Scenarios (each with its content hash) and policies; every problem in any file at once.

    With policies given, each scenario is loaded with the first of them, so a scenario whose
    own policy is broken can still be run under the batch's policies.
    """
    problems: list[Problem] = []
    pols = []
    for path in policies:
        try:
            pols.append(load_policy(path))
        except InputError as exc:
            problems += exc.problems
    loaded = []
    for path in scenarios:
        try:
            scn = load_scenario(path, policy=pols[0]) if pols else load_scenario(path)
        except InputError as exc:
            problems += exc.problems
            continue
        loaded.append((path, scn, scenario_hash(scn)))
    if problems:
        raise InputError(problems)
    return loaded, pols


def policy_labels(policies: list[Policy], paths: list[str]) -> list[str]:
    """A distinct label per policy: its name, then its file's stem, then its position."""
    names = [p.name for p in policies]
    labels = [n if names.count(n) == 1 else f"{n} ({Path(path).stem})"
              for n, path in zip(names, paths)]
    return [lbl if labels.count(lbl) == 1 else f"{lbl} #{i + 1}" for i, lbl in enumerate(labels)]


def compare_batch(scenarios: list[str], policies: list[str], options: SolveOptions,
                  young_age: int | None, myopic: bool = False) -> Batch:
    """Every scenario under every policy file (or, without any, under its own policy); with
    `myopic`, each pair also planned one period at a time (a second row, `<label> (myopic)`)."""
    loaded, pols = load_inputs(scenarios, policies)
    labels = policy_labels(pols, policies) if pols else []

    def planned(found: list[Variant]) -> list[Variant]:
        if not myopic:
            return found
        return [w for v in found for w in (
            Variant(v.label, v.policy, {**v.info, "planning": "horizon"}),
            Variant(f"{v.label} (myopic)", v.policy, {**v.info, "planning": "myopic"}))]

    def variants(scn: Scenario) -> list[Variant]:
        if not pols:
            pol = effective_policy(scn)
            return planned([Variant(pol.name, pol, {"kind": "policy"})])
        return planned([Variant(lbl, p, {"kind": "policy", "file": str(f)})
                        for lbl, p, f in zip(labels, pols, policies)])

    jobs = batch_jobs("compare", loaded, variants, options, young_age)
    return Batch(jobs, "", f"{len(loaded)} scenario(s) x {len(pols) or 1} policy(ies)")


def _one_scenario(scenario: str, policy: str | None) -> tuple[Loaded, Policy]:
    """The scenario and the policy a price or sweep batch varies."""
    loaded, pols = load_inputs([scenario], [policy] if policy else [])
    return loaded, effective_policy(loaded[0][1], pols[0] if pols else None)


def _based_on(base: Policy, variants: list[Variant]) -> list[Variant]:
    """The variants, each marked with the hash of the policy they vary (rows group by it)."""
    b_hash = policy_hash(base)
    return [Variant(v.label, v.policy, {**v.info, "base": b_hash}) for v in variants]


def price_batch(scenario: str, policy: str | None, options: SolveOptions, young_age: int | None,
                *, step: float, relax: bool) -> Batch:
    """The policy, and per rule the policy without it (and share rules relaxed one `step`),
    each warm-started from the base's plan: dropping or relaxing a rule keeps every plan of
    the base valid, so the variant starts from a plan as good as the base's."""
    loaded, base = _one_scenario(scenario, policy)
    if not base.rules:
        raise BatchError(f"the policy {base.name!r} has no rules to price")
    variants = _based_on(base, price_variants(base, step=step, relax=relax))
    jobs = warm_started(batch_jobs("price", loaded, lambda _: variants, options, young_age))
    return Batch(jobs, loaded[0][1].name)


def sweep_batch(scenario: str, policy: str | None, varies: list[str], options: SolveOptions,
                young_age: int | None) -> Batch:
    """The policy over the grid of one or two ``--vary`` options.

    The options are read before the files, so a mistyped ``--vary`` is reported at once.
    """
    if len(varies) > 2:
        raise VaryError(f"give one or two --vary options (a 1-D or 2-D grid), got {len(varies)}")
    specs = [parse_vary(v) for v in varies]
    loaded, base = _one_scenario(scenario, policy)
    variants = _based_on(base, grid(base, specs))
    jobs = batch_jobs("sweep", loaded, lambda _: variants, options, young_age)
    return Batch(jobs, loaded[0][1].name)
