"""Every change to the registry goes through one of these actions.

Each takes keyword arguments, names the actor as `by=`, runs in one transaction and writes its audit
event in that transaction. Answers are checked by the dictionary's one validator; invalid answers
raise `InvalidAnswers` with every problem and write nothing. A move that is not allowed now raises
`ActionRefused` with a message saying why and what to do.
"""

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.identifiers import postcode_district
from ncmd.dictionary.validation import Problem, validate_answers

from . import lifecycle
from .audit import changed_values, organisation_code, record
from .facts import age_band, age_in_years, answers_as_of, case_facts
from .models import (
    Case,
    CaseStatus,
    DuplicateStatus,
    FormRequest,
    FormSubmission,
    Identifiers,
    Organisation,
    OrganisationType,
    PostcodeLookup,
    SubmissionStatus,
)

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class InvalidAnswers(Exception):
    """The answers failed validation; `problems` holds every problem (form, field, message)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.field or p.form}: {p.message}" for p in self.problems))


class ActionRefused(Exception):
    """The action is not allowed in the current state; the message says why."""


def new_reference(random=None):
    """A stable public case reference, like CD-7KQ2-M9XA: no date, name or sequence in it."""
    choice = (random or secrets).choice
    body = "".join(choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"CD-{body[:4]}-{body[4:]}"


@transaction.atomic
def notify_death(*, cdop, answers, by, at=None, reference=None, client_reference=""):
    """Create a case from a notification form. A notification that matches an existing case is
    still recorded, flagged as a possible duplicate of it for the CDOP to confirm or link.

    `client_reference` is the sending system's own identifier: a notification repeated with the
    same one (a retried API call, a re-imported file) returns the first case and changes nothing.
    """
    at = at or timezone.now()
    if cdop.type != OrganisationType.CDOP:
        raise ActionRefused(f"{cdop.name} is not a CDOP; deaths are notified to a CDOP.")
    if client_reference:
        earlier = Case.objects.filter(cdop=cdop, client_reference=client_reference).first()
        if earlier is not None:
            return earlier
    release = get_dictionary().release_on(at.date())
    form = release.form("notification")
    result = validate_answers(form, answers)
    if result.ok:
        result.problems += _notification_sense(form, result.answers, at)
    if not result.ok:
        raise InvalidAnswers(result.problems)
    case, submission = _new_case_and_notification(
        cdop=cdop, release_id=release.id, answers=result.answers, by=by, at=at,
        reference=reference or new_reference(), client_reference=client_reference,
    )  # fmt: skip
    _promote_notification(case, submission, result.identifiers)
    original = _find_duplicate(case, result.identifiers)
    if original is not None:
        case.duplicate_of = original
        case.duplicate_status = DuplicateStatus.POSSIBLE
    case.save()
    submission.case = case
    submission.save()
    identifiers = _save_identifiers(submission, result.identifiers)
    record(
        "notify_death",
        by=by,
        obj=case,
        at=at,
        changes={k: [None, v] for k, v in result.answers.items()},
        detail={
            "release": release.id,
            "identifiers_recorded": sorted(identifiers.values),
            "possible_duplicate_of": original.reference if original else None,
        },
    )
    return case


def _new_case_and_notification(*, cdop, release_id, answers, by, at, reference, client_reference):
    """The unsaved case and its submitted notification, as every way of notifying makes them
    (`notify_death` here, `ncmd.registry.bulk` for files)."""
    case = Case(
        reference=reference,
        client_reference=client_reference,
        cdop=cdop,
        region=cdop.region,
        status=CaseStatus.NOTIFIED,
        notified_at=at,
        created_at=at,
        updated_at=at,
    )
    submission = FormSubmission(
        case=case,
        form_name="notification",
        release=release_id,
        answers=answers,
        status=SubmissionStatus.SUBMITTED,
        created_by=by,
        created_at=at,
        submitted_by=by,
        submitted_at=at,
        updated_at=at,
    )
    return case, submission


def _notification_sense(form, answers, at):
    """Checks that need arithmetic the expression language does not have."""
    problems = []
    born, died = answers.get("date_of_birth"), answers.get("date_of_death")
    if isinstance(died, str) and died > at.date().isoformat():
        problems.append(Problem(form.name, "date_of_death", "The date of death is in the future."))
    both = isinstance(born, str) and isinstance(died, str) and died >= born
    if both and age_in_years(date.fromisoformat(born), date.fromisoformat(died)) >= 18:
        problems.append(
            Problem(
                form.name,
                "date_of_birth",
                "The child was 18 or over at death; child death review covers children under 18.",
            )
        )
    return problems


def _promote_notification(case, submission, identifiers):
    """Copy the notification's facts onto the case's indexed columns (latest release's codes)."""
    dictionary = get_dictionary()
    latest = dictionary.latest
    answers = answers_as_of(submission, latest.id)
    born = answers.get("date_of_birth")
    died = answers.get("date_of_death")
    case.date_of_birth = date.fromisoformat(born) if isinstance(born, str) else None
    case.date_of_death = date.fromisoformat(died) if isinstance(died, str) else None
    if case.date_of_birth and case.date_of_death:
        case.age_days = (case.date_of_death - case.date_of_birth).days
        case.age_band = age_band(case.date_of_birth, case.date_of_death)
    case.sex = _code(answers.get("sex"))
    case.ethnicity = _code(answers.get("ethnicity"))
    ethnicity_list = latest.codelists.get("ethnicity")
    code = ethnicity_list.by_code.get(case.ethnicity) if ethnicity_list else None
    case.ethnicity_group = (code.group or "") if code else ""
    case.expected_death = _code(answers.get("expected_death"))
    if identifiers is not None:
        postcode = identifiers.get("home_postcode")
        lookup = (
            PostcodeLookup.objects.filter(postcode=postcode).first()
            if isinstance(postcode, str)
            else None
        )
        case.imd_decile = lookup.imd_decile if lookup else None
        case.imd_edition = lookup.imd_edition if lookup else ""


def _code(value):
    return value if isinstance(value, str) else ""


def _find_duplicate(case, identifiers):
    """An existing case for the same child: the same NHS number, or the same date of birth, sex,
    date of death and postcode district.

    Each lookup starts from its own index (the NHS number's, or the case's date of birth, sex
    and date of death) and checks the rest in Python over the few rows found: joined in one
    query, SQLite prefers the index on form name and reads every notification in the registry.
    """
    nhs_number = identifiers.get("nhs_number")
    if isinstance(nhs_number, str):
        found = Identifiers.objects.filter(nhs_number=nhs_number).select_related("submission__case")
        match = _first_case(i.submission for i in found)
        if match:
            return match
    district = postcode_district(identifiers.get("home_postcode"))
    if case.date_of_birth and case.date_of_death and case.sex and isinstance(district, str):
        same = Case.objects.filter(
            date_of_birth=case.date_of_birth, sex=case.sex, date_of_death=case.date_of_death
        ).exclude(pk=case.pk)
        found = Identifiers.objects.filter(
            submission__case__in=list(same.values_list("pk", flat=True)),
            postcode_district=district,
        ).select_related("submission__case")
        return _first_case(i.submission for i in found)
    return None


def _first_case(submissions):
    """The first (in the case list's order) case, not a linked duplicate, of these submissions
    that are notifications."""
    cases = [
        s.case
        for s in submissions
        if s.form_name == "notification" and s.case.duplicate_status != DuplicateStatus.LINKED
    ]
    return min(cases, key=lambda c: (-c.date_of_death.toordinal() if c.date_of_death else 0,
                                      c.reference), default=None)  # fmt: skip


def _identifiers_of(submission):
    found = Identifiers.objects.filter(submission=submission).first()
    return found.values if found else {}


def _save_identifiers(submission, values):
    nhs_number = values.get("nhs_number")
    district = postcode_district(values.get("home_postcode"))
    identifiers, _ = Identifiers.objects.update_or_create(
        submission=submission,
        defaults={
            "values": values,
            "nhs_number": nhs_number if isinstance(nhs_number, str) else "",
            "postcode_district": district if isinstance(district, str) else "",
        },
    )
    return identifiers


def _form_for(case, form_name, agency, release_id, at):
    """The form to validate against: the draft's own release, else the one in force at `at`."""
    dictionary = get_dictionary()
    release = dictionary.release(release_id) if release_id else dictionary.release_on(at.date())
    form = release.form(form_name)
    if form.kind == "notification":
        raise ActionRefused("The notification is made with notify_death, once per case.")
    if form.per_agency and agency is None:
        raise ActionRefused(f"The {form.title} is completed per agency: name the agency.")
    if not form.per_agency and agency is not None:
        raise ActionRefused(f"The {form.title} is completed once per case, not per agency.")
    return release, form


def _locked(case):
    """A fresh copy of the case, locked until the transaction ends: an action never saves a
    stale copy over another action's change."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _existing(case, form_name, agency):
    return (
        FormSubmission.objects.select_for_update()
        .filter(case=case, form_name=form_name, agency=agency)
        .first()
    )


@transaction.atomic
def save_draft(*, case, form_name, answers, by, agency=None, at=None):
    """Save answers to a form without submitting it. Incomplete answers are fine; invalid ones
    (a date that is not a date, a code not in its list) are refused, so a draft never holds
    something that could not be submitted."""
    at = at or timezone.now()
    case = _locked(case)
    existing = _existing(case, form_name, agency)
    if existing is not None and existing.status != SubmissionStatus.DRAFT:
        raise ActionRefused("This form has been submitted; amend it instead.")
    release, form = _form_for(case, form_name, agency, existing.release if existing else None, at)
    result = validate_answers(form, answers, case=case_facts(case, release.id), draft=True)
    if not result.ok:
        raise InvalidAnswers(result.problems)
    before = dict(existing.answers) if existing else {}
    submission = existing or FormSubmission(
        case=case, form_name=form_name, agency=agency, release=release.id, created_by=by,
        created_at=at,
    )  # fmt: skip
    submission.answers = result.answers
    submission.updated_at = at
    submission.save()
    if result.identifiers or existing is not None:
        _save_identifiers(submission, result.identifiers)
    record(
        "save_draft",
        by=by,
        obj=submission,
        case=case,
        at=at,
        changes=changed_values(before, result.answers),
        detail={"form": form_name, "agency": agency.code if agency else None},
    )
    return submission


@transaction.atomic
def submit_form(*, case, form_name, answers, by, agency=None, at=None):
    """Submit a complete form (creating it, or completing its draft) and update the case.

    Submitting the same answers again (a retried request, a re-imported file) returns the
    submitted form unchanged; different answers to a submitted form need `amend_form`."""
    at = at or timezone.now()
    case = _locked(case)
    existing = _existing(case, form_name, agency)
    release, form = _form_for(case, form_name, agency, existing.release if existing else None, at)
    result = validate_answers(form, answers, case=case_facts(case, release.id))
    if not result.ok:
        raise InvalidAnswers(result.problems)
    if existing is not None and existing.status != SubmissionStatus.DRAFT:
        if existing.answers == result.answers and _identifiers_of(existing) == result.identifiers:
            return existing
        raise ActionRefused("This form has already been submitted; amend it instead.")
    before = dict(existing.answers) if existing else {}
    submission = existing or FormSubmission(
        case=case, form_name=form_name, agency=agency, release=release.id, created_by=by,
        created_at=at,
    )  # fmt: skip
    submission.answers = result.answers
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by = by
    submission.submitted_at = at
    submission.updated_at = at
    submission.save()
    if result.identifiers or existing is not None:
        _save_identifiers(submission, result.identifiers)
    if agency is not None:
        FormRequest.objects.filter(
            case=case, form_name=form_name, agency=agency, returned_at=None
        ).update(returned_at=at)
    _after_form_change(case, form, submission, at)
    record(
        "submit_form",
        by=by,
        obj=submission,
        case=case,
        at=at,
        changes=changed_values(before, result.answers),
        detail={"form": form_name, "agency": agency.code if agency else None,
                "release": submission.release},
    )  # fmt: skip
    return submission


@transaction.atomic
def amend_form(*, submission, answers, by, reason, at=None):
    """Change a submitted form. The earlier answers stay in the audit trail, with the reason."""
    at = at or timezone.now()
    submission = FormSubmission.objects.select_for_update().get(pk=submission.pk)
    case = submission.case
    if submission.status == SubmissionStatus.DRAFT:
        raise ActionRefused("This form is still a draft; submit it instead of amending it.")
    if not str(reason or "").strip():
        raise ActionRefused("Say why the form is being amended.")
    form = get_dictionary().release(submission.release).form(submission.form_name)
    if form.kind == "notification":
        result = validate_answers(form, answers)
    else:
        result = validate_answers(form, answers, case=case_facts(case, submission.release))
    if not result.ok:
        raise InvalidAnswers(result.problems)
    before = dict(submission.answers)
    old_identifiers = getattr(submission, "identifiers", None)
    before_identifiers = dict(old_identifiers.values) if old_identifiers else {}
    submission.answers = result.answers
    submission.status = SubmissionStatus.AMENDED
    submission.revision += 1
    submission.updated_at = at
    submission.save()
    _save_identifiers(submission, result.identifiers)
    if form.kind == "notification":
        _promote_notification(case, submission, result.identifiers)
        case.updated_at = at
        case.save()
    else:
        _after_form_change(case, form, submission, at)
    identifier_changes = sorted(changed_values(before_identifiers, result.identifiers))
    record(
        "amend_form",
        by=by,
        obj=submission,
        case=case,
        at=at,
        changes=changed_values(before, result.answers),
        detail={
            "form": submission.form_name,
            "revision": submission.revision,
            "reason": str(reason).strip(),
            # Which identifiers changed, never their values: the audit log is not a copy of them.
            "identifiers_changed": identifier_changes,
        },
    )
    return submission


_PROMOTED_BY_FORMS = [
    "category_of_death",
    "modifiable_factors",
    "review_date",
    "status",
    "updated_at",
]


def _after_form_change(case, form, submission, at):
    if form.kind == "analysis":
        answers = answers_as_of(submission, get_dictionary().latest.id)
        case.category_of_death = _code(answers.get("category_of_death"))
        case.modifiable_factors = _code(answers.get("modifiable_factors"))
        review = answers.get("review_date")
        case.review_date = date.fromisoformat(review) if isinstance(review, str) else None
    if case.status == CaseStatus.NOTIFIED and form.kind in ("reporting", "supplementary"):
        case.status = CaseStatus.GATHERING
    case.updated_at = at
    case.save(update_fields=_PROMOTED_BY_FORMS)


@transaction.atomic
def change_case_status(*, case, to, by, at=None, note=""):
    """Move a case through its review, along the lifecycle table."""
    at = at or timezone.now()
    case = _locked(case)
    target = CaseStatus(to)
    if not lifecycle.can_move(case.status, target):
        allowed = ", ".join(sorted(s.label for s in lifecycle.TRANSITIONS[CaseStatus(case.status)]))
        raise ActionRefused(
            f"A case cannot move from {CaseStatus(case.status).label} to {target.label}; "
            f"from here it can move to: {allowed}."
        )
    if target in lifecycle.ENTRY_CONDITIONS:
        _, message = lifecycle.ENTRY_CONDITIONS[target]
        has_analysis = case.submissions.filter(
            form_name="analysis", status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.AMENDED]
        ).exists()
        if not has_analysis:
            raise ActionRefused(message)
    before = case.status
    case.status = target
    case.updated_at = at
    case.save()
    record(
        "change_case_status",
        by=by,
        obj=case,
        at=at,
        changes={"status": [before, target.value]},
        detail={"note": note} if note else None,
    )
    return case


@transaction.atomic
def resolve_duplicate(*, case, decision, by, at=None):
    """Settle a possible duplicate: `distinct` (a different death) or `linked` (the same death as
    the case it matched; this notification is then closed and left out of analyses)."""
    at = at or timezone.now()
    case = _locked(case)
    if case.duplicate_status != DuplicateStatus.POSSIBLE:
        raise ActionRefused("This case is not waiting for a duplicate decision.")
    original = case.duplicate_of
    if decision == "distinct":
        case.duplicate_status = DuplicateStatus.DISTINCT
        case.duplicate_of = None
    elif decision == "linked":
        case.duplicate_status = DuplicateStatus.LINKED
        case.status = CaseStatus.CLOSED
    else:
        raise ActionRefused("Decide 'distinct' (a different death) or 'linked' (the same death).")
    case.updated_at = at
    case.save()
    record(
        "resolve_duplicate",
        by=by,
        obj=case,
        at=at,
        changes={"duplicate_status": [DuplicateStatus.POSSIBLE.value, case.duplicate_status]},
        detail={"original": original.reference, "decision": decision},
    )
    return case


@transaction.atomic
def view_identifiers(*, case, by, at=None):
    """The child's direct identifiers from the notification, recording that `by` saw them."""
    identifiers = Identifiers.objects.filter(
        submission__case=case, submission__form_name="notification"
    ).first()
    record(
        "view_identifiers",
        by=by,
        obj=case,
        at=at,
        detail={"fields": sorted(identifiers.values) if identifiers else []},
    )
    return dict(identifiers.values) if identifiers else {}


@transaction.atomic
def request_reporting_form(*, case, agency, by, due_in_days=28, contact=None, at=None):
    """Ask an agency for its reporting form about a case."""
    at = at or timezone.now()
    case = _locked(case)
    if agency.type != OrganisationType.AGENCY:
        raise ActionRefused(f"{agency.name} is not an agency.")
    if FormRequest.objects.filter(case=case, form_name="reporting", agency=agency).exists():
        raise ActionRefused(f"A reporting form has already been requested from {agency.name}.")
    request = FormRequest.objects.create(
        case=case,
        form_name="reporting",
        agency=agency,
        contact=contact,
        requested_at=at,
        due_date=(at + timedelta(days=due_in_days)).date(),
    )
    if case.status == CaseStatus.NOTIFIED:
        case.status = CaseStatus.GATHERING
        case.updated_at = at
        case.save()
    record(
        "request_reporting_form",
        by=by,
        obj=request,
        case=case,
        at=at,
        detail={"agency": agency.code, "due_date": request.due_date.isoformat()},
    )
    return request


@transaction.atomic
def create_user(*, username, role, by, organisation=None, email="", password=None, **names):
    from .models import Role, User

    role = Role(role)
    needs = {
        Role.CDOP_ADMIN: OrganisationType.CDOP,
        Role.CDOP_MEMBER: OrganisationType.CDOP,
        Role.AGENCY_REPORTER: OrganisationType.AGENCY,
        Role.PARTNER_CONTACT: OrganisationType.PARTNER,
    }.get(role)
    if needs and (organisation is None or organisation.type != needs):
        raise ActionRefused(f"A {role.label} must belong to a {OrganisationType(needs).label}.")
    user = User(username=username, email=email, role=role, organisation=organisation, **names)
    user.is_staff = user.is_superuser = role == Role.NATIONAL_ADMIN
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        "create_user",
        by=by,
        obj=user,
        organisation=organisation.code if organisation else "",
        changes={"username": [None, username], "role": [None, role.value]},
    )
    return user


@transaction.atomic
def set_user_active(*, user, active, by):
    """Let a user sign in again, or stop them. Users are never deleted, so that their forms and
    audit events keep their author."""
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        "set_user_active",
        by=by,
        obj=user,
        organisation=organisation_code(user.organisation_id) if user.organisation_id else "",
        changes={"is_active": [not active, active]},
    )
    return user


@transaction.atomic
def save_organisation(*, code, name, type, by, parent=None, **fields):
    """Create or update one organisation (used by the reference data loader)."""
    organisation = Organisation.objects.filter(code=code).first()
    before = _organisation_values(organisation) if organisation else {}
    organisation = organisation or Organisation(code=code)
    organisation.name = name
    organisation.type = type
    organisation.parent = parent
    for key, value in fields.items():
        setattr(organisation, key, value)
    after = _organisation_values(organisation)
    if before == after:
        return organisation
    organisation.save()
    record(
        "save_organisation",
        by=by,
        obj=organisation,
        organisation=code,
        changes=changed_values(before, after),
    )
    return organisation


def _organisation_values(organisation):
    return {
        "name": organisation.name,
        "type": organisation.type,
        "parent": organisation.parent.code if organisation.parent_id else None,
        "agency_type": organisation.agency_type,
        "child_population": organisation.child_population,
    }


# Draft notifications: a notification saved before it is complete, before any case exists.


def _locked_draft(draft):
    from .models import NotificationDraft

    found = NotificationDraft.objects.select_for_update().filter(pk=draft.pk).first()
    if found is None:
        raise ActionRefused(
            "This draft notification has already been submitted or discarded: look for the "
            "death in the case list, or start a new notification."
        )
    return found


def _draft_identifiers(draft):
    from .models import NotificationDraftIdentifiers

    found = NotificationDraftIdentifiers.objects.filter(draft=draft).first()
    return dict(found.values) if found else {}


@transaction.atomic
def save_notification_draft(*, cdop, answers, by, draft=None, at=None):
    """Save a notification that is not finished, to resume later: no case is made and no
    duplicate search runs until it is submitted. As for any draft, incomplete answers are
    fine but each answer given must be a valid answer (a real date, a code from its list).

    Checked against the release in force today, the one `notify_death` will use. Direct
    identifiers are kept apart from the answers; the audit event names the identifiers that
    changed, never their values."""
    from .models import NotificationDraft, NotificationDraftIdentifiers

    at = at or timezone.now()
    if cdop.type != OrganisationType.CDOP:
        raise ActionRefused(f"{cdop.name} is not a CDOP; deaths are notified to a CDOP.")
    release = get_dictionary().release_on(at.date())
    result = validate_answers(release.form("notification"), answers, draft=True)
    if not result.ok:
        raise InvalidAnswers(result.problems)
    if not result.answers and not result.identifiers:
        raise ActionRefused("Answer at least one question before saving a draft.")
    creating = draft is None
    if creating:
        draft = NotificationDraft(cdop=cdop, created_by=by, created_at=at)
        before, before_identifiers, before_cdop = {}, {}, None
    else:
        draft = _locked_draft(draft)
        before, before_identifiers = dict(draft.answers), _draft_identifiers(draft)
        before_cdop = organisation_code(draft.cdop_id)
    draft.cdop = cdop
    draft.release = release.id
    draft.answers = result.answers
    draft.updated_by = by
    draft.updated_at = at
    draft.save()
    NotificationDraftIdentifiers.objects.update_or_create(
        draft=draft, defaults={"values": result.identifiers}
    )
    changes = changed_values(before, result.answers)
    if before_cdop != cdop.code:
        changes["cdop"] = [before_cdop, cdop.code]
    record(
        "create_notification_draft" if creating else "update_notification_draft",
        by=by,
        obj=draft,
        at=at,
        organisation=cdop.code,
        changes=changes,
        detail={
            "release": release.id,
            # Which identifiers changed, never their values: the audit log is not a copy of them.
            "identifiers_changed": sorted(changed_values(before_identifiers, result.identifiers)),
        },
    )
    return draft


@transaction.atomic
def read_notification_draft_identifiers(*, draft, by, at=None):
    """The direct identifiers saved in a draft notification, to show them again for finishing
    it; every reading is audited, as `view_identifiers` is for a case."""
    values = _draft_identifiers(draft)
    record(
        "view_draft_identifiers",
        by=by,
        obj=draft,
        at=at,
        organisation=organisation_code(draft.cdop_id),
        detail={"fields": sorted(values), "purpose": "finish draft notification"},
    )
    return values


@transaction.atomic
def submit_notification_draft(*, draft, answers, by, cdop=None, client_reference="", at=None):
    """Notify the death a draft was started for, with the answers as now completed, to the
    draft's CDOP (or `cdop`, when the national team chooses another): the answers are checked
    in full and the case made by `notify_death` (duplicate search included), and the draft,
    with its identifiers, is deleted. Invalid answers raise `InvalidAnswers` and leave the
    draft as it was."""
    at = at or timezone.now()
    draft = _locked_draft(draft)
    case = notify_death(
        cdop=cdop or draft.cdop, answers=answers, by=by, at=at, client_reference=client_reference
    )
    record(
        "submit_notification_draft",
        by=by,
        obj=draft,
        case=case,
        at=at,
        detail={"draft": draft.pk, "created_by": getattr(draft.created_by, "username", "")},
    )
    draft.delete()
    return case


@transaction.atomic
def discard_notification_draft(*, draft, by, at=None):
    """Delete a draft notification that will not be submitted, with its identifiers. The audit
    event names the questions it had answered, never the answers."""
    draft = _locked_draft(draft)
    record(
        "discard_notification_draft",
        by=by,
        obj=draft,
        at=at,
        organisation=organisation_code(draft.cdop_id),
        detail={
            "answered": sorted(draft.answers),
            "identifiers_discarded": sorted(_draft_identifiers(draft)),
            "created_by": getattr(draft.created_by, "username", ""),
        },
    )
    draft.delete()
