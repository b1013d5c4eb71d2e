from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "ncmd.synthetic"
    verbose_name = "Synthetic data"
