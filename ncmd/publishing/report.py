"""Writing the annual report and a CDOP's report pack as one self-contained HTML file (inline
CSS, inline SVG charts), and as PDF where WeasyPrint is installed.

The same snapshot gives the same bytes: the only times in the file are the snapshot's freeze
time; figures have fixed decimals; SVG ids come from a fixed hash salt.
"""

import datetime
from dataclasses import dataclass
from functools import cache

import markdown
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .charts import table_svg
from .disclosure import SYMBOLS, protect_tables
from .files import header, rule_text
from .formatting import cell_text, headline_sentences
from .quality_statement import quality_lines
from .rules import disclosure_rule


class PdfUnavailable(Exception):
    """WeasyPrint is not installed: the HTML is written, the PDF is not."""


@dataclass(frozen=True)
class TableView:
    """A protected table shaped for the template: header texts and rows of cell texts."""

    id: str
    title: str
    description: str
    headers: list
    numeric: list
    rows: list
    notes: tuple
    chart: str
    withheld: int


def table_views(protected_tables, charts=None):
    """Tables shaped for a template; `charts` ({table id: SVG}) are drawn when not given."""
    views = []
    for protected in protected_tables:
        chart = charts[protected.id] if charts is not None else table_svg(protected)
        columns = protected.columns
        views.append(
            TableView(
                id=protected.id,
                title=protected.title,
                description=protected.table.description,
                headers=[header(c) for c in columns],
                numeric=[c.kind.value != "dimension" for c in columns],
                rows=[
                    [cell_text(c, v, grouping=True) for c, v in zip(columns, row, strict=True)]
                    for row in protected.rows
                ],
                notes=protected.table.notes,
                chart=mark_safe(chart),  # noqa: S308 - SVG we drew, its text escaped
                withheld=len(protected.withheld),
            )
        )
    return views


@cache
def methods_html():
    """docs/methods.md as HTML, headings demoted two levels to sit inside the report's annex."""
    text = (settings.BASE_DIR / "docs" / "methods.md").read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    for level in (6, 5, 4, 3, 2, 1):
        lower = min(level + 2, 6)
        html = html.replace(f"<h{level}>", f"<h{lower}>").replace(f"</h{level}>", f"</h{lower}>")
    return mark_safe(html)  # noqa: S308 - our own committed documentation


def frozen_at(snapshot):
    return snapshot.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def annual_report_html(*, analysis, snapshot, year, theme=None):
    """The annual (or thematic) report for `year` over `snapshot`, as UTF-8 HTML bytes."""
    rule = disclosure_rule()
    protected = protect_tables(analysis.national_tables(year, theme), rule)
    headline = analysis.headline(year)
    context = {
        "kind": "annual",
        "title": f"Child deaths in England, {year}" + (f": {theme_title(theme)}" if theme else ""),
        "year": year,
        "theme": theme_title(theme) if theme else "",
        "snapshot": snapshot,
        "frozen_at": frozen_at(snapshot),
        "sentences": headline_sentences(headline) if not theme else [],
        "synthetic": bool(getattr(headline, "denominator_synthetic", False)),
        "tables": table_views(protected),
        "quality": quality_lines(snapshot, year),
        "methods": methods_html(),
        "rule": rule_text(rule),
        "symbols": SYMBOLS,
    }
    return render_to_string("publishing/report.html", context).encode("utf-8")


def cdop_pack_html(*, analysis, snapshot, year, cdop):
    """A CDOP's report pack: its figures beside the national ones, and its data quality."""
    rule = disclosure_rule()
    protected = protect_tables(analysis.cdop_tables(year, cdop.code), rule)
    context = {
        "kind": "cdop",
        "title": f"{cdop.name}: child death review figures, {year}",
        "year": year,
        "cdop": cdop,
        "snapshot": snapshot,
        "frozen_at": frozen_at(snapshot),
        "sentences": [],
        "synthetic": False,
        "tables": table_views(protected),
        "quality": quality_lines(snapshot, year, cdop.code),
        "methods": methods_html(),
        "rule": rule_text(rule),
        "symbols": SYMBOLS,
    }
    return render_to_string("publishing/report.html", context).encode("utf-8")


def theme_title(theme):
    from .sources import theme_titles

    return theme_titles().get(theme, theme)


def pdf_bytes(html):
    """The report as PDF with WeasyPrint, or PdfUnavailable saying how to get it."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            f"No PDF written: WeasyPrint is not available ({error}). Install it with "
            "`pip install weasyprint` (it needs the Pango library) to get a PDF beside the HTML."
        ) from None
    return HTML(string=html.decode("utf-8")).write_pdf()
