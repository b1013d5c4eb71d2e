"""The demonstration's set-up beyond the registry: one user per role and each app's demo data,
made through the actions, and made only once however often `make demo` runs."""

import pytest
from django.core.management import call_command

from ncmd.access.models import AccessRequest, RequestStatus, ResearcherStatus
from ncmd.learning.models import Recommendation, Report
from ncmd.learning.outreach.models import Contact, Message
from ncmd.registry.models import AuditEvent, Role, User
from ncmd.synthetic.demo import create_demo_users, load_demo_extras


@pytest.fixture
def reference(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_reference", verbosity=0)


def test_every_role_has_a_demo_user_and_each_app_its_demo_data(reference):
    rows = create_demo_users()
    assert {User.objects.get(username=name).role for name, *_ in rows} == set(Role.values)
    load_demo_extras()
    assert Report.objects.exists() and Recommendation.objects.exists()
    assert Contact.objects.exists() and Message.objects.exists()
    researcher = User.objects.get(username="researcher")
    assert researcher.researcher_profile.status == ResearcherStatus.APPROVED
    request = AccessRequest.objects.get(applicant=researcher)
    assert request.status == RequestStatus.SUBMITTED

    events = AuditEvent.objects.count()
    create_demo_users()
    load_demo_extras()
    assert AuditEvent.objects.count() == events  # nothing made twice
