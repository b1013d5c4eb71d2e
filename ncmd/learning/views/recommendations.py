"""A recommendation: adding one to a report, issuing it, reading it with every addressed
organisation's response, and moving a response along its lifecycle with evidence."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ncmd.registry.actions import ActionRefused
from ncmd.registry.models import Organisation, OrganisationType

from .. import actions, lifecycles, policies
from ..forms import MoveForm, RecommendationForm
from ..models import Addressee, RecommendationStatus, Report
from ..series import movement_of
from ._common import form_page, learning_required, programme_required


@programme_required
def recommendation_new(request, pk):
    report = get_object_or_404(Report, pk=pk)
    form = RecommendationForm(request.POST or None)
    heading = "Add a recommendation"
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = actions.add_recommendation(report=report, by=request.user,
                                                        **form.cleaned_data)  # fmt: skip
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Save as draft",
                             caption=report.title, extra_errors=[("", str(refusal))])  # fmt: skip
        messages.info(request, f"Recommendation {recommendation.number} saved as a draft. "
                      "Issue it when it is final.")  # fmt: skip
        return redirect("learning_recommendation", pk=recommendation.pk)
    return form_page(request, form, heading=heading, button="Save as draft", caption=report.title,
                     intro="It is saved as a draft; addressed organisations see it once you "
                     "issue it.")  # fmt: skip


def _load(request, pk):
    recommendation = policies.recommendations_for(request.user).filter(pk=pk).first()
    if recommendation is None:
        raise Http404("No such recommendation.")
    return recommendation


@learning_required
def recommendation_detail(request, pk):
    recommendation = _load(request, pk)
    user = request.user
    programme = policies.is_programme(user)
    readable = policies.addressees_for(user).filter(recommendation=recommendation)
    rows = []
    for addressee in recommendation.addressees.select_related("organisation"):
        full = readable.filter(pk=addressee.pk).exists()
        mine = policies.speaks_for(user, addressee.organisation_id)
        moves = lifecycles.moves_from(
            lifecycles.RECOMMENDATION_TRANSITIONS, addressee.status, programme=programme,
            addressee=mine,
        ) if not recommendation.is_draft and (mine or programme) else []  # fmt: skip
        rows.append({
            "addressee": addressee, "mine": mine, "moves": moves, "full": full,
            "updates": addressee.updates.select_related("by").prefetch_related("files")
            if full else [],
        })  # fmt: skip
    rows.sort(key=lambda r: not r["mine"])
    movement = (movement_of(recommendation.indicator, recommendation.issued_at.date())
                if recommendation.indicator and recommendation.issued_at else None)  # fmt: skip
    others = Organisation.objects.filter(
        type__in=[OrganisationType.PARTNER, OrganisationType.CDOP, OrganisationType.AGENCY]
    ).exclude(addressed__recommendation=recommendation).order_by("type", "name") \
        if programme and not recommendation.is_draft else []  # fmt: skip
    return render(request, "learning/recommendation.html", {
        "recommendation": recommendation, "rows": rows, "programme": programme, "others": others,
        "movement": movement,
        "consultations": recommendation.consultations.all()
        if policies.reads_everything(user) else None,
    })  # fmt: skip


@programme_required
@require_POST
def recommendation_issue(request, pk):
    recommendation = _load(request, pk)
    try:
        actions.issue_recommendation(recommendation=recommendation, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.info(request, f"Recommendation {recommendation.number} issued to "
                      f"{recommendation.addressees.count()} organisations.")  # fmt: skip
    return redirect("learning_recommendation", pk=pk)


@learning_required
def recommendation_move(request, pk, organisation):
    """One organisation's response: GET shows the form for a move (?to=status), POST makes it."""
    recommendation = _load(request, pk)
    addressee = get_object_or_404(Addressee, recommendation=recommendation,
                                  organisation__code=organisation)  # fmt: skip
    user = request.user
    if not (policies.is_programme(user) or policies.speaks_for(user, addressee.organisation_id)):
        raise Http404("No such response.")
    target = request.POST.get("to") or request.GET.get("to") or addressee.status
    if target not in RecommendationStatus.values:
        raise Http404("No such status.")
    transition = lifecycles.find(lifecycles.RECOMMENDATION_TRANSITIONS, addressee.status, target)
    heading = (
        f"{transition.label if transition else 'Update'}: recommendation {recommendation.number}"
    )
    form = MoveForm(request.POST or None, initial={"to": target}).for_move(transition)
    form.fields.pop("next_review_on")
    caption = f"{addressee.organisation.name}, {recommendation.report.title}"
    intro = recommendation.text
    if transition and transition.needs:
        intro += f" — This move needs {lifecycles.NEEDS_WORDS[transition.needs]}."
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_recommendation(
                addressee=addressee, to=target, by=user, note=form.cleaned_data["note"],
                links=form.link_list(), uploads=request.FILES.getlist("files"),
            )  # fmt: skip
        except ActionRefused as refusal:
            return form_page(
                request,
                form,
                heading=heading,
                button="Save",
                caption=caption,
                intro=intro,
                files=True,
                extra_errors=[("", str(refusal))],
            )
        addressee.refresh_from_db()
        messages.info(request, f"Saved: {addressee.organisation.name}'s response is now "
                      f"{addressee.get_status_display().lower()}.")  # fmt: skip
        return redirect("learning_recommendation", pk=pk)
    return form_page(request, form, heading=heading, button="Save", caption=caption, intro=intro,
                     files=True)  # fmt: skip


@programme_required
def recommendation_edit(request, pk):
    recommendation = _load(request, pk)
    initial = {
        "text": recommendation.text, "theme": recommendation.theme,
        "organisations": list(recommendation.organisations.all()),
        "audiences": recommendation.audiences, "owner": recommendation.owner,
        "due_on": recommendation.due_on, "indicator": recommendation.indicator,
        "review_interval_days": recommendation.review_interval_days,
    }  # fmt: skip
    form = RecommendationForm(request.POST or None, initial=initial)
    heading = f"Change recommendation {recommendation.number}"
    caption = recommendation.report.title
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_draft_recommendation(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Save the draft",
                             caption=caption, extra_errors=[("", str(refusal))])  # fmt: skip
        return redirect("learning_recommendation", pk=pk)
    if not recommendation.is_draft:
        messages.error(request, "An issued recommendation is as published and cannot be changed.")
        return redirect("learning_recommendation", pk=pk)
    return form_page(request, form, heading=heading, button="Save the draft", caption=caption)


@programme_required
@require_POST
def recommendation_address(request, pk):
    recommendation = _load(request, pk)
    organisation = Organisation.objects.filter(
        pk=request.POST.get("organisation"),
        type__in=[OrganisationType.PARTNER, OrganisationType.CDOP, OrganisationType.AGENCY],
    ).first()  # fmt: skip
    if organisation is None:
        messages.error(request, "Choose the organisation to address the recommendation to.")
        return redirect("learning_recommendation", pk=pk)
    try:
        actions.address_recommendation(
            recommendation=recommendation, organisation=organisation, by=request.user
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.info(request, f"Addressed to {organisation.name} too.")
    return redirect("learning_recommendation", pk=pk)
