"""Whether something is allowed now: the checks behind the lifecycle's requirements, what a
complete application needs, and who may see a request. Who may ever do it is a permission
(`ncmd.registry.authorization`); these are the rules of the moment."""

import datetime

from django.conf import settings
from django.utils import timezone

from ncmd.registry.authorization import Permission, has_permission

from .catalogue import catalogue
from .models import RequestStatus, ResearcherStatus, Safe, Verdict, VersionKind

S = RequestStatus


def setting(name, default):
    return getattr(settings, name, default)


def is_reviewer(user):
    return has_permission(user, Permission.REVIEW_DATA_ACCESS)


def may_see(user, request):
    """The applicant sees their own requests; reviewers see every request; nobody else any."""
    if is_reviewer(user):
        return True
    return has_permission(user, Permission.APPLY_FOR_DATA) and request.applicant_id == user.pk


def holds_data(request):
    """True while the applicant may hold released data under this request."""
    if request.status in (S.DATA_DESTROYED, S.REFUSED):
        return False
    return request.extracts.filter(released_at__isnull=False).exists()


def may_download(user, extract, today=None):
    """(allowed, reason): only the applicant, only a released extract, only until it expires,
    and never after the request closed."""
    today = today or timezone.localdate()
    request = extract.request
    if user.pk != request.applicant_id or not has_permission(user, Permission.APPLY_FOR_DATA):
        return False, "Only the applicant can download a request's extract."
    if extract.released_at is None:
        return False, "This extract has not been released."
    if request.status in (S.CLOSED, S.DATA_DESTROYED, S.REFUSED):
        return False, "The request is closed: its data can no longer be downloaded."
    if extract.expires_on and today > extract.expires_on:
        return False, (
            f"The approval ended on {extract.expires_on:%d %B %Y}: apply for an extension to "
            "keep using the data."
        )
    return True, ""


def application_problems(version):
    """[(anchor, message)] for everything a version still needs before it can be submitted."""
    problems = []

    def need(value, anchor, message):
        if not (value.strip() if isinstance(value, str) else value):
            problems.append((anchor, message))

    need(version.title, "title", "Enter the project's title.")
    need(version.lay_summary, "lay_summary", "Enter a summary of the project in plain English.")
    need(
        version.public_benefit,
        "public_benefit",
        "Explain the public benefit: who gains from the findings, and how.",
    )
    need(version.legal_basis, "legal_basis", "Choose the legal basis for processing the data.")
    need(
        version.ethics_committee,
        "ethics_committee",
        "Enter the research ethics committee that approved the project.",
    )
    need(version.ethics_reference, "ethics_reference", "Enter the ethics approval reference.")
    need(version.ethics_approved_on, "ethics_approved_on", "Enter the date of ethics approval.")
    need(
        version.confidentiality,
        "confidentiality",
        "Say how the common law duty of confidentiality is met.",
    )
    need(
        version.opt_out_handling,
        "opt_out_handling",
        "Say how the national data opt-out is applied, or why it does not apply.",
    )
    need(version.fields, "fields", "Choose at least one field, with the reason you need it.")
    items = catalogue()
    for entry in version.fields:
        item = items.get(entry.get("field"))
        if item is None:
            problems.append(
                ("fields", f"{entry.get('field')!r} can no longer be requested; remove it.")
            )
        elif not str(entry.get("reason", "")).strip():
            problems.append((f"reason-{item.name}", f"Say why you need {item.label}."))
    need(version.period_from, "period_from", "Enter the first date of death of the period.")
    need(version.period_to, "period_to", "Enter the last date of death of the period.")
    if version.period_from and version.period_to and version.period_from > version.period_to:
        problems.append(("period_to", "The period must end on or after the day it starts."))
    need(
        version.storage_location,
        "storage_location",
        "Say where the data will be held (the organisation, system and place).",
    )
    need(
        version.security_assurance,
        "security_assurance",
        "Describe the security of that setting (for example its Data Security and Protection "
        "Toolkit status or ISO 27001 certificate).",
    )
    need(version.who_will_see, "who_will_see", "List everyone who will see the data.")
    need(version.needed_until, "needed_until", "Enter the date until which you need the data.")
    if version.needed_until and version.needed_until <= timezone.localdate():
        problems.append(("needed_until", "The date you need the data until must be in the future."))
    if version.kind != VersionKind.APPLICATION:
        need(
            version.change_summary,
            "change_summary",
            "Describe what changes in this amendment or extension, and why.",
        )
    return problems


def researcher_problem(user):
    profile = getattr(user, "researcher_profile", None)
    if profile is None:
        return (
            "Give your researcher details (institution and safe researcher training) and "
            "wait for a reviewer to approve them before you submit."
        )
    if profile.status != ResearcherStatus.APPROVED:
        return (
            "A reviewer has not yet approved your researcher details; you can submit once "
            "they have."
        )
    return None


def five_safes_problem(version):
    verdicts = dict(version.assessments.values_list("safe", "verdict"))
    missing = [Safe(s).label for s in Safe if s not in verdicts]
    if missing:
        return (
            f"Assess the request against every one of the Five Safes first: {', '.join(missing)}."
        )
    unmet = [Safe(s).label for s, v in verdicts.items() if v == Verdict.NOT_MET]
    if unmet:
        return (
            f"{', '.join(unmet)} {'is' if len(unmet) == 1 else 'are'} not met: refuse the "
            "request or ask for more information instead."
        )
    return None


def approval_problems(version, approved_fields, approved_until):
    problems = []
    requested = {entry["field"]: entry.get("coarsening") for entry in version.fields}
    if not approved_fields:
        problems.append(("approved-fields", "Approve at least one of the requested fields."))
    items = catalogue()
    for name, coarsening in (approved_fields or {}).items():
        item = items.get(name)
        if name not in requested or item is None:
            problems.append(("approved-fields", f"{name} was not requested."))
        elif coarsening not in item.coarsenings:
            problems.append((f"coarsening-{name}", f"Choose how to coarsen {item.label}."))
        elif requested[name] in item.coarsenings and not item.at_least_as_coarse(
            coarsening, requested[name]
        ):
            problems.append(
                (f"coarsening-{name}", f"{item.label}: approve no finer detail than was requested.")
            )
    if not isinstance(approved_until, datetime.date):
        problems.append(("approved-until", "Enter the date the approval ends."))
    elif approved_until <= timezone.localdate():
        problems.append(("approved-until", "The approval must end in the future."))
    return problems
