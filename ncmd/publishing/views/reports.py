"""Reports in the portal: the annual reports (national users) and CDOP report packs (that CDOP's
staff and national users). Never public."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ncmd.registry.authorization import Permission, has_permission

from ..models import Report, ReportKind
from .loading import file_bytes


def reports_for(user):
    """The reports `user` may open: every report for national users; their own CDOP's packs for
    CDOP staff; nothing for anyone else."""
    if has_permission(user, Permission.VIEW_NATIONAL_DATA) or has_permission(
        user, Permission.PUBLISH_ANALYSES
    ):
        return Report.objects.all()
    if has_permission(user, Permission.VIEW_CASES) and user.organisation_id:
        return Report.objects.filter(kind=ReportKind.CDOP, cdop_id=user.organisation_id)
    return Report.objects.none()


@login_required
def report_list(request):
    if not (
        has_permission(request.user, Permission.VIEW_CASES)
        or has_permission(request.user, Permission.PUBLISH_ANALYSES)
    ):
        raise PermissionDenied("Your role does not give access to reports.")
    reports = reports_for(request.user).select_related("cdop", "snapshot")
    return render(
        request,
        "publishing/report_list.html",
        {
            "annual": [r for r in reports if r.kind == ReportKind.ANNUAL],
            "packs": [r for r in reports if r.kind == ReportKind.CDOP],
        },
    )


@login_required
def report_file(request, report_id, name):
    """One recorded file of a report in the user's scope (404 otherwise, as for no report)."""
    report = reports_for(request.user).filter(pk=report_id).first()
    entry = report.file(name) if report else None
    if entry is None:
        raise Http404("No such report file.")
    data = file_bytes(report.folder, entry["name"], entry["sha256"])
    response = HttpResponse(data, content_type=entry["media_type"])
    response["Content-Disposition"] = f'attachment; filename="{entry["name"]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
