"""The one-scan counts (GROUPING SETS) give exactly the rows of the one-query-per-table counts,
and the theme flags of `analysis_cases` are there for anyone querying the analysis further."""

from collections import Counter

import pytest

from ncmd.analysis import open_analysis, themes
from ncmd.analysis.national import INFANTS, MODIFIABLE, prefetch


@pytest.mark.parametrize("theme", [None, "sudi", "drowning"])
def test_prefetched_counts_are_the_rows_of_the_separate_queries(analysis, theme):
    prefetch(analysis, "2024-25", theme)
    filled = dict(analysis._memo)
    assert len(filled) >= 20
    for (sql, parameters), rows in filled.items():
        direct = analysis.db.execute(sql, list(parameters)).fetchall()
        assert Counter(rows) == Counter(direct), sql
        assert all(n > 0 for _, _, n in rows)
    assert any(rows for rows in filled.values())


def test_tables_and_headline_are_the_same_with_and_without_the_prefetch(small_registry):  # noqa: F811
    snapshot, _ = small_registry
    with open_analysis(snapshot) as fetched, open_analysis(snapshot) as separate:
        separate.prefetch_counts = lambda *args, **kwargs: None  # one query per table
        for theme in (None, "sudi"):
            assert fetched.national_tables("2024-25", theme) == separate.national_tables(
                "2024-25", theme
            )
        assert fetched.headline("2024-25") == separate.headline("2024-25")
        assert fetched.total(year="2024-25", extra=INFANTS) == separate.total(
            year="2024-25", extra=INFANTS
        )
        assert fetched.total(year="2024-25", basis="review", extra=MODIFIABLE) == (
            separate.total(year="2024-25", basis="review", extra=MODIFIABLE)
        )


def test_an_empty_year_prefetches_no_rows(analysis):
    prefetch(analysis, "2010-11")
    assert analysis._memo and all(rows == [] for rows in analysis._memo.values())
    assert analysis.total(year="2010-11") == 0


def test_analysis_cases_has_a_flag_per_theme(analysis):
    columns = {row[0] for row in analysis.db.execute("DESCRIBE analysis_cases").fetchall()}
    for theme in themes():
        assert f"theme__{theme.name}" in columns
        flagged = analysis.db.execute(
            f'SELECT count(*) FROM analysis_cases WHERE "theme__{theme.name}"'
        ).fetchone()[0]
        expected = analysis.db.execute(
            f"SELECT count(*) FROM cases WHERE duplicate_status IS DISTINCT FROM 'linked' "
            f"AND COALESCE({theme.sql}, FALSE)"
        ).fetchone()[0]
        assert flagged == expected
