"""Disclosure control for the tables of an analysis, before anything is published.

The rule (``ncmd.stats.DisclosureRule``, configured in settings) applies to *sub-national*
counts: figures of a table with a geographic dimension (region, CDOP) whose geographic value is
not the England total. Such counts from ``suppress_from`` to ``suppress_to`` are suppressed
(primary suppression); further sub-national figures are suppressed so that none of them can be
worked out from the figures published beside them (secondary suppression, by
``ncmd.stats.protect_table`` and then checked exactly with ``ncmd.stats.find_recoverable``); the
other sub-national counts are rounded to the rule's base. National figures are published as
counted and not suppressed, with one exception: when all of a national count falls in one area,
the national figure would give the area's away, so it is withheld too.

Tables that share cells (a table by region beside one by region and sex of the same deaths,
recognised because every figure of the first is the sum of the matching cells of the second) are
repaired and checked together, so that one cannot be differenced against the other.

A derived column (a rate, a proportion, an interval, a median) names the count it is computed
from in ``Column.of``; it is withheld wherever that count is suppressed, because a rate and its
denominator give the count back. Rates on fewer than 20 events are flagged as of low reliability
(``[u]``), as ONS does for mortality rates.

Nothing here imports Django: a table is protected and checked in a unit test by hand.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from ncmd.analysis.tables import TOTAL, Column, Kind, Table
from ncmd.stats import DisclosureRule, find_recoverable, protect_table
from ncmd.stats.disclosure import round_to_base

# Shorthand of the Government Statistical Service (Analysis Function guidance on symbols in
# tables, 2021): in square brackets, so that a letter is never read as a value.
CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
LOW_RELIABILITY = "[u]"
SYMBOLS = {
    CONFIDENTIAL: "confidential: withheld to protect the children concerned (suppressed count, "
    "or a figure derived from a suppressed count)",
    NOT_AVAILABLE: "not available: the figure could not be computed from the data",
    NOT_APPLICABLE: "not applicable: no figure can exist for this combination",
    LOW_RELIABILITY: "low reliability: a rate based on fewer than 20 deaths",
}
LOW_RELIABILITY_BELOW = 20  # ONS: rates on fewer than 20 deaths are marked as unreliable


class DisclosureError(Exception):
    """The rule cannot protect a table (never expected with real tables; the build stops)."""


@dataclass(frozen=True)
class ProtectedTable:
    """A table as it may be published: `rows` hold numbers, labels or GSS symbols.

    `columns` are the table's own, plus a reliability column after each rate that has a
    low-reliability value. `withheld` lists (row, column key) of every suppressed figure."""

    table: Table
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    withheld: frozenset
    primary: frozenset
    # (count column key, id of a finer table of the release whose cells this column sums):
    # such tables are protected and checked together, so that one cannot be differenced
    # against the other.
    links: tuple = ()

    @property
    def id(self):
        return self.table.id

    @property
    def title(self):
        return self.table.title

    def cells(self, key):
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class _Figures:
    """One count column as figures (rows plus implicit margins) over atoms (interior cells)."""

    values: np.ndarray  # the true count of each figure
    incidence: np.ndarray  # figures × atoms, 0/1
    real: np.ndarray  # True for a row of the table, False for an implicit margin
    national: np.ndarray  # True where the figure is published unprotected
    rows: list  # table row index of each real figure, None for implicit ones
    atom_keys: list  # the dimension values of each atom


def protect(table, rule=None):
    """Protect one table (see the module doc); returns a `ProtectedTable`."""
    return protect_tables([table], rule)[0]


DEFAULT_RULE = DisclosureRule()


def protect_tables(tables, rule=None):
    rule = rule or DEFAULT_RULE
    ids = [t.id for t in tables]
    if len(set(ids)) != len(ids):
        raise DisclosureError(f"Table ids repeat: {sorted(i for i in ids if ids.count(i) > 1)}.")
    states = [_suppress_table(table, rule) for table in tables]
    links = _protect_linked(tables, states)
    return [
        _render(table, *state, links=tuple(links.get(n, ())))
        for n, (table, state) in enumerate(zip(tables, states, strict=True))
    ]


def _suppress_table(table, rule):
    """(withheld, primary, rounded) of one table's count columns, protected on their own."""
    withheld, primary, rounded = set(), set(), {}
    for column in table.columns:
        if column.kind is not Kind.COUNT:
            continue
        values = table.values(column.key)
        if not _geographic(table) or all(v is None for v in values):
            continue
        figures = _figures(table, values)
        suppressed, first = _suppress(figures, rule)
        for index, row in enumerate(figures.rows):
            if row is None:
                continue
            if suppressed[index]:
                withheld.add((row, column.key))
            if first[index]:
                primary.add((row, column.key))
            elif not figures.national[index] and rule.rounding_base > 1:
                rounded[(row, column.key)] = int(
                    round_to_base(figures.values[index], rule.rounding_base)
                )
    return withheld, primary, rounded


def _render(table, withheld, primary, rounded, links=()):
    keys = [c.key for c in table.columns]
    withheld = set(withheld) | _derived_withheld(table, withheld)
    columns, reliability = _with_reliability(table, withheld)
    rows = []
    for r, row in enumerate(table.rows):
        out = []
        for key, value in zip(keys, row, strict=True):
            if (r, key) in withheld:
                out.append(CONFIDENTIAL)
            elif value is None:
                out.append(NOT_AVAILABLE)
            else:
                out.append(rounded.get((r, key), value))
            if key in reliability:
                out.append(LOW_RELIABILITY if r in reliability[key] else "")
        rows.append(tuple(out))
    return ProtectedTable(
        table, columns, tuple(rows), frozenset(withheld), frozenset(primary), tuple(links)
    )


def _dimension_keys(table):
    return [c.key for c in table.dimensions]


def _nested(coarse, fine, key, *, check_values=True):
    """For each row of `coarse`, the interior rows of `fine` it sums, when `coarse`'s count
    column `key` is a margin of `fine`'s: its dimensions a subset, and (unless told not to
    check) every value the sum of the matching cells. None when the tables are not so linked."""
    small, large = _dimension_keys(coarse), _dimension_keys(fine)
    if not _geographic(coarse) or not set(small) < set(large):
        return None
    try:
        if coarse.column(key).kind is not Kind.COUNT or fine.column(key).kind is not Kind.COUNT:
            return None
    except StopIteration:
        return None
    fine_keys = [c.key for c in fine.columns]
    coarse_keys = [c.key for c in coarse.columns]
    fine_values = fine.values(key)
    interior = [
        r for r, row in enumerate(fine.rows)
        if all(row[fine_keys.index(d)] != TOTAL for d in large) and fine_values[r] is not None
    ]  # fmt: skip
    mapping = []
    for r, row in enumerate(coarse.rows):
        value = row[coarse_keys.index(key)]
        wanted = {d: row[coarse_keys.index(d)] for d in small}
        cells = [
            i for i in interior
            if all(w == TOTAL or fine.rows[i][fine_keys.index(d)] == w for d, w in wanted.items())
        ]  # fmt: skip
        if value is None:
            continue
        if check_values and sum(fine_values[i] for i in cells) != value:
            return None
        mapping.append((r, cells))
    return mapping


def _joint_figures(fine, key, coarse_tables):
    """One `_Figures` over the atoms of `fine`: its own figures, then the rows of each coarse
    table as sums of those atoms. `rows` holds (table position, row) or None."""
    values = [0 if v == CONFIDENTIAL else None if isinstance(v, str) else v
              for v in fine.values(key)]  # fmt: skip
    base = _figures(fine, values)
    atom_of = {}
    fine_keys = [c.key for c in fine.columns]
    dims = [fine_keys.index(d) for d in _dimension_keys(fine)]
    for a, atom in enumerate(base.atom_keys):
        atom_of[atom] = a
    blocks, rows, values, national = [base.incidence], [], [], []
    rows += [(None, r) if r is not None else None for r in base.rows]
    for position, coarse, mapping in coarse_tables:
        geo = {c.key for c in coarse.columns if c.kind is Kind.DIMENSION and c.geographic}
        coarse_keys = [c.key for c in coarse.columns]
        for r, cells in mapping:
            line = np.zeros(len(base.atom_keys))
            for i in cells:
                line[atom_of[tuple(fine.rows[i][d] for d in dims)]] = 1
            blocks.append(line[None, :])
            rows.append((position, r))
            values.append(line.sum())
            national.append(all(coarse.rows[r][coarse_keys.index(g)] == TOTAL for g in geo))
    return _Figures(
        values=np.concatenate([base.values, np.asarray(values, dtype=float)]),
        incidence=np.vstack(blocks),
        real=np.concatenate([base.real, np.ones(len(values), dtype=bool)]),
        national=np.concatenate([base.national, np.asarray(national, dtype=bool)]),
        rows=rows,
        atom_keys=base.atom_keys,
    )


def _families(tables, check_values=True):
    """{(fine position, count key): [(coarse position, mapping)]} of linked tables."""
    families = {}
    for f, fine in enumerate(tables):
        for c, coarse in enumerate(tables):
            if c == f:
                continue
            for column in coarse.columns:
                if column.kind is not Kind.COUNT:
                    continue
                mapping = _nested(coarse, fine, column.key, check_values=check_values)
                if mapping:
                    families.setdefault((f, column.key), []).append((c, mapping))
    return families


def _protect_linked(tables, states):
    """Repair the suppression of tables that share cells (a region table beside a region by
    sex table of the same deaths) together; returns {table position: ((key, finer id), ...)}."""
    links = {}
    for (f, key), members in _families(tables).items():
        fine = tables[f]
        joint = _joint_figures(fine, key, [(c, tables[c], m) for c, m in members])
        suppressed = np.array([
            row is not None and (row[1], key) in states[f if row[0] is None else row[0]][0]
            for row in joint.rows
        ])  # fmt: skip
        repaired = _repair(joint, suppressed)
        for index, row in enumerate(joint.rows):
            if row is not None and repaired[index]:
                states[f if row[0] is None else row[0]][0].add((row[1], key))
        for c, _ in members:
            links.setdefault(c, []).append((key, fine.id))
    return links


def _geographic(table):
    return [i for i, c in enumerate(table.columns) if c.kind is Kind.DIMENSION and c.geographic]


def _figures(table, values):
    """The figures of one count column over the atoms (the rows with no TOTAL dimension).

    Margins the table leaves out (a list of regions with no England row) are added as implicit
    figures and treated as published: they can be had from elsewhere, so protection must not
    rely on them being secret."""
    dims = [i for i, c in enumerate(table.columns) if c.kind is Kind.DIMENSION]
    geo = [dims.index(i) for i in _geographic(table)]
    keys = [tuple(row[i] for i in dims) for row in table.rows]
    atom_keys = [
        keys[r] for r in range(len(keys)) if TOTAL not in keys[r] and values[r] is not None
    ]
    atom_value = {
        keys[r]: values[r]
        for r in range(len(keys))
        if TOTAL not in keys[r] and values[r] is not None
    }
    signatures, rows, figure_values, national = [], [], [], []

    def covered(key):
        return frozenset(
            n
            for n, atom in enumerate(atom_keys)
            if all(k in (TOTAL, a) for k, a in zip(key, atom, strict=True))
        )

    for r, key in enumerate(keys):
        if values[r] is None:
            continue
        atoms = covered(key)
        if not atoms:  # a margin published without its interior rows: a cell of its own
            atom_keys.append(key)
            atoms = frozenset({len(atom_keys) - 1})
        signatures.append(atoms)
        rows.append(r)
        figure_values.append(values[r])
        national.append(all(key[g] == TOTAL for g in geo))
    present = set(signatures)
    interior = [k for k in atom_keys if TOTAL not in k]
    for keep in itertools.product((True, False), repeat=len(dims)):
        if all(keep):
            continue
        margins = sorted(
            {tuple(k if f else TOTAL for k, f in zip(key, keep, strict=True)) for key in interior},
            key=repr,
        )
        for margin in margins:
            atoms = covered(margin)
            if not atoms or atoms in present:
                continue
            present.add(atoms)
            signatures.append(atoms)
            rows.append(None)
            figure_values.append(sum(atom_value[atom_keys[a]] for a in atoms))
            national.append(all(margin[g] == TOTAL for g in geo))
    incidence = np.zeros((len(signatures), len(atom_keys)))
    for f, atoms in enumerate(signatures):
        incidence[f, sorted(atoms)] = 1
    return _Figures(
        values=np.asarray(figure_values, dtype=float),
        incidence=incidence,
        real=np.array([r is not None for r in rows], dtype=bool),
        national=np.array(national, dtype=bool),
        rows=rows,
        atom_keys=atom_keys,
    )


def _suppress(figures, rule):
    """Primary suppression, `protect_table`'s secondary suppression where the table is a grid of
    one or two dimensions, then repair until no suppressed figure is recoverable."""
    values, national = figures.values, figures.national
    first = (values >= rule.suppress_from) & (values <= rule.suppress_to) & ~national
    suppressed = first.copy()
    grid = _grid_suppression(figures, rule)
    if grid is not None:
        suppressed |= grid & ~national
    return _repair(figures, suppressed), first


def _grid_suppression(figures, rule):
    """`protect_table` over the interior cells laid out as a grid, mapped back to figures; None
    when the cells do not fill a grid of one or two dimensions (the repair loop then does it)."""
    keys = figures.atom_keys
    if not keys or any(TOTAL in k for k in keys) or len(keys[0]) not in (1, 2):
        return None
    axes = [sorted({k[d] for k in keys}, key=repr) for d in range(len(keys[0]))]
    if len(keys) != int(np.prod([len(a) for a in axes])):
        return None
    single = {
        int(np.flatnonzero(row)[0]): f for f, row in enumerate(figures.incidence) if row.sum() == 1
    }
    if len(single) != len(keys):
        return None
    grid = np.zeros([len(a) for a in axes])
    position = {}
    for atom, key in enumerate(keys):
        index = tuple(axes[d].index(key[d]) for d in range(len(key)))
        grid[index] = figures.values[single[atom]]
        position[index] = atom
    if not np.allclose(grid, np.round(grid)):
        return None
    protected = protect_table(grid.astype(int), rule).suppressed
    signature = {frozenset(np.flatnonzero(row)): f for f, row in enumerate(figures.incidence)}
    suppressed = np.zeros(len(figures.values), dtype=bool)
    for index in np.ndindex(protected.shape):
        if not protected[index]:
            continue
        atoms = frozenset(
            position[cell]
            for cell in position
            if all(
                i == n or i == s - 1 for i, n, s in zip(index, cell, protected.shape, strict=True)
            )
        )
        if atoms in signature:
            suppressed[signature[atoms]] = True
    return suppressed


def _repair(figures, suppressed):
    """Suppress more sub-national figures until none that is suppressed can be recovered."""
    incidence, values = figures.incidence, figures.values
    free_cells = ~figures.national & figures.real
    while True:
        exposed = recoverable(incidence, suppressed)
        if not exposed:
            return suppressed
        target = exposed[0]
        overlap = (incidence @ incidence[target]) > 0
        candidates = np.flatnonzero(overlap & ~suppressed & free_cells)
        if candidates.size == 0:
            candidates = np.flatnonzero(~suppressed & free_cells)
        if candidates.size == 0:
            # Only national figures are left to give the figure away (all of a national count
            # falls in one area): the children come first, so national figures go too.
            candidates = np.flatnonzero(overlap & ~suppressed & figures.real)
        if candidates.size == 0:
            raise DisclosureError(
                "A suppressed figure can be worked out from figures published elsewhere; the "
                "table cannot be published with this rule."
            )
        sizes = incidence[candidates].sum(1)
        order = np.lexsort((values[candidates], values[candidates] == 0, sizes))
        suppressed = suppressed.copy()
        suppressed[candidates[order[0]]] = True


def recoverable(incidence, suppressed):
    """Indices of suppressed figures that published figures give back, by
    `ncmd.stats.find_recoverable` (each figure passed as a one-cell table over shared atoms)."""
    if not suppressed.any():
        return []
    tables = [(np.array([s, s]), incidence[f : f + 1]) for f, s in enumerate(suppressed)]
    return sorted({recovery.table for recovery in find_recoverable(tables)})


def _derived_of(table, column):
    """The count a derived column ultimately comes from (through an interval's estimate)."""
    seen = set()
    while column.of is not None and column.key not in seen:
        seen.add(column.key)
        column = table.column(column.of)
        if column.kind is Kind.COUNT:
            return column.key
    return None


def _derived_withheld(table, withheld):
    extra = set()
    for column in table.columns:
        if column.kind in (Kind.COUNT, Kind.DIMENSION, Kind.DENOMINATOR):
            continue
        source = _derived_of(table, column)
        if source is None:
            continue
        extra |= {(r, column.key) for r, key in withheld if key == source}
    return extra


def _with_reliability(table, withheld):
    """Columns with a reliability column after each rate that has a low-reliability value."""
    columns, flagged = [], {}
    for column in table.columns:
        columns.append(column)
        if column.kind is not Kind.RATE:
            continue
        source = _derived_of(table, column)
        if source is None:
            continue
        counts = table.values(source)
        rates = table.values(column.key)
        rows = {
            r
            for r, (count, rate) in enumerate(zip(counts, rates, strict=True))
            if count is not None
            and rate is not None
            and 0 < count < LOW_RELIABILITY_BELOW
            and (r, column.key) not in withheld
        }
        if rows:
            flagged[column.key] = rows
            columns.append(
                Column(f"{column.key}_reliability", f"{column.label}: reliability", Kind.STATISTIC)
            )
    return tuple(columns), flagged


def check_published(protected_tables):
    """Every suppressed figure of the published tables that can be recovered, as
    (table id, row, column key); an empty list is the proof that none can be."""
    found = []
    for protected in protected_tables:
        table = protected.table
        if not _geographic(table):
            continue
        for column in table.columns:
            if column.kind is not Kind.COUNT:
                continue
            # Only the pattern of suppression matters here, not the values: a published table
            # (from tables.json) holds "[c]" where the build held the count.
            values = [
                0 if v == CONFIDENTIAL else None if isinstance(v, str) else v
                for v in table.values(column.key)
            ]
            if all(v is None for v in values):
                continue
            figures = _figures(table, values)
            suppressed = np.array(
                [
                    row is not None and (row, column.key) in protected.withheld
                    for row in figures.rows
                ]
            )
            for f in recoverable(figures.incidence, suppressed):
                found.append((table.id, figures.rows[f], column.key))
    by_id = {p.id: n for n, p in enumerate(protected_tables)}
    tables = [p.table for p in protected_tables]
    for n, protected in enumerate(protected_tables):
        for key, fine_id in protected.links:
            f = by_id.get(fine_id)
            mapping = None if f is None else _nested(
                protected.table, tables[f], key, check_values=False)  # fmt: skip
            if not mapping:
                continue
            joint = _joint_figures(tables[f], key, [(n, protected.table, mapping)])
            suppressed = np.array([
                row is not None and (row[1], key)
                in protected_tables[f if row[0] is None else row[0]].withheld
                for row in joint.rows
            ])  # fmt: skip
            for index in recoverable(joint.incidence, suppressed):
                row = joint.rows[index]
                found.append((tables[f if row[0] is None else row[0]].id, row[1], key))
    return sorted(set(found), key=repr)


def small_cells(protected_tables, rule):
    """Every published sub-national count from the rule's lower to upper bound, as
    (table id, row, column key): the scan that must find nothing before anything is released."""
    found = []
    for protected in protected_tables:
        geo = [
            i for i, c in enumerate(protected.columns) if c.kind is Kind.DIMENSION and c.geographic
        ]
        if not geo:
            continue
        for r, row in enumerate(protected.rows):
            if all(row[i] == TOTAL for i in geo):
                continue
            for column, value in zip(protected.columns, row, strict=True):
                if (
                    column.kind is Kind.COUNT
                    and not isinstance(value, str)
                    and value is not None
                    and rule.suppress_from <= value <= rule.suppress_to
                ):
                    found.append((protected.id, r, column.key))
    return found
