"""The e-mails about reporting-form requests: the first request, with a sign-in link, and
reminders. They name the case by its reference only: never the child's name or other identifiers,
since e-mail leaves the platform."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from ncmd.dictionary import get_dictionary


def form_url(request, base_url):
    path = reverse(
        "fill_agency_form",
        kwargs={
            "reference": request.case.reference,
            "form_name": request.form_name,
            "agency_code": request.agency.code,
        },
    )
    return f"{base_url}{path}"


def link_url(token, base_url):
    return f"{base_url}{reverse('request_link', args=[token])}"


def _context(request, base_url):
    form = get_dictionary().latest.forms.get(request.form_name)
    return {
        "request": request,
        "case": request.case,
        "cdop": request.case.cdop,
        "agency": request.agency,
        "form_title": form.title if form else request.form_name,
        "form_url": form_url(request, base_url),
    }


def request_message(link, token, base_url):
    request = link.request
    context = {**_context(request, base_url), "link": link, "link_url": link_url(token, base_url)}
    return EmailMessage(
        subject=f"Reporting form requested: case {request.case.reference}",
        body=render_to_string("submissions/email/request.txt", context),
        to=[link.email],
    )


def reminder_message(request, base_url, *, link=None, token=None, to=None):
    context = {**_context(request, base_url), "link": link}
    if link is not None:
        context["link_url"] = link_url(token, base_url)
    return EmailMessage(
        subject=f"Reminder: reporting form due for case {request.case.reference}",
        body=render_to_string("submissions/email/reminder.txt", context),
        to=[link.email] if link is not None else list(to),
    )
