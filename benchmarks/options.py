"""The options of the benchmarks that solve one generated national instance (horizon.py,
fairness.py): which instance, how long, how many workers."""

from __future__ import annotations

import argparse


def instance_options(doc: str, seed: int) -> argparse.Namespace:
    """--fraction, --seed (default `seed`), --time-limit and --workers, parsed from the command
    line; `doc` is the script's docstring, whose first line describes it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()
