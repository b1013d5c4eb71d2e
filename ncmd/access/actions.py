"""Every change to research data access: registering researchers, writing and versioning
requests, moving them through their lifecycle, assessing, building and releasing extracts,
downloads and output checking. Each writes its audit event in the same transaction."""

import datetime
import hashlib
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ncmd.registry.actions import ActionRefused, create_user, set_user_active
from ncmd.registry.audit import changed_values, record
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import Role
from ncmd.stats.disclosure import DisclosureRule

from . import extract as extracting
from . import lifecycle, outputs, policies
from .catalogue import catalogue
from .models import (
    AccessRequest,
    Assessment,
    Extract,
    OutputCheck,
    OutputStatus,
    RequestStatus,
    RequestVersion,
    ResearcherProfile,
    ResearcherStatus,
    Safe,
    StatusChange,
    Verdict,
    VersionKind,
)

S = RequestStatus
EDITABLE_FIELDS = (
    "title",
    "lay_summary",
    "public_benefit",
    "funder",
    "legal_basis",
    "legal_basis_detail",
    "ethics_committee",
    "ethics_reference",
    "ethics_approved_on",
    "confidentiality",
    "confidentiality_detail",
    "opt_out_handling",
    "fields",
    "period_from",
    "period_to",
    "age_bands",
    "regions",
    "population_notes",
    "storage_location",
    "security_assurance",
    "who_will_see",
    "needed_until",
    "change_summary",
)


class AccessRefused(ActionRefused):
    """Not allowed now; the message says what to do instead."""


def access_dir():
    root = Path(policies.setting("NCMD_ACCESS_DIR", Path(settings.VAR_DIR) / "access"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def _name(user):
    return getattr(user, "username", "") or "system"


# Researchers ------------------------------------------------------------------------------


@transaction.atomic
def register_researcher(
    *,
    username,
    email,
    password,
    first_name,
    last_name,
    institution,
    job_title,
    training_certificate,
    training_completed_on,
    at=None,
):
    """A researcher's own sign-up: an account that cannot sign in until a reviewer approves the
    person (safe people)."""
    user = create_user(
        username=username,
        role=Role.RESEARCHER,
        by=None,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_active=False,
    )
    save_researcher_details(
        user=user,
        by=user,
        institution=institution,
        job_title=job_title,
        training_certificate=training_certificate,
        training_completed_on=training_completed_on,
        at=at,
    )
    return user


@transaction.atomic
def save_researcher_details(
    *, user, by, institution, job_title, training_certificate, training_completed_on, at=None
):
    """Record or change a researcher's institution and training. A change is approved again."""
    if user.role != Role.RESEARCHER:
        raise AccessRefused("Only researchers have researcher details.")
    if by is not None and by.pk != user.pk:
        raise AccessRefused("Researchers give their own details.")
    at = at or timezone.now()
    _check_lengths(
        ResearcherProfile,
        {
            "institution": institution.strip(),
            "job_title": job_title.strip(),
            "training_certificate": training_certificate.strip(),
        },
    )
    if training_completed_on > at.date():
        raise AccessRefused("The training date cannot be in the future.")
    profile = ResearcherProfile.objects.filter(user=user).first()
    before = _profile_values(profile) if profile else {}
    profile = profile or ResearcherProfile(user=user, registered_at=at)
    profile.institution = institution.strip()
    profile.job_title = job_title.strip()
    profile.training_certificate = training_certificate.strip()
    profile.training_completed_on = training_completed_on
    after = _profile_values(profile)
    if before == after:
        return profile
    profile.status, profile.decided_at, profile.decided_by = ResearcherStatus.PENDING, None, ""
    profile.save()
    record(
        "save_researcher_details", by=by or user, obj=profile, changes=changed_values(before, after)
    )
    return profile


def _profile_values(profile):
    return {
        "institution": profile.institution,
        "job_title": profile.job_title,
        "training_certificate": profile.training_certificate,
        "training_completed_on": profile.training_completed_on.isoformat(),
    }


@transaction.atomic
def decide_researcher(*, profile, approve, note, by, at=None):
    """A reviewer accepts a researcher (who may then sign in and submit) or declines them."""
    if not policies.is_reviewer(by):
        raise AccessRefused("Only a data access reviewer can approve researchers.")
    if profile.user_id == by.pk:
        raise AccessRefused("You cannot approve yourself.")
    if not approve and not note.strip():
        raise AccessRefused("Say why the researcher is declined.")
    status = ResearcherStatus.APPROVED if approve else ResearcherStatus.DECLINED
    before = profile.status
    profile.status, profile.decided_at, profile.decided_by = (
        status,
        at or timezone.now(),
        by.username,
    )
    profile.decision_note = note.strip()
    profile.save()
    record(
        "decide_researcher",
        by=by,
        obj=profile,
        changes={"status": [before, status]},
        detail={"note": profile.decision_note, "user": profile.user.username},
    )
    if approve:
        set_user_active(user=profile.user, active=True, by=by)
    return profile


# Requests and versions ---------------------------------------------------------------------


def _new_reference(at):
    prefix = f"DAR-{at:%Y}-"
    last = (
        AccessRequest.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


@transaction.atomic
def create_request(*, title, by, at=None):
    if not has_permission(by, Permission.APPLY_FOR_DATA):
        raise AccessRefused("Only researchers can apply for data.")
    if not title.strip():
        raise AccessRefused("Enter the project's title.")
    _check_lengths(RequestVersion, {"title": title.strip()})
    at = at or timezone.now()
    request = AccessRequest.objects.create(
        reference=_new_reference(at),
        applicant=by,
        created_at=at,
        updated_at=at,
        pseudonym_key=secrets.token_hex(32),
    )
    version = RequestVersion.objects.create(
        request=request, number=1, kind=VersionKind.APPLICATION, created_at=at, title=title.strip()
    )
    record("create_access_request", by=by, obj=request, detail={"title": version.title})
    return request


def editable_version(request):
    """The version the applicant may change now, or None."""
    version = request.current
    if request.status in (S.DRAFT, S.MORE_INFORMATION):
        return version
    if request.status in (S.DATA_RELEASED,) and version.submitted_at is None:
        return version  # an amendment or extension being drafted
    return None


@transaction.atomic
def save_version(*, version, by, values, at=None):
    """Change the applicant's draft. `values` holds any of EDITABLE_FIELDS."""
    request = AccessRequest.objects.select_for_update().get(pk=version.request_id)
    if by.pk != request.applicant_id:
        raise AccessRefused("Only the applicant can change the application.")
    if editable_version(request) != version:
        raise AccessRefused(
            f"The application cannot be changed while it is {request.get_status_display().lower()}."
        )
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if version.kind == VersionKind.EXTENSION and "fields" in values:
        approved = set(request.approved_version.approved_fields)
        if {entry["field"] for entry in values["fields"]} - approved:
            raise AccessRefused(
                "An extension keeps the approved fields; to add fields, make an amendment instead."
            )
    _check_lengths(RequestVersion, values)
    items = catalogue()
    for entry in values.get("fields", []):
        item = items.get(entry.get("field"))
        if item is None:
            raise AccessRefused(f"{entry.get('field')!r} is not a field that can be requested.")
        if entry.get("coarsening") not in item.coarsenings:
            raise AccessRefused(f"Choose how to coarsen {item.label}.")
    before = {name: _plain(getattr(version, name)) for name in values}
    version = request.versions.get(pk=version.pk)
    for name, value in values.items():
        setattr(version, name, value)
    version.save()
    request.updated_at = at or timezone.now()
    request.save(update_fields=["updated_at"])
    after = {name: _plain(getattr(version, name)) for name in values}
    record(
        "save_access_request",
        by=by,
        obj=request,
        changes=changed_values(before, after),
        detail={"version": version.number},
    )
    return version


def _check_lengths(model, values):
    """Refuse text longer than its column holds, naming the field."""
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise AccessRefused(
                f"{field.verbose_name.capitalize()} is too long: at most {limit} characters."
            )


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def start_change(*, request, kind, by, at=None):
    """A new version (amendment or extension) copied from the approved one, as a draft."""
    kind = VersionKind(kind)
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if by.pk != request.applicant_id:
        raise AccessRefused("Only the applicant can amend or extend the request.")
    if kind == VersionKind.APPLICATION:
        raise ValueError("a change is an amendment or an extension")
    if request.status != S.DATA_RELEASED:
        raise AccessRefused("A request can be amended or extended once its data are released.")
    current = request.current
    if current.submitted_at is None:
        raise AccessRefused(f"Version {current.number} is already being drafted: finish it.")
    approved = request.approved_version
    at = at or timezone.now()
    copy = RequestVersion.objects.get(pk=approved.pk)
    copy.pk = None
    copy.number = current.number + 1
    copy.kind = kind
    copy.change_summary = ""
    copy.created_at = at
    copy.submitted_at = copy.approved_at = copy.approved_until = None
    copy.approved_by = copy.conditions = ""
    copy.approved_fields = {}
    copy.save()
    request.updated_at = at
    request.save(update_fields=["updated_at"])
    record(
        "start_access_change",
        by=by,
        obj=request,
        detail={"version": copy.number, "kind": kind.value},
    )
    return copy


# The lifecycle --------------------------------------------------------------------------------


def _who(request, transition, by):
    """Which of the transition's parties `by` acts as, or a refusal."""
    if by is None:
        if lifecycle.SYSTEM in transition.who:
            return lifecycle.SYSTEM
        raise AccessRefused(f"'{transition.label}' needs a person to do it.")
    if (
        lifecycle.APPLICANT in transition.who
        and by.pk == request.applicant_id
        and has_permission(by, Permission.APPLY_FOR_DATA)
    ):
        return lifecycle.APPLICANT
    if lifecycle.REVIEWER in transition.who and policies.is_reviewer(by):
        if by.pk == request.applicant_id:
            raise AccessRefused("You cannot review your own request.")
        return lifecycle.REVIEWER
    parties = " or ".join(
        "the applicant" if w == lifecycle.APPLICANT else f"a {w}" for w in transition.who
    )
    raise AccessRefused(f"Only {parties} can {transition.label[0].lower()}{transition.label[1:]}.")


def _requirement_problems(name, request, version, note, context):
    if name == "complete_application":
        return [message for _, message in policies.application_problems(version)]
    if name == "approved_researcher":
        problem = policies.researcher_problem(request.applicant)
        return [problem] if problem else []
    if name == "note":
        return (
            [] if note.strip() else ["Write a note: what you ask, your response, or your reasons."]
        )
    if name == "five_safes":
        problem = policies.five_safes_problem(version)
        return [problem] if problem else []
    if name == "approved_fields":
        return [
            m
            for _, m in policies.approval_problems(
                version, context.get("approved_fields"), context.get("approved_until")
            )
        ]
    if name == "first_application":
        return (
            [
                "This request was approved before: refuse the change instead, which keeps the "
                "earlier approval."
            ]
            if request.approved_version
            else []
        )
    if name in ("change_of_released", "extension_of_released"):
        kinds = (
            (VersionKind.EXTENSION,)
            if name == "extension_of_released"
            else (VersionKind.AMENDMENT, VersionKind.EXTENSION)
        )
        if version.kind not in kinds or not policies.holds_data(request):
            what = "an extension" if name == "extension_of_released" else "a change"
            return [f"This version is not {what} of a request whose data were released."]
        if name == "extension_of_released":
            return [
                m
                for _, m in policies.approval_problems(
                    version, request.approved_version.approved_fields, context.get("approved_until")
                )
                if "field" not in m
            ]
        return []
    if name == "passing_extract":
        extract = context.get("extract")
        if extract is None or extract.request_id != request.pk:
            return ["Choose an extract of this request to release."]
        if extract.version_id != request.approved_version.pk:
            return [
                "The extract was built for an earlier version: build one for the approved version."
            ]
        if extract.released_at is not None:
            return ["This extract was already released."]
        if not extract.passes:
            return [
                f"The extract fails the disclosure risk check: its smallest group has "
                f"{extract.smallest_group} children, below the minimum of "
                f"{extract.minimum_group}. Coarsen or drop quasi-identifiers and build it "
                "again."
            ]
        return []
    if name == "change_drafted":
        if version.kind == VersionKind.APPLICATION or version.submitted_at is not None:
            return ["Start an amendment or extension first."]
        return [message for _, message in policies.application_problems(version)]
    if name == "data_were_released":
        released = request.extracts.filter(released_at__isnull=False).exists()
        return [] if released else ["No data were released under this request."]
    if name == "declaration":
        destroyed_on = context.get("destroyed_on")
        problems = []
        if not str(context.get("declaration", "")).strip():
            problems.append("Describe how and where every copy of the data was destroyed.")
        if not isinstance(destroyed_on, datetime.date):
            problems.append("Enter the date the data were destroyed.")
        elif destroyed_on > timezone.localdate():
            problems.append("The date the data were destroyed cannot be in the future.")
        return problems
    raise KeyError(name)


@transaction.atomic
def move_request(*, request, transition, by, note="", at=None, **context):
    """Move `request` by the named transition of `lifecycle.TRANSITIONS`, or refuse with every
    reason at once. Context: approved_fields, approved_until, conditions (approve);
    approved_until (approve_extension); extract (release); declaration, destroyed_on
    (declare_destruction)."""
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    try:
        step = lifecycle.BY_NAME[transition]
    except KeyError:
        raise AccessRefused(f"There is no step called {transition!r}.") from None
    current = RequestStatus(request.status)
    if current not in step.sources:
        allowed = ", ".join(t.label.lower() for t in lifecycle.allowed(current)) or "nothing"
        raise AccessRefused(
            f"'{step.label}' is not possible while the request is {current.label.lower()}. "
            f"Possible now: {allowed}."
        )
    role = _who(request, step, by)
    version = request.current
    problems = [
        p
        for name in step.requires
        for p in _requirement_problems(name, request, version, note, context)
    ]
    if problems:
        raise AccessRefused(" ".join(problems))
    at = at or timezone.now()
    detail = _apply(step.name, request, version, by, at, context)
    request.status = step.target
    request.updated_at = at
    request.save()
    StatusChange.objects.create(
        request=request,
        version_number=version.number,
        transition=step.name,
        from_status=current,
        to_status=step.target,
        at=at,
        by=_name(by),
        by_role=role,
        note=note.strip(),
    )
    record(
        f"access_{step.name}",
        by=by,
        obj=request,
        at=at,
        changes={"status": [current.value, step.target.value]},
        detail={"version": version.number, "note": note.strip(), **detail},
    )
    return request


def _apply(name, request, version, by, at, context):
    """The side effects of a move, and what the audit event should say about them."""
    if name in ("submit", "respond", "submit_change"):
        version.submitted_at = at
        version.save(update_fields=["submitted_at"])
        return {}
    if name in ("approve", "approve_extension"):
        fields = (
            context["approved_fields"]
            if name == "approve"
            else dict(request.approved_version.approved_fields)
        )
        version.approved_at, version.approved_by = at, by.username
        version.approved_fields = fields
        version.approved_until = context["approved_until"]
        version.conditions = str(context.get("conditions", "")).strip()
        version.save()
        request.expires_on = version.approved_until
        if name == "approve_extension":
            request.extracts.filter(released_at__isnull=False).update(
                expires_on=version.approved_until
            )
        return {
            "approved_fields": fields,
            "approved_until": version.approved_until.isoformat(),
            "conditions": version.conditions,
        }
    if name == "release":
        extract = context["extract"]
        extract.released_at, extract.released_by = at, by.username
        extract.expires_on = request.expires_on
        extract.save(update_fields=["released_at", "released_by", "expires_on"])
        return {
            "extract": extract.pk,
            "snapshot": extract.snapshot_id,
            "snapshot_hash": extract.snapshot_hash,
            "fields": extract.fields,
            "rows": extract.row_count,
            "sha256": extract.data_sha256,
            "expires_on": extract.expires_on.isoformat() if extract.expires_on else None,
        }
    if name == "close":
        days = policies.setting("NCMD_ACCESS_DESTRUCTION_DAYS", 30)
        if request.extracts.filter(released_at__isnull=False).exists():
            request.destruction_due_on = at.date() + datetime.timedelta(days=days)
        return {
            "destruction_due_on": request.destruction_due_on.isoformat()
            if request.destruction_due_on
            else None
        }
    if name == "declare_destruction":
        request.destroyed_on = context["destroyed_on"]
        request.destruction_declaration = str(context["declaration"]).strip()
        return {
            "destroyed_on": request.destroyed_on.isoformat(),
            "declaration": request.destruction_declaration,
        }
    return {}


# Review --------------------------------------------------------------------------------------


@transaction.atomic
def assess_safe(*, version, safe, verdict, notes, by, at=None):
    """Record (or change) a reviewer's assessment of one of the Five Safes."""
    request = AccessRequest.objects.get(pk=version.request_id)
    if not policies.is_reviewer(by):
        raise AccessRefused("Only a data access reviewer can assess a request.")
    if by.pk == request.applicant_id:
        raise AccessRefused("You cannot review your own request.")
    if request.status != S.UNDER_REVIEW or version != request.current:
        raise AccessRefused("Start the review of the current version before assessing it.")
    safe, verdict = Safe(safe), Verdict(verdict)
    if not notes.strip():
        raise AccessRefused(f"Write your notes on {safe.label.lower()}.")
    assessment = Assessment.objects.filter(version=version, safe=safe).first()
    before = {"verdict": assessment.verdict, "notes": assessment.notes} if assessment else {}
    assessment = assessment or Assessment(version=version, safe=safe)
    assessment.verdict, assessment.notes = verdict, notes.strip()
    assessment.assessed_at, assessment.assessed_by = at or timezone.now(), by.username
    assessment.save()
    record(
        "assess_access_request",
        by=by,
        obj=request,
        changes=changed_values(before, {"verdict": verdict.value, "notes": assessment.notes}),
        detail={"version": version.number, "safe": safe.value},
    )
    return assessment


# Extracts ------------------------------------------------------------------------------------


@transaction.atomic
def build_extract(*, request, snapshot, by, fields=None, at=None):
    """Build an extract of the approved version from `snapshot`. `fields` may drop approved
    fields or coarsen them further, never add or refine. The disclosure risk check runs here;
    an extract that fails it is kept (so the reviewer sees why) but cannot be released."""
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if not policies.is_reviewer(by):
        raise AccessRefused("Only a data access reviewer can build an extract.")
    if request.status not in (S.APPROVED, S.DATA_RELEASED):
        raise AccessRefused("Build an extract once the request is approved.")
    if snapshot.deleted_at is not None:
        raise AccessRefused(f"Snapshot {snapshot.pk} was deleted: choose another.")
    version = request.approved_version
    approved = version.approved_fields
    fields = dict(approved if fields is None else fields)
    items = catalogue()
    for name, coarsening in fields.items():
        if name not in approved:
            raise AccessRefused(f"{name} is not an approved field.")
        if coarsening not in items[name].coarsenings or not items[name].at_least_as_coarse(
            coarsening, approved[name]
        ):
            raise AccessRefused(f"{items[name].label} may only be coarsened further than approved.")
    if not fields:
        raise AccessRefused("Keep at least one field in the extract.")
    # The order the applicant listed them in (a JSON object's key order is not kept by
    # PostgreSQL's jsonb, so the approval's own order cannot be relied on).
    listed = [entry["field"] for entry in version.fields]
    order = listed + sorted(set(approved) - set(listed))
    fields = {name: fields[name] for name in order if name in fields}
    at = at or timezone.now()
    population = extracting.Population(
        version.period_from, version.period_to, tuple(version.age_bands), tuple(version.regions)
    )
    try:
        header, rows = extracting.read_rows(
            snapshot.folder, fields=fields, population=population, key=request.pseudonym_key
        )
    except extracting.ExtractError as error:
        raise AccessRefused(str(error)) from None
    if not rows:
        raise AccessRefused(
            "No death in the snapshot falls in the approved population and "
            "period, so there is nothing to extract."
        )
    minimum = policies.setting("NCMD_EXTRACT_MIN_GROUP", 5)
    risk = extracting.assess_risk(rows, fields, minimum)
    extract = Extract.objects.create(
        request=request,
        version=version,
        snapshot_id=snapshot.pk,
        snapshot_hash=snapshot.content_hash,
        dictionary_release=snapshot.dictionary_release,
        built_at=at,
        built_by=by.username,
        fields=fields,
        quasi_identifiers=risk.quasi_identifiers,
        row_count=len(rows),
        smallest_group=risk.smallest_group,
        minimum_group=minimum,
        small_groups=risk.small_groups,
        folder="",
        data_sha256="",
        package_sha256="",
    )
    folder = access_dir() / "extracts" / request.reference / str(extract.pk)
    data = extracting.csv_bytes(header, rows)
    data_sha256 = hashlib.sha256(data).hexdigest()
    description = extracting.describe(
        request_reference=request.reference,
        version_number=version.number,
        extract_number=extract.pk,
        snapshot=snapshot,
        population=population,
        fields=fields,
        rows=rows,
        risk=risk,
        minimum=minimum,
        built_at=at,
        conditions=version.conditions,
        data_sha256=data_sha256,
    )
    try:
        package_sha256 = extracting.write_package(folder, data=data, description=description)
        extract.folder, extract.data_sha256 = str(folder), data_sha256
        extract.package_sha256 = package_sha256
        extract.save(update_fields=["folder", "data_sha256", "package_sha256"])
        record(
            "build_extract",
            by=by,
            obj=request,
            at=at,
            detail={
                "extract": extract.pk,
                "snapshot": snapshot.pk,
                "fields": fields,
                "rows": len(rows),
                "smallest_group": risk.smallest_group,
                "minimum_group": minimum,
                "passes": extract.passes,
                "sha256": data_sha256,
            },
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return extract


def release_extract(*, extract, by, note="", at=None):
    return move_request(
        request=extract.request, transition="release", by=by, note=note, at=at, extract=extract
    )


@transaction.atomic
def download_extract(*, extract, by, at=None):
    """The path of the extract's package for its applicant; audited. Refused otherwise."""
    allowed, reason = policies.may_download(by, extract)
    if not allowed:
        raise AccessRefused(reason)
    path = Path(extract.folder) / "package.zip"
    if not path.exists():
        raise AccessRefused("The extract's file is missing: ask the reviewers to release it again.")
    record(
        "download_extract",
        by=by,
        obj=extract.request,
        at=at,
        detail={
            "extract": extract.pk,
            "snapshot": extract.snapshot_id,
            "sha256": extract.package_sha256,
        },
    )
    return path


# Output checking -----------------------------------------------------------------------------


@transaction.atomic
def submit_output(*, request, title, purpose, file_name, content, by, at=None):
    """A table the researcher means to publish: read it, run the disclosure checker, keep both
    for a reviewer. A broken file is refused with what is wrong, and nothing is kept."""
    if by.pk != request.applicant_id:
        raise AccessRefused("Only the applicant can submit outputs for checking.")
    if not policies.holds_data(request):
        raise AccessRefused("Outputs can be checked once data have been released to you.")
    if not title.strip():
        raise AccessRefused("Enter a title for the output.")
    limit = policies.setting("NCMD_OUTPUT_MAX_BYTES", 5 * 1024 * 1024)
    if len(content) > limit:
        raise AccessRefused(
            f"The file is larger than {limit // 1024 // 1024 or 1} MB: "
            "outputs for checking are tables of counts."
        )
    if not content:
        raise AccessRefused("The file is empty.")
    safe_name = Path(file_name).name[-200:]
    try:
        tables = outputs.read_tables(safe_name, content)
    except outputs.OutputError as error:
        raise AccessRefused(str(error)) from None
    rule = DisclosureRule(
        policies.setting("NCMD_DISCLOSURE_SUPPRESS_FROM", 1),
        policies.setting("NCMD_DISCLOSURE_SUPPRESS_TO", 7),
        policies.setting("NCMD_DISCLOSURE_ROUNDING", 5),
    )
    findings = [{"table": t.title, **f} for t in tables for f in outputs.check_table(t, rule)]
    at = at or timezone.now()
    output = OutputCheck.objects.create(
        request=request,
        title=title.strip(),
        purpose=purpose.strip(),
        file_name=safe_name,
        stored_path="",
        sha256=hashlib.sha256(content).hexdigest(),
        submitted_at=at,
        submitted_by=by.username,
        tables=[t.as_json() for t in tables],
        findings=findings,
    )
    folder = access_dir() / "outputs" / request.reference
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{output.pk}{Path(safe_name).suffix.lower()}"
    path.write_bytes(content)
    output.stored_path = str(path)
    output.save(update_fields=["stored_path"])
    record(
        "submit_output",
        by=by,
        obj=request,
        at=at,
        detail={
            "output": output.pk,
            "title": output.title,
            "file": safe_name,
            "sha256": output.sha256,
            "findings": len(findings),
        },
    )
    return output


@transaction.atomic
def check_output(*, output, cleared, notes, by, at=None):
    """A reviewer clears an output for publication, or refuses it with reasons."""
    if not policies.is_reviewer(by):
        raise AccessRefused("Only a data access reviewer can check outputs.")
    if by.pk == output.request.applicant_id:
        raise AccessRefused("You cannot check your own outputs.")
    if output.status != OutputStatus.SUBMITTED:
        raise AccessRefused("This output was already checked.")
    if not notes.strip() and (not cleared or output.findings):
        raise AccessRefused(
            "Give your reasons: why it is refused, or why the checker's "
            "findings do not stop its publication."
        )
    output.status = OutputStatus.CLEARED if cleared else OutputStatus.REFUSED
    output.checked_at, output.checked_by = at or timezone.now(), by.username
    output.reviewer_notes = notes.strip()
    output.save()
    record(
        "check_output",
        by=by,
        obj=output.request,
        at=at,
        changes={"status": [OutputStatus.SUBMITTED.value, output.status]},
        detail={"output": output.pk, "notes": output.reviewer_notes},
    )
    return output
