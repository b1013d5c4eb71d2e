"""Output checking: the researcher uploads a table they mean to publish; the disclosure checker's
findings are shown cell by cell; a reviewer clears it or refuses it with reasons."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import actions, policies
from ..models import OutputStatus
from .decorators import load_request
from .forms import error_for, text


@require_http_methods(["GET", "POST"])
@load_request
def submit_output(request, access_request):
    if request.user.pk != access_request.applicant_id:
        raise Http404("Only the applicant submits outputs.")
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        limit = policies.setting("NCMD_OUTPUT_MAX_BYTES", 5 * 1024 * 1024)
        if upload is None:
            errors.append(("#file", "Choose the file of the table to check (CSV or XLSX)."))
        elif upload.size > limit:
            errors.append(
                (
                    "#file",
                    f"The file is larger than {limit // 1024 // 1024 or 1} MB: "
                    "outputs for checking are tables of counts.",
                )
            )
        if not errors:
            try:
                output = actions.submit_output(
                    request=access_request,
                    title=text(request.POST, "title"),
                    purpose=text(request.POST, "purpose"),
                    file_name=upload.name,
                    content=upload.read(),
                    by=request.user,
                )
            except actions.ActionRefused as refusal:
                errors.append(("#file", str(refusal)))
            else:
                return redirect("access_output", reference=access_request.reference, pk=output.pk)
    return render(
        request,
        "access/submit_output.html",
        {
            "access_request": access_request,
            "errors": errors,
            "error_for": error_for(errors),
            "post": request.POST,
        },
    )


@require_http_methods(["GET", "POST"])
@load_request
def output_detail(request, access_request, pk):
    output = access_request.outputs.filter(pk=pk).first()
    if output is None:
        raise Http404("No such output.")
    reviewer = policies.is_reviewer(request.user)
    errors = []
    if request.method == "POST" and reviewer:
        try:
            actions.check_output(
                output=output,
                cleared=request.POST.get("decision") == "clear",
                notes=text(request.POST, "notes"),
                by=request.user,
            )
        except actions.ActionRefused as refusal:
            errors.append(("#notes", str(refusal)))
        else:
            messages.success(request, f"Output {output.get_status_display().lower()}.")
            return redirect("access_request", reference=access_request.reference)
    flagged = {(f["table"], f["row"], f["column"]) for f in output.findings}
    tables = []
    for table in output.tables:
        rows = [
            {
                "label": label,
                "cells": [
                    {
                        "text": "*" if value is None else value,
                        "flagged": (table["title"], label, column) in flagged,
                    }
                    for value, column in zip(table["cells"][i], table["column_labels"], strict=True)
                ],
            }
            for i, label in enumerate(table["row_labels"])
        ]
        tables.append({**table, "rows": rows})
    return render(
        request,
        "access/output.html",
        {
            "access_request": access_request,
            "output": output,
            "tables": tables,
            "reviewer": reviewer,
            "errors": errors,
            "error_for": error_for(errors),
            "open": output.status == OutputStatus.SUBMITTED,
        },
    )
