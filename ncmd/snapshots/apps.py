from django.apps import AppConfig


class SnapshotsConfig(AppConfig):
    name = "ncmd.snapshots"
    verbose_name = "Snapshots"
