"""The QI plan: goals, workstreams and actions as a matrix of actions against the partners
responsible, and each action's page where its partners report progress."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from ncmd.registry.actions import ActionRefused

from .. import actions, lifecycles, policies
from ..forms import GoalForm, MoveForm, PlanActionForm, WorkstreamForm
from ..models import ActionPartner, Goal, PlanActionStatus
from ._common import form_page, learning_required, programme_required


@learning_required
def plan(request):
    visible = policies.plan_actions_for(request.user)
    roles = ActionPartner.objects.filter(action__in=visible).select_related("organisation")
    partners = sorted({r.organisation for r in roles}, key=lambda o: (o.type != "partner", o.name))
    for partner in partners:
        partner.short = partner.code.removeprefix("PTN-") if partner.type == "partner" else \
            partner.name.removesuffix(" CDOP")  # fmt: skip
    cells = {(r.action_id, r.organisation_id): r.get_role_display() for r in roles}
    goals = []
    for goal in Goal.objects.prefetch_related("workstreams"):
        workstreams = []
        for workstream in goal.workstreams.all():
            rows = [
                {"action": a, "cells": [cells.get((a.pk, p.pk), "") for p in partners]}
                for a in visible.filter(workstream=workstream).order_by("reference")
            ]
            if rows or policies.reads_everything(request.user):
                workstreams.append({"workstream": workstream, "rows": rows})
        if workstreams:
            goals.append({"goal": goal, "workstreams": workstreams})
    return render(request, "learning/plan.html", {
        "goals": goals, "partners": partners, "programme": policies.is_programme(request.user),
    })  # fmt: skip


@programme_required
def goal_new(request):
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_goal(by=request.user, **form.cleaned_data)
        return redirect("learning_plan")
    return form_page(request, form, heading="Add a goal to the QI plan", button="Add")


@programme_required
def workstream_new(request):
    form = WorkstreamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_workstream(by=request.user, **form.cleaned_data)
        return redirect("learning_plan")
    return form_page(request, form, heading="Add a workstream", button="Add")


@programme_required
def action_new(request):
    form = PlanActionForm(request.POST or None)
    heading = "Add an action to the QI plan"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = actions.add_plan_action(
                workstream=data["workstream"], text=data["text"], partners=form.partners(),
                next_review_on=data["next_review_on"], due_on=data["due_on"],
                recommendation=data["recommendation"], by=request.user,
            )  # fmt: skip
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Add",
                             extra_errors=[("", str(refusal))])  # fmt: skip
        return redirect("learning_plan_action", reference=action.reference)
    return form_page(request, form, heading=heading, button="Add")


def _load(request, reference):
    action = policies.plan_actions_for(request.user).filter(reference=reference).first()
    if action is None:
        raise Http404("No such plan action.")
    return action


@learning_required
def action_detail(request, reference):
    action = _load(request, reference)
    user = request.user
    responsible = action.roles.filter(organisation_id=user.organisation_id).exists() \
        if user.organisation_id else False  # fmt: skip
    moves = lifecycles.moves_from(
        lifecycles.PLAN_ACTION_TRANSITIONS, action.status,
        programme=policies.is_programme(user), addressee=responsible and policies.is_contact(user),
    )  # fmt: skip
    return render(request, "learning/plan_action.html", {
        "action": action, "roles": action.roles.select_related("organisation"),
        "updates": action.updates.select_related("by").prefetch_related("files"),
        "moves": moves, "interventions": action.interventions.all(),
    })  # fmt: skip


@learning_required
def action_move(request, reference):
    action = _load(request, reference)
    target = request.POST.get("to") or request.GET.get("to") or action.status
    if target not in PlanActionStatus.values:
        raise Http404("No such status.")
    transition = lifecycles.find(lifecycles.PLAN_ACTION_TRANSITIONS, action.status, target)
    heading = f"{transition.label if transition else 'Update'}: action {action.reference}"
    intro = action.text
    if transition and transition.needs:
        intro += f" — This move needs {lifecycles.NEEDS_WORDS[transition.needs]}."
    form = MoveForm(request.POST or None, initial={"to": target}).for_move(transition)
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_plan_action(
                action=action, to=target, by=request.user, note=form.cleaned_data["note"],
                links=form.link_list(), uploads=request.FILES.getlist("files"),
                next_review_on=form.cleaned_data["next_review_on"],
            )  # fmt: skip
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Save", intro=intro,
                             files=True, extra_errors=[("", str(refusal))])  # fmt: skip
        messages.info(request, f"Saved: action {action.reference} updated.")
        return redirect("learning_plan_action", reference=reference)
    return form_page(request, form, heading=heading, button="Save", intro=intro, files=True)
