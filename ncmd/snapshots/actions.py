"""Freezing and deleting snapshots. Both audited; deleting is for national administrators."""

import json
import shutil
import subprocess
from importlib.metadata import version

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.registry.audit import record
from ncmd.registry.authorization import Permission, has_permission

from .freeze import write_tables
from .models import Snapshot
from .store import snapshot_root


class SnapshotRefused(Exception):
    pass


def code_version():
    """The platform's version, with the git commit when running from a checkout."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR, capture_output=True,
            text=True, timeout=5, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version('ncmd')}+{commit}" if commit else version("ncmd")


def freeze_snapshot(*, by):
    """Copy the registry into a new snapshot folder. The registry is read in one transaction, so
    the snapshot is a consistent picture even while people keep working."""
    at = timezone.now()
    folder = snapshot_root() / f"{at:%Y%m%dT%H%M%S%f}"
    folder.mkdir(parents=True)
    try:
        with transaction.atomic():
            counts, content_hash = write_tables(folder)
            snapshot = Snapshot.objects.create(
                created_at=at,
                created_by=getattr(by, "username", "") or "system",
                folder=str(folder),
                content_hash=content_hash,
                row_counts=counts,
                dictionary_release=get_dictionary().latest.id,
                code_version=code_version(),
            )
            manifest = {
                "snapshot": snapshot.pk,
                "created_at": at.isoformat(),
                "created_by": snapshot.created_by,
                "row_counts": counts,
                "content_hash": content_hash,
                "dictionary_release": snapshot.dictionary_release,
                "code_version": snapshot.code_version,
            }
            (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
            record("freeze_snapshot", by=by, obj=snapshot, detail=manifest)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return snapshot


@transaction.atomic
def delete_snapshot(*, snapshot, by, reason):
    """Delete a snapshot's files. The record of it (and its hash) stays."""
    if not has_permission(by, Permission.USE_ADMIN):
        raise SnapshotRefused("Only a national administrator can delete a snapshot.")
    if snapshot.deleted_at is not None:
        raise SnapshotRefused(f"Snapshot {snapshot.pk} was already deleted.")
    if not str(reason or "").strip():
        raise SnapshotRefused("Say why the snapshot is being deleted.")
    snapshot.deleted_at = timezone.now()
    snapshot.deleted_by = by.username
    snapshot.save(update_fields=["deleted_at", "deleted_by"])
    record(
        "delete_snapshot",
        by=by,
        obj=snapshot,
        detail={"reason": str(reason).strip(), "content_hash": snapshot.content_hash},
    )
    transaction.on_commit(lambda: shutil.rmtree(snapshot.folder, ignore_errors=True))
    return snapshot
