from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ncmd.submissions.imports"
    label = "submissions_imports"
    verbose_name = "Bulk import"
    default_auto_field = "django.db.models.BigAutoField"
