"""QI packs: making one for a report and an audience, adding learning materials, publishing it,
and reading or downloading it (full pack or one-page summary, HTML or PDF)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ncmd.registry.actions import ActionRefused

from .. import actions, policies
from ..documents import PDF_MISSING, html_download, pdf_download
from ..forms import MaterialForm, PackForm
from ..models import Report
from ._common import form_page, learning_required, programme_required


@programme_required
def pack_new(request, pk):
    report = get_object_or_404(Report, pk=pk)
    form = PackForm(request.POST or None, report=report,
                    initial={"key_findings": report.key_findings})  # fmt: skip
    heading = "Make a QI pack"
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["recommendations"] = list(data["recommendations"]) or None
        try:
            pack = actions.create_pack(report=report, by=request.user, **data)
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Save the pack",
                             caption=report.title, extra_errors=[("", str(refusal))])  # fmt: skip
        return redirect("learning_pack", pk=pack.pk)
    return form_page(request, form, heading=heading, button="Save the pack", caption=report.title,
                     intro="A report's learning for one audience: its recommendations, key "
                     "findings, materials, a QI plan template and a one-page summary. It is a "
                     "draft until you publish it.")  # fmt: skip


def _load(request, pk):
    pack = policies.packs_for(request.user).filter(pk=pk).select_related("report").first()
    if pack is None:
        raise Http404("No such QI pack.")
    return pack


def _context(pack):
    return {"pack": pack, "report": pack.report,
            "recommendations": pack.recommendations.order_by("number"),
            "materials": pack.materials.select_related("file")}  # fmt: skip


@learning_required
def pack_detail(request, pk):
    pack = _load(request, pk)
    return render(request, "learning/pack.html",
                  {**_context(pack), "programme": policies.is_programme(request.user)})  # fmt: skip


@learning_required
def pack_download(request, pk, part, extension):
    pack = _load(request, pk)
    template = {"pack": "learning/pack_document.html",
                "summary": "learning/pack_summary.html"}[part]  # fmt: skip
    name = f"{pack.title} {'summary' if part == 'summary' else 'QI pack'}"
    context = _context(pack)
    if extension == "pdf":
        response = pdf_download(template, context, name)
        if response is None:
            messages.error(request, PDF_MISSING)
            return redirect("learning_pack", pk=pk)
        return response
    return html_download(template, context, name)


@programme_required
def pack_material_add(request, pk):
    pack = _load(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    heading = "Add a learning material"
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_pack_material(pack=pack, by=request.user, title=form.cleaned_data["title"],
                                      url=form.cleaned_data["url"],
                                      upload=form.cleaned_data["file"])  # fmt: skip
        except ActionRefused as refusal:
            return form_page(request, form, heading=heading, button="Add", caption=pack.title,
                             multipart=True, extra_errors=[("", str(refusal))])  # fmt: skip
        return redirect("learning_pack", pk=pk)
    return form_page(
        request,
        form,
        heading=heading,
        button="Add",
        caption=pack.title,
        multipart=True,
        intro="A link, or a document to upload (not both).",
    )


@programme_required
@require_POST
def pack_publish(request, pk):
    pack = _load(request, pk)
    try:
        actions.publish_pack(pack=pack, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.info(request, f"Published to {pack.audience_label.lower()}: the organisations "
                      "its recommendations are addressed to can now read it.")  # fmt: skip
    return redirect("learning_pack", pk=pk)
