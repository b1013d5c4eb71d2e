"""The application form: every section of a request on one page, saved as a draft at any time;
submitting checks that it is complete. The fields are picked from the data dictionary, each with
the reason it is needed and how coarse it may be."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.registry.models import AgeBand, Organisation, OrganisationType

from .. import actions
from ..catalogue import catalogue, grouped
from ..models import Confidentiality, LegalBasis, VersionKind
from .decorators import load_request
from .forms import date, error_for, text

TEXTS = (
    "title",
    "lay_summary",
    "public_benefit",
    "funder",
    "legal_basis_detail",
    "ethics_committee",
    "ethics_reference",
    "confidentiality_detail",
    "opt_out_handling",
    "population_notes",
    "storage_location",
    "security_assurance",
    "who_will_see",
    "change_summary",
)
DATES = (
    ("ethics_approved_on", "the date of ethics approval"),
    ("period_from", "the first date of death"),
    ("period_to", "the last date of death"),
    ("needed_until", "the date you need the data until"),
)


def _values(post, errors):
    values = {name: text(post, name) for name in TEXTS}
    for name, label in DATES:
        values[name] = date(post, name, label, errors)
    values["legal_basis"] = (
        post.get("legal_basis", "") if post.get("legal_basis") in LegalBasis else ""
    )
    values["confidentiality"] = (
        post.get("confidentiality", "") if post.get("confidentiality") in Confidentiality else ""
    )
    values["age_bands"] = [b for b in post.getlist("age_bands") if b in AgeBand]
    regions = set(
        Organisation.objects.filter(type=OrganisationType.REGION).values_list("code", flat=True)
    )
    values["regions"] = [r for r in post.getlist("regions") if r in regions]
    fields = []
    for item in catalogue().values():
        if item.name in post.getlist("fields"):
            coarsening = post.get(f"coarsening-{item.name}", item.default_coarsening)
            if coarsening not in item.coarsenings:
                coarsening = item.default_coarsening
            fields.append(
                {
                    "field": item.name,
                    "reason": text(post, f"reason-{item.name}"),
                    "coarsening": coarsening,
                }
            )
    values["fields"] = fields
    return values


@require_http_methods(["GET", "POST"])
@load_request
def edit_request(request, access_request):
    version = actions.editable_version(access_request)
    if version is None or request.user.pk != access_request.applicant_id:
        raise Http404("This application cannot be changed now.")
    errors = []
    if request.method == "POST":
        values = _values(request.POST, errors)
        if version.kind == VersionKind.APPLICATION:
            values.pop("change_summary")
        if not values["title"]:
            errors.append(("#title", "Enter the project's title."))
        if not errors:
            try:
                actions.save_version(version=version, by=request.user, values=values)
            except actions.ActionRefused as refusal:
                errors.append(("#fields", str(refusal)))
            else:
                messages.success(request, "Your application is saved.")
                if "continue" in request.POST:
                    return redirect("access_edit", reference=access_request.reference)
                return redirect("access_request", reference=access_request.reference)
        shown = request.POST
        chosen = {e["field"]: e for e in values["fields"]}
    else:
        shown = {name: getattr(version, name) or "" for name in TEXTS}
        for name, _ in DATES:
            value = getattr(version, name)
            shown[name] = value.isoformat() if value else ""
        shown["legal_basis"], shown["confidentiality"] = (
            version.legal_basis,
            version.confidentiality,
        )
        chosen = {e["field"]: e for e in version.fields}
    selected_bands = (
        request.POST.getlist("age_bands") if request.method == "POST" else version.age_bands
    )
    selected_regions = (
        request.POST.getlist("regions") if request.method == "POST" else version.regions
    )
    groups = [
        (
            title,
            [
                {
                    "item": item,
                    "chosen": item.name in chosen,
                    "reason": chosen.get(item.name, {}).get("reason", ""),
                    "coarsening": chosen.get(item.name, {}).get(
                        "coarsening", item.default_coarsening
                    ),
                }
                for item in items
            ],
        )
        for title, items in grouped()
    ]
    approved = access_request.approved_version
    return render(
        request,
        "access/edit.html",
        {
            "access_request": access_request,
            "version": version,
            "post": shown,
            "errors": errors,
            "error_for": error_for(errors),
            "groups": groups,
            "legal_bases": LegalBasis.choices,
            "confidentialities": Confidentiality.choices,
            "age_bands": AgeBand.choices,
            "selected_bands": selected_bands,
            "regions": Organisation.objects.filter(type=OrganisationType.REGION).order_by("name"),
            "selected_regions": selected_regions,
            "is_extension": version.kind == VersionKind.EXTENSION,
            "approved_fields": approved.approved_fields if approved else {},
        },
    )
