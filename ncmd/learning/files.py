"""Uploaded evidence and learning materials, handled safely.

A file is accepted only when its content is one of the allowed kinds, found by looking at its
bytes (the `filetype` library's signatures; UTF-8 text for .txt and .csv), and when its name's
extension agrees with that content: a script renamed report.pdf is refused. It must be no larger
than `NCMD_LEARNING_UPLOAD_MAX_BYTES`. It is stored under the var directory with a random name,
never the name it was uploaded with, and is only ever served by `views.files.download`, which
checks who may read it and sends it as an attachment.
"""

import hashlib
import secrets
from pathlib import Path

import filetype
from django.conf import settings
from django.utils import timezone

from ncmd.registry.actions import ActionRefused

from .models import StoredFile

ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "txt": "text/plain",
    "csv": "text/csv",
}
ALLOWED_WORDS = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument "
ALLOWED_WORDS += "(.odt, .ods), plain text (.txt) or CSV"


class UploadRefused(ActionRefused):
    """The file is too large, empty, or not one of the allowed kinds."""


def storage_dir():
    folder = Path(settings.VAR_DIR) / "learning" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def path_of(stored):
    return storage_dir() / stored.stored_name


def sniff(name, content):
    """The MIME type of `content` when it is an allowed kind matching the extension of `name`;
    otherwise raise UploadRefused saying why."""
    extension = Path(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED:
        raise UploadRefused(
            f"{name}: files of this kind cannot be uploaded. Upload a {ALLOWED_WORDS} file."
        )
    expected = ALLOWED[extension]
    if expected.startswith("text/"):
        if b"\x00" in content:
            raise UploadRefused(f"{name} is not a text file: save it as plain text and try again.")
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused(
                f"{name} is not UTF-8 text: save it as UTF-8 (in Excel, 'CSV UTF-8') and try again."
            ) from None
        return expected
    kind = filetype.guess(content)
    if kind is None or kind.mime != expected:
        found = f"a {kind.extension} file" if kind else "not a recognised file"
        raise UploadRefused(
            f"{name}: its name says {extension}, but its content is {found}. Upload the file "
            "in the kind its name says."
        )
    return expected


def store_upload(uploaded, *, by):
    """Check and keep an uploaded file (a Django UploadedFile); return its StoredFile. Call it
    inside the action's transaction: a refusal writes nothing."""
    limit = settings.NCMD_LEARNING_UPLOAD_MAX_BYTES
    name = Path(uploaded.name).name[:255] or "file"
    if uploaded.size == 0:
        raise UploadRefused(f"{name} is empty.")
    if uploaded.size > limit:
        raise UploadRefused(
            f"{name} is {uploaded.size / 1_048_576:.1f} MB; files must be no larger than "
            f"{limit / 1_048_576:.0f} MB. Make it smaller, or give a link to it instead."
        )
    uploaded.seek(0)
    content = uploaded.read()
    content_type = sniff(name, content)
    stored_name = secrets.token_hex(24)
    path = storage_dir() / stored_name
    path.write_bytes(content)
    return StoredFile.objects.create(
        stored_name=stored_name,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by if getattr(by, "pk", None) else None,
        uploaded_at=timezone.now(),
    )
