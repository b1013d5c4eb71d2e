"""Learning test set-up: a report with a recommendation addressed to NHS England and Tees CDOP,
made through the actions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ncmd.learning import actions

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture(autouse=True)
def learning_files(settings, tmp_path):
    """Uploaded files go to a throw-away var directory."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def report(users):
    return actions.register_report(
        title="National report 2025",
        kind="national",
        published_on=datetime.date(2025, 6, 1),
        summary="What reviews found.",
        key_findings="One\nTwo",
        by=users["qi_lead"],
    )


@pytest.fixture
def draft(report, world, users):
    return actions.add_recommendation(
        report=report,
        text="Give safer sleep advice at every contact.",
        theme="safer_sleep",
        organisations=[world["nhse"], world["tees"]],
        audiences=["midwives", "health_visitors"],
        owner="Clinical lead",
        due_on=datetime.date.today() + datetime.timedelta(days=365),
        indicator="ethnicity_recorded",
        by=users["qi_lead"],
    )


@pytest.fixture
def issued(draft, users):
    return actions.issue_recommendation(recommendation=draft, by=users["qi_lead"])
