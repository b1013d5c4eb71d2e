from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ncmd.access"
    label = "access"
    verbose_name = "Research data access"
