"""Release files: formula-safe CSV, a workbook with the notes first, and the same bytes for the
same tables."""

import io
from dataclasses import replace

import openpyxl

from ncmd.analysis.tables import TOTAL, Column, Kind, Table
from ncmd.publishing.disclosure import protect_tables
from ncmd.publishing.files import (
    ReleaseFacts,
    notes_csv,
    published_tables,
    table_csv,
    tables_json,
    workbook_bytes,
)
from ncmd.stats import DisclosureRule
from tests.publishing_fakes import national_tables

RULE = DisclosureRule(1, 7, 5)
FACTS = ReleaseFacts(
    release_id="NCMD-2024-25-01",
    title="Child deaths, 2024-25",
    year="2024-25",
    snapshot_hash="ab" * 32,
    frozen_at="2026-11-27T10:00:00+00:00",
    rule=RULE,
    denominator_name="Synthetic",
    denominator_synthetic=True,
)


def protected():
    return protect_tables(national_tables("2024-25"), RULE)


def test_csv_is_formula_safe_and_shows_symbols():
    table = Table(
        "t",
        "T",
        "d",
        (
            Column("region", "Region", Kind.DIMENSION, geographic=True),
            Column("deaths", "Deaths", Kind.COUNT),
        ),
        (("=HYPERLINK(1)", 3), ("B", 40), ("C", 50), (TOTAL, 93)),
    )
    text = table_csv(protect_tables([table], RULE)[0]).decode()
    assert text.splitlines() == ["Region,Deaths", "'=HYPERLINK(1),[c]", "B,[c]", "C,50", "Total,93"]


def test_the_workbook_has_notes_first_and_a_sheet_per_table():
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(FACTS, protected())))
    assert book.sheetnames[0] == "Notes"
    assert book.sheetnames[1:] == [
        "T1 deaths-by-age-band",
        "T2 deaths-by-region",
        "T3 deaths-by-region-and-sex",
        "T4 modifiable-by-category",
    ]
    notes = {row[0]: row[1] for row in book["Notes"].iter_rows(min_row=4, values_only=True)}
    assert notes["Release identifier"] == "NCMD-2024-25-01"
    assert notes["Snapshot content hash (SHA-256)"] == "ab" * 32
    assert "from 1 to 7 are suppressed" in notes["Disclosure control"]
    assert "synthetic" in notes["Warning"]
    assert notes["Symbol [c]"].startswith("confidential") and "Symbol [z]" in notes
    region = list(book["T2 deaths-by-region"].iter_rows(min_row=5, values_only=True))
    assert region[0][:2] == ("Isles", "[c]") and region[1][1] == 45
    assert book.properties.modified.isoformat() == "2026-11-27T10:00:00"


def test_the_same_tables_give_the_same_bytes():
    first = (
        workbook_bytes(FACTS, protected()),
        notes_csv(FACTS, protected()),
        tables_json(FACTS, protected()),
        [table_csv(p) for p in protected()],
    )
    again = (
        workbook_bytes(FACTS, protected()),
        notes_csv(FACTS, protected()),
        tables_json(FACTS, protected()),
        [table_csv(p) for p in protected()],
    )
    assert first == again
    other = workbook_bytes(replace(FACTS, release_id="NCMD-2024-25-02"), protected())
    assert other != first[0]


def test_tables_json_gives_back_the_published_cells():
    again = published_tables(tables_json(FACTS, protected()))
    assert [p.id for p in again] == [p.id for p in protected()]
    region = again[1]
    assert region.rows[0][:2] == ("Isles", "[c]")
    assert (0, "deaths") in region.withheld
