"""Research data access fixtures: deaths frozen into a snapshot, approved researchers, and a
request walked to approval through the actions."""

import datetime

import pytest

from ncmd.access import actions
from ncmd.dictionary.identifiers import with_check_digit
from ncmd.snapshots.actions import freeze_snapshot

FIELDS = [
    {"field": "notification__sex", "reason": "Sex differences", "coarsening": "as_recorded"},
    {"field": "age_band", "reason": "Age at death", "coarsening": "as_recorded"},
    {"field": "notification__date_of_death", "reason": "Seasonality", "coarsening": "year"},
    {"field": "analysis__category_of_death", "reason": "Outcome", "coarsening": "as_recorded"},
]


@pytest.fixture
def access_dirs(settings, tmp_path):
    settings.NCMD_SNAPSHOT_DIR = tmp_path / "snapshots"
    settings.NCMD_ACCESS_DIR = tmp_path / "access"
    return tmp_path


@pytest.fixture
def snapshot(access_dirs, notify, world, users):
    """Fourteen deaths (twelve in Tees, two in Camden) frozen into a snapshot."""
    numbers = (n for n in (with_check_digit(f"999{i:06d}") for i in range(4000, 4100)) if n)
    for k in range(14):
        died = datetime.date(2024, 3, 1) + datetime.timedelta(days=k)
        at = datetime.datetime.combine(died, datetime.time(12), tzinfo=datetime.UTC)
        camden = k >= 12
        notify(
            cdop=world["camden"] if camden else world["tees"],
            by=users["other_cdop_admin"] if camden else users["cdop_admin"],
            at=at + datetime.timedelta(hours=5),
            nhs_number=next(numbers),
            date_of_death=died.isoformat(),
            date_of_birth=(died - datetime.timedelta(days=60)).isoformat(),
            home_postcode="NW1 1AA" if camden else "TS1 1AA",
        )
    return freeze_snapshot(by=users["national_admin"])


def approve_person(user, reviewer):
    profile = actions.save_researcher_details(
        user=user,
        by=user,
        institution="University of Example",
        job_title="Research fellow",
        training_certificate="ONS Safe Researcher Training SRT-1",
        training_completed_on=datetime.date(2024, 1, 5),
    )
    return actions.decide_researcher(profile=profile, approve=True, note="", by=reviewer)


@pytest.fixture
def researchers(users):
    for name in ("researcher", "other_researcher"):
        approve_person(users[name], users["data_access_reviewer"])
    return users


def complete_values(fields=FIELDS, **overrides):
    today = datetime.date.today()
    values = {
        "title": "Seasonality of infant deaths",
        "lay_summary": "Whether infant deaths vary by season.",
        "public_benefit": "Better winter planning of services.",
        "legal_basis": "public_task",
        "ethics_committee": "Example REC",
        "ethics_reference": "24/EX/0001",
        "ethics_approved_on": datetime.date(2024, 2, 1),
        "confidentiality": "not_confidential",
        "opt_out_handling": "Pseudonymised, minimised data only.",
        "fields": list(fields),
        "period_from": datetime.date(2024, 1, 1),
        "period_to": datetime.date(2024, 12, 31),
        "storage_location": "University trusted research environment",
        "security_assurance": "DSPT standards met",
        "who_will_see": "The applicant only",
        "needed_until": today + datetime.timedelta(days=365),
    }
    values.update(overrides)
    return values


def apply(user, fields=FIELDS, **overrides):
    """A submitted request with a complete application."""
    request = actions.create_request(title="Seasonality of infant deaths", by=user)
    actions.save_version(
        version=request.current, by=user, values=complete_values(fields, **overrides)
    )
    return actions.move_request(request=request, transition="submit", by=user)


def review(request, reviewer, verdict="met"):
    actions.move_request(request=request, transition="start_review", by=reviewer)
    for safe in ("projects", "people", "settings", "data", "outputs"):
        actions.assess_safe(
            version=request.current,
            safe=safe,
            verdict=verdict,
            notes=f"{safe} checked",
            by=reviewer,
        )
    return request


def approve(request, reviewer, fields=None, days=200):
    fields = fields or {e["field"]: e["coarsening"] for e in request.current.fields}
    return actions.move_request(
        request=request,
        transition="approve",
        by=reviewer,
        note="A sound project.",
        approved_fields=fields,
        approved_until=datetime.date.today() + datetime.timedelta(days=days),
        conditions="Outputs checked before publication.",
    )


@pytest.fixture
def approved(researchers, snapshot):
    """A request by `researcher`, approved, with nothing released yet."""
    reviewer = researchers["data_access_reviewer"]
    request = apply(researchers["researcher"])
    review(request, reviewer)
    return approve(request, reviewer)
