from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "ncmd.publishing"
    label = "publishing"
    verbose_name = "Reports and data releases"
