"""The extract: exactly the approved fields and population, no identifier, pseudonyms that
differ between requests, the disclosure risk check that blocks release, and the release log."""

import csv
import datetime
import hashlib
import io
import zipfile

import pytest

from ncmd.access import actions
from ncmd.access.models import RequestStatus
from ncmd.registry.models import AuditEvent, Case, Identifiers
from tests.integration.access.access_fixtures import FIELDS, apply, approve, review

IDENTIFYING = {
    "nhs_number",
    "given_name",
    "family_name",
    "home_address",
    "home_postcode",
    "reference",
    "date_of_birth",
}


def read_package(extract):
    with zipfile.ZipFile(f"{extract.folder}/package.zip") as archive:
        data = archive.read("data.csv")
        description = archive.read("data-description.md").decode()
        sums = archive.read("SHA256SUMS").decode()
    return data, list(csv.DictReader(io.StringIO(data.decode()))), description, sums


def test_an_extract_holds_exactly_the_approved_fields_and_no_identifier(
    approved, snapshot, researchers
):
    reviewer = researchers["data_access_reviewer"]
    extract = actions.build_extract(request=approved, snapshot=snapshot, by=reviewer)
    data, rows, description, sums = read_package(extract)
    header = data.decode().splitlines()[0].split(",")
    assert header == ["pseudonym"] + [f["field"] for f in FIELDS]
    assert len(rows) == 14 == extract.row_count
    assert not IDENTIFYING & set(header)
    text = data.decode()
    for case in Case.objects.all():
        assert case.reference not in text
    for identifiers in Identifiers.objects.all():
        assert identifiers.nhs_number not in text
        for value in identifiers.values.values():
            assert str(value) not in text
    assert "TS1 1AA" not in text and "NW1 1AA" not in text
    # dates coarsened as approved: the year only
    assert {row["notification__date_of_death"] for row in rows} == {"2024"}
    # the checksum matches, and the description comes from the dictionary
    assert hashlib.sha256(data).hexdigest() == extract.data_sha256
    assert f"{extract.data_sha256}  data.csv" in sums
    assert "### notification__sex" in description and "| F | Female |" in description
    assert "Coarsening: Year (YYYY)" in description
    assert "- Population: deaths from 01 January 2024 to 31 December 2024" in description


def test_a_reviewer_may_approve_fewer_fields_and_only_those_are_extracted(researchers, snapshot):
    reviewer = researchers["data_access_reviewer"]
    request = review(apply(researchers["researcher"]), reviewer)
    approve(
        request, reviewer, fields={"notification__sex": "as_recorded", "age_band": "as_recorded"}
    )
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    _, rows, _, _ = read_package(extract)
    assert list(rows[0]) == ["pseudonym", "notification__sex", "age_band"]


def test_the_population_is_the_approved_period_and_regions(researchers, snapshot, world):
    reviewer = researchers["data_access_reviewer"]
    request = apply(
        researchers["researcher"],
        regions=[world["london"].code],
        period_from=datetime.date(2024, 3, 1),
        period_to=datetime.date(2024, 3, 31),
    )
    approve(review(request, reviewer), reviewer)
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    assert extract.row_count == 2  # the two Camden deaths


def test_pseudonyms_differ_between_requests_for_the_same_cases_and_stay_within_one(
    researchers, snapshot
):
    reviewer = researchers["data_access_reviewer"]
    first = approve(review(apply(researchers["researcher"]), reviewer), reviewer)
    second = approve(review(apply(researchers["other_researcher"]), reviewer), reviewer)
    a = read_package(actions.build_extract(request=first, snapshot=snapshot, by=reviewer))[1]
    b = read_package(actions.build_extract(request=second, snapshot=snapshot, by=reviewer))[1]
    again = read_package(actions.build_extract(request=first, snapshot=snapshot, by=reviewer))[1]
    pseudonyms_a = {row["pseudonym"] for row in a}
    assert len(pseudonyms_a) == len(a) == len(b) == 14
    assert not pseudonyms_a & {row["pseudonym"] for row in b}
    assert pseudonyms_a == {row["pseudonym"] for row in again}
    assert first.pseudonym_key != second.pseudonym_key


def test_an_extract_failing_the_risk_check_cannot_be_released(researchers, snapshot, settings):
    settings.NCMD_EXTRACT_MIN_GROUP = 5
    reviewer = researchers["data_access_reviewer"]
    fields = [
        {"field": "notification__date_of_death", "reason": "Exact timing", "coarsening": "exact"},
        FIELDS[0],
    ]
    request = approve(review(apply(researchers["researcher"], fields=fields), reviewer), reviewer)
    risky = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    assert risky.smallest_group == 1 and not risky.passes
    assert risky.small_groups[0]["size"] == 1
    with pytest.raises(actions.AccessRefused, match="fails the disclosure risk check"):
        actions.release_extract(extract=risky, by=reviewer)
    risky.refresh_from_db()
    request.refresh_from_db()
    assert risky.released_at is None and request.status == RequestStatus.APPROVED
    # the reviewer coarsens further and builds again: now it passes and can be released
    safer = actions.build_extract(
        request=request,
        snapshot=snapshot,
        by=reviewer,
        fields={"notification__date_of_death": "year", "notification__sex": "as_recorded"},
    )
    assert safer.passes and safer.smallest_group >= 5
    actions.release_extract(extract=safer, by=reviewer)
    request.refresh_from_db()
    assert request.status == RequestStatus.DATA_RELEASED
    event = AuditEvent.objects.get(action="access_release")
    assert event.actor == reviewer.username
    assert event.detail["snapshot"] == snapshot.pk
    assert event.detail["fields"] == {
        "notification__date_of_death": "year",
        "notification__sex": "as_recorded",
    }


def test_an_extract_can_never_be_finer_than_approved(approved, snapshot, researchers):
    reviewer = researchers["data_access_reviewer"]
    with pytest.raises(actions.AccessRefused, match="coarsened further"):
        actions.build_extract(
            request=approved,
            snapshot=snapshot,
            by=reviewer,
            fields={"notification__date_of_death": "exact"},
        )
    with pytest.raises(actions.AccessRefused, match="not an approved field"):
        actions.build_extract(
            request=approved,
            snapshot=snapshot,
            by=reviewer,
            fields={"notification__ethnicity": "as_recorded"},
        )
    with pytest.raises(actions.AccessRefused, match="data access reviewer"):
        actions.build_extract(request=approved, snapshot=snapshot, by=researchers["researcher"])


def test_downloads_are_for_the_applicant_only_until_expiry_and_audited(
    approved, snapshot, researchers
):
    reviewer = researchers["data_access_reviewer"]
    extract = actions.build_extract(request=approved, snapshot=snapshot, by=reviewer)
    with pytest.raises(actions.AccessRefused, match="not been released"):
        actions.download_extract(extract=extract, by=researchers["researcher"])
    actions.release_extract(extract=extract, by=reviewer)
    extract.refresh_from_db()
    path = actions.download_extract(extract=extract, by=researchers["researcher"])
    assert path.name == "package.zip"
    assert AuditEvent.objects.filter(action="download_extract", actor="researcher").count() == 1
    for other in ("other_researcher", "data_access_reviewer", "national_admin"):
        with pytest.raises(actions.AccessRefused, match="Only the applicant"):
            actions.download_extract(extract=extract, by=researchers[other])
    extract.expires_on = datetime.date.today() - datetime.timedelta(days=1)
    extract.save()
    with pytest.raises(actions.AccessRefused, match="approval ended"):
        actions.download_extract(extract=extract, by=researchers["researcher"])
