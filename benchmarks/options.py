"""The options of the benchmarks that solve one generated national instance (horizon.py,
fairness.py, pins.py, neighbourhood.py): which instance, how long, how many workers; and how
they print their table."""

from __future__ import annotations

import argparse
import resource


def instance_options(doc: str, seed: int) -> argparse.Namespace:
    """--fraction, --seed (default `seed`), --time-limit and --workers, parsed from the command
    line; `doc` is the script's docstring, whose first line describes it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def print_peak() -> None:
    """The process's peak resident memory so far, the last line of a benchmark's output."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"\npeak resident memory of the process: {peak:.2f} GiB")


def table_head(columns: list[str]) -> str:
    """The head of a Markdown table (a blank line, the names, the rule)."""
    return "\n| " + " | ".join(columns) + " |\n" + "|---" * len(columns) + "|"


def print_table(columns: list[str], rows: list[str]) -> None:
    """A Markdown table of `rows` (already `| a | b |` lines) under `columns`, then the peak."""
    print(table_head(columns))
    print("\n".join(rows))
    print_peak()
