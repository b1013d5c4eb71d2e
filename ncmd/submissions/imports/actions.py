"""Recording import runs. Each action is keyword-only, names the actor as `by=`, runs in one
transaction and writes its audit event there, as the registry's actions do. The cases and forms a
file brings are written by the registry's own actions (`ncmd.registry.bulk.import_notifications`
and `ncmd.registry.actions.submit_form`), each with their own audit events."""

from django.db import transaction
from django.utils import timezone

from ncmd.registry.audit import record

from .models import ImportRun, ImportStatus


@transaction.atomic
def start_import(*, by, file_name, file_kind, size, sha256, form_name, mode, cdop=None, at=None):
    """Open the record of one file's import, before any row is read."""
    at = at or timezone.now()
    run = ImportRun.objects.create(
        started_at=at, by=by, actor=getattr(by, "username", "") or "system", cdop=cdop,
        file_name=file_name[:255], file_kind=file_kind, size=size, sha256=sha256,
        form_name=form_name, mode=mode,
    )  # fmt: skip
    record(
        "start_import",
        by=by,
        obj=run,
        at=at,
        organisation=cdop.code if cdop else _own_organisation(by),
        detail={"file_name": run.file_name, "sha256": sha256, "size": size,
                "form": form_name, "mode": mode},
    )  # fmt: skip
    return run


@transaction.atomic
def finish_import(*, run, by, status, counts, report="", at=None):
    """Close the record of an import with what became of its rows."""
    at = at or timezone.now()
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportStatus.RUNNING:
        raise ValueError(f"import run {run.pk} has already finished")
    run.status = ImportStatus(status)
    run.finished_at = at
    run.report = report
    for name, value in counts.items():
        setattr(run, name, value)
    run.save()
    record(
        "finish_import",
        by=by,
        obj=run,
        at=at,
        organisation=run.cdop.code if run.cdop_id else _own_organisation(by),
        changes={"status": [ImportStatus.RUNNING.value, run.status]},
        detail={"file_name": run.file_name, "sha256": run.sha256, **counts},
    )
    return run


def _own_organisation(user):
    organisation = getattr(user, "organisation", None)
    return organisation.code if organisation is not None else ""
