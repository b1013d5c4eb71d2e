"""Request reporting forms about a case from the agencies of its region, each optionally from a
named contact who is e-mailed a sign-in link to exactly that form."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.dictionary import get_dictionary
from ncmd.registry.actions import ActionRefused
from ncmd.registry.authorization import Permission
from ncmd.registry.facts import answers_as_of
from ncmd.registry.models import FormSubmission, Organisation, OrganisationType, Role, User
from ncmd.registry.views.decorators import load_case, require_permission

from .. import actions

DUE_DAYS = 28


@require_http_methods(["GET", "POST"])
@require_permission(Permission.REQUEST_REPORTING_FORMS)
@load_case
def request_forms(request, case):
    agencies = list(
        Organisation.objects.filter(type=OrganisationType.AGENCY, parent=case.region_id).order_by(
            "name"
        )
    )
    requested = {r.agency_id: r for r in case.requests.filter(form_name="reporting")}
    reporters = {}
    for user in User.objects.filter(
        role=Role.AGENCY_REPORTER, is_active=True, organisation__in=agencies
    ).order_by("last_name", "first_name", "username"):
        reporters.setdefault(user.organisation_id, []).append(user)
    post = request.POST
    errors, chosen = [], set()
    due = post.get("_due_days", str(DUE_DAYS)).strip()
    if request.method == "POST":
        chosen = set(post.getlist("agency"))
        wanted = {}
        for agency in agencies:
            if agency.code not in chosen or agency.pk in requested:
                continue
            contact, problem = _contact(post, agency, reporters.get(agency.pk, []))
            if problem:
                errors.append((f"#contact-{agency.code}", problem))
            wanted[agency] = contact
        if not wanted:
            errors.insert(0, ("#agencies", "Select at least one agency to request a form from."))
        if not due.isdigit() or not 1 <= int(due) <= 365:
            errors.append(("#due-days", "Enter the number of days to return the form, 1 to 365."))
        if not errors:
            base_url = request.build_absolute_uri("/").rstrip("/")
            try:
                made = actions.request_reporting_forms(
                    case=case, wanted=wanted, by=request.user, base_url=base_url,
                    due_in_days=int(due),
                )  # fmt: skip
            except ActionRefused as refusal:
                errors.append(("", str(refusal)))
            else:
                named = sum(1 for contact in wanted.values() if contact)
                messages.success(
                    request,
                    f"{len(made)} reporting form{'s' if len(made) != 1 else ''} requested; "
                    f"{named} sign-in link{'s' if named != 1 else ''} e-mailed.",
                )
                return redirect("case_detail", reference=case.reference)
    else:
        involved = _agencies_involved(case)
        chosen = {a.code for a in agencies if a.agency_type in involved and a.pk not in requested}
    return render(request, "submissions/request_forms.html", {
        "case": case,
        "groups": _groups(agencies, requested, reporters, chosen, post),
        "errors": errors,
        "error_for": {a.lstrip("#").replace("-", "_"): m for a, m in errors},
        "due": due,
        "link_days": settings.NCMD_REQUEST_LINK_DAYS,
    })  # fmt: skip


def _contact(post, agency, reporters):
    """(Contact or None, problem) from the page's choice for one agency."""
    choice = post.get(f"contact-{agency.code}", "")
    if choice in ("", "none"):
        return None, ""
    if choice == "new":
        name = post.get(f"name-{agency.code}", "").strip()
        email = post.get(f"email-{agency.code}", "").strip()
        if not name or not email:
            return None, f"Enter the name and e-mail address of the contact at {agency.name}."
        try:
            validate_email(email)
        except ValidationError:
            return None, (
                f"Enter the contact's e-mail address at {agency.name} in the right format, "
                "like name@example.nhs.uk."
            )
        return actions.Contact(name=name, email=email), ""
    user = next((u for u in reporters if str(u.pk) == choice), None)
    if user is None:
        return None, f"Choose a contact at {agency.name} from the list."
    return actions.Contact(user=user), ""


def _agencies_involved(case):
    notification = FormSubmission.objects.filter(case=case, form_name="notification").first()
    if notification is None:
        return set()
    answers = answers_as_of(notification, get_dictionary().latest.id)
    involved = answers.get("agencies_involved")
    return set(involved) if isinstance(involved, list) else set()


def _groups(agencies, requested, reporters, chosen, post):
    codes = get_dictionary().latest.codelists["agency_type"]
    groups = {}
    for agency in agencies:
        groups.setdefault(agency.agency_type, []).append({
            "agency": agency,
            "request": requested.get(agency.pk),
            "checked": agency.code in chosen,
            "reporters": reporters.get(agency.pk, []),
            "contact": post.get(f"contact-{agency.code}", "none"),
            "name": post.get(f"name-{agency.code}", ""),
            "email": post.get(f"email-{agency.code}", ""),
        })  # fmt: skip
    order = list(codes.by_code)
    return [
        {"label": codes.label_of(kind) if kind else "Other agencies", "agencies": items}
        for kind, items in sorted(
            groups.items(), key=lambda g: order.index(g[0]) if g[0] in order else len(order)
        )
    ]
