"""The `planner` command: one module per command group, each parsing options and printing.

* :mod:`planner.cli.solving` — ``solve``;
* :mod:`planner.cli.inputs` — ``check``, ``validate``, ``schema``, ``rules`` (input files);
* :mod:`planner.cli.explain` — ``explain``, ``diff``, ``fit`` (reading plans);
* :mod:`planner.cli.research` — ``compare``, ``price``, ``sweep`` (batches of solves);
* :mod:`planner.cli.generate` — ``generate`` (national scenarios);
* :mod:`planner.cli.common` — what they share: loading inputs, exit codes, output folders.

Exit status: 0 a plan was found (or the checked plan is valid); 1 proven infeasible (or the
checked plan is invalid); 2 invalid input or usage; 3 no plan within the time limit;
4 the planner's own plan failed its independent check (a bug: please report it).
"""

from __future__ import annotations

import click

from planner.cli.explain import diff_cmd, explain_cmd, fit_cmd
from planner.cli.generate import generate_cmd
from planner.cli.inputs import check_cmd, rules_cmd, schema_cmd, validate_cmd
from planner.cli.research import compare_cmd, price_cmd, sweep_cmd
from planner.cli.solving import solve_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rotation-planner")
def main() -> None:
    """Plan the rotation of leaders across posts under policy rules (CP-SAT)."""


for command in (solve_cmd,
                check_cmd, validate_cmd, schema_cmd, rules_cmd,
                explain_cmd, diff_cmd, fit_cmd,
                compare_cmd, price_cmd, sweep_cmd,
                generate_cmd):
    main.add_command(command)
