"""Charts are drawn once per process for the same published cells, and the cache never changes
what is drawn: the same bytes from cold and from the cache, a new chart when a cell changes."""

from dataclasses import replace

from ncmd.analysis.tables import TOTAL
from ncmd.publishing import charts
from ncmd.publishing.charts import _chart_svg, clear_chart_cache, table_svg
from ncmd.publishing.disclosure import protect_tables
from ncmd.stats import DisclosureRule
from tests.publishing_fakes import national_tables

RULE = DisclosureRule(1, 7, 5)


def _drawable():
    return next(p for p in protect_tables(national_tables("2024-25"), RULE) if table_svg(p))


def test_a_chart_drawn_again_gives_the_same_bytes_from_the_cache_and_from_cold():
    protected = _drawable()
    clear_chart_cache()
    cold = table_svg(protected)
    assert _chart_svg.cache_info().misses == 1
    warm = table_svg(protected)
    assert _chart_svg.cache_info().hits == 1
    assert warm == cold
    clear_chart_cache()
    assert table_svg(protected) == cold
    assert cold.startswith("<svg") and "<title>" in cold and "<desc>" in cold


def test_a_changed_cell_or_title_draws_a_new_chart():
    protected = _drawable()
    clear_chart_cache()
    before = table_svg(protected)
    keys = [c.key for c in protected.columns]
    first = keys.index(protected.table.dimensions[0].key)
    measure, points = charts.chart_points(protected)
    at = keys.index(measure.key)
    row = next(i for i, r in enumerate(protected.rows) if r[first] != TOTAL and r[at] is not None)
    changed_row = list(protected.rows[row])
    changed_row[at] = (changed_row[at] or 0) + 1
    rows = [*protected.rows[:row], tuple(changed_row), *protected.rows[row + 1 :]]
    changed = table_svg(replace(protected, rows=rows))
    assert changed != before
    renamed = replace(protected, table=replace(protected.table, title="Another title"))
    assert "Another title" in table_svg(renamed)
    assert table_svg(protected) == before
