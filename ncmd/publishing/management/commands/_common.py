"""What the `report` and `release` commands share: finding the snapshot and the user."""

from django.core.management.base import CommandError

from ncmd.registry.models import User
from ncmd.snapshots.models import Snapshot


def snapshot_for(snapshot_id):
    """The snapshot with that id, or the newest one for "latest"."""
    if str(snapshot_id) == "latest":
        snapshot = Snapshot.objects.order_by("-created_at", "-pk").first()
    else:
        snapshot = (
            Snapshot.objects.filter(pk=snapshot_id).first() if str(snapshot_id).isdigit() else None
        )
    if snapshot is None:
        raise CommandError(
            f"No snapshot {snapshot_id}: `ncmd snapshot list` shows them, `ncmd snapshot freeze` "
            "makes one."
        )
    return snapshot


def user_for(username):
    """The user named by --by, or None (the operator at the command line)."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {username!r}.")
    return user
