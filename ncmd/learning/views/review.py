"""The quarterly review page and its exports: the impact report (HTML, and PDF where WeasyPrint
is installed) and recommendation progress as CSV."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ncmd.registry.audit import record
from ncmd.registry.authorization import Permission
from ncmd.registry.views.decorators import require_permission

from ..documents import PDF_MISSING, html_download, pdf_available, pdf_download
from ..review import (
    BadQuarter,
    ReviewExport,
    build_review,
    neighbour,
    progress_csv,
    quarter_of,
)

review_required = require_permission(Permission.MANAGE_LEARNING)


def _review(quarter):
    try:
        return build_review(quarter)
    except BadQuarter as error:
        raise Http404(str(error)) from None


@review_required
def quarterly_review(request):
    quarter = request.GET.get("quarter") or quarter_of(timezone.localdate())
    review = _review(quarter)
    return render(request, "learning/review.html", {
        "review": review, "previous": neighbour(quarter, -1), "next": neighbour(quarter, 1),
        "pdf_available": pdf_available(),
    })  # fmt: skip


@review_required
def review_export(request, quarter, extension):
    review = _review(quarter)
    name = f"ncmd impact report {quarter}"
    record("export_quarterly_review", by=request.user, obj=ReviewExport(quarter),
           detail={"quarter": quarter, "format": extension})  # fmt: skip
    if extension == "csv":
        response = HttpResponse(progress_csv(review), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="recommendation-progress-{quarter}.csv"'
        )
        return response
    context = {"review": review, "generated_at": timezone.now()}
    if extension == "pdf":
        response = pdf_download("learning/impact_report.html", context, name)
        if response is None:
            messages.error(request, PDF_MISSING)
            return redirect(f"{reverse('learning_review')}?quarter={quarter}")
        return response
    return html_download("learning/impact_report.html", context, name)
