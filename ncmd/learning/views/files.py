"""Downloading evidence and learning materials, only for those who may read them."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ncmd.registry.audit import record

from .. import policies
from ..files import path_of
from ..models import StoredFile
from ._common import learning_required


@learning_required
def download(request, pk):
    stored = get_object_or_404(StoredFile, pk=pk)
    if not policies.may_read_file(request.user, stored):
        raise Http404("No such file.")
    path = path_of(stored)
    if not path.exists():
        raise Http404("The file is missing from storage; ask an administrator to restore it.")
    record("download_learning_file", by=request.user, obj=stored,
           detail={"name": stored.original_name, "sha256": stored.sha256})  # fmt: skip
    response = FileResponse(path.open("rb"), as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)  # fmt: skip
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
