"""The reviewer's pages: the Five Safes assessment of the current version, and the decision to
approve it (which fields, how coarse, until when, on what conditions)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.registry.authorization import Permission
from ncmd.registry.views.decorators import require_permission

from .. import actions, policies
from ..catalogue import catalogue
from ..models import RequestStatus, Safe, Verdict, VersionKind
from .decorators import load_request
from .forms import date, error_for, text
from .requests import version_rows

SAFE_QUESTIONS = {
    Safe.PROJECTS: "Is the use of the data appropriate, lawful, ethical and for the public "
    "benefit? Is the legal basis sound, is ethics approval in place, is the duty of "
    "confidentiality met and the national data opt-out handled?",
    Safe.PEOPLE: "Can the researchers be trusted to use the data appropriately: are they "
    "approved, trained (safe researcher training), and is everyone who will see the data named?",
    Safe.SETTINGS: "Does the place where the data will be held limit unauthorised use: secure, "
    "assured (for example the Data Security and Protection Toolkit), access limited?",
    Safe.DATA: "Is the data the minimum needed: only the fields and population justified, "
    "coarsened enough, free text only where essential? The extract's risk check follows.",
    Safe.OUTPUTS: "Will the results be non-disclosive: do the researchers know that tables "
    "must be submitted for output checking before publication?",
}


@require_http_methods(["GET", "POST"])
@require_permission(Permission.REVIEW_DATA_ACCESS)
@load_request
def assess(request, access_request):
    version = access_request.current
    errors = []
    existing = {a.safe: a for a in version.assessments.all()}
    if request.method == "POST":
        saved = 0
        for safe in Safe:
            verdict, notes = (
                request.POST.get(f"verdict-{safe.value}", ""),
                text(request.POST, f"notes-{safe.value}"),
            )
            if not verdict and not notes:
                continue
            if verdict not in Verdict:
                errors.append(
                    (f"#verdict-{safe.value}", f"Choose a verdict on {safe.label.lower()}.")
                )
                continue
            current = existing.get(safe.value)
            if current and current.verdict == verdict and current.notes == notes:
                continue
            try:
                actions.assess_safe(
                    version=version, safe=safe, verdict=verdict, notes=notes, by=request.user
                )
                saved += 1
            except actions.ActionRefused as refusal:
                errors.append((f"#notes-{safe.value}", str(refusal)))
        if not errors:
            messages.success(request, f"{saved} assessment{'s' if saved != 1 else ''} saved.")
            return redirect("access_request", reference=access_request.reference)
    rows = []
    for safe in Safe:
        current = existing.get(safe.value)
        rows.append(
            {
                "safe": safe,
                "question": SAFE_QUESTIONS[safe],
                "verdict": request.POST.get(f"verdict-{safe.value}")
                if request.method == "POST"
                else (current.verdict if current else ""),
                "notes": request.POST.get(f"notes-{safe.value}")
                if request.method == "POST"
                else (current.notes if current else ""),
            }
        )
    return render(
        request,
        "access/assess.html",
        {
            "access_request": access_request,
            "version": version,
            "rows": rows,
            "verdicts": Verdict.choices,
            "errors": errors,
            "error_for": error_for(errors),
            "profile": getattr(access_request.applicant, "researcher_profile", None),
            "under_review": access_request.status == RequestStatus.UNDER_REVIEW,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.REVIEW_DATA_ACCESS)
@load_request
def decide(request, access_request):
    version = access_request.current
    extension = version.kind == VersionKind.EXTENSION and policies.holds_data(access_request)
    items = catalogue()
    errors = []
    post = request.POST
    if request.method == "POST":
        approved_until = date(
            post, "approved-until", "the date the approval ends", errors, required=True
        )
        approved = {}
        for entry in version.fields:
            name = entry["field"]
            if name in post.getlist("approved") and name in items:
                approved[name] = post.get(f"coarsening-{name}", entry.get("coarsening"))
        if not errors:
            try:
                actions.move_request(
                    request=access_request,
                    transition="approve_extension" if extension else "approve",
                    by=request.user,
                    note=text(post, "note"),
                    approved_fields=approved,
                    approved_until=approved_until,
                    conditions=text(post, "conditions"),
                )
            except actions.ActionRefused as refusal:
                errors.append(("", str(refusal)))
            else:
                messages.success(request, "The request is approved.")
                return redirect("access_request", reference=access_request.reference)
    rows = []
    for row in version_rows(version):
        item = row["item"]
        entry = next(e for e in version.fields if e["field"] == row["name"])
        rows.append(
            {
                **row,
                "checked": (row["name"] in post.getlist("approved"))
                if request.method == "POST"
                else (item is not None and not item.free_text),
                "choices": item.coarsening_choices() if item else [],
                "chosen": post.get(f"coarsening-{row['name']}", entry.get("coarsening")),
            }
        )
    return render(
        request,
        "access/decide.html",
        {
            "access_request": access_request,
            "version": version,
            "rows": rows,
            "extension": extension,
            "errors": errors,
            "error_for": error_for(errors),
            "five_safes_problem": policies.five_safes_problem(version),
            "post": post,
            "until_value": post.get("approved-until")
            if request.method == "POST"
            else (version.needed_until.isoformat() if version.needed_until else ""),
            "until_error": error_for(errors).get("approved-until"),
            "under_review": access_request.status == RequestStatus.UNDER_REVIEW,
        },
    )
