"""Outreach pages, under /outreach/. Pages for the team need MANAGE_LEARNING; the short
addresses (u/, m/, e/, f/, v/, t/) are the signed links in e-mails and need no sign-in."""

from django.urls import path

from .views import (
    contacts,
    contacts_export,
    contacts_import,
    event_actions,
    event_link,
    events,
    events_for_users,
    home,
    message_actions,
    messages,
    stakeholder_map,
    stakeholders,
    topics,
    topics_public,
    training,
    training_link,
    unsubscribe,
    web_version,
)

urlpatterns = [
    path("", home.home, name="outreach_home"),
    path("stakeholders/", stakeholders.stakeholder_list, name="outreach_stakeholders"),
    path(
        "stakeholders/organisations/new/",
        stakeholders.organisation_edit,
        name="outreach_organisation_new",
    ),
    path(
        "stakeholders/organisations/<int:pk>/",
        stakeholders.organisation_edit,
        name="outreach_organisation",
    ),
    path("stakeholders/contacts/new/", contacts.contact_new, name="outreach_contact_new"),
    path("stakeholders/contacts/<int:pk>/", contacts.contact_detail, name="outreach_contact"),
    path(
        "stakeholders/contacts/<int:pk>/subscription/",
        contacts.contact_subscription,
        name="outreach_contact_subscription",
    ),
    path("stakeholders/import/", contacts_import.contacts_import, name="outreach_import"),
    path("stakeholders/contacts.csv", contacts_export.contacts_export, name="outreach_export"),
    path("stakeholders/map/", stakeholder_map.stakeholder_map, name="outreach_map"),
    path("stakeholders/map/themes/new/", stakeholder_map.theme_new, name="outreach_theme_new"),
    path("messages/", messages.message_list, name="outreach_messages"),
    path("messages/new/", messages.message_edit, name="outreach_message_new"),
    path("messages/<int:pk>/", messages.message_detail, name="outreach_message"),
    path("messages/<int:pk>/edit/", messages.message_edit, name="outreach_message_edit"),
    *[
        path(
            f"messages/<int:pk>/{verb}/",
            message_actions.message_action,
            {"verb": verb},
            name=f"outreach_message_{verb}",
        )
        for verb in ("send", "retry", "discard", "copy")
    ],
    path("events/", events.event_list, name="outreach_events"),
    path("events/new/", events.event_edit, name="outreach_event_new"),
    path("events/<int:pk>/", events.event_detail, name="outreach_event"),
    path("events/<int:pk>/edit/", events.event_edit, name="outreach_event_edit"),
    *[
        path(
            f"events/<int:pk>/{verb}/",
            event_actions.event_action,
            {"verb": verb},
            name=f"outreach_event_{verb}",
        )
        for verb in ("invite", "held", "cancel", "feedback", "attendance", "register", "material")
    ],
    path(
        "events/<int:pk>/materials/<int:material_pk>/",
        events_for_users.material_download,
        name="outreach_material",
    ),
    path(
        "events/<int:pk>/materials/<int:material_pk>/remove/",
        event_actions.material_remove,
        name="outreach_material_remove",
    ),
    path(
        "events/<int:pk>/my-registration/",
        events_for_users.my_registration,
        name="outreach_my_registration",
    ),
    path("topics/", topics.topic_list, name="outreach_topics"),
    path("topics/<int:pk>/decide/", topics.topic_decide, name="outreach_topic_decide"),
    path("topics/propose/", topics_public.propose, name="outreach_propose"),
    path("training/", training.module_list, name="outreach_training"),
    path("training/new/", training.module_edit, name="outreach_module_new"),
    path("training/<int:pk>/", training.module_detail, name="outreach_module"),
    path("training/<int:pk>/edit/", training.module_edit, name="outreach_module_edit"),
    path("training/<int:pk>/announce/", training.module_announce, name="outreach_module_announce"),
    path(
        "training/<int:pk>/completed/",
        events_for_users.my_completion,
        name="outreach_my_completion",
    ),
    path("mine/", events_for_users.my_learning, name="outreach_mine"),
    path("archive/", web_version.archive, name="outreach_archive"),
    path("m/<str:key>/", web_version.web_version, name="outreach_web_version"),
    path("u/<str:token>/", unsubscribe.unsubscribe, name="outreach_unsubscribe"),
    path("e/<str:token>/", event_link.event_link, name="outreach_event_link"),
    path(
        "e/<str:token>/materials/<int:pk>/",
        event_link.material_by_link,
        name="outreach_material_by_link",
    ),
    path("f/<str:token>/", event_link.feedback, name="outreach_feedback"),
    path("v/<str:token>/", topics_public.vote, name="outreach_vote"),
    path("t/<str:token>/", training_link.training_link, name="outreach_training_link"),
]
