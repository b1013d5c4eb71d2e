"""Improvement interventions: the list, and recording one."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ncmd.registry.actions import ActionRefused

from .. import actions, policies
from ..forms import InterventionForm
from ..models import Intervention
from ._common import form_page, learning_required, programme_required


@learning_required
def intervention_list(request):
    interventions = Intervention.objects.prefetch_related("cdops")
    if not policies.reads_everything(request.user):
        interventions = interventions.filter(cdops=request.user.organisation_id)
    return render(request, "learning/interventions.html", {
        "interventions": interventions, "programme": policies.is_programme(request.user),
    })  # fmt: skip


@programme_required
def intervention_new(request):
    form = InterventionForm(request.POST or None)
    heading = "Record an improvement intervention"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intervention = actions.record_intervention(
                kind=data["kind"], title=data["title"], held_on=data["held_on"],
                description=data["description"], cdops=data["cdops"],
                audiences=data["audiences"], indicators_aimed=data["indicators"],
                plan_action=data["plan_action"], by=request.user,
            )  # fmt: skip
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Record",
                             extra_errors=[("", str(refusal))])  # fmt: skip
        messages.info(request, f"Recorded {intervention.title}: it now appears on the data "
                      f"quality charts of {intervention.cdops.count()} CDOPs.")  # fmt: skip
        return redirect("learning_interventions")
    return form_page(request, form, heading=heading, button="Record",
                     intro="A training day, a guidance or crib-sheet update, a webinar: it is "
                     "drawn on the data quality SPC charts of the CDOPs it reached, with the "
                     "change before and after.")  # fmt: skip
