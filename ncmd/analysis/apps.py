from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "ncmd.analysis"
    label = "analysis"
    verbose_name = "Analysis"
