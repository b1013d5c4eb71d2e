"""The public statistics pages: no sign-in, and nothing but published release files."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from ..models import Release, ReleaseFile, ReleaseStatus
from ..report import table_views
from .loading import PUBLIC, file_bytes, public_release, release_charts, release_tables


def statistics_home(request):
    releases = Release.objects.filter(status__in=PUBLIC).order_by("-year", "-published_at")
    return render(request, "publishing/statistics_home.html", {"releases": releases})


def statistics_release(request, identifier):
    release = public_release(identifier)
    tables, files = [], {}
    if release.status == ReleaseStatus.PUBLISHED:
        files = {f.name: f for f in release.files.all()}
        tables = [
            (view, files.get(f"{view.id}.csv"))
            for view in table_views(release_tables(release), release_charts(release))
        ]
    workbook = next((f for name, f in files.items() if name.endswith(".xlsx")), None)
    return render(
        request,
        "publishing/statistics_release.html",
        {
            "release": release,
            "tables": tables,
            "workbook": workbook,
            "notes": files.get("notes.csv"),
            "json": files.get("tables.json"),
        },
    )


def statistics_file(request, file_id):
    """A file of a published release, by its recorded id (never a path from the URL)."""
    entry = get_object_or_404(ReleaseFile.objects.select_related("release"), pk=file_id)
    if entry.release.status != ReleaseStatus.PUBLISHED:
        raise Http404("That file is not available.")
    data = file_bytes(entry.release.folder, entry.name, entry.sha256)
    response = HttpResponse(data, content_type=entry.media_type)
    response["Content-Disposition"] = f'attachment; filename="{entry.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
