"""The `ncmd report` and `ncmd release` commands."""

import io

import pytest
from django.core.management import CommandError, call_command

from ncmd.publishing.models import Release, ReleaseStatus, Report


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_report_annual_writes_into_the_folder_given(snapshot, fake_analysis, tmp_path):
    out = run(
        "report",
        "annual",
        "--year",
        "2024-25",
        "--snapshot",
        str(snapshot.pk),
        "--out",
        str(tmp_path / "out"),
        "--no-pdf",
    )
    assert (tmp_path / "out" / "annual-report-2024-25.html").exists()
    assert "sha256" in out and Report.objects.count() == 1


def test_report_cdop_for_one_and_for_all(snapshot, world, fake_analysis):
    run("report", "cdop", "--year", "2024-25", "--snapshot", str(snapshot.pk), "--cdop", "CDOP001")
    run("report", "cdop", "--year", "2024-25", "--snapshot", str(snapshot.pk), "--all")
    assert Report.objects.count() == 4
    with pytest.raises(CommandError, match="No CDOP"):
        run("report", "cdop", "--year", "2024-25", "--snapshot", str(snapshot.pk), "--cdop", "X")


def test_release_build_list_withdraw(snapshot, users, fake_analysis):
    out = run(
        "release",
        "build",
        "--year",
        "2024-25",
        "--snapshot",
        str(snapshot.pk),
        "--title",
        "Child deaths 2024-25",
        "--publish",
    )
    assert "NCMD-2024-25-01 (published)" in out
    assert "NCMD-2024-25-01" in run("release", "list")
    with pytest.raises(CommandError, match="Only a national administrator"):
        run(
            "release",
            "withdraw",
            "NCMD-2024-25-01",
            "--by",
            users["national_analyst"].username,
            "--reason",
            "x",
        )
    run(
        "release",
        "withdraw",
        "NCMD-2024-25-01",
        "--by",
        users["national_admin"].username,
        "--reason",
        "Revised",
    )
    assert Release.objects.get().status == ReleaseStatus.WITHDRAWN


def test_clear_errors(snapshot, users, fake_analysis):
    with pytest.raises(CommandError, match="No snapshot 999"):
        run("release", "build", "--year", "2024-25", "--snapshot", "999")
    with pytest.raises(CommandError, match="not a financial year"):
        run("release", "build", "--year", "2024", "--snapshot", str(snapshot.pk))
    with pytest.raises(CommandError, match="No active user 'nobody-at-all'"):
        run("release", "publish", "NCMD-1-1", "--by", "nobody-at-all")
    with pytest.raises(CommandError, match="No release 'NCMD-1-1'"):
        run("release", "publish", "NCMD-1-1", "--by", users["national_admin"].username)


def test_latest_names_the_newest_snapshot(snapshot, fake_analysis, tmp_path):
    run("report", "annual", "--year", "2024-25", "--snapshot", "latest", "--no-pdf")
    assert Report.objects.get().snapshot == snapshot
    with pytest.raises(CommandError, match="No snapshot newest"):
        run("release", "build", "--year", "2024-25", "--snapshot", "newest")
