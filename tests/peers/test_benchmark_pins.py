"""benchmarks/pins.py runs end to end on a small generated instance: the pinned scenario is
solved both ways, both plans verified, and the narrowed one models far fewer pairs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_pins_benchmark_prints_its_three_rows():
    run = subprocess.run([sys.executable, "-m", "benchmarks.pins", "--fraction", "0.05",
                          "--seed", "2", "--time-limit", "20", "--workers", "1"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")
            for line in run.stdout.splitlines() if line.startswith("| ") and "---" not in line}
    assert set(rows) == {"run", "no pins", "narrowed", "pins as rows"}
    pairs = {name: int(cells[2].replace(",", "")) for name, cells in rows.items() if name != "run"}
    pins = int(rows["narrowed"][1].replace(",", ""))
    assert pins > 0 and pins == int(rows["pins as rows"][1].replace(",", ""))
    assert pairs["pins as rows"] == pairs["no pins"] > 4 * pairs["narrowed"]
    assert all(rows[name][5] in ("feasible", "optimal") for name in pairs)
