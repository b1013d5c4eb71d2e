"""The result of one import: what became of its rows, and the first problems."""

from django.shortcuts import render

from ..importer import reports_dir
from ..reports import read_report
from .access import earlier_import, load_run

SHOWN = 200


@load_run
def result(request, run):
    path = reports_dir() / run.report
    problems = list(read_report(path, limit=SHOWN)) if run.report and path.exists() else []
    earlier = earlier_import(request.user, run) if run.created == 0 else None
    return render(request, "submissions_imports/result.html", {
        "run": run, "problems": problems, "more": max(run.problems + run.warnings - SHOWN, 0),
        "earlier": earlier,
    })  # fmt: skip
