"""Importing denominators. Each import is all-or-nothing and audited."""

from django.db import connection, transaction
from django.utils import timezone

from ncmd.registry.audit import record
from ncmd.registry.reference import read_reference

from . import ons, synthetic
from .models import (
    DenominatorDataset,
    DenominatorKind,
    LiveBirths,
    PopulationEstimate,
)
from .years import year_of


class DenominatorRefused(Exception):
    pass


@transaction.atomic
def import_denominators(*, kind, data, name, source, by, synthetic=False, at=None):
    """Read a population or births CSV (bytes or text) in an ONS layout and store it as a new
    dataset. Raises `ons.DenominatorFileError` listing every bad row; nothing is stored then."""
    parsed = ons.parse(kind, data)
    return _store(parsed, name=name, source=source, by=by, synthetic=synthetic, at=at)


@transaction.atomic
def create_synthetic_denominators(*, years, by, at=None):
    """The demonstration's synthetic population (mid-years `years`) and births (financial years
    starting in `years`): two datasets, flagged synthetic."""
    years = sorted(set(years))
    if not years:
        raise DenominatorRefused("Give at least one year for the synthetic denominators.")
    made, reference = [], read_reference()
    for kind, rows in (("population", synthetic.population_rows(years, reference)),
                       ("births", synthetic.births_rows(years, reference))):  # fmt: skip
        parsed = ons.Parsed(kind, rows, years)
        made.append(_store(parsed, name=synthetic.NAME, source=synthetic.SOURCE, by=by,
                           synthetic=True, at=at))  # fmt: skip
    return tuple(made)


def ensure_demo_denominators(*, as_of, years, by=None):
    """Create the synthetic denominators for the demonstration's data set unless a population
    and a births dataset already cover its years. Returns the datasets created (none if there
    were some already)."""
    last = int(year_of(as_of)[:4])
    wanted = list(range(last - years, last + 1))
    have = {
        kind: {y for d in DenominatorDataset.objects.filter(kind=kind) for y in d.years}
        for kind in DenominatorKind.values
    }  # fmt: skip
    if all(set(wanted) <= have[kind] for kind in DenominatorKind.values):
        return ()
    return create_synthetic_denominators(years=wanted, by=by)


def _store(parsed, *, name, source, by, synthetic, at):
    name, source = str(name or "").strip(), str(source or "").strip()
    if not name:
        raise DenominatorRefused("Give the dataset a name, for example 'ONS mid-2023 estimates'.")
    if not source:
        raise DenominatorRefused("Say where the figures come from (the file or publication).")
    at = at or timezone.now()
    dataset = DenominatorDataset.objects.create(
        kind=parsed.kind, name=name, source=source, synthetic=bool(synthetic),
        content_hash=parsed.content_hash, row_count=len(parsed.rows), years=parsed.years,
        imported_at=at, imported_by=getattr(by, "username", "") or "system",
    )  # fmt: skip
    model = PopulationEstimate if parsed.kind == DenominatorKind.POPULATION else LiveBirths
    _insert(model, dataset, parsed.rows)
    record(
        "import_denominators",
        by=by,
        obj=dataset,
        at=at,
        detail={"kind": parsed.kind, "name": name, "source": source, "synthetic": bool(synthetic),
                "rows": len(parsed.rows), "years": parsed.years, "skipped_adult_rows":
                parsed.skipped, "content_hash": parsed.content_hash},
    )  # fmt: skip
    return dataset


def _insert(model, dataset, rows):
    """Insert the rows with one parameterised statement per batch: a national file has hundreds
    of thousands of rows, and building a model instance for each is the slow part."""
    if not rows:
        return
    names = list(rows[0])
    columns = ["dataset_id", *names]
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES "
           f"({', '.join(['%s'] * len(columns))})")  # fmt: skip
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, [(dataset.pk, *(row[n] for n in names))
                                     for row in rows[start:start + 10_000]])  # fmt: skip


def latest_dataset(kind):
    """The most recently imported dataset of a kind, or None."""
    return DenominatorDataset.objects.filter(kind=kind).first()
