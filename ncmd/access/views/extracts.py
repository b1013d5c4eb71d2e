"""Extracts: a reviewer builds one from a chosen snapshot (coarsening further if the risk check
fails), reads the check's results and releases it; the applicant downloads it; the release log
lists every release."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.registry.authorization import Permission
from ncmd.registry.views.decorators import require_permission
from ncmd.snapshots.models import Snapshot

from .. import actions, policies
from ..catalogue import COARSENING_LABELS, catalogue
from ..models import Extract
from .decorators import load_request
from .forms import error_for, text


def _extract_of(access_request, pk):
    extract = access_request.extracts.filter(pk=pk).first()
    if extract is None:
        raise Http404("No such extract.")
    return extract


@require_http_methods(["GET", "POST"])
@require_permission(Permission.REVIEW_DATA_ACCESS)
@load_request
def build(request, access_request):
    version = access_request.approved_version
    if version is None:
        messages.error(request, "Approve the request before building an extract.")
        return redirect("access_request", reference=access_request.reference)
    snapshots = Snapshot.objects.filter(deleted_at__isnull=True)
    items = catalogue()
    errors, post = [], request.POST
    if request.method == "POST":
        snapshot = snapshots.filter(pk=post.get("snapshot") or 0).first()
        if snapshot is None:
            errors.append(("#snapshot", "Choose the snapshot to extract from."))
        fields = {
            name: post.get(f"coarsening-{name}", coarsening)
            for name, coarsening in version.approved_fields.items()
            if name in post.getlist("fields")
        }
        if not errors:
            try:
                extract = actions.build_extract(
                    request=access_request, snapshot=snapshot, by=request.user, fields=fields
                )
            except actions.ActionRefused as refusal:
                errors.append(("", str(refusal)))
            else:
                return redirect("access_extract", reference=access_request.reference, pk=extract.pk)
    previous = access_request.extracts.first()
    start = previous.fields if previous and previous.version_id == version.pk else {}
    rows = []
    for name, coarsening in version.approved_fields.items():
        item = items[name]
        rows.append(
            {
                "name": name,
                "item": item,
                "approved": COARSENING_LABELS[coarsening],
                "checked": name in post.getlist("fields") if post else (not start or name in start),
                "chosen": post.get(f"coarsening-{name}") or start.get(name, coarsening),
                "choices": [
                    (o, label)
                    for o, label in item.coarsening_choices()
                    if item.at_least_as_coarse(o, coarsening)
                ],
            }
        )
    return render(
        request,
        "access/build.html",
        {
            "access_request": access_request,
            "version": version,
            "rows": rows,
            "snapshots": snapshots[:20],
            "errors": errors,
            "error_for": error_for(errors),
            "chosen_snapshot": post.get("snapshot", ""),
            "minimum": policies.setting("NCMD_EXTRACT_MIN_GROUP", 5),
        },
    )


@load_request
def extract_detail(request, access_request, pk):
    extract = _extract_of(access_request, pk)
    reviewer = policies.is_reviewer(request.user)
    if not reviewer and extract.released_at is None:
        raise Http404("No such extract.")
    items = catalogue()
    return render(
        request,
        "access/extract.html",
        {
            "access_request": access_request,
            "extract": extract,
            "reviewer": reviewer,
            "fields": [
                (name, items[name].label if name in items else name, COARSENING_LABELS[c])
                for name, c in extract.fields.items()
            ],
            "downloadable": policies.may_download(request.user, extract),
            "releasable": reviewer
            and extract.released_at is None
            and extract.passes
            and extract.version_id == access_request.approved_version.pk,
        },
    )


@require_http_methods(["POST"])
@require_permission(Permission.REVIEW_DATA_ACCESS)
@load_request
def release(request, access_request, pk):
    extract = _extract_of(access_request, pk)
    try:
        actions.release_extract(extract=extract, by=request.user, note=text(request.POST, "note"))
    except actions.ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("access_extract", reference=access_request.reference, pk=extract.pk)
    messages.success(request, f"Extract {extract.pk} released to the applicant.")
    return redirect("access_request", reference=access_request.reference)


@load_request
def download(request, access_request, pk):
    extract = _extract_of(access_request, pk)
    try:
        path = actions.download_extract(extract=extract, by=request.user)
    except actions.ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("access_request", reference=access_request.reference)
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=extract.package_name,
        content_type="application/zip",
    )


@require_permission(Permission.REVIEW_DATA_ACCESS)
def release_log(request):
    released = (
        Extract.objects.filter(released_at__isnull=False)
        .select_related("request", "request__applicant", "version")
        .order_by("-released_at")
    )
    return render(request, "access/release_log.html", {"released": released[:500]})
