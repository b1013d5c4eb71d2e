"""Training modules for the team: the list with completion counts, creating and editing one, its
completions, announcing it to its audiences, and recording a contact's completion."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import actions
from ..forms import CompletionForm, ModuleForm
from ..models import Contact, TrainingModule
from .common import attempt, form_page, manage, refused


@manage
def module_list(request):
    return render(request, "outreach/training.html", {
        "modules": TrainingModule.objects.annotate(n=Count("completions")),
    })  # fmt: skip


@manage
def module_edit(request, pk=None):
    module = get_object_or_404(TrainingModule, pk=pk) if pk else None
    initial = {n: getattr(module, n) for n in actions.MODULE_FIELDS} if module else {}
    form = ModuleForm(request.POST or None, initial=initial or {"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            module = actions.save_training_module(by=request.user, module=module,
                                                  **form.cleaned_data)  # fmt: skip
        except actions.OutreachRefused as refusal:
            refused(form, refusal)
        else:
            return redirect("outreach_module", pk=module.pk)
    return form_page(request, form, heading=f"Edit {module.title}" if module else
                     "Add a training module", back="/outreach/training/")  # fmt: skip


@manage
def module_detail(request, pk):
    module = get_object_or_404(TrainingModule, pk=pk)
    form = CompletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = Contact.objects.filter(email=form.cleaned_data["contact"].lower()).first()
        if contact is None:
            form.add_error("contact", "No contact has this e-mail address: add them first.")
        else:
            try:
                actions.record_completion(
                    module=module,
                    contact=contact,
                    by=request.user,
                    completed_on=form.cleaned_data["completed_on"],
                )
            except actions.OutreachRefused as refusal:
                refused(form, refusal)
            else:
                messages.success(request, f"Recorded: {contact.name} completed the module.")
                return redirect("outreach_module", pk=pk)
    return render(request, "outreach/module.html", {
        "module": module, "form": form,
        "completions": module.completions.select_related("contact", "user"),
    })  # fmt: skip


@require_POST
@manage
def module_announce(request, pk):
    module = get_object_or_404(TrainingModule, pk=pk)
    return attempt(
        request,
        actions.announce_module,
        lambda r: f"Announced to {r[0]} people" + (f"; {r[1]} failed." if r[1] else "."),
        then=f"/outreach/training/{pk}/",
        module=module,
        by=request.user,
    )
