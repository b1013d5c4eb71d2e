from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "ncmd.learning"
    label = "learning"
    verbose_name = "Learning into action"
