"""`planner generate`: write a national scenario of Vietnam's real administrative units."""

from __future__ import annotations

import sys
import time

import click

from planner.generate import STRUCTURES, DataPackageError, generate, write_scenario


@click.command("generate")
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--structure", type=click.Choice(STRUCTURES), default="legacy", show_default=True,
              help="legacy: 63 provinces, districts, communes; 2025: 34 provinces, communes.")
@click.option("--fraction", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
              help="Share of the provinces to keep (a seeded sample), for smaller scenarios.")
@click.option("--officers-per-post", type=click.FloatRange(min=1), default=2.0, show_default=True,
              help="Size of the officer pool against the number of posts.")
@click.option("--seed", type=int, default=0, show_default=True)
def generate_cmd(outdir: str, structure: str, fraction: float, officers_per_post: float,
                 seed: int) -> None:
    """Write a national scenario of Vietnam's real administrative units into OUTDIR.

    Units and coordinates come from the vietnamadminunits package (install the extra:
    pip install 'rotation-planner[geo]'); officers are synthetic, drawn from the published
    national distributions; the national policy goes to OUTDIR/policy.yaml.
    """
    tick = time.perf_counter()
    try:
        gen = generate(structure, fraction, officers_per_post, seed)
    except DataPackageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    written = write_scenario(gen, outdir)
    n = gen.counts()
    click.echo(f"{written['scenario.yaml']}: {gen.name}")
    click.echo(f"  units       {n['units']} ({n['provinces']} provinces, {n['districts']} districts, "
               f"{n['communes']} communes, {n['ministry_units']} ministry)")
    click.echo(f"  posts       {n['posts']}")
    click.echo(f"  candidates  {n['candidates']} ({n['incumbents']} incumbents)")
    click.echo(f"  relations   {n['relations']}")
    click.echo(f"  policy      {written['policy.yaml']} ({len(gen.policy['rules'])} rules)")
    click.echo(f"  written     {', '.join(sorted(written))} in {time.perf_counter() - tick:.1f}s")
