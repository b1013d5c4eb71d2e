from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ncmd.registry"
    verbose_name = "Registry"
