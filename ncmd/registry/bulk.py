"""Set-based versions of the registry's actions, for bulk imports.

`actions.notify_death` locks, queries and saves once per notification: about 100 a second. A file
of 100,000 notifications needs the same result in a few statements per batch.
`import_notifications` records a batch exactly as `notify_death` records each of its rows (the
same case, submission, identifiers, promoted columns, duplicate flag and audit event), in one
transaction. Answers are checked first, row by row, by `validate_notification`, which is the one
validator plus the same sense checks `notify_death` makes, and which also works out everything
about the row that needs no database (the case's promoted columns, the JSON documents), so that
checking workers do it and the one process that writes only runs SQL.

The rows are written as raw `executemany` INSERTs through Django's cursor, one statement per table
and batch, with the values built straight into tuples: Django's `bulk_create` spends most of its
time preparing the ~60 values of each notification's four rows one field at a time. The columns
that are the same for every row of a batch (status, times, author, release, revision) are taken
from a model instance the ORM prepares once, so they cannot drift from what the ORM would write;
tests compare every column of every row with `notify_death`'s. The database's own constraints
(check constraints, unique client references and references, foreign keys, the audit log's
triggers) apply to these INSERTs as to any other.
"""

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import NamedTuple

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


class ValidNotification(NamedTuple):
    """One notification that passed `validate_notification`, ready for `import_notifications`,
    with everything about it that needs no database already worked out: its promoted columns
    and its JSON documents, encoded once. In an import with checking workers this is done in
    the workers, so that the one process that writes only runs SQL."""

    key: object  # the caller's own label for the row (a row number), passed back
    cdop_id: int
    release: str
    client_reference: str
    case_columns: tuple  # the case's promoted columns (`_PROMOTED_COLUMNS`), as query values
    facts: tuple | None  # (date of birth, date of death, sex, postcode district), if all given
    answers: str  # the answers, as JSON
    identifiers: str  # the identifiers, as JSON
    changes: str  # the audit event's changes ({field: [None, answer]}), as JSON
    detail: str  # the audit event's detail for a case that duplicates none, as JSON
    identifier_names: list  # the identifiers recorded, sorted, for the audit event
    nhs_number: str  # "" when not given
    home_postcode: str  # "" when not given
    postcode_district: str  # "" when there is no postcode


@dataclass(slots=True)
class Outcome:
    """What became of one row: `created` a case, or `unchanged` (its client reference names a
    case already recorded)."""

    key: object
    reference: str
    created: bool
    possible_duplicate_of: str | None = None


class _Pending:
    """One row on its way to becoming a case: its deprivation decile and edition, reference,
    the case it may duplicate and, once written, its case and submission ids."""

    __slots__ = ("row", "cdop", "deprivation", "reference", "pk", "submission_id", "original")

    def __init__(self, row, cdop):
        self.row, self.cdop = row, cdop
        self.deprivation = (None, "")
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
    answers, identifiers = result.answers, result.identifiers
    nhs_number, postcode = identifiers.get("nhs_number"), identifiers.get("home_postcode")
    # A "not known" identifier is a dict ({"special": ...}): no number, postcode or district.
    district = postcode_district(postcode)
    district = district if isinstance(district, str) else ""
    case_columns, born, died, sex = _promoter()(release.id, answers)
    valid = ValidNotification(
        key=key,
        cdop_id=cdop.pk,
        release=release.id,
        client_reference=client_reference,
        case_columns=case_columns,
        facts=(born, died, sex, district) if born and died and sex and district else None,
        # As Django's JSONField writes them (json.dumps with its default separators).
        answers=json.dumps(answers),
        identifiers=json.dumps(identifiers),
        changes=json.dumps({name: [None, value] for name, value in answers.items()}),
        detail=json.dumps(_audit_detail(release.id, sorted(identifiers), None)),
        identifier_names=sorted(identifiers),
        nhs_number=nhs_number if isinstance(nhs_number, str) else "",
        home_postcode=postcode if isinstance(postcode, str) else "",
        postcode_district=district,
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
        item = _Pending(row, cdops[row.cdop_id])
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
    """Rows of a read query with one `{}` for each list of values, then `extra` parameters. A
    list of plain values becomes an IN list, a list of tuples the rows of a VALUES list. Raw
    SQL, written so that SQLite takes the selective index: without statistics its planner can
    otherwise read every case or notification for each query."""
    lists, parameters = [], []
    for values in in_lists:
        if values and isinstance(values[0], tuple):
            lists.append(", ".join(["(" + ", ".join(["%s"] * len(values[0])) + ")"] * len(values)))
            parameters += [value for row in values for value in row]
        else:
            lists.append(", ".join(["%s"] * len(values)))
            parameters += values
    with connection.cursor() as cursor:
        cursor.execute(sql.format(*lists), parameters + [*extra])
        return cursor.fetchall()


def _promoter():
    """The `_Promoter` of the dictionary now loaded (made again only when another is loaded)."""
    global _PROMOTER
    latest = get_dictionary().latest
    if _PROMOTER is None or _PROMOTER.latest is not latest:
        _PROMOTER = _Promoter(latest)
    return _PROMOTER


_PROMOTER = None


class _Promoter:
    """`actions._promote_notification` as a function of one row's answers: the case's promoted
    columns (the latest release's codes), except the deprivation decile, which needs the
    postcode and is looked up for the whole batch by `_add_deprivation`."""

    def __init__(self, latest):
        self.latest, self.latest_id = latest, latest.id
        ethnicity_list = latest.codelists.get("ethnicity")
        self.ethnicity_groups = (
            {code: (c.group or "") for code, c in ethnicity_list.by_code.items()}
            if ethnicity_list
            else {}
        )

    def __call__(self, release_id, answers):
        """(the values of `_PROMOTED_COLUMNS` as query values, date of birth, date of death,
        sex)."""
        submission = SimpleNamespace(form_name="notification", answers=answers, release=release_id)
        answers = answers_as_of(submission, self.latest_id)
        born, died = answers.get("date_of_birth"), answers.get("date_of_death")
        born = date.fromisoformat(born) if isinstance(born, str) else None
        died = date.fromisoformat(died) if isinstance(died, str) else None
        sex, ethnicity = _code(answers.get("sex")), _code(answers.get("ethnicity"))
        adapt_date = connection.ops.adapt_datefield_value  # needs no connection to the database
        values = (
            adapt_date(born), adapt_date(died),
            (died - born).days if born and died else None,
            age_band(born, died) if born and died else "",
            sex, ethnicity, self.ethnicity_groups.get(ethnicity, ""),
            _code(answers.get("expected_death")),
        )  # fmt: skip
        return values, born, died, sex


def _add_deprivation(pending):
    """The deprivation decile of each row's home postcode, from one query for the batch."""
    wanted = sorted({p.row.home_postcode for p in pending if p.row.home_postcode})
    lookup = {}
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        found = _query(
            f"SELECT postcode, imd_decile, imd_edition FROM {PostcodeLookup._meta.db_table} "  # noqa: S608 - a name from the model
            "WHERE postcode IN ({})",
            wanted[start : start + _IDS_PER_QUERY],
        )
        lookup.update({postcode: (decile, edition) for postcode, decile, edition in found})
    for item in pending:
        found = lookup.get(item.row.home_postcode)
        if found:
            item.deprivation = found


# The cases (not linked duplicates) whose notification matches, in the case list's own order
# (`Case.Meta.ordering`), so that the first per value is the one `.first()` picks in
# `actions._find_duplicate`. `form_name || ''` keeps SQLite off the index on form name, which
# would read every notification.
_SAME_NHS_NUMBER = (
    "SELECT c.id, c.reference, i.nhs_number "
    "FROM registry_identifiers i "
    "JOIN registry_formsubmission s ON s.id = i.submission_id "
    "JOIN registry_case c ON c.id = s.case_id "
    "WHERE i.nhs_number IN ({}) AND s.form_name || '' = %s AND NOT (c.duplicate_status = %s) "
    "ORDER BY c.date_of_death DESC, c.reference"
)
# The cases with one of the batch's (date of birth, date of death, sex, postcode district). CROSS
# JOIN makes SQLite start from the VALUES list and seek each tuple in the index on date of birth,
# sex and date of death; joined freely, it would choose the index on date of death (for the ORDER
# BY) or on postcode district, and read most of the registry.
_SAME_FACTS = (
    "SELECT c.id, c.reference, c.date_of_birth, c.date_of_death, c.sex, i.postcode_district "
    "FROM (VALUES {}) AS v CROSS JOIN registry_case c "
    "CROSS JOIN registry_formsubmission s CROSS JOIN registry_identifiers i "
    "WHERE c.date_of_birth = v.column1 AND c.date_of_death = v.column2 AND c.sex = v.column3 "
    "AND s.case_id = c.id AND i.submission_id = s.id AND i.postcode_district = v.column4 "
    "AND s.form_name = %s AND NOT (c.duplicate_status = %s) "
    "ORDER BY c.date_of_death DESC, c.reference"
)
assert Case._meta.ordering == ["-date_of_death", "reference"], "update the duplicate queries"


def _flag_duplicates(pending):
    """`actions._find_duplicate` for the batch: an existing case (or an earlier row of this
    batch) with the same NHS number, else the same date of birth, sex, date of death and
    postcode district, makes the row a possible duplicate of it."""
    numbers = sorted({p.row.nhs_number for p in pending if p.row.nhs_number})
    by_number = _candidates(_SAME_NHS_NUMBER, numbers)
    facts_of = [p.row.facts for p in pending]
    adapt = connection.ops.adapt_datefield_value
    by_facts = _candidates(
        _SAME_FACTS,
        sorted({(adapt(born), adapt(died), sex, district) for born, died, sex, district in
                filter(None, facts_of)}),
    )  # fmt: skip
    for item, facts in zip(pending, facts_of, strict=True):
        number = item.row.nhs_number
        original = by_number.get(number) if number else None
        if original is None and facts is not None:
            original = by_facts.get(facts)
        item.original = original
        # Later rows of the batch see this one, as notify_death would have saved it by then.
        if number:
            by_number.setdefault(number, item)
        if facts is not None:
            by_facts.setdefault(facts, item)


def _candidates(sql, values):
    """{value: the first case `sql` finds for it}, for a list of values (or of tuples), in
    queries of bounded size. Each row found is (id, reference, then the value it matched on, a
    date as a date)."""
    size = _IDS_PER_QUERY // (len(values[0]) if values and isinstance(values[0], tuple) else 1)
    found = {}
    for start in range(0, len(values), size):
        rows = _query(
            sql, values[start : start + size],
            extra=("notification", DuplicateStatus.LINKED.value),
        )  # fmt: skip
        for pk, reference, *key in rows:
            found.setdefault(key[0] if len(key) == 1 else tuple(key), _Found(pk, reference))
    return found


class _Found(NamedTuple):
    """A case already recorded that a row may duplicate."""

    pk: int
    reference: str


# Writing -------------------------------------------------------------------------------------


class _Table:
    """One table's INSERT statement: the columns each row fills in itself (`own`, in that order)
    first, then the columns every row of a batch shares, their values prepared once by the ORM
    from `template`; a row is its own values' tuple followed by the shared tuple."""

    def __init__(self, model, template, own):
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        missing = set(own) - set(fields)
        assert not missing, f"{model.__name__} has no columns {missing}"
        shared = [f for name, f in fields.items() if name not in own]
        quote = connection.ops.quote_name
        columns = [fields[name].column for name in own] + [f.column for f in shared]
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - names from the model
            f"({', '.join(quote(column) for column in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.shared = tuple(
            f.get_db_prep_save(getattr(template, f.attname), connection) for f in shared
        )
        self.last_id = f"SELECT max(id) FROM {quote(model._meta.db_table)}"  # noqa: S608

    def insert(self, cursor, rows):
        """Insert one row per tuple of its own values."""
        shared = self.shared
        cursor.executemany(self.sql, [row + shared for row in rows])

    def insert_numbered(self, cursor, rows):
        """`insert`, returning the rows' ids in order when they can be known without reading
        the rows back, else None.

        Every id given is larger than the largest before, and ids are given in the order of the
        rows, so when the largest id grew by exactly the number of rows the ids are the numbers
        in between. On SQLite, which has one writer, that is always so; elsewhere another
        transaction's rows can take ids in between, and then the caller reads them back."""
        cursor.execute(self.last_id)
        before = cursor.fetchone()[0] or 0
        self.insert(cursor, rows)
        cursor.execute(self.last_id)
        after = cursor.fetchone()[0] or 0
        return range(before + 1, after + 1) if after - before == len(rows) else None


# The case's columns that the checking works out from the answers (in `_Promoter`).
_PROMOTED_COLUMNS = (
    "date_of_birth", "date_of_death", "age_days", "age_band", "sex", "ethnicity",
    "ethnicity_group", "expected_death",
)  # fmt: skip
_CASE_COLUMNS = (
    "reference", "client_reference", "cdop_id", "region_id", *_PROMOTED_COLUMNS,
    "imd_decile", "imd_edition", "duplicate_of_id", "duplicate_status",
)  # fmt: skip
_SUBMISSION_COLUMNS = ("case_id", "release", "answers")
_IDENTIFIERS_COLUMNS = ("submission_id", "values", "nhs_number", "postcode_district")
_AUDIT_COLUMNS = ("object_id", "case_reference", "organisation", "changes", "detail")


def _save(pending, by, at):
    if not pending:
        return
    as_json = _json_parameter()
    # The case and submission notify_death would make, prepared by the ORM once, for the
    # columns that are the same in every row of the batch.
    first = pending[0]
    case, submission = _new_case_and_notification(
        cdop=first.cdop, release_id=first.row.release, answers={}, by=by, at=at,
        reference="", client_reference="",
    )  # fmt: skip
    cases = _Table(Case, case, _CASE_COLUMNS)
    submissions = _Table(FormSubmission, submission, _SUBMISSION_COLUMNS)
    identifiers = _Table(Identifiers, Identifiers(), _IDENTIFIERS_COLUMNS)
    audit = _Table(
        AuditEvent,
        AuditEvent(
            at=at, actor_id=getattr(by, "pk", None),
            actor=getattr(by, "username", "") or "system", action="notify_death",
            object_type="Case",
        ),
        _AUDIT_COLUMNS,
    )  # fmt: skip
    region_of = {
        pk: cdop.region.pk for pk, cdop in {p.row.cdop_id: p.cdop for p in pending}.items()
    }
    _give_references(pending)
    with connection.cursor() as cursor:
        waiting = pending
        while waiting:
            # A case flagged as a duplicate of an earlier row of the batch is saved after it.
            ready = [p for p in waiting if p.original is None or p.original.pk is not None]
            ids = cases.insert_numbered(cursor, [_case_row(p, region_of) for p in ready])
            if ids is None:
                found = _read_back(cursor, Case, "reference", [p.reference for p in ready])
                ids = [found[p.reference] for p in ready]
            for item, pk in zip(ready, ids, strict=True):
                item.pk = pk
            waiting = [p for p in waiting if p.pk is None]
        ids = submissions.insert_numbered(
            cursor, [(p.pk, p.row.release, as_json(p.row.answers)) for p in pending]
        )
        if ids is None:
            found = _read_back(
                cursor, FormSubmission, "case_id", [p.pk for p in pending],
                "form_name = 'notification' AND agency_id IS NULL",
            )  # fmt: skip
            ids = [found[p.pk] for p in pending]
        for item, pk in zip(pending, ids, strict=True):
            item.submission_id = pk
        identifiers.insert(
            cursor,
            [
                (p.submission_id, as_json(p.row.identifiers), p.row.nhs_number,
                 p.row.postcode_district)
                for p in pending
            ],
        )  # fmt: skip
        audit.insert(cursor, [_audit_row(p, as_json) for p in pending])


def _json_parameter():
    """JSON text as a query parameter for a JSONField's column: the text itself on SQLite, and
    on PostgreSQL the text marked as jsonb (as Django's own adapter marks it)."""
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return lambda text: Jsonb(text, dumps=str)  # already JSON: written as it is
    return str


def _case_row(item, region_of):
    row, original = item.row, item.original
    return (
        (item.reference, row.client_reference, row.cdop_id, region_of[row.cdop_id])
        + row.case_columns
        + item.deprivation
        + ((original.pk, DuplicateStatus.POSSIBLE.value) if original else (None, ""))
    )


def _audit_row(item, as_json):
    """The event `audit.record("notify_death", ...)` writes for this case."""
    row, original = item.row, item.original
    detail = row.detail
    if original is not None:
        detail = json.dumps(_audit_detail(row.release, row.identifier_names, original.reference))
    return (
        str(item.pk), item.reference, organisation_code(row.cdop_id) or "",
        as_json(row.changes), as_json(detail),
    )  # fmt: skip


def _audit_detail(release_id, identifier_names, duplicate_of):
    return {
        "release": release_id,
        "identifiers_recorded": identifier_names,
        "possible_duplicate_of": duplicate_of,
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


# Base 32 (RFC 4648) writes each 5 bits as one of "A-Z2-7", most significant first: translated
# letter for letter into the references' alphabet, it draws references as `new_reference` does.
_FROM_BASE32 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET.encode())


def _new_references(count):
    """`count` references as `actions.new_reference` makes them (CD-XXXX-XXXX, eight characters
    of its 32-letter alphabet, each from the operating system's secure random source), drawn
    from one call for the batch: 32 letters are 5 bits each, so 5 random bytes give exactly one
    reference, with every reference equally likely."""
    letters = base64.b32encode(secrets.token_bytes(5 * count)).translate(_FROM_BASE32).decode()
    return [f"CD-{letters[i : i + 4]}-{letters[i + 4 : i + 8]}" for i in range(0, 8 * count, 8)]


def _give_references(pending):
    """A new reference for each case, different from every other case's."""
    references = {}
    while len(references) < len(pending):
        for reference in _new_references(len(pending) - len(references)):
            references.setdefault(reference, None)
        wanted = list(references)
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            for (reference,) in _query(
                "SELECT reference FROM registry_case WHERE reference IN ({})", chunk
            ):
                references.pop(reference)
    for item, reference in zip(pending, references, strict=True):
        item.reference = reference
