from django.apps import AppConfig


class SubmissionsApiConfig(AppConfig):
    name = "ncmd.submissions.api"
    label = "submissions_api"
    verbose_name = "Submissions: JSON API and API tokens"
