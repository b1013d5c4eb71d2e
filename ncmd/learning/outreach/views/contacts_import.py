"""Importing contacts from a CSV file, all or nothing, with every problem listed by row."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ..contacts_import import OPTIONAL, REQUIRED, ImportProblems, import_contacts
from ..forms import ImportForm
from .common import manage


@manage
def contacts_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            created, updated = import_contacts(data=form.cleaned_data["file"].read(),
                                               by=request.user)  # fmt: skip
        except ImportProblems as error:
            problems = error.problems
            form.add_error(
                "file",
                f"{len(problems)} problems were found; nothing was imported. "
                "Correct the rows listed below and import the file again.",
            )
        else:
            messages.success(request, f"Imported: {created} new contacts, {updated} updated.")
            return redirect("outreach_stakeholders")
    return render(request, "outreach/import.html", {
        "form": form, "problems": problems, "required": REQUIRED, "optional": OPTIONAL,
    })  # fmt: skip
