"""A release's lifecycle: every status reachable, wrong moves and wrong people refused, and the
generated diagram current."""

from pathlib import Path

import pytest
from django.core.management import call_command

from ncmd.publishing import actions, lifecycle
from ncmd.publishing.models import ReleaseStatus
from ncmd.registry.models import AuditEvent


def test_every_status_is_reachable_from_built():
    reached, frontier = {ReleaseStatus.BUILT}, [ReleaseStatus.BUILT]
    while frontier:
        status = frontier.pop()
        for move in lifecycle.TRANSITIONS:
            if move.source == status and move.target not in reached:
                reached.add(move.target)
                frontier.append(move.target)
    assert reached == set(ReleaseStatus)
    assert set(lifecycle.STATUS_OWNERS) == set(ReleaseStatus)


def test_publish_withdraw_delete(
    snapshot, users, fake_analysis, django_capture_on_commit_callbacks
):
    release = actions.build_release(snapshot=snapshot, year="2024-25", by=users["national_analyst"])
    release = actions.publish_release(release=release, by=users["national_analyst"])
    assert release.status == ReleaseStatus.PUBLISHED and release.published_at
    with pytest.raises(actions.PublishingRefused, match="Only a national administrator"):
        actions.withdraw_release(release=release, by=users["national_analyst"], reason="error")
    with pytest.raises(actions.PublishingRefused, match="Say why"):
        actions.withdraw_release(release=release, by=users["national_admin"], reason=" ")
    with pytest.raises(actions.PublishingRefused, match="cannot be deleted from there"):
        actions.delete_release(release=release, by=users["national_admin"], reason="x")
    release = actions.withdraw_release(
        release=release, by=users["national_admin"], reason="A coding error in the age bands."
    )
    assert release.status == ReleaseStatus.WITHDRAWN
    with pytest.raises(actions.PublishingRefused, match="cannot be published from there"):
        actions.publish_release(release=release, by=users["national_admin"])
    folder = Path(release.folder)
    with django_capture_on_commit_callbacks(execute=True):
        release = actions.delete_release(
            release=release, by=users["national_admin"], reason="wrong"
        )
    assert release.status == ReleaseStatus.DELETED and not folder.exists()
    assert list(
        AuditEvent.objects.filter(object_type="Release")
        .values_list("action", flat=True)
        .order_by("at", "id")
    ) == ["build_release", "publish_release", "withdraw_release", "delete_release"]


def test_the_command_line_cannot_withdraw_without_an_administrator(snapshot, users, fake_analysis):
    release = actions.build_release(snapshot=snapshot, year="2024-25", by=None, publish=True)
    with pytest.raises(actions.PublishingRefused, match="Only a national administrator"):
        actions.withdraw_release(release=release, by=None, reason="x")


def test_the_lifecycle_doc_is_current():
    call_command("release", "docs", "--check")
