"""The web forms' pages: notifying a death, filling in and amending a case's forms, requesting
reporting forms, following a request's sign-in link, and the list of requests with reminders."""

from django.urls import path

from .views import (
    amend_form,
    case_forms,
    fill_form,
    notification_drafts,
    notify,
    request_forms,
    request_link,
    request_list,
)

urlpatterns = [
    path("notify/", notify.notify_death, name="notify_death"),
    path(
        "notify/drafts/<int:pk>/",
        notification_drafts.notification_draft,
        name="notification_draft",
    ),
    path(
        "notify/drafts/<int:pk>/discard/",
        notification_drafts.discard_notification_draft,
        name="discard_notification_draft",
    ),
    path("cases/<str:reference>/forms/", case_forms.case_forms, name="case_forms"),
    path("cases/<str:reference>/forms/<str:form_name>/", fill_form.fill_form, name="fill_form"),
    path(
        "cases/<str:reference>/forms/<str:form_name>/amend/",
        amend_form.amend_form,
        name="amend_form",
    ),
    path(
        "cases/<str:reference>/forms/<str:form_name>/<str:agency_code>/",
        fill_form.fill_form,
        name="fill_agency_form",
    ),
    path(
        "cases/<str:reference>/forms/<str:form_name>/<str:agency_code>/amend/",
        amend_form.amend_form,
        name="amend_agency_form",
    ),
    path(
        "cases/<str:reference>/requests/new/",
        request_forms.request_forms,
        name="request_reporting_forms",
    ),
    path("requests/", request_list.request_list, name="request_list"),
    path("requests/remind-overdue/", request_list.remind_overdue, name="remind_overdue"),
    path("requests/<int:pk>/remind/", request_list.send_reminder, name="send_reminder"),
    path("link/<str:token>/", request_link.request_link, name="request_link"),
]
