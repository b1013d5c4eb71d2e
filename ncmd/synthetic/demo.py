"""The demonstration set-up: one signed-in user per role, and the record of which synthetic data
set this database holds (its seed, years and the date it was drawn up to), so that a second
`make demo` resumes or reuses it instead of starting again."""

import json

from django.conf import settings
from django.db.models import Sum

from ncmd.registry import actions
from ncmd.registry.models import Organisation, OrganisationType, Role, User
from ncmd.registry.reference import agencies_for, read_reference

DEMO_PASSWORD = "synthetic-demo"
STATE_FILE = settings.VAR_DIR / "synthetic-data.json"


def demo_cdop():
    """The demo CDOP: the one covering most children, so its dashboards have the most data."""
    return max(
        Organisation.objects.filter(type=OrganisationType.CDOP),
        key=lambda cdop: cdop.children.aggregate(n=Sum("child_population"))["n"] or 0,
    )


def create_demo_users():
    """One user per role (created once). Returns [(username, role label, organisation)]."""
    if settings.PRODUCTION:
        raise RuntimeError("Demo users with a published password are never created in production.")
    cdop = demo_cdop()
    _, agencies_of_cdop = agencies_for(read_reference())
    # The generator asks the first agency of each type listed for the CDOP; so does the demo.
    agencies = {
        a.code: a for a in Organisation.objects.filter(code__in=agencies_of_cdop[cdop.code])
    }
    agency = next(
        agencies[code] for code in agencies_of_cdop[cdop.code]
        if agencies[code].agency_type == "acute_health"
    )  # fmt: skip
    partner = Organisation.objects.get(code="PTN-NHSE")
    wanted = [
        ("national-admin", Role.NATIONAL_ADMIN, None, "Nadia", "Admin"),
        ("national-analyst", Role.NATIONAL_ANALYST, None, "Arun", "Analyst"),
        ("cdop-admin", Role.CDOP_ADMIN, cdop, "Chris", "Coordinator"),
        ("cdop-member", Role.CDOP_MEMBER, cdop, "Morgan", "Member"),
        ("agency-reporter", Role.AGENCY_REPORTER, agency, "Riley", "Reporter"),
        ("researcher", Role.RESEARCHER, None, "Sam", "Scholar"),
        ("data-reviewer", Role.DATA_ACCESS_REVIEWER, None, "Dana", "Reviewer"),
        ("qi-lead", Role.QI_LEAD, None, "Quinn", "Improver"),
        ("partner-contact", Role.PARTNER_CONTACT, partner, "Pat", "Partner"),
    ]
    rows = []
    for username, role, organisation, first, last in wanted:
        if not User.objects.filter(username=username).exists():
            actions.create_user(
                username=username,
                role=role,
                organisation=organisation,
                email=f"{username}@example.org",
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                by=None,
            )
        rows.append((username, role.label, organisation.name if organisation else "England"))
    return rows


def read_state():
    try:
        return json.loads(STATE_FILE.read_text())
    except (FileNotFoundError, ValueError):
        return None


def write_state(state):
    STATE_FILE.write_text(json.dumps(state, indent=2))


def load_demo_extras():
    """The demonstration's data beyond the registry, made once through each app's actions: the
    learning programme (reports, recommendations, the QI plan), outreach (stakeholders, a sent
    safety message, events) and research access (an accepted researcher with an application
    waiting for review). Each is idempotent and sends no e-mail."""
    from ncmd.access.demo import load_access_demo
    from ncmd.learning.demo import create_learning_demo
    from ncmd.learning.outreach.demo import load_outreach_demo

    qi_lead = User.objects.get(username="qi-lead")
    create_learning_demo(by=qi_lead)
    load_outreach_demo(by=qi_lead)
    load_access_demo()
