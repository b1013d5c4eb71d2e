from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ncmd.quality.compute import compute_quality
from ncmd.quality.definitions import DefinitionError, indicators
from ncmd.registry.models import User
from ncmd.snapshots.actions import freeze_snapshot
from ncmd.snapshots.models import Snapshot
from ncmd.snapshots.store import connect


class Command(BaseCommand):
    help = (
        "Data quality: `refresh` freezes a new snapshot and computes every indicator over it; "
        "`compute` computes them over an existing snapshot; `check` checks the definitions."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        refresh = commands.add_parser("refresh", help="freeze a snapshot and compute over it")
        refresh.add_argument("--by", help="user name to record as the one who froze it")
        compute = commands.add_parser("compute", help="compute over a snapshot")
        compute.add_argument("--snapshot", type=int, help="snapshot id (default: the newest)")
        commands.add_parser("check", help="load every definition and test its SQL")

    def handle(self, *args, subcommand, **options):
        try:
            definitions = indicators()
        except DefinitionError as error:
            raise CommandError(str(error)) from None
        if subcommand == "check":
            self._check(definitions)
            return
        if subcommand == "refresh":
            by = User.objects.filter(username=options["by"]).first() if options["by"] else None
            snapshot = freeze_snapshot(by=by)
        else:
            snapshots = Snapshot.objects.filter(deleted_at__isnull=True)
            if options["snapshot"]:
                snapshots = snapshots.filter(pk=options["snapshot"])
            snapshot = snapshots.first()
            if snapshot is None:
                raise CommandError("No such snapshot: freeze one with `ncmd quality refresh`.")
        meta = compute_quality(
            snapshot.folder,
            review_days_short=settings.NCMD_REVIEW_DAYS_SHORT,
            review_days_long=settings.NCMD_REVIEW_DAYS_LONG,
        )
        counts = ", ".join(f"{k} {v:,}" for k, v in meta["row_counts"].items())
        self.stdout.write(f"Quality results for snapshot {snapshot.pk}: {counts}")

    def _check(self, definitions):
        snapshot = Snapshot.objects.filter(deleted_at__isnull=True).first()
        if snapshot is None:
            self.stdout.write(f"{len(definitions)} definitions load; no snapshot to test SQL on.")
            return
        from ncmd.quality.compute import compute_quality as run

        run(snapshot.folder, definitions=definitions)
        connect(snapshot.folder).close()
        self.stdout.write(f"{len(definitions)} definitions load and run on snapshot {snapshot.pk}.")
