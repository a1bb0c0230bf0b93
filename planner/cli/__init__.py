"""The `planner` command: one module per command group, each parsing options and printing.

* :mod:`planner.cli.solving` — ``solve``;
* :mod:`planner.cli.inputs` — ``check``, ``validate``, ``schema``, ``rules`` (input files);
* :mod:`planner.cli.explain` — ``explain``, ``diff``, ``fit`` (reading plans);
* :mod:`planner.cli.research` — ``compare``, ``price``, ``sweep`` (batches of solves);
* :mod:`planner.cli.generate` — ``generate`` (national scenarios);
* :mod:`planner.cli.common` — what they share: loading inputs, exit codes, output folders.

Exit status: 0 a plan was found (or the checked plan is valid); 1 proven infeasible (or the
checked plan is invalid); 2 invalid input or usage; 3 no plan within the time limit;
4 the planner's own plan failed its independent check (a bug: please report it);
130 interrupted (Ctrl-C or SIGTERM).

Start-up is kept light: a command's module (and with it OR-Tools, pandas, the rules) is imported
only when that command runs, so that `planner --help` answers at once; the listing's one-line
helps are written in :data:`COMMANDS` (a test holds them equal to the commands' own). Until the
command starts, Ctrl-C ends the run with a line, not a traceback (planner/interrupt.py; the
entry point, planner/entry.py, installs it first).
"""

from __future__ import annotations

import importlib
import sys

import click

from planner.interrupt import command_starts


COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("planner.cli.inputs:check_cmd",
             "Re-verify PLAN (a plan.csv) against SCENARIO without the solver."),
    "compare": ("planner.cli.research:compare_cmd",
             "Solve every SCENARIO under every --policy; one row per pair, with the main "
             "metrics."),
    "diff": ("planner.cli.explain:diff_cmd",
             "List who moved between plan A and plan B (plan.csv files or output folders) and "
             "why the objective changed: by term, by rule, and the score of each officer's old "
             "and new pair."),
    "explain": ("planner.cli.explain:explain_cmd",
             "Explain the plan in OUTDIR (a `planner solve` output folder, or its plan.csv)."),
    "fit": ("planner.cli.explain:fit_cmd",
             "Rank the posts CANDIDATE could take in SCENARIO: for each, the change in "
             "objective against the base plan and what else would have to move (a local "
             "re-plan that keeps every hard rule), plus how many posts are closed to the "
             "officer and why."),
    "generate": ("planner.cli.generate:generate_cmd",
             "Write a national scenario of Vietnam's real administrative units into OUTDIR."),
    "price": ("planner.cli.research:price_cmd",
             "The price of each rule of the policy on SCENARIO."),
    "rules": ("planner.cli.inputs:rules_cmd",
             "List the rule types a policy may use."),
    "schema": ("planner.cli.inputs:schema_cmd",
             "Print the JSON Schema of scenario (default) or policy files, for YAML editors."),
    "solve": ("planner.cli.solving:solve_cmd",
             "Solve SCENARIO and write plan.csv, summary.json, report.html and plan.xlsx."),
    "sweep": ("planner.cli.research:sweep_cmd",
             "Solve SCENARIO over a grid of one or two policy parameters."),
    "validate": ("planner.cli.inputs:validate_cmd",
             "Check SCENARIO (and its policy) for input problems, without solving."),
}
"""Command name -> (where it is defined, the first sentence of its help)."""


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a Ctrl-C that no command caught (one that came between the start-up
        handler's end and the command's own, or in a command that needs none) is a line and
        exit 130, not click's "Aborted!" and exit 1, which here means "proven infeasible"."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(f"interrupted: planner {ctx.invoked_subcommand} stopped", err=True)
            sys.exit(130)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing from :data:`COMMANDS`, without importing a single command."""
        with formatter.section("Commands"):
            names = self.list_commands(ctx)
            limit = formatter.width - 6 - max(map(len, names))
            formatter.write_dl([(name, click.Command(name, help=COMMANDS[name][1])
                                 .get_short_help_str(limit)) for name in names])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rotation-planner")
def main() -> None:
    """Plan the rotation of leaders across posts under policy rules (CP-SAT)."""
    command_starts()  # the command is imported and about to run: it handles Ctrl-C itself
