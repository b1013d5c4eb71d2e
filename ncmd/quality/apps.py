from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "ncmd.quality"
    verbose_name = "Data quality"
