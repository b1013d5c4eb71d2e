from django.core.management.base import BaseCommand, CommandError

from ncmd.registry.models import User
from ncmd.snapshots.actions import SnapshotRefused, delete_snapshot, freeze_snapshot
from ncmd.snapshots.models import Snapshot


class Command(BaseCommand):
    help = "Freeze the registry into a snapshot, list snapshots, or delete one."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        freeze = commands.add_parser("freeze", help="write a new snapshot")
        freeze.add_argument("--by", help="user name to record as the one who froze it")
        commands.add_parser("list", help="list snapshots")
        delete = commands.add_parser("delete", help="delete a snapshot (national administrators)")
        delete.add_argument("id", type=int)
        delete.add_argument("--by", required=True, help="user name of a national administrator")
        delete.add_argument("--reason", required=True)

    def handle(self, *args, subcommand, **options):
        if subcommand == "freeze":
            by = _user(options.get("by"))
            snapshot = freeze_snapshot(by=by)
            counts = ", ".join(f"{k} {v:,}" for k, v in snapshot.row_counts.items())
            self.stdout.write(f"Snapshot {snapshot.pk}: {counts}; hash {snapshot.content_hash}")
        elif subcommand == "list":
            for snapshot in Snapshot.objects.all():
                state = f"deleted {snapshot.deleted_at:%Y-%m-%d}" if snapshot.deleted_at else ""
                cases = snapshot.row_counts.get("cases", 0)
                self.stdout.write(
                    f"{snapshot.pk:>5}  {snapshot.created_at:%Y-%m-%d %H:%M}  {cases:>9,} cases  "
                    f"{snapshot.content_hash[:12]}  {state}"
                )
        else:
            snapshot = Snapshot.objects.filter(pk=options["id"]).first()
            if snapshot is None:
                raise CommandError(f"No snapshot {options['id']}.")
            try:
                delete_snapshot(
                    snapshot=snapshot, by=_user(options["by"]), reason=options["reason"]
                )
            except SnapshotRefused as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Snapshot {snapshot.pk} deleted.")


def _user(username):
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user called {username!r}.")
    return user
