"""Building reports and releases, and moving a release through its lifecycle. Every action is
audited in its own transaction; files are written to a new folder that is removed again if the
action fails, so nothing is ever half-written."""

import hashlib
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ncmd.analysis.years import parse_year
from ncmd.registry.actions import ActionRefused
from ncmd.registry.audit import record
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import Organisation, OrganisationType

from . import lifecycle, sources
from .charts import table_svg
from .disclosure import DisclosureError, check_published, protect_tables, small_cells
from .files import ReleaseFacts, notes_csv, table_csv, tables_json, workbook_bytes
from .models import Release, ReleaseFile, ReleaseStatus, Report, ReportKind
from .report import PdfUnavailable, annual_report_html, cdop_pack_html, pdf_bytes
from .rules import disclosure_rule, rule_as_dict
from .sources import theme_titles

MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
}


class PublishingRefused(ActionRefused):
    """A report or release cannot be built or moved now; the message says what to do."""


def publishing_root():
    root = Path(settings.NCMD_PUBLISHING_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _actor(by):
    return getattr(by, "username", "") or "system"


def _user(by):
    return by if getattr(by, "pk", None) else None


def _check_may_publish(by):
    """A user must hold PUBLISH_ANALYSES; `by=None` is the operator at the command line."""
    if by is not None and not has_permission(by, Permission.PUBLISH_ANALYSES):
        raise PublishingRefused(
            "Your role does not allow you to build reports or releases: ask a national analyst."
        )


def _check_inputs(snapshot, year, theme=None):
    if snapshot.deleted_at is not None:
        raise PublishingRefused(
            f"Snapshot {snapshot.pk} was deleted: freeze a new one with `ncmd snapshot freeze`."
        )
    try:
        parse_year(year)
    except ValueError as error:
        raise PublishingRefused(str(error)) from None
    if theme and theme not in theme_titles():
        known = ", ".join(sorted(theme_titles()))
        raise PublishingRefused(f"There is no theme {theme!r}: choose one of {known}.")


def _open(snapshot, year):
    analysis = sources.analysis_for(snapshot)
    years = list(analysis.years())
    if year not in years:
        analysis.close()
        raise PublishingRefused(
            f"Snapshot {snapshot.pk} has no deaths in {year}: choose one of "
            f"{', '.join(years) or 'no year (the snapshot is empty)'}."
        )
    return analysis


def _file_entry(path):
    data = path.read_bytes()
    return {
        "name": path.name,
        "media_type": MEDIA_TYPES[path.suffix],
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _new_folder(kind, name):
    """A folder no other build uses (its name carries the time), so that removing it after a
    failure can never remove another build's files."""
    folder = publishing_root() / kind / name
    folder.mkdir(parents=True)
    return folder


def _write_report(report, html, stem, *, pdf):
    """Write the report's files; returns the message when no PDF could be written."""
    folder = Path(report.folder)
    (folder / f"{stem}.html").write_bytes(html)
    message = ""
    if pdf:
        try:
            (folder / f"{stem}.pdf").write_bytes(pdf_bytes(html))
        except PdfUnavailable as error:
            message = str(error)
    report.files = [_file_entry(p) for p in sorted(folder.iterdir())]
    report.save(update_fields=["files"])
    return message


def build_annual_report(*, snapshot, year, by, theme=None, pdf=True):
    """Write the annual (or thematic) report; returns (report, message about the PDF or "")."""
    _check_may_publish(by)
    _check_inputs(snapshot, year, theme)
    analysis = _open(snapshot, year)
    try:
        html = annual_report_html(analysis=analysis, snapshot=snapshot, year=year, theme=theme)
    finally:
        analysis.close()
    stem = f"annual-report-{year}" + (f"-{theme}" if theme else "")
    return _record_report(
        snapshot=snapshot,
        year=year,
        by=by,
        kind=ReportKind.ANNUAL,
        theme=theme or "",
        cdop=None,
        html=html,
        stem=stem,
        pdf=pdf,
    )


def build_cdop_packs(*, snapshot, year, by, cdops=None, pdf=False):
    """Write the report pack of each CDOP (all CDOPs when `cdops` is None); returns the reports."""
    _check_may_publish(by)
    _check_inputs(snapshot, year)
    if cdops is None:
        cdops = list(Organisation.objects.filter(type=OrganisationType.CDOP).order_by("code"))
    if not cdops:
        raise PublishingRefused("There are no CDOPs: load the reference data first.")
    analysis = _open(snapshot, year)
    reports = []
    try:
        for cdop in cdops:
            html = cdop_pack_html(analysis=analysis, snapshot=snapshot, year=year, cdop=cdop)
            report, _ = _record_report(
                snapshot=snapshot,
                year=year,
                by=by,
                kind=ReportKind.CDOP,
                theme="",
                cdop=cdop,
                html=html,
                stem=f"cdop-pack-{cdop.code}-{year}",
                pdf=pdf,
            )
            reports.append(report)
    finally:
        analysis.close()
    return reports


def _record_report(*, snapshot, year, by, kind, theme, cdop, html, stem, pdf):
    at = timezone.now()
    folder = _new_folder("reports", f"{at:%Y%m%dT%H%M%S%f}-{stem}")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=kind,
                year=year,
                theme=theme,
                cdop=cdop,
                snapshot=snapshot,
                snapshot_hash=snapshot.content_hash,
                folder=str(folder),
                created_at=at,
                created_by=_user(by),
                created_by_name=_actor(by),
            )
            message = _write_report(report, html, stem, pdf=pdf)
            record(
                f"build_{kind}_report",
                by=by,
                obj=report,
                organisation=cdop.code if cdop else "",
                detail={
                    "year": year,
                    "theme": theme,
                    "snapshot": snapshot.pk,
                    "snapshot_hash": snapshot.content_hash,
                    "files": {f["name"]: f["sha256"] for f in report.files},
                },
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return report, message


def _next_identifier(year):
    taken = set(Release.objects.filter(year=year).values_list("identifier", flat=True))
    number = len(taken) + 1
    while f"NCMD-{year}-{number:02d}" in taken:
        number += 1
    return f"NCMD-{year}-{number:02d}"


def release_files(facts, protected):
    """{file name: bytes} of a release: a CSV per table, the notes, the workbook, the published
    tables as JSON and their charts (what the public pages show)."""
    files = {f"{p.id}.csv": table_csv(p) for p in protected}
    files["notes.csv"] = notes_csv(facts, protected)
    files["tables.json"] = tables_json(facts, protected)
    # Charts drawn once, from the published cells, for the public pages to show as they are.
    charts = {p.id: table_svg(p) for p in protected}
    files["charts.json"] = (json.dumps(charts, indent=1, sort_keys=True) + "\n").encode()
    files[f"{facts.release_id.lower()}.xlsx"] = workbook_bytes(facts, protected)
    return files


def build_release(*, snapshot, year, by, title="", theme=None, publish=False):
    """Build a disclosure-controlled data release of the national tables of `year`."""
    _check_may_publish(by)
    _check_inputs(snapshot, year, theme)
    analysis = _open(snapshot, year)
    try:
        tables = analysis.national_tables(year, theme)
        headline = analysis.headline(year)
    finally:
        analysis.close()
    rule = disclosure_rule()
    try:
        protected = protect_tables(tables, rule)
    except DisclosureError as error:
        raise PublishingRefused(f"The tables cannot be protected: {error}") from None
    exposed = check_published(protected) + small_cells(protected, rule)
    if exposed:  # a last guard: protect_tables is built so that this never happens
        raise PublishingRefused(f"Disclosure check failed, nothing was released: {exposed[:5]}")
    theme_title = theme_titles().get(theme, "") if theme else ""
    title = (title or "").strip() or (
        f"Child deaths in England, {year}" + (f": {theme_title}" if theme else "")
    )
    at = timezone.now()
    identifier = _next_identifier(year)
    facts = ReleaseFacts(
        release_id=identifier,
        title=title,
        year=year,
        snapshot_hash=snapshot.content_hash,
        frozen_at=snapshot.created_at.isoformat(),
        rule=rule,
        denominator_name=getattr(headline, "denominator_name", "") or "",
        denominator_synthetic=bool(getattr(headline, "denominator_synthetic", False)),
    )
    folder = _new_folder("releases", f"{at:%Y%m%dT%H%M%S%f}-{identifier}")
    try:
        with transaction.atomic():
            release = Release.objects.create(
                identifier=identifier,
                title=title,
                year=year,
                theme=theme or "",
                snapshot=snapshot,
                snapshot_hash=snapshot.content_hash,
                rule=rule_as_dict(rule),
                tables=[
                    {
                        "id": p.id,
                        "title": p.title,
                        "description": p.table.description,
                        "withheld": len(p.withheld),
                    }
                    for p in protected
                ],
                folder=str(folder),
                synthetic_denominators=facts.denominator_synthetic,
                created_at=at,
                created_by=_user(by),
                created_by_name=_actor(by),
            )
            for name, data in release_files(facts, protected).items():
                (folder / name).write_bytes(data)
                ReleaseFile.objects.create(
                    release=release,
                    name=name,
                    table_id=name[:-4] if name.endswith(".csv") and name != "notes.csv" else "",
                    media_type=MEDIA_TYPES[Path(name).suffix],
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            record(
                "build_release",
                by=by,
                obj=release,
                detail={
                    "identifier": identifier,
                    "year": year,
                    "theme": theme or "",
                    "snapshot": snapshot.pk,
                    "snapshot_hash": snapshot.content_hash,
                    "rule": rule_as_dict(rule),
                    "files": {f.name: f.sha256 for f in release.files.all()},
                },
            )
            if publish:
                release = publish_release(release=release, by=by)
    except IntegrityError:
        shutil.rmtree(folder, ignore_errors=True)
        raise PublishingRefused(
            f"Another release of {year} was recorded at the same moment: build it again."
        ) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return release


def _move(release, target, by, reason=""):
    move = lifecycle.transition(release.status, target)
    if move is None:
        raise PublishingRefused(
            f"Release {release.identifier} is {release.get_status_display().lower()}: it cannot "
            f"be {ReleaseStatus(target).label.lower()} from there."
        )
    must_check = by is not None or move.permission is Permission.USE_ADMIN
    if must_check and not has_permission(by, move.permission):
        raise PublishingRefused(
            f"Only {move.who} can move a release to {ReleaseStatus(target).label.lower()}."
        )
    if "reason" in move.needs and not str(reason or "").strip():
        raise PublishingRefused("Say why, in the reason box: it is kept in the audit log.")
    return move


@transaction.atomic
def publish_release(*, release, by):
    """Make a built release public on the statistics pages."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    _move(release, ReleaseStatus.PUBLISHED, by)
    release.status = ReleaseStatus.PUBLISHED
    release.published_at = timezone.now()
    release.save(update_fields=["status", "published_at"])
    record(
        "publish_release",
        by=by,
        obj=release,
        changes={"status": [ReleaseStatus.BUILT, ReleaseStatus.PUBLISHED]},
        detail={"identifier": release.identifier},
    )
    return release


@transaction.atomic
def withdraw_release(*, release, by, reason):
    """Take a published release off the statistics pages; its page says it was withdrawn."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    _move(release, ReleaseStatus.WITHDRAWN, by, reason)
    release.status = ReleaseStatus.WITHDRAWN
    release.withdrawn_at = timezone.now()
    release.withdrawn_reason = str(reason).strip()
    release.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    record(
        "withdraw_release",
        by=by,
        obj=release,
        changes={"status": [ReleaseStatus.PUBLISHED, ReleaseStatus.WITHDRAWN]},
        detail={"identifier": release.identifier, "reason": release.withdrawn_reason},
    )
    return release


@transaction.atomic
def delete_release(*, release, by, reason):
    """Remove a release's files (after withdrawal, or before publication). Its record, with the
    checksums of its files, stays."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    before = release.status
    _move(release, ReleaseStatus.DELETED, by, reason)
    release.status = ReleaseStatus.DELETED
    release.save(update_fields=["status"])
    record(
        "delete_release",
        by=by,
        obj=release,
        changes={"status": [before, ReleaseStatus.DELETED]},
        detail={"identifier": release.identifier, "reason": str(reason).strip()},
    )
    folder = release.folder
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
    return release
