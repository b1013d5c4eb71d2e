"""The one shape every analysis returns: a titled table of labelled columns.

Analyses (`ncmd.analysis`) produce `Table`s; the annual report, the CDOP report packs, the data
releases and the public pages (`ncmd.publishing`) consume them. Nothing here imports Django, so a
table can be built and checked in a unit test by hand.

A table is long-form: each row is one combination of its dimension values, followed by its
measures. The row whose dimension values are all `TOTAL` is the table's total; rows with some
dimensions `TOTAL` are margins. Which columns are counts matters to disclosure control: only
counts are suppressed, and a derived column (a rate, a proportion, an interval) names the count it
is computed from in `of`, so that it is withheld whenever that count is.
"""

import enum
from dataclasses import dataclass, field

TOTAL = "Total"


class Kind(enum.Enum):
    DIMENSION = "dimension"  # a category: year, age band, sex, region, CDOP ...
    COUNT = "count"  # a count of children or deaths: subject to disclosure control
    DENOMINATOR = "denominator"  # a population or births count: published as given
    RATE = "rate"  # a rate per N (unit says per what)
    PROPORTION = "proportion"  # a share, 0 to 100, with unit "%"
    LOWER = "lower"  # the lower end of an interval of the column named in `of`
    UPPER = "upper"  # the upper end of an interval of the column named in `of`
    STATISTIC = "statistic"  # anything else: a median, a quartile, a ratio


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind
    unit: str = ""  # "per 100,000 children", "%", "days" ...
    of: str | None = None  # the count (or, for LOWER/UPPER, the estimate) this derives from
    geographic: bool = False  # a DIMENSION whose values are regions or CDOPs


@dataclass(frozen=True)
class Table:
    id: str  # a stable slug, unique within a report or release: "deaths-by-age-band"
    title: str
    description: str  # what is counted, in which population and period
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]  # one tuple per row, values in column order; None where not known
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self):
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Table {self.id}: column keys repeat: {keys}")
        for number, row in enumerate(self.rows, 1):
            if len(row) != len(keys):
                raise ValueError(
                    f"Table {self.id}: row {number} has {len(row)} values for {len(keys)} columns."
                )
        for column in self.columns:
            if column.of is not None and column.of not in keys:
                raise ValueError(f"Table {self.id}: column {column.key} derives from {column.of}, "
                                 "which is not a column of the table.")  # fmt: skip

    @property
    def dimensions(self):
        return [c for c in self.columns if c.kind is Kind.DIMENSION]

    @property
    def is_subnational(self):
        """True when some rows describe a region or CDOP rather than the whole country."""
        return any(c.geographic for c in self.dimensions)

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    def values(self, key):
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]
