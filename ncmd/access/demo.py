"""The demonstration's research data access: the demo researcher accepted by the demo reviewer,
and one application waiting in the reviewers' queue, so both sides of the pathway have something
to open. Idempotent: a second `make demo` changes nothing."""

import datetime

from django.utils import timezone

from ncmd.registry.models import User

from . import actions
from .models import AccessRequest, ResearcherProfile, ResearcherStatus

TITLE = "Seasonal patterns in sudden unexpected deaths in infancy"
FIELDS = [
    {"field": "age_band", "reason": "Deaths differ by age.", "coarsening": "as_recorded"},
    {"field": "notification__sex", "reason": "Known difference by sex in SUDI.",
     "coarsening": "as_recorded"},
    {"field": "notification__date_of_death", "reason": "Season of death is the exposure.",
     "coarsening": "month"},
    {"field": "analysis__category_of_death", "reason": "To select SUDI deaths.",
     "coarsening": "as_recorded"},
]  # fmt: skip


def load_access_demo(*, researcher="researcher", reviewer="data-reviewer"):
    researcher = User.objects.get(username=researcher)
    reviewer = User.objects.get(username=reviewer)
    profile = ResearcherProfile.objects.filter(user=researcher).first()
    if profile is None:
        profile = actions.save_researcher_details(
            user=researcher,
            by=researcher,
            institution="University of Exampleton, Centre for Child Health",
            job_title="Senior research fellow",
            training_certificate="ONS Safe Researcher Training, certificate SRT-DEMO-001",
            training_completed_on=datetime.date(2025, 9, 15),
        )
    if profile.status != ResearcherStatus.APPROVED:
        actions.decide_researcher(profile=profile, approve=True, note="", by=reviewer)
    if AccessRequest.objects.filter(applicant=researcher).exists():
        return
    request = actions.create_request(title=TITLE, by=researcher)
    today = timezone.localdate()
    actions.save_version(
        version=request.current,
        by=researcher,
        values={
            "title": TITLE,
            "lay_summary": "Whether sudden unexpected deaths in infancy are more common in "
            "winter, and whether that has changed since safe-sleep campaigns.",
            "public_benefit": "Timing of safe-sleep messages to families and health visitors.",
            "legal_basis": "public_task",
            "ethics_committee": "Exampleton Research Ethics Committee",
            "ethics_reference": "25/EX/0042",
            "ethics_approved_on": datetime.date(2025, 10, 1),
            "confidentiality": "not_confidential",
            "opt_out_handling": "Pseudonymised, minimised data only; opt-outs do not apply.",
            "fields": FIELDS,
            "period_from": datetime.date(today.year - 4, 4, 1),
            "period_to": datetime.date(today.year - 1, 3, 31),
            "storage_location": "The university's trusted research environment",
            "security_assurance": "Data Security and Protection Toolkit: standards met",
            "who_will_see": "The applicant and one named statistician at the centre",
            "needed_until": today + datetime.timedelta(days=365),
        },
    )
    actions.move_request(request=request, transition="submit", by=researcher)
