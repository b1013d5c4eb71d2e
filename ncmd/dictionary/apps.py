from django.apps import AppConfig


class DictionaryConfig(AppConfig):
    name = "ncmd.dictionary"
    verbose_name = "Data dictionary"
