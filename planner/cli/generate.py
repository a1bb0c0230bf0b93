"""`planner generate`: write a national scenario of Vietnam's real administrative units."""

from __future__ import annotations

import sys
import time

import click

from planner.generate import STRUCTURES, DataPackageError, generate, write_scenario
from planner.generate.horizon import check_periods
from planner.generate.national import TERM_START
from planner.generate.transition import check_transition_periods


def _periods(ctx: click.Context, param: click.Parameter, value: str | None) -> list[int] | None:
    """`--periods 2026,2031,2036` as a list of years (a usage error, exit 2, for anything else)."""
    if value is None:
        return None
    try:
        years = [int(y) for y in value.split(",")]
        check_periods(years)
    except ValueError as exc:
        raise click.BadParameter(f"expected strictly increasing years separated by commas, "
                                 f"e.g. 2026,2031,2036 ({exc})") from exc
    return years


@click.command("generate")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--structure", type=click.Choice(STRUCTURES), default="legacy", show_default=True,
              help="legacy: 63 provinces, districts, communes; 2025: 34 provinces, communes; "
                   "transition: the 2025 reorganisation, legacy posts closed and their "
                   "incumbents to re-place on the 2025 structure's posts.")
@click.option("--fraction", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
              help="Share of the provinces to keep (a seeded sample), for smaller scenarios.")
@click.option("--officers-per-post", type=click.FloatRange(min=1), default=2.0, show_default=True,
              help="Size of the officer pool against the number of posts.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--periods", callback=_periods, metavar="YEAR,YEAR,...",
              help="Plan several terms (a horizon): the periods' years, the first the term start; "
                   "officers get retirement years, incumbents the year they took their post, "
                   "and newcomers join in later periods.")
@click.option("--careers", is_flag=True,
              help="Add careers (docs/careers.md): post and officer grades, succession pools "
                   "(planned_for), ranked preferences near home, and OUTDIR/policy-careers.yaml: "
                   "the national policy with career_step, continuity and no_envy.")
@click.option("--countries", type=click.IntRange(min=1), default=1, show_default=True,
              help="Put N countries side by side in one scenario, each with its own officers "
                   "(copy k > 1 drawn with the seed 'SEED-Ck', its ids prefixed Ck-), to "
                   "measure how cost grows past one country.")
def generate_cmd(outdir: str, structure: str, fraction: float, officers_per_post: float,
                 seed: int, periods: list[int] | None, careers: bool, countries: int) -> None:
    """Write a national scenario of Vietnam's real administrative units into OUTDIR.

    Units and coordinates come from the vietnamadminunits package (install the extra:
    pip install 'rotation-planner[geo]'); officers are synthetic, drawn from the published
    national distributions; the national policy goes to OUTDIR/policy.yaml. Without --periods
    the scenario is one term starting in 2026; with it, a horizon (docs/horizon.md).
    --structure transition writes the 2025 reorganisation: the legacy posts closed, their
    incumbents to re-place on the 2025 structure's posts (its first period 2026-2030).
    --careers adds grades, succession pools and ranked preferences, and the careers policy in
    OUTDIR/policy-careers.yaml (solve with --policy OUTDIR/policy-careers.yaml); without it the
    files are the same as before careers existed.
    """
    if structure == "transition":
        try:
            check_transition_periods(periods, TERM_START)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--periods") from exc
    tick = time.perf_counter()
    try:
        gen = generate(structure, fraction, officers_per_post, seed, periods, careers, countries)
    except DataPackageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    written = write_scenario(gen, outdir)
    n = gen.counts()
    click.echo(f"{written['scenario.yaml']}: {gen.name}")
    click.echo(f"  units       {n['units']} ({n['provinces']} provinces, {n['districts']} districts, "
               f"{n['communes']} communes, {n['ministry_units']} ministry)")
    click.echo(f"  posts       {n['posts']}")
    if gen.meta["structure"] == "transition":
        m = gen.meta
        click.echo(f"  legacy      {m['legacy_provinces']} provinces, {m['legacy_districts']} districts, "
                   f"{m['legacy_communes']} communes: {m['closed_posts']} posts closed, "
                   f"{m['incumbents_to_replace']} incumbents to re-place")
    click.echo(f"  candidates  {n['candidates']} ({n['incumbents']} incumbents)")
    click.echo(f"  relations   {n['relations']}")
    if gen.periods:
        click.echo(f"  periods     {', '.join(map(str, gen.periods))} ({n['joining']} joining, "
                   f"{n['leaving']} leaving within the horizon)")
    click.echo(f"  policy      {written['policy.yaml']} ({len(gen.policy['rules'])} rules)")
    if gen.careers_policy is not None:
        planned = sum(1 for c in gen.candidates if c["planned_for"])
        click.echo(f"  careers     {written['policy-careers.yaml']} "
                   f"({len(gen.careers_policy['rules'])} rules); {planned} officers planned "
                   f"for a post, {sum(1 for c in gen.candidates if c['preferences'])} with "
                   "ranked preferences")
    click.echo(f"  written     {', '.join(sorted(written))} in {time.perf_counter() - tick:.1f}s")
