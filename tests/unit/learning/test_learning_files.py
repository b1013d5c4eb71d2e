"""Uploads are accepted by their content, not their name."""

import io
import zipfile

import pytest

from ncmd.learning.files import UploadRefused, sniff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("audit.pdf", PDF, "application/pdf"),
        ("chart.PNG", PNG, "image/png"),
        ("notes.txt", "Safer sleep — audit".encode(), "text/plain"),
        ("progress.csv", b"month,value\n2025-01,0.9\n", "text/csv"),
    ],
)
def test_allowed_content_is_accepted(name, content, mime):
    assert sniff(name, content) == mime


def test_a_word_document_is_recognised_inside_its_zip():
    content = docx()
    assert sniff("policy.docx", content).endswith("wordprocessingml.document")
    with pytest.raises(UploadRefused, match="its content is"):
        sniff("policy.pdf", content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "cannot be uploaded"),
        ("report.pdf", b"#!/bin/sh\nrm -rf /\n", "not a recognised file"),
        ("photo.png", PDF, "its content is a pdf file"),
        ("data.csv", b"a,b\x00c", "not a text file"),
        ("data.csv", "é".encode("latin-1"), "not UTF-8"),
        ("page.html", b"<script>alert(1)</script>", "cannot be uploaded"),
    ],
)
def test_anything_else_is_refused_with_the_reason(name, content, message):
    with pytest.raises(UploadRefused, match=message):
        sniff(name, content)
