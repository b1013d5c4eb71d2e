"""The upload page: choose the form, the CDOP (national administrators) and the mode, upload a
file, and see the result. The file's kind is checked by its content; its size against
NCMD_IMPORT_MAX_BYTES before the body is read when the browser says how long it is."""

import hashlib
import os
import tempfile

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.registry.models import Organisation, OrganisationType, Role

from ..importer import ImportRefused, import_file, importable_forms, max_bytes
from ..models import ImportMode
from .access import require_import, runs_for


@require_http_methods(["GET", "POST"])
@require_import
def upload(request):
    user = request.user
    national = user.role == Role.NATIONAL_ADMIN
    cdops = Organisation.objects.filter(type=OrganisationType.CDOP) if national else None
    errors = {}
    values = {"form": "notification", "mode": ImportMode.ALL_OR_NOTHING.value, "cdop": ""}
    if request.method == "POST":
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes() + 1_000_000
        values.update({k: request.POST.get(k, "") for k in values} if not too_big else {})
        upload = None if too_big else request.FILES.get("file")
        if too_big or (upload is not None and upload.size > max_bytes()):
            errors["file"] = (f"The file is larger than {max_bytes() / 1e6:.0f} MB: split it "
                              "into smaller files.")  # fmt: skip
        elif upload is None:
            errors["file"] = "Choose a CSV, XLSX or JSON file to import."
        if values["form"] not in importable_forms():
            errors["form"] = "Select the form the file's rows answer."
        if values["mode"] not in ImportMode.values:
            errors["mode"] = "Select what to do if some rows have problems."
        cdop = None
        if national and values["cdop"]:
            cdop = cdops.filter(code=values["cdop"]).first()
            if cdop is None:
                errors["cdop"] = "Select a CDOP from the list, or none to use the cdop column."
        if not errors:
            try:
                run = _import(upload, user, values, cdop)
            except ImportRefused as error:
                errors["file"] = str(error)
            else:
                return redirect("import_result", run_id=run.pk)
    return render(request, "submissions_imports/upload.html", {
        "errors": errors, "values": values, "forms": importable_forms(), "cdops": cdops,
        "modes": ImportMode.choices, "max_mb": round(max_bytes() / 1e6),
        "recent": runs_for(user)[:10],
    })  # fmt: skip


def _import(upload, user, values, cdop):
    """Copy the upload to a private temporary file (hashing as it goes) and import it."""
    digest = hashlib.sha256()
    handle, path = tempfile.mkstemp(prefix="ncmd-import-")
    try:
        with os.fdopen(handle, "wb") as target:
            for chunk in upload.chunks():
                digest.update(chunk)
                target.write(chunk)
        return import_file(
            path=path, file_name=upload.name, form_name=values["form"], by=user, cdop=cdop,
            mode=values["mode"],
        )  # fmt: skip
    finally:
        os.unlink(path)
