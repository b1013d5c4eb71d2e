"""Set-based versions of the registry's actions, for bulk imports.

`actions.notify_death` locks, queries and saves once per notification: about 30 a second. A file
of 100,000 notifications needs the same result in a few queries per batch. `import_notifications`
records a batch exactly as `notify_death` records each of its rows (the same case, submission,
identifiers, promoted columns, duplicate flag and audit event) with set queries and `bulk_create`,
in one transaction. Answers are checked first, row by row, by `validate_notification`, which is
the one validator plus the same sense checks `notify_death` makes.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.identifiers import postcode_district
from ncmd.dictionary.validation import validate_answers

from .actions import (
    ActionRefused,
    _new_case_and_notification,
    _notification_sense,
    _promote_notification,
    new_reference,
)
from .audit import organisation_code
from .models import (
    AuditEvent,
    Case,
    DuplicateStatus,
    FormSubmission,
    Identifiers,
    Organisation,
    OrganisationType,
    PostcodeLookup,
)

# Date of birth, date of death and sex triples looked up per query (three parameters each).
_FACTS_PER_QUERY = 200


@dataclass
class ValidNotification:
    """One notification that passed `validate_notification`, ready for `import_notifications`."""

    cdop_id: int
    release: str
    answers: dict
    identifiers: dict
    client_reference: str = ""
    key: object = None  # the caller's own label for the row (a row number), passed back

    def as_json(self):
        return [self.cdop_id, self.release, self.answers, self.identifiers,
                self.client_reference, self.key]  # fmt: skip

    @classmethod
    def from_json(cls, values):
        return cls(*values)


@dataclass
class Outcome:
    """What became of one row: `created` a case, or `unchanged` (its client reference names a
    case already recorded)."""

    key: object
    reference: str
    created: bool
    possible_duplicate_of: str | None = None


@dataclass
class _Pending:
    row: ValidNotification
    case: Case
    submission: FormSubmission
    original: Case | None = None
    extra: dict = field(default_factory=dict)


def release_for(at):
    """The release a notification made at `at` is checked against, as in `notify_death`."""
    return get_dictionary().release_on(at.date())


def validate_notification(*, cdop, raw, at, client_reference="", key=None):
    """Check one notification's raw answers as `notify_death` does: (ValidNotification, []) or
    (None, problems)."""
    form = release_for(at).form("notification")
    result = validate_answers(form, raw)
    if result.ok:
        result.problems += _notification_sense(form, result.answers, at)
    if not result.ok:
        return None, result.problems
    valid = ValidNotification(
        cdop_id=cdop.pk,
        release=release_for(at).id,
        answers=result.answers,
        identifiers=result.identifiers,
        client_reference=client_reference,
        key=key,
    )
    return valid, []


@transaction.atomic
def import_notifications(*, rows, by, at=None):
    """Record a batch of validated notifications (each to its own CDOP) as `notify_death` would
    one at a time, in one transaction. A row whose client reference names a case of its CDOP
    (recorded before, or earlier in the batch) changes nothing. Returns one Outcome per row."""
    at = at or timezone.now()
    rows = list(rows)
    cdops = _cdops({row.cdop_id for row in rows})
    earlier = _earlier_by_client_reference(rows)
    slots, pending = [], []
    for row in rows:
        known = earlier.get((row.cdop_id, row.client_reference)) if row.client_reference else None
        if known is not None:
            # Recorded before, or earlier in this batch (its reference is given on saving).
            slots.append((row.key, known))
            continue
        item = _build(row, cdops[row.cdop_id], by, at)
        pending.append(item)
        slots.append(item)
        if row.client_reference:
            earlier[(row.cdop_id, row.client_reference)] = item
    _promote(pending)
    _flag_duplicates(pending)
    _save(pending, by, at)
    return [_outcome(slot) for slot in slots]


def _outcome(slot):
    if isinstance(slot, tuple):
        key, known = slot
        reference = known.case.reference if isinstance(known, _Pending) else known
        return Outcome(key, reference, created=False)
    original = slot.original.reference if slot.original else None
    return Outcome(slot.row.key, slot.case.reference, created=True, possible_duplicate_of=original)


def _cdops(cdop_ids):
    """The batch's CDOPs by id, each with its parent (the region) loaded."""
    cdops = {o.pk: o for o in Organisation.objects.select_related("parent").filter(pk__in=cdop_ids)}
    not_cdop = [o.name for o in cdops.values() if o.type != OrganisationType.CDOP]
    if not_cdop:
        raise ActionRefused(f"{not_cdop[0]} is not a CDOP; deaths are notified to a CDOP.")
    if len(cdops) != len(cdop_ids):
        raise ActionRefused("A notification names a CDOP that does not exist.")
    return cdops


def _earlier_by_client_reference(rows):
    """{(cdop id, client reference): case reference} for the rows' references already used."""
    wanted = {(r.cdop_id, r.client_reference) for r in rows if r.client_reference}
    if not wanted:
        return {}
    found = Case.objects.filter(
        cdop_id__in={c for c, _ in wanted}, client_reference__in={r for _, r in wanted}
    ).values_list("cdop_id", "client_reference", "reference")
    return {(c, r): reference for c, r, reference in found if (c, r) in wanted}


def _build(row, cdop, by, at):
    case, submission = _new_case_and_notification(
        cdop=cdop, release_id=row.release, answers=row.answers, by=by, at=at, reference="",
        client_reference=row.client_reference,
    )  # fmt: skip
    return _Pending(row, case, submission)


def _promote(pending):
    """`_promote_notification` for every case, with the postcode lookup done in one query."""
    postcodes = {p.row.identifiers.get("home_postcode") for p in pending}
    lookup = {
        found.postcode: found
        for found in PostcodeLookup.objects.filter(
            postcode__in=[p for p in postcodes if isinstance(p, str)]
        )
    }
    for item in pending:
        # Without identifiers the helper promotes everything but the deprivation decile, which
        # needs the postcode: that is looked up here from the batch's one query instead.
        _promote_notification(item.case, item.submission, None)
        found = lookup.get(item.row.identifiers.get("home_postcode"))
        item.case.imd_decile = found.imd_decile if found else None
        item.case.imd_edition = found.imd_edition if found else ""


def _flag_duplicates(pending):
    """`actions._find_duplicate` for the batch: an existing case (or an earlier row of this
    batch) with the same NHS number, else the same date of birth, sex, date of death and
    postcode district, makes the row a possible duplicate of it."""
    others = Case.objects.exclude(duplicate_status=DuplicateStatus.LINKED)
    numbers = {n for p in pending if isinstance(n := p.row.identifiers.get("nhs_number"), str)}
    by_number = {}
    if numbers:
        same_number = others.filter(
            submissions__form_name="notification",
            submissions__identifiers__nhs_number__in=numbers,
        )
        for case in _in_list_order(same_number, "submissions__identifiers__nhs_number"):
            by_number.setdefault(case.found_key, case)
    by_facts = {}
    wanted = sorted({facts[:3] for p in pending if (facts := _facts(p)) is not None})
    for start in range(0, len(wanted), _FACTS_PER_QUERY):
        chunk = wanted[start : start + _FACTS_PER_QUERY]
        # IN lists on the indexed columns (date of birth, sex, date of death), then the exact
        # triples here: an OR of 200 triples would scan the whole table on SQLite.
        same_facts = others.filter(
            date_of_birth__in={b for b, _, _ in chunk},
            sex__in={s for _, _, s in chunk},
            date_of_death__in={d for _, d, _ in chunk},
            submissions__form_name="notification",
        )
        triples = set(chunk)
        for case in _in_list_order(same_facts, "submissions__identifiers__postcode_district"):
            if (case.date_of_birth, case.date_of_death, case.sex) in triples:
                facts = (case.date_of_birth, case.date_of_death, case.sex, case.found_key)
                by_facts.setdefault(facts, case)
    for item in pending:
        number = item.row.identifiers.get("nhs_number")
        original = by_number.get(number) if isinstance(number, str) else None
        facts = _facts(item)
        if original is None and facts is not None:
            original = by_facts.get(facts)
        if original is not None:
            item.original = original
            item.case.duplicate_of = original
            item.case.duplicate_status = DuplicateStatus.POSSIBLE
        # Later rows of the batch see this one, as notify_death would have saved it by then.
        if isinstance(number, str):
            by_number.setdefault(number, item.case)
        if facts is not None:
            by_facts.setdefault(facts, item.case)


def _district(item):
    return postcode_district(item.row.identifiers.get("home_postcode"))


def _facts(item):
    case, district = item.case, _district(item)
    if case.date_of_birth and case.date_of_death and case.sex and isinstance(district, str):
        return (case.date_of_birth, case.date_of_death, case.sex, district)
    return None


def _in_list_order(queryset, key_field):
    """The cases with the matched value as `found_key`, in the case list's own order, so the
    first per key is the one `.first()` picks in `_find_duplicate`."""
    return (
        queryset.annotate(found_key=F(key_field))
        .only("id", "reference", "date_of_birth", "date_of_death", "sex")
        .order_by(*Case._meta.ordering)
    )


def _save(pending, by, at):
    _give_references([p.case for p in pending])
    waiting = list(pending)
    while waiting:
        # A case flagged as a duplicate of an earlier row of the batch is saved after it.
        ready = [p for p in waiting if p.original is None or p.original.pk is not None]
        Case.objects.bulk_create([p.case for p in ready])
        waiting = [p for p in waiting if p.case.pk is None]
    for item in pending:
        item.submission.case = item.case
    FormSubmission.objects.bulk_create([p.submission for p in pending])
    Identifiers.objects.bulk_create([_identifiers(p) for p in pending])
    AuditEvent.objects.bulk_create([_audit_event(p, by, at) for p in pending])


def _give_references(cases):
    """A new reference for each case, different from every other case's."""
    references = {}
    while len(references) < len(cases):
        for _ in range(len(cases) - len(references)):
            references.setdefault(new_reference(), None)
        taken = set(Case.objects.filter(reference__in=list(references)).values_list("reference"))
        for (reference,) in taken:
            references.pop(reference)
    for case, reference in zip(cases, references, strict=True):
        case.reference = reference


def _identifiers(item):
    values = item.row.identifiers
    nhs_number = values.get("nhs_number")
    district = postcode_district(values.get("home_postcode"))
    return Identifiers(
        submission=item.submission,
        values=values,
        nhs_number=nhs_number if isinstance(nhs_number, str) else "",
        postcode_district=district if isinstance(district, str) else "",
    )


def _audit_event(item, by, at: datetime):
    """The event `audit.record("notify_death", ...)` writes for this case."""
    case = item.case
    return AuditEvent(
        at=at,
        actor_id=getattr(by, "pk", None),
        actor=getattr(by, "username", "") or "system",
        action="notify_death",
        object_type="Case",
        object_id=str(case.pk),
        case_reference=case.reference,
        organisation=organisation_code(case.cdop_id) or "",
        changes={k: [None, v] for k, v in item.row.answers.items()},
        detail={
            "release": item.row.release,
            "identifiers_recorded": sorted(item.row.identifiers),
            "possible_duplicate_of": item.original.reference if item.original else None,
        },
    )
