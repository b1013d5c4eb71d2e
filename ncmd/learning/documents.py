"""Downloadable documents (QI packs, the impact report) as HTML, and as PDF where WeasyPrint is
installed. WeasyPrint is optional: it needs system libraries (Pango) that not every server has,
and the HTML downloads print to PDF from any browser."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

PDF_MISSING = (
    "PDF downloads are not available on this server: they need WeasyPrint (pip install "
    "weasyprint, with its system libraries). Download the HTML version and print it to PDF "
    "from your browser instead."
)


def pdf_available():
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def html_download(template, context, name):
    html = render_to_string(template, context)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.html"'
    return response


def pdf_download(template, context, name):
    """The document as a PDF, or None when WeasyPrint is not installed."""
    if not pdf_available():
        return None
    import weasyprint

    html = render_to_string(template, context)
    pdf = weasyprint.HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.pdf"'
    return response
