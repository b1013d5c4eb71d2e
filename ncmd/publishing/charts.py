"""A chart for a published table: its main measure by its first dimension, drawn as SVG with
matplotlib from the *published* cells, so a chart never shows a figure the table withholds.

Deterministic: a fixed hash salt for SVG ids, no date in the metadata, fonts as text.

Fast enough for a report of many charts: figures are made with `matplotlib.figure.Figure` and
its SVG canvas directly (no pyplot figure manager to create and close), and a chart is drawn once
per process for the same published cells: the annual report, the release that follows it and
the public pages ask for the same charts, and get the same bytes from a bounded cache keyed by
everything the chart shows (title, measure, dimension and every point)."""

import io
from functools import lru_cache
from html import escape

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from ncmd.analysis.tables import TOTAL, Kind

from .formatting import cell_text

BLUE, DARK, GREY = "#005eb8", "#212b32", "#768692"
_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "ncmd-publishing",
    "svg.fonttype": "none",
}


def _measures(table):
    """The columns worth drawing, best first: rates, then proportions, then counts."""
    return [
        c
        for kind in (Kind.RATE, Kind.PROPORTION, Kind.COUNT)
        for c in table.columns
        if c.kind is kind
    ]


def _interval(table, measure):
    lower = next((c for c in table.columns if c.kind is Kind.LOWER and c.of == measure.key), None)
    upper = next((c for c in table.columns if c.kind is Kind.UPPER and c.of == measure.key), None)
    return lower, upper


def _number(value):
    return None if value is None or isinstance(value, str) else float(value)


def chart_points(protected):
    """(measure, [(label, value, lower, upper)]) for each category of the first dimension, the
    other dimensions at their total, withheld values as None; for the first measure with at
    least two published values. None when the table has nothing to draw."""
    table = protected.table
    dimensions = table.dimensions
    if not dimensions:
        return None
    keys = [c.key for c in protected.columns]
    first = keys.index(dimensions[0].key)
    others = [keys.index(d.key) for d in dimensions[1:]]
    rows = [
        row
        for row in protected.rows
        if row[first] != TOTAL and all(row[i] == TOTAL for i in others)
    ]
    for measure in _measures(table):
        lower, upper = _interval(table, measure)
        points = []
        for row in rows:
            number = _number(row[keys.index(measure.key)])
            low = _number(row[keys.index(lower.key)]) if lower and number is not None else None
            high = _number(row[keys.index(upper.key)]) if upper and number is not None else None
            points.append((str(row[first]), number, low, high))
        if len(points) >= 2 and sum(p[1] is not None for p in points) >= 2:
            return measure, points
    return None


def table_svg(protected):
    """An accessible SVG bar chart of the table, or "" when it has nothing to draw."""
    found = chart_points(protected)
    if found is None:
        return ""
    measure, points = found
    dimension = protected.table.dimensions[0]
    # repr() of the points keeps apart values that compare equal but print differently (-0.0).
    return _chart_svg(protected.table.title, measure, dimension.label, repr(points), tuple(points))


def clear_chart_cache():
    """Forget the charts drawn so far (the benchmark times drawing from cold with this)."""
    _chart_svg.cache_clear()


@lru_cache(maxsize=512)
def _chart_svg(table_title, measure, dimension_label, points_key, points):
    """The SVG of one chart; `points_key` (the repr of `points`) is part of the cache key."""
    with rc_context(_STYLE):
        figure = Figure(figsize=(6.4, 0.3 * len(points) + 1.2))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        labels = [p[0] for p in points][::-1]
        values = [p[1] or 0.0 for p in points][::-1]
        axes.barh(
            labels, values, color=[BLUE if p[1] is not None else "white" for p in points][::-1]
        )
        errors = [
            (i, p) for i, p in enumerate(points[::-1]) if p[2] is not None and p[3] is not None
        ]
        if errors:
            axes.errorbar(
                [p[1] for _, p in errors],
                [i for i, _ in errors],
                xerr=[[p[1] - p[2] for _, p in errors], [p[3] - p[1] for _, p in errors]],
                fmt="none",
                ecolor=DARK,
                elinewidth=1,
                capsize=2,
            )
        unit = f" ({measure.unit})" if measure.unit else ""
        axes.set_xlabel(f"{measure.label}{unit}")
        axes.set_ylabel(dimension_label)
        axes.spines[["top", "right"]].set_visible(False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    shown = "; ".join(
        f"{label}: {cell_text(measure, value) if value is not None else 'withheld'}"
        for label, value, _, _ in points
    )
    title = f"{table_title}: {measure.label.lower()} by {dimension_label.lower()}"
    description = f"Bar chart of {measure.label.lower()}{unit} by {dimension_label.lower()}. "
    description += shown + "."
    if errors:
        description += " Lines show 95% confidence intervals."
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    head, rest = svg.split(">", 1)
    return (
        f'{head} role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>{rest}"
    )
