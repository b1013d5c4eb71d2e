from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "ncmd.learning.outreach"
    label = "outreach"
    verbose_name = "Outreach: stakeholders, messages, events and training"
    default_auto_field = "django.db.models.BigAutoField"
