"""What a rule states for the LP and the Lagrangian bound: its constraints as sparse rows.

A rule's :meth:`~planner.rules.base.Rule.lp_rows` returns one :class:`Rows`; the model stacks
every rule's rows (planner/model/lagrangian.py). The type lives with the rules because it is
part of their interface; it needs nothing but numpy and scipy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp


@dataclass
class Rows:
    """One rule's constraints `a @ x + b @ z >= lo` (see the module docstring)."""

    a: sp.csr_matrix
    lo: np.ndarray
    b: sp.csr_matrix | None = None
    """Coefficients of the rule's auxiliaries (None: it has none)."""
    d: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Objective worth of one unit of each auxiliary (e.g. minus a soft rule's weight)."""
    ub: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def n_aux(self) -> int:
        return 0 if self.b is None else self.b.shape[1]

    @staticmethod
    def stack(parts: list[Rows]) -> Rows:
        """Several sets of rows as one (each keeps its own auxiliaries)."""
        a = sp.vstack([p.a for p in parts], format="csr")
        blocks = [p.b if p.b is not None else sp.csr_matrix((p.a.shape[0], 0), dtype=np.int64)
                  for p in parts]
        b = sp.block_diag(blocks, format="csr", dtype=np.int64) if any(p.n_aux for p in parts) \
            else None
        return Rows(a, np.concatenate([p.lo for p in parts]).astype(np.int64), b,
                    np.concatenate([p.d for p in parts]).astype(np.int64),
                    np.concatenate([p.ub for p in parts]).astype(np.int64))


def rows_of(pairs_per_row: list[np.ndarray], coefs_per_row: list[np.ndarray],
            n_pairs: int) -> sp.csr_matrix:
    """A sparse row matrix from each row's table indices and coefficients."""
    if not pairs_per_row:
        return sp.csr_matrix((0, n_pairs), dtype=np.int64)
    sizes = [len(p) for p in pairs_per_row]
    rows = np.repeat(np.arange(len(sizes)), sizes)
    return sp.csr_matrix((np.concatenate(coefs_per_row).astype(np.int64),
                          (rows, np.concatenate(pairs_per_row).astype(np.int64))),
                         shape=(len(sizes), n_pairs))
