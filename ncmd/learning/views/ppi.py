"""Patient and public involvement: recording who was consulted on a report or recommendation and
what changed as a result (shown on the report's and the recommendation's pages)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from ncmd.registry.actions import ActionRefused

from .. import actions
from ..forms import ConsultationForm
from ..models import Report
from ._common import form_page, programme_required


@programme_required
def consultation_new(request, pk):
    report = get_object_or_404(Report, pk=pk)
    form = ConsultationForm(
        request.POST or None,
        report=report,
        initial={"recommendation": request.GET.get("recommendation")},
    )
    heading = "Record patient and public involvement"
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_consultation(report=report, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Record",
                             caption=report.title, extra_errors=[("", str(refusal))])  # fmt: skip
        messages.info(request, "Involvement recorded.")
        return redirect("learning_report", pk=pk)
    return form_page(request, form, heading=heading, button="Record", caption=report.title)
