"""The learning home page: for the programme, the register of reports and what needs attention;
for an organisation's contact, the recommendations and plan actions addressed to it."""

from django.shortcuts import render
from django.utils import timezone

from .. import policies
from ..models import OPEN_STATUSES, Report
from ._common import learning_required


@learning_required
def learning_home(request):
    user = request.user
    today = timezone.localdate()
    addressees = policies.addressees_for(user).select_related(
        "recommendation__report", "organisation").order_by(
        "recommendation__due_on", "recommendation__report", "recommendation__number")  # fmt: skip
    mine = addressees.filter(organisation_id=user.organisation_id) if user.organisation_id else None
    actions = policies.plan_actions_for(user)
    my_actions = actions.filter(roles__organisation_id=user.organisation_id).distinct() \
        if user.organisation_id else None  # fmt: skip
    overdue = addressees.filter(status__in=OPEN_STATUSES, recommendation__due_on__lt=today)
    return render(request, "learning/home.html", {
        "programme": policies.is_programme(user),
        "reports": Report.objects.prefetch_related("recommendations") if
        policies.reads_everything(user) else [],
        "mine": mine, "my_actions": my_actions, "overdue": overdue[:20],
        "overdue_count": overdue.count(), "today": today,
        "packs": policies.packs_for(user).select_related("report"),
    })  # fmt: skip
