from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "ncmd.submissions"
    label = "submissions"
    verbose_name = "Submissions: web forms, API and bulk import"
