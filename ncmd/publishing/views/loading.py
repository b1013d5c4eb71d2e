"""Loading what a page shows: only recorded files, found by id, with their checksums checked."""

import hashlib
import json
import logging
from pathlib import Path

from django.http import Http404

from ..files import published_tables
from ..models import Release, ReleaseStatus

logger = logging.getLogger(__name__)
PUBLIC = (ReleaseStatus.PUBLISHED, ReleaseStatus.WITHDRAWN)


def public_release(identifier):
    """A release the public may see (published, or withdrawn with its notice), else 404."""
    release = Release.objects.filter(identifier=identifier, status__in=PUBLIC).first()
    if release is None:
        raise Http404("No such release.")
    return release


def file_bytes(folder, entry_name, sha256):
    """The bytes of a recorded file, or 404 when missing or not what was recorded."""
    path = Path(folder) / entry_name
    try:
        data = path.read_bytes()
    except OSError:
        logger.error("Recorded file %s is missing.", path)
        raise Http404("That file is not available.") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        logger.error("Recorded file %s does not match its checksum: not served.", path)
        raise Http404("That file is not available.")
    return data


def release_tables(release):
    """The tables a release published, from its recorded tables.json."""
    entry = release.files.filter(name="tables.json").first()
    if entry is None:
        raise Http404("That release has no tables.")
    return published_tables(file_bytes(release.folder, entry.name, entry.sha256))


def release_charts(release):
    """{table id: SVG} drawn when the release was built, or None for a release without them."""
    entry = release.files.filter(name="charts.json").first()
    if entry is None:
        return None
    return json.loads(file_bytes(release.folder, entry.name, entry.sha256))
