"""Set-based versions of the registry's actions, for bulk imports.

`actions.notify_death` locks, queries and saves once per notification: about 100 a second. A file
of 100,000 notifications needs the same result in a few statements per batch.
`import_notifications` records a batch exactly as `notify_death` records each of its rows (the
same case, submission, identifiers, promoted columns, duplicate flag and audit event), in one
transaction. Answers are checked first, row by row, by `validate_notification`, which is the one
validator plus the same sense checks `notify_death` makes.

The rows are written as raw `executemany` INSERTs through Django's cursor, one statement per table
and batch, with the values built straight into tuples: Django's `bulk_create` spends most of its
time preparing the ~60 values of each notification's four rows one field at a time. The columns
that are the same for every row of a batch (status, times, author, release, revision) are taken
from a model instance the ORM prepares once, so they cannot drift from what the ORM would write;
tests compare every column of every row with `notify_death`'s. The database's own constraints
(check constraints, unique client references and references, foreign keys, the audit log's
triggers) apply to these INSERTs as to any other.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.identifiers import postcode_district
from ncmd.dictionary.validation import validate_answers

from .actions import (
    _REFERENCE_ALPHABET,
    ActionRefused,
    _code,
    _new_case_and_notification,
    _notification_sense,
)
from .audit import organisation_code
from .facts import age_band, answers_as_of
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

_ALPHABET = _REFERENCE_ALPHABET
assert len(_ALPHABET) == 32, "references take 5 random bits per character"
# Values per IN list when reading back what a batch wrote (under SQLite's 999-parameter limit).
_IDS_PER_QUERY = 900


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


class _Pending:
    """One row on its way to becoming a case: its promoted columns, reference and, once
    written, its case and submission ids."""

    __slots__ = ("row", "cdop", "promoted", "reference", "pk", "submission_id", "original")

    def __init__(self, row, cdop, promoted):
        self.row, self.cdop, self.promoted = row, cdop, promoted
        self.reference = ""
        self.pk = self.submission_id = self.original = None


def release_for(at):
    """The release a notification made at `at` is checked against, as in `notify_death`."""
    return get_dictionary().release_on(at.date())


def validate_notification(*, cdop, raw, at, client_reference="", key=None):
    """Check one notification's raw answers as `notify_death` does: (ValidNotification, []) or
    (None, problems)."""
    release = release_for(at)
    form = release.form("notification")
    result = validate_answers(form, raw)
    if result.ok:
        result.problems += _notification_sense(form, result.answers, at)
    if not result.ok:
        return None, result.problems
    valid = ValidNotification(
        cdop_id=cdop.pk,
        release=release.id,
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
    promote = _Promoter()
    slots, pending = [], []
    for row in rows:
        known = earlier.get((row.cdop_id, row.client_reference)) if row.client_reference else None
        if known is not None:
            # Recorded before, or earlier in this batch (its reference is given on saving).
            slots.append((row.key, known))
            continue
        item = _Pending(row, cdops[row.cdop_id], promote(row))
        pending.append(item)
        slots.append(item)
        if row.client_reference:
            earlier[(row.cdop_id, row.client_reference)] = item
    _add_deprivation(pending)
    _flag_duplicates(pending)
    _save(pending, by, at)
    return [_outcome(slot) for slot in slots]


def _outcome(slot):
    if isinstance(slot, tuple):
        key, known = slot
        reference = known.reference if isinstance(known, _Pending) else known
        return Outcome(key, reference, created=False)
    original = slot.original.reference if slot.original else None
    return Outcome(slot.row.key, slot.reference, created=True, possible_duplicate_of=original)


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
    found = {}
    for cdop_id in sorted({c for c, _ in wanted}):
        references = sorted(r for c, r in wanted if c == cdop_id)
        for start in range(0, len(references), _IDS_PER_QUERY):
            # The condition of the unique index on (cdop, client reference), word for word,
            # so that SQLite seeks in that partial index rather than reading the CDOP's cases.
            rows_found = _query(
                "SELECT client_reference, reference FROM registry_case "
                "WHERE NOT (client_reference = '') AND client_reference IN ({}) "
                "AND cdop_id = %s",
                references[start : start + _IDS_PER_QUERY],
                extra=(cdop_id,),
            )
            found.update({(cdop_id, r): reference for r, reference in rows_found})
    return found


def _query(sql, *in_lists, extra=()):
    """Rows of a read query with one `{}` for each IN list of values, then `extra` parameters.
    Raw SQL, written so that SQLite takes the selective index: without statistics its planner
    can otherwise read every case or notification for each query."""
    lists = [", ".join(["%s"] * len(values)) for values in in_lists]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(*lists), [v for values in in_lists for v in values] + [*extra])
        return cursor.fetchall()


class _Promoter:
    """`actions._promote_notification` as a function of one row's answers: the case's promoted
    columns (the latest release's codes), except the deprivation decile, which needs the
    postcode and is looked up for the whole batch by `_add_deprivation`."""

    def __init__(self):
        latest = get_dictionary().latest
        self.latest_id = latest.id
        ethnicity_list = latest.codelists.get("ethnicity")
        self.ethnicity_groups = (
            {code: (c.group or "") for code, c in ethnicity_list.by_code.items()}
            if ethnicity_list
            else {}
        )

    def __call__(self, row):
        submission = SimpleNamespace(
            form_name="notification", answers=row.answers, release=row.release
        )
        answers = answers_as_of(submission, self.latest_id)
        born, died = answers.get("date_of_birth"), answers.get("date_of_death")
        born = date.fromisoformat(born) if isinstance(born, str) else None
        died = date.fromisoformat(died) if isinstance(died, str) else None
        ethnicity = _code(answers.get("ethnicity"))
        return {
            "date_of_birth": born,
            "date_of_death": died,
            "age_days": (died - born).days if born and died else None,
            "age_band": age_band(born, died) if born and died else "",
            "sex": _code(answers.get("sex")),
            "ethnicity": ethnicity,
            "ethnicity_group": self.ethnicity_groups.get(ethnicity, ""),
            "expected_death": _code(answers.get("expected_death")),
            "imd_decile": None,
            "imd_edition": "",
        }


def _add_deprivation(pending):
    """The deprivation decile of each row's home postcode, from one query for the batch."""
    # A "not known" postcode is a dict ({"special": ...}) and has no decile.
    wanted = sorted(
        {c for p in pending if isinstance(c := p.row.identifiers.get("home_postcode"), str)}
    )
    lookup = {}
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        found = PostcodeLookup.objects.filter(
            postcode__in=wanted[start : start + _IDS_PER_QUERY]
        ).values_list("postcode", "imd_decile", "imd_edition")
        lookup.update({postcode: (decile, edition) for postcode, decile, edition in found})
    for item in pending:
        postcode = item.row.identifiers.get("home_postcode")
        found = lookup.get(postcode) if isinstance(postcode, str) else None
        if found:
            item.promoted["imd_decile"], item.promoted["imd_edition"] = found


# The cases (not linked duplicates) whose notification matches, in the case list's own order
# (`Case.Meta.ordering`), so that the first per value is the one `.first()` picks in
# `actions._find_duplicate`. `form_name || ''` keeps SQLite off the index on form name, which
# would read every notification.
_SAME_NHS_NUMBER = (
    "SELECT c.id, c.reference, c.date_of_birth, c.date_of_death, c.sex, i.nhs_number "
    "FROM registry_identifiers i "
    "JOIN registry_formsubmission s ON s.id = i.submission_id "
    "JOIN registry_case c ON c.id = s.case_id "
    "WHERE i.nhs_number IN ({}) AND s.form_name || '' = %s AND NOT (c.duplicate_status = %s) "
    "ORDER BY c.date_of_death DESC, c.reference"
)
_SAME_BIRTH = (
    "SELECT c.id, c.reference, c.date_of_birth, c.date_of_death, c.sex, i.postcode_district "
    "FROM registry_case c "
    "JOIN registry_formsubmission s ON s.case_id = c.id "
    "JOIN registry_identifiers i ON i.submission_id = s.id "
    "WHERE c.date_of_birth IN ({}) AND COALESCE(c.date_of_death, c.date_of_death) IN ({}) "
    "AND s.form_name || '' = %s AND NOT (c.duplicate_status = %s) "
    "ORDER BY c.date_of_death DESC, c.reference"
)
assert Case._meta.ordering == ["-date_of_death", "reference"], "update the duplicate queries"


def _flag_duplicates(pending):
    """`actions._find_duplicate` for the batch: an existing case (or an earlier row of this
    batch) with the same NHS number, else the same date of birth, sex, date of death and
    postcode district, makes the row a possible duplicate of it."""
    numbers = sorted(
        {n for p in pending if isinstance(n := p.row.identifiers.get("nhs_number"), str)}
    )
    by_number = {}
    for found in _candidates(_SAME_NHS_NUMBER, numbers):
        by_number.setdefault(found.key, found)
    by_facts = {}
    wanted = {facts for p in pending if (facts := _facts(p)) is not None}
    for births, deaths in _birth_chunks(wanted):
        # The cases born on the batch's dates of birth (the leading column of the index on
        # date of birth, sex and date of death) that died on one of those children's dates of
        # death (a filter: COALESCE keeps SQLite off the index on date of death, which would
        # read every death on those days), matched on sex and postcode district here.
        for found in _candidates(_SAME_BIRTH, _dates(births), _dates(deaths)):
            facts = (found.date_of_birth, found.date_of_death, found.sex, found.key)
            if facts in wanted:
                by_facts.setdefault(facts, found)
    for item in pending:
        number = item.row.identifiers.get("nhs_number")
        original = by_number.get(number) if isinstance(number, str) else None
        facts = _facts(item)
        if original is None and facts is not None:
            original = by_facts.get(facts)
        item.original = original
        # Later rows of the batch see this one, as notify_death would have saved it by then.
        if isinstance(number, str):
            by_number.setdefault(number, item)
        if facts is not None:
            by_facts.setdefault(facts, item)


def _birth_chunks(wanted):
    """(dates of birth, their dates of death) for the facts wanted, in pairs of IN lists of at
    most `_IDS_PER_QUERY` values together."""
    deaths_of = {}
    for born, died, _, _ in wanted:
        deaths_of.setdefault(born, set()).add(died)
    births, deaths = [], set()
    for born in sorted(deaths_of):
        theirs = deaths_of[born]
        # The size of `deaths | theirs` without building it (`theirs` is small, `deaths` not).
        if births and len(births) + 1 + len(deaths) + len(theirs - deaths) > _IDS_PER_QUERY:
            yield births, deaths
            births, deaths = [], set()
        if len(theirs) >= _IDS_PER_QUERY:  # one date of birth with very many dates of death
            ordered = sorted(theirs)
            for start in range(0, len(ordered), _IDS_PER_QUERY - 1):
                yield [born], ordered[start : start + _IDS_PER_QUERY - 1]
            continue
        births.append(born)
        deaths |= theirs
    if births:
        yield births, deaths


def _candidates(sql, *in_lists):
    """The cases `sql` finds, one query per chunk of the first IN list (the others whole)."""
    first, others = in_lists[0], in_lists[1:]
    found = []
    for start in range(0, len(first), _IDS_PER_QUERY):
        rows = _query(
            sql, first[start : start + _IDS_PER_QUERY], *others,
            extra=("notification", DuplicateStatus.LINKED.value),
        )  # fmt: skip
        for pk, reference, born, died, sex, key in rows:
            found.append(_Found(pk, reference, _as_date(born), _as_date(died), sex, key))
    return found


def _dates(values):
    return [connection.ops.adapt_datefield_value(v) for v in sorted(values)]


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _facts(item):
    promoted = item.promoted
    district = postcode_district(item.row.identifiers.get("home_postcode"))
    born, died, sex = promoted["date_of_birth"], promoted["date_of_death"], promoted["sex"]
    if born and died and sex and isinstance(district, str):
        return (born, died, sex, district)
    return None


@dataclass(frozen=True)
class _Found:
    """A case already recorded that a row may duplicate, with the value it matched on."""

    pk: int
    reference: str
    date_of_birth: date | None
    date_of_death: date | None
    sex: str
    key: str


# Writing -------------------------------------------------------------------------------------


class _Table:
    """One table's INSERT statement, with the values every row of a batch shares prepared once
    by the ORM from `template`, and the names of the columns each row fills in itself."""

    def __init__(self, model, template, own):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        self.columns = [f.attname for f in fields]
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - names from the model
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        self.shared = {
            f.attname: f.get_db_prep_save(getattr(template, f.attname), connection)
            for f in fields
            if f.attname not in own
        }
        missing = set(own) - set(self.columns)
        assert not missing, f"{model.__name__} has no columns {missing}"
        getter = itemgetter(*self.columns)
        self.values = getter if len(self.columns) > 1 else lambda row: (getter(row),)

    def insert(self, cursor, rows):
        """Insert one tuple per row dict (its own columns; the shared ones are added)."""
        shared, values = self.shared, self.values
        cursor.executemany(self.sql, [values({**shared, **row}) for row in rows])


_CASE_COLUMNS = (
    "reference", "client_reference", "cdop_id", "region_id", "date_of_birth", "date_of_death",
    "age_days", "age_band", "sex", "ethnicity", "ethnicity_group", "imd_decile", "imd_edition",
    "expected_death", "duplicate_of_id", "duplicate_status",
)  # fmt: skip
_AUDIT_COLUMNS = ("object_id", "case_reference", "organisation", "changes", "detail")


def _save(pending, by, at):
    if not pending:
        return
    ops = connection.ops
    # The case and submission notify_death would make, prepared by the ORM once, for the
    # columns that are the same in every row of the batch.
    first = pending[0]
    case, submission = _new_case_and_notification(
        cdop=first.cdop, release_id=first.row.release, answers={}, by=by, at=at,
        reference="", client_reference="",
    )  # fmt: skip
    cases = _Table(Case, case, _CASE_COLUMNS)
    submissions = _Table(FormSubmission, submission, ("case_id", "release", "answers"))
    identifiers = _Table(
        Identifiers, Identifiers(), ("submission_id", "values", "nhs_number", "postcode_district")
    )
    audit = _Table(
        AuditEvent,
        AuditEvent(
            at=at, actor_id=getattr(by, "pk", None),
            actor=getattr(by, "username", "") or "system", action="notify_death",
            object_type="Case",
        ),
        _AUDIT_COLUMNS,
    )  # fmt: skip
    _give_references(pending)
    with connection.cursor() as cursor:
        waiting = pending
        while waiting:
            # A case flagged as a duplicate of an earlier row of the batch is saved after it.
            ready = [p for p in waiting if p.original is None or p.original.pk is not None]
            cases.insert(cursor, [_case_row(p, ops) for p in ready])
            ids = _read_back(cursor, Case, "reference", [p.reference for p in ready])
            for item in ready:
                item.pk = ids[item.reference]
            waiting = [p for p in waiting if p.pk is None]
        submissions.insert(
            cursor,
            [
                {"case_id": p.pk, "release": p.row.release,
                 "answers": ops.adapt_json_value(p.row.answers, None)}
                for p in pending
            ],
        )  # fmt: skip
        by_case = _read_back(
            cursor, FormSubmission, "case_id", [p.pk for p in pending],
            "form_name = 'notification' AND agency_id IS NULL",
        )  # fmt: skip
        for item in pending:
            item.submission_id = by_case[item.pk]
        identifiers.insert(cursor, [_identifiers_row(p, ops) for p in pending])
        audit.insert(cursor, [_audit_row(p, ops) for p in pending])


def _case_row(item, ops):
    row = dict(item.promoted)
    row["date_of_birth"] = ops.adapt_datefield_value(row["date_of_birth"])
    row["date_of_death"] = ops.adapt_datefield_value(row["date_of_death"])
    row.update(
        reference=item.reference,
        client_reference=item.row.client_reference,
        cdop_id=item.cdop.pk,
        region_id=item.cdop.region.pk,
        duplicate_of_id=item.original.pk if item.original else None,
        duplicate_status=DuplicateStatus.POSSIBLE.value if item.original else "",
    )
    return row


def _identifiers_row(item, ops):
    values = item.row.identifiers
    nhs_number = values.get("nhs_number")
    district = postcode_district(values.get("home_postcode"))
    return {
        "submission_id": item.submission_id,
        "values": ops.adapt_json_value(values, None),
        "nhs_number": nhs_number if isinstance(nhs_number, str) else "",
        "postcode_district": district if isinstance(district, str) else "",
    }


def _audit_row(item, ops):
    """The event `audit.record("notify_death", ...)` writes for this case."""
    row = item.row
    detail = {
        "release": row.release,
        "identifiers_recorded": sorted(row.identifiers),
        "possible_duplicate_of": item.original.reference if item.original else None,
    }
    return {
        "object_id": str(item.pk),
        "case_reference": item.reference,
        "organisation": organisation_code(item.cdop.pk) or "",
        "changes": ops.adapt_json_value({k: [None, v] for k, v in row.answers.items()}, None),
        "detail": ops.adapt_json_value(detail, None),
    }


def _read_back(cursor, model, key, keys, where="1 = 1"):
    """{key: id} for the rows of `model` just written, read in IN lists of bounded size."""
    found = {}
    table = connection.ops.quote_name(model._meta.db_table)
    for start in range(0, len(keys), _IDS_PER_QUERY):
        chunk = keys[start : start + _IDS_PER_QUERY]
        cursor.execute(
            f"SELECT {key}, id FROM {table} "  # noqa: S608 - names from the model
            f"WHERE {where} AND {key} IN ({', '.join(['%s'] * len(chunk))})",
            chunk,
        )
        found.update(cursor.fetchall())
    return found


def _new_references(count):
    """`count` references as `actions.new_reference` makes them (CD-XXXX-XXXX, eight characters
    of its 32-letter alphabet, each from the operating system's secure random source), drawn
    from one call for the batch: 32 letters are 5 bits each, so 5 random bytes give exactly one
    reference, with every reference equally likely."""
    random = secrets.token_bytes(5 * count)
    references = []
    for start in range(0, 5 * count, 5):
        number = int.from_bytes(random[start : start + 5], "big")
        body = "".join(_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
        references.append(f"CD-{body[:4]}-{body[4:]}")
    return references


def _give_references(pending):
    """A new reference for each case, different from every other case's."""
    references = {}
    while len(references) < len(pending):
        for reference in _new_references(len(pending) - len(references)):
            references.setdefault(reference, None)
        wanted = list(references)
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            for reference in Case.objects.filter(reference__in=chunk).values_list(
                "reference", flat=True
            ):
                references.pop(reference)
    for item, reference in zip(pending, references, strict=True):
        item.reference = reference
