"""The data dictionary: releases, forms (with a JSON Schema and a FHIR Questionnaire each) and
code lists. Readable with any valid token."""

from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import Router

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.exports import fhir_questionnaire

from ..presenters import present_codelist, present_form, present_form_summary, present_release
from ..schemas import CodeListOut, FormOut, FormSummaryOut, ReleaseOut
from . import ERRORS

router = Router(tags=["dictionary"])


def _release(release_id):
    try:
        return get_dictionary().release(release_id)
    except KeyError as error:
        raise Http404(error.args[0]) from None


def _form(release, name):
    try:
        return release.form(name)
    except KeyError as error:
        raise Http404(error.args[0]) from None


@router.get("/releases", response={200: list[ReleaseOut], **ERRORS},
            summary="The dictionary's releases")  # fmt: skip
def releases(request):
    dictionary = get_dictionary()
    current = dictionary.release_on(timezone.localdate()).id
    return [present_release(r, r.id == current) for r in dictionary.releases.values()]


@router.get("/releases/{release_id}/forms", response={200: list[FormSummaryOut], **ERRORS},
            summary="A release's forms")  # fmt: skip
def forms(request, release_id: str):
    return [present_form_summary(form) for form in _release(release_id).forms.values()]


@router.get("/releases/{release_id}/forms/{name}", response={200: FormOut, **ERRORS},
            summary="One form, with its JSON Schema")  # fmt: skip
def form(request, release_id: str, name: str):
    release = _release(release_id)
    return present_form(release, _form(release, name))


@router.get("/releases/{release_id}/forms/{name}/questionnaire",
            response={200: dict[str, Any], **ERRORS},
            summary="One form as a FHIR R4 Questionnaire")  # fmt: skip
def questionnaire(request, release_id: str, name: str):
    release = _release(release_id)
    return fhir_questionnaire(release, _form(release, name))


@router.get("/releases/{release_id}/codelists", response={200: list[CodeListOut], **ERRORS},
            summary="A release's code lists")  # fmt: skip
def codelists(request, release_id: str):
    release = _release(release_id)
    return [present_codelist(release, c) for c in release.codelists.values()]
