"""The bulk writer's raw INSERTs store exactly what `notify_death` stores, row for row.

The same varied notifications are recorded twice from the same starting registry: once through
`notify_death` one row at a time, then (after rolling that back) through `import_file`, whose
writing pass is `ncmd.registry.bulk.import_notifications`. Every column of every case,
submission, identifiers row and audit event is compared as the database holds it (read with a
raw cursor, so a date or JSON value stored in another form would differ); ids and the random
case references are replaced by the row's client reference on both sides.
"""

import csv
import datetime
import random

import pytest
from django.db import connection, transaction

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.identifiers import with_check_digit
from ncmd.registry import actions
from ncmd.registry.models import Identifiers, PostcodeLookup
from ncmd.submissions.imports.importer import import_file
from ncmd.synthetic.postcodes import lookup_rows, postcodes_for


class _RolledBack(Exception):
    pass


def _nhs_numbers():
    serial = 0
    while True:
        serial += 1
        number = with_check_digit(f"943{serial:06d}")
        if number:
            yield number


def varied_rows(release_id, at, count, seed):
    """Valid notifications that differ in every way the writer treats differently: specials,
    blanks, postcodes with and without a deprivation decile, ages in every band, duplicates by
    NHS number and by facts (in pairs, so that the original is never ambiguous)."""
    release = get_dictionary().release(release_id)
    form = release.form("notification")
    summary = "circumstances_summary" if "circumstances_summary" in form.fields else "summary"
    draw = random.Random(seed)
    numbers = _nhs_numbers()
    known = postcodes_for(0, 3)[:5] + postcodes_for(1, 8)[:5]
    rows = []
    for index in range(count):
        died = at.date() - datetime.timedelta(days=draw.randrange(1, 700))
        born = died - datetime.timedelta(days=draw.choice([0, 3, 40, 400, 2000, 5000, 6500]))
        expected = draw.random() < 0.5
        row = {
            "client_reference": f"EQ-{index}",
            "nhs_number": next(numbers),
            "given_name": draw.choice(["Ava", "Noah", "Mia"]),
            "family_name": "Example",
            "date_of_birth": born.isoformat(),
            "sex": draw.choice([c.code for c in release.codelists["sex"].codes]),
            "ethnicity": draw.choice(["A", "J", "R", "Z", "not known"]),
            "home_postcode": draw.choice([*known, "ZZ9 9ZZ", "not known"]),
            "date_of_death": died.isoformat(),
            "time_of_death": draw.choice(["", "04:30", "not known"]),
            "place_of_death": "home_of_normal_residence",
            "expected_death": "expected" if expected else "unexpected",
            "jar_triggered": "" if expected else "yes",
            "suspected_stillbirth_at_home": "no",
            "circumstances": "none_of_these" if expected else "sudden_unexpected_infant",
            summary: "Died after a long illness.",
            "agencies_involved": "acute_health;police",
            "known_to_social_care": draw.choice(["", "no", "yes"]),
            "home_address": draw.choice(["", "1 Station Road"]),
        }
        if row["known_to_social_care"] == "yes":
            row["looked_after"] = draw.choice(["no", "not known"])
        if draw.random() < 0.15:
            row["nhs_number"] = "not known"
            row["nhs_number_absent_reason"] = draw.choice(
                [c.code for c in release.codelists["nhs_number_absent_reason"].codes]
            )
        rows.append(row)
    # Duplicates: by NHS number of an earlier row, and by the facts of an earlier row.
    for later, earlier in ((7, 2), (19, 11), (33, 30)):
        if later < count:
            for row in (rows[earlier], rows[later]):
                row.pop("nhs_number_absent_reason", None)
            rows[earlier]["nhs_number"] = rows[later]["nhs_number"] = next(numbers)
    for later, earlier in ((9, 4), (26, 25)):
        if later < count:
            rows[later]["nhs_number"] = "not known"
            rows[later]["nhs_number_absent_reason"] = rows[earlier].get(
                "nhs_number_absent_reason", "not_available"
            )
            rows[earlier]["home_postcode"] = known[0]
            for name in ("date_of_birth", "date_of_death", "sex", "home_postcode"):
                rows[later][name] = rows[earlier][name]
    # The same client reference twice: the second row changes nothing.
    if count > 40:
        rows[40] = {**rows[3]}
    return rows


def write_csv(path, rows):
    headers = list(dict.fromkeys(k for row in rows for k in row))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


def stored_rows():
    """Every row the notifications wrote, as the database holds it, with ids and references
    replaced by client references."""
    with connection.cursor() as cursor:

        def table(name, where=""):
            cursor.execute(f"SELECT * FROM {name} {where}")  # noqa: S608 - fixed names
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

        cases = table("registry_case")
        submissions = table("registry_formsubmission")
        identifiers = table("registry_identifiers")
        events = table("registry_auditevent", "WHERE action = 'notify_death'")
    name_of = {c["id"]: c["client_reference"] or c["reference"] for c in cases}
    by_reference = {c["reference"]: name_of[c["id"]] for c in cases}
    submission_case = {s["id"]: s["case_id"] for s in submissions}
    for case in cases:
        case["reference"] = None
        case["duplicate_of_id"] = name_of.get(case["duplicate_of_id"])
    for submission in submissions:
        submission["case_id"] = name_of[submission["case_id"]]
    for row in identifiers:
        row["submission_id"] = name_of[submission_case[row["submission_id"]]]
    for event in events:
        event["object_id"] = name_of[int(event["object_id"])]
        event["case_reference"] = by_reference[event["case_reference"]]
        detail = event["detail"]
        for reference, name in by_reference.items():
            detail = detail.replace(reference, name) if isinstance(detail, str) else detail
        event["detail"] = detail
    result = {}
    for label, rows, key in (
        ("case", cases, "client_reference"),
        ("submission", submissions, "case_id"),
        ("identifiers", identifiers, "submission_id"),
        ("event", events, "object_id"),
    ):
        for row in rows:
            row.pop("id")
        result[label] = sorted(rows, key=lambda r, k=key: str(r[k]))
    return result


@pytest.mark.parametrize(
    "at",
    [
        # The release in force is the latest one.
        datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC),
        # An earlier release: the promoted columns hold the latest release's codes.
        datetime.datetime(2024, 6, 3, 14, 30, 5, 123456, tzinfo=datetime.UTC),
    ],
)
@pytest.mark.parametrize("ids", ["numbered", "read back"])
def test_bulk_import_stores_every_column_exactly_as_notify_death(
    users, world, tmp_path, at, ids, monkeypatch
):
    if ids == "read back":
        # As when another transaction's rows take ids between the batch's (not on SQLite).
        from ncmd.registry import bulk

        monkeypatch.setattr(
            bulk._Table, "insert_numbered", lambda table, cursor, rows: table.insert(cursor, rows)
        )
    PostcodeLookup.objects.bulk_create(
        [PostcodeLookup(**row) for row in lookup_rows(2)], ignore_conflicts=True
    )
    release_id = get_dictionary().release_on(at.date()).id
    rows = varied_rows(release_id, at, 45, seed=at.year)
    admin = users["cdop_admin"]
    cdop = world["tees"]
    # Cases already in the registry that rows of the file duplicate.
    for name, earlier in (("PRE-1", rows[5]), ("PRE-2", rows[12])):
        answers = {k: v for k, v in earlier.items() if k != "client_reference"}
        actions.notify_death(cdop=cdop, answers=answers, by=admin, at=at, client_reference=name)
    before = stored_rows()

    try:
        with transaction.atomic():
            for row in rows:
                answers = {k: v for k, v in row.items() if k != "client_reference"}
                actions.notify_death(
                    cdop=cdop, answers=answers, by=admin, at=at,
                    client_reference=row["client_reference"],
                )  # fmt: skip
            one_by_one = stored_rows()
            raise _RolledBack
    except _RolledBack:
        pass
    assert stored_rows() == before

    # Batches of 8: duplicates and repeated references fall across batches as well as within.
    run = import_file(
        path=write_csv(tmp_path / "deaths.csv", rows), form_name="notification", by=admin,
        at=at, batch_size=8,
    )  # fmt: skip
    assert run.status == "imported", run.problems
    assert (run.created, run.unchanged) == (44, 1)
    flagged = [c for c in one_by_one["case"] if c["duplicate_status"] == "possible"]
    assert run.possible_duplicates == len(flagged) - len(
        [c for c in before["case"] if c["duplicate_status"] == "possible"]
    )
    assert len(flagged) >= 7
    imported = stored_rows()
    assert len(imported["case"]) == len(before["case"]) + 44
    assert imported["case"] == one_by_one["case"]
    assert imported["submission"] == one_by_one["submission"]
    assert imported["identifiers"] == one_by_one["identifiers"]
    assert imported["event"] == one_by_one["event"]


def test_references_drawn_for_a_batch_look_like_every_other_reference():
    import re

    from ncmd.registry.bulk import _new_references

    references = _new_references(5000)
    assert len(set(references)) == 5000
    assert all(re.fullmatch(r"CD-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", r) for r in references)
    # Every letter of the alphabet turns up in every position (5,000 draws of 32 letters).
    for position in (3, 4, 5, 6, 8, 9, 10, 11):
        assert len({r[position] for r in references}) == 32


def test_duplicate_queries_by_facts_find_every_match_within_the_parameter_limit(users, world):
    from django.test.utils import CaptureQueriesContext

    from ncmd.registry.bulk import _IDS_PER_QUERY, _SAME_FACTS, _candidates

    at = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)
    rows = varied_rows(get_dictionary().release_on(at.date()).id, at, 6, seed=3)
    for row in rows:
        answers = {k: v for k, v in row.items() if k != "client_reference"}
        actions.notify_death(cdop=world["tees"], answers=answers, by=users["cdop_admin"], at=at)
    recorded = set(
        Identifiers.objects.exclude(postcode_district="")
        .exclude(submission__case__sex="")
        .values_list(
            "submission__case__date_of_birth",
            "submission__case__date_of_death",
            "submission__case__sex",
            "postcode_district",
        )  # fmt: skip
    )
    assert len(recorded) >= 3
    # 1,000 sets of facts that match nothing, with the recorded ones spread among them.
    day = datetime.date(2001, 1, 1)
    wanted = sorted(
        {(day + datetime.timedelta(days=d), day + datetime.timedelta(days=d + 9), "F", "TS1")
         for d in range(1000)} | recorded
    )  # fmt: skip
    # Dates as query parameters (text on SQLite); found, they are dates again.
    adapt = connection.ops.adapt_datefield_value
    wanted = [(adapt(born), adapt(died), sex, district) for born, died, sex, district in wanted]
    with CaptureQueriesContext(connection) as queries:
        found = _candidates(_SAME_FACTS, wanted)
    assert set(found) == recorded
    per_query = _IDS_PER_QUERY // 4
    assert len(queries) == -(-len(wanted) // per_query) > 1
    # A near miss (another postcode district, sex or day) is not a match.
    born, died, sex, district = sorted(recorded)[0]
    misses = [(born, died, sex, "ZZ9"), (born, died + datetime.timedelta(days=1), sex, district)]
    misses = [(adapt(b), adapt(d), s, k) for b, d, s, k in misses]
    assert _candidates(_SAME_FACTS, misses) == {}
