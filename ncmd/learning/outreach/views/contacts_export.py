"""The contacts as a CSV file in the import's own columns, so a list can be corrected in a
spreadsheet and imported again. Cells are made formula-safe; every download is audited."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from ncmd.dictionary.exports import formula_safe
from ncmd.registry.audit import record

from ..contacts_import import OPTIONAL, REQUIRED
from ..models import Contact
from .common import manage

COLUMNS = [*REQUIRED, *OPTIONAL, "unsubscribed"]


@manage
def contacts_export(request):
    contacts = Contact.objects.select_related("organisation").exclude(
        email__endswith="@erased.invalid"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    count = 0
    for c in contacts:
        unsubscribed = "all" if c.unsubscribed_at else ";".join(c.unsubscribed_audiences)
        row = [
            c.name, c.email, c.organisation.name if c.organisation else "",
            c.organisation.sector if c.organisation else "", ";".join(c.audiences),
            c.consent_given_on.isoformat() if c.consent_given_on else "", c.consent_source,
            c.job_title, c.lawful_basis, unsubscribed,
        ]  # fmt: skip
        writer.writerow([formula_safe(value) for value in row])
        count += 1
    record("export_stakeholder_contacts", by=request.user, obj=request.user,
           detail={"contacts": count})  # fmt: skip
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"ncmd-contacts-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
