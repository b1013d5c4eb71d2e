"""Registering a report and reading one, with its recommendations, packs and PPI."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from ncmd.registry.actions import ActionRefused

from .. import actions, policies
from ..forms import ReportForm
from ..models import Report
from ._common import form_page, learning_required, programme_required


@programme_required
def report_new(request):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.register_report(by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            return form_page(request, form, heading="Register a report", button="Register",
                             extra_errors=[("", str(refusal))])  # fmt: skip
        return redirect("learning_report", pk=report.pk)
    return form_page(
        request,
        form,
        heading="Register a report",
        button="Register",
        intro="A published report whose recommendations the programme will track.",
    )


@learning_required
def report_detail(request, pk):
    report = get_object_or_404(Report, pk=pk)
    recommendations = policies.recommendations_for(request.user).filter(report=report)
    if not policies.reads_everything(request.user) and not recommendations.exists():
        raise Http404("No such report.")
    return render(request, "learning/report.html", {
        "report": report,
        "recommendations": recommendations.prefetch_related("addressees__organisation"),
        "packs": policies.packs_for(request.user).filter(report=report),
        "consultations": report.consultations.select_related("recommendation")
        if policies.reads_everything(request.user) else None,
        "programme": policies.is_programme(request.user),
    })  # fmt: skip
