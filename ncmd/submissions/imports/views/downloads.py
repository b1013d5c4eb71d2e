"""Downloads: an import's problem report (CSV or XLSX, formula-safe) and an empty template
file for each form."""

import csv
import io
import tempfile

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from ncmd.dictionary import get_dictionary

from ..columns import template_headers
from ..importer import importable_forms, reports_dir
from ..reports import csv_chunks, write_xlsx
from .access import load_run, require_import


@load_run
def report(request, run, kind):
    path = reports_dir() / run.report
    if kind not in ("csv", "xlsx") or not run.report or not path.exists():
        raise Http404("This import has no report.")
    name = f"import-{run.pk}-problems.{kind}"
    if kind == "csv":
        response = StreamingHttpResponse(csv_chunks(path), content_type="text/csv")
    else:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_xlsx(path, spool)
        spool.seek(0)
        response = FileResponse(spool, content_type="application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_import
def template(request, form_name):
    if form_name not in importable_forms():
        raise Http404("No such form.")
    form = get_dictionary().release_on(timezone.localdate()).form(form_name)
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_headers(form))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{form_name}-template.csv"'
    return response
