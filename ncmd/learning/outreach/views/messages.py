"""Messages: the list, composing and editing a draft, the preview (exactly who will receive it)
and the send history."""

from django.contrib import messages as notices
from django.shortcuts import get_object_or_404, redirect, render

from .. import actions
from ..forms import MessageForm
from ..models import DeliveryStatus, Message, MessageStatus
from ..queries import left_out, recipients_for
from ..rendering import render_markdown
from .common import form_page, manage, refused


@manage
def message_list(request):
    return render(request, "outreach/messages.html", {
        "messages_list": Message.objects.select_related("sent_by"),
    })  # fmt: skip


@manage
def message_edit(request, pk=None):
    message = get_object_or_404(Message, pk=pk) if pk else None
    if message is not None and message.status != MessageStatus.DRAFT:
        notices.error(request, "A message that has been sent cannot be changed: copy it instead.")
        return redirect("outreach_message", pk=pk)
    initial = {n: getattr(message, n) for n in actions.MESSAGE_FIELDS} if message else {}
    form = MessageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = actions.save_message(by=request.user, message=message, **form.cleaned_data)
        except actions.OutreachRefused as refusal:
            refused(form, refusal)
        else:
            return redirect("outreach_message", pk=message.pk)
    return form_page(request, form, heading="Edit the message" if message else "Write a message",
                     button="Save and preview", back="/outreach/messages/")  # fmt: skip


@manage
def message_detail(request, pk):
    message = get_object_or_404(Message.objects.select_related("sent_by", "created_by"), pk=pk)
    context = {"message": message, "html_body": render_markdown(message.body)}
    if message.status == MessageStatus.DRAFT:
        context["recipients"] = recipients_for(message.audiences)
        context["left_out"] = left_out(message.audiences)
    else:
        deliveries = list(message.deliveries.all())
        context["deliveries"] = deliveries
        context["counts"] = {
            label: sum(d.status == value for d in deliveries)
            for value, label in DeliveryStatus.choices
        }
        context["can_retry"] = any(
            d.status != DeliveryStatus.SENT and d.attempts < actions.MAX_ATTEMPTS
            for d in deliveries
        )
    return render(request, "outreach/message.html", context)
