"""Statistical disclosure control for published counts: suppression, rounding, and a proof.

The common NHS rule, which NCMD's own unpublished rule is assumed to resemble, is configurable
through ``DisclosureRule``: counts from 1 to 7 are suppressed (primary suppression), other
counts are rounded to the nearest 5, and further cells are suppressed (secondary suppression) so
that no suppressed count can be worked out from the totals that are published beside it.

A table is given as its interior counts (1-D or 2-D); its margins (row and column totals and
the grand total) are added here and published too. The result is the full table with margins:
for a 2-D table of r × c counts, an (r + 1) × (c + 1) array whose last row and column hold the
totals.

"Recoverable" is checked exactly, not by rule of thumb: each published figure is a sum of
underlying cells, and a suppressed figure can be worked out by adding and subtracting
published figures exactly when its row of the incidence matrix lies in the span of the
published rows. ``find_recoverable`` checks that for any set of published tables that share
cells, and reports the combination of published figures that recovers each exposed figure.
"""

from dataclasses import dataclass

import numpy as np
from scipy.linalg import lstsq, null_space

from ._checks import as_counts

_TOLERANCE = 1e-8


@dataclass(frozen=True)
class DisclosureRule:
    suppress_from: int = 1  # smallest count to suppress (0 is usually safe to publish)
    suppress_to: int = 7  # largest count to suppress
    rounding_base: int = 5  # publish other counts rounded to a multiple of this (1: no rounding)

    def __post_init__(self):
        if self.suppress_from > self.suppress_to or self.suppress_from < 0:
            raise ValueError("DisclosureRule: need 0 <= suppress_from <= suppress_to.")
        if self.rounding_base < 1:
            raise ValueError("DisclosureRule: rounding_base must be 1 or more.")


@dataclass(frozen=True)
class ProtectedTable:
    """A table with margins, ready to publish: show ``rounded`` except where ``suppressed``."""

    counts: np.ndarray  # true counts with margins
    rounded: np.ndarray  # every figure rounded to the rule's base
    suppressed: np.ndarray  # primary or secondary suppression
    primary: np.ndarray  # suppressed because the count itself is small

    def as_text(self, symbol="*"):
        """Figures as strings, with ``symbol`` for suppressed ones."""
        text = self.rounded.astype(int).astype(str).astype(object)
        text[self.suppressed] = symbol
        return text


@dataclass(frozen=True)
class Recovery:
    """A suppressed figure that can be worked out, and how: sum of weight × published figure."""

    table: int
    position: tuple
    derivation: tuple  # ((table, position, weight), ...)


def with_margins(counts):
    """Append totals: a 1-D table gains its total, a 2-D table its row, column and grand totals."""
    counts = np.asarray(counts, dtype=float)
    if counts.ndim == 1:
        return np.append(counts, counts.sum())
    full = np.zeros((counts.shape[0] + 1, counts.shape[1] + 1))
    full[:-1, :-1] = counts
    full[:-1, -1] = counts.sum(axis=1)
    full[-1, :-1] = counts.sum(axis=0)
    full[-1, -1] = counts.sum()
    return full


def round_to_base(values, base=5):
    """Round half up to a multiple of ``base`` (so 2.5 → 5 with base 5; 15 → 20 with base 10)."""
    return np.floor(np.asarray(values, dtype=float) / base + 0.5) * base


def _incidence(shape, atoms=None):
    """Figures × atoms: which underlying cells each figure of a table (with margins) sums."""
    if atoms is None:
        n = int(np.prod(shape))
        atoms = np.eye(n, dtype=float).reshape(*shape, n)
    atoms = np.asarray(atoms, dtype=float)
    if atoms.ndim == 2:  # 1-D table: cells × atoms
        return np.vstack([atoms, atoms.sum(0)])
    rows, cols, n = atoms.shape
    full = np.zeros((rows + 1, cols + 1, n))
    full[:-1, :-1] = atoms
    full[:-1, -1] = atoms.sum(1)
    full[-1, :-1] = atoms.sum(0)
    full[-1, -1] = atoms.sum((0, 1))
    return full.reshape(-1, n)


def _recoverable_rows(incidence, suppressed):
    """Indices of suppressed figures whose value follows from the published ones."""
    published = incidence[~suppressed]
    basis = null_space(published) if published.size else np.eye(incidence.shape[1])
    exposure = np.abs(incidence[suppressed] @ basis).max(axis=1, initial=0.0)
    return np.flatnonzero(suppressed)[exposure < _TOLERANCE]


def find_recoverable(tables):
    """Check published tables together; return every suppressed figure that can be recovered.

    ``tables`` is a list of ``(suppressed, atoms)`` pairs. ``suppressed`` is the boolean mask of
    a table with margins (as ``ProtectedTable.suppressed``). ``atoms`` is None for a table that
    shares no cells with the others, or a 0/1 array of shape interior-cells × n_atoms saying
    which underlying cells (shared across tables) each interior cell counts. An empty list is a
    proof that no suppressed figure can be worked out by adding and subtracting published ones.
    """
    blocks, masks, owners = [], [], []
    for number, (suppressed, atoms) in enumerate(tables):
        suppressed = np.asarray(suppressed, dtype=bool)
        interior = tuple(s - 1 for s in suppressed.shape)
        blocks.append(_incidence(interior, atoms))
        masks.append(suppressed.ravel())
        owners += [(number, np.unravel_index(i, suppressed.shape)) for i in range(suppressed.size)]
    widths = {b.shape[1] for b in blocks}
    if len(widths) > 1 and any(a is None for _, a in tables):
        raise ValueError("tables: give atoms for every table when tables share cells.")
    if len(widths) > 1:
        raise ValueError("tables: every atoms array must use the same number of atoms.")
    incidence, suppressed = np.vstack(blocks), np.concatenate(masks)
    published = np.flatnonzero(~suppressed)
    found = []
    for row in _recoverable_rows(incidence, suppressed):
        weights = lstsq(incidence[published].T, incidence[row])[0]
        steps = tuple(
            (
                owners[published[i]][0],
                tuple(int(p) for p in owners[published[i]][1]),
                round(float(w), 6),
            )
            for i, w in enumerate(weights)
            if abs(w) > 1e-9
        )
        table, position = owners[row]
        found.append(Recovery(table, tuple(int(p) for p in position), steps))
    return found


def _lines(shape):
    """Index sets of the figures bound by one additive constraint (a row or column with total)."""
    if len(shape) == 1:
        return [np.arange(shape[0])]
    grid = np.arange(shape[0] * shape[1]).reshape(shape)
    return [grid[i, :] for i in range(shape[0])] + [grid[:, j] for j in range(shape[1])]


def _complement(line, suppressed, counts, is_margin):
    """The figure to suppress next in ``line``: interior before totals, smallest non-zero first."""
    free = line[~suppressed[line]]
    if free.size == 0:
        return None
    key = np.lexsort((counts[free], counts[free] == 0, is_margin[free]))
    return free[key[0]]


def protect_table(counts, rule=DisclosureRule()):
    """Suppress, secondarily suppress and round a 1-D or 2-D table of counts (see module doc)."""
    counts = as_counts("counts", counts, integer=True)
    if counts.ndim not in (1, 2):
        raise ValueError("counts must be a one-way (1-D) or two-way (2-D) table.")
    full = with_margins(counts)
    flat = full.ravel()
    primary = (flat >= rule.suppress_from) & (flat <= rule.suppress_to)
    suppressed = primary.copy()
    is_margin = np.zeros(full.shape, dtype=bool)
    is_margin[..., -1] = True
    if full.ndim == 2:
        is_margin[-1, :] = True
    is_margin = is_margin.ravel()
    lines = _lines(full.shape)
    incidence = _incidence(counts.shape)
    while True:
        changed = True
        while changed:  # close every line left with a single suppressed figure
            changed = False
            for line in lines:
                if suppressed[line].sum() == 1:
                    extra = _complement(line, suppressed, flat, is_margin)
                    if extra is not None:
                        suppressed[extra] = changed = True
        exposed = _recoverable_rows(incidence, suppressed)
        if exposed.size == 0:
            break
        # A suppressed figure bridging two closed patterns: widen a line through it.
        for line in (ln for ln in lines if exposed[0] in ln):
            extra = _complement(line, suppressed, flat, is_margin)
            if extra is not None:
                suppressed[extra] = True
                break
    return ProtectedTable(
        counts=full,
        rounded=round_to_base(full, rule.rounding_base),
        suppressed=suppressed.reshape(full.shape),
        primary=primary.reshape(full.shape),
    )
