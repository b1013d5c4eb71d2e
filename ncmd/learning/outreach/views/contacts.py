"""A contact: their details, consent, subscription and what they have been sent."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import actions
from ..forms import ConsentForm, ContactForm
from ..models import Contact
from .common import attempt, form_page, manage, refused


@manage
def contact_new(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = actions.save_contact(by=request.user, **form.cleaned_data)
        except actions.OutreachRefused as refusal:
            refused(form, refusal)
        else:
            messages.success(request, f"{contact.name} added. Record their consent before "
                             "sending them anything.")  # fmt: skip
            return redirect("outreach_contact", pk=contact.pk)
    return form_page(request, form, heading="Add a contact", back="/outreach/stakeholders/")


@manage
def contact_detail(request, pk):
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    initial = {name: getattr(contact, name) for name in actions.CONTACT_FIELDS}
    form = ContactForm(request.POST if "save" in request.POST else None, initial=initial,
                       prefix="contact")  # fmt: skip
    consent = ConsentForm(request.POST if "consent" in request.POST else None, prefix="consent")
    if form.is_bound and form.is_valid():
        try:
            actions.save_contact(by=request.user, contact=contact, **form.cleaned_data)
        except actions.OutreachRefused as refusal:
            refused(form, refusal)
        else:
            messages.success(request, "Contact saved.")
            return redirect("outreach_contact", pk=pk)
    if consent.is_bound and consent.is_valid():
        actions.record_consent(contact=contact, by=request.user, **consent.cleaned_data)
        messages.success(request, "Consent recorded.")
        return redirect("outreach_contact", pk=pk)
    return render(request, "outreach/contact.html", {
        "contact": contact, "form": form, "consent": consent,
        "deliveries": contact.deliveries.select_related("message").order_by("-pk")[:50],
        "registrations": contact.registrations.select_related("event")[:50],
        "completions": contact.completions.select_related("module")[:50],
    })  # fmt: skip


@require_POST
@manage
def contact_subscription(request, pk):
    contact = get_object_or_404(Contact, pk=pk)
    then = f"/outreach/stakeholders/contacts/{pk}/"
    if request.POST.get("do") == "withdraw":
        return attempt(request, actions.withdraw_consent, "Consent withdrawn: nothing more will "
                       "be sent to this contact.", then=then, contact=contact, by=request.user,
                       reason=request.POST.get("reason", ""))  # fmt: skip
    if request.POST.get("do") == "erase":
        return attempt(request, actions.erase_contact, "The contact's name and address are "
                       "erased.", then=then, contact=contact, by=request.user,
                       reason=request.POST.get("reason", ""))  # fmt: skip
    if request.POST.get("do") == "unsubscribe":
        return attempt(request, actions.unsubscribe, "Unsubscribed.", then=then, contact=contact,
                       by=request.user, via="staff")  # fmt: skip
    return attempt(request, actions.resubscribe, "Subscribed again, at the contact's request.",
                   then=then, contact=contact, by=request.user)  # fmt: skip
