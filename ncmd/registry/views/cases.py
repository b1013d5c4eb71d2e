"""The case list: every case in the user's scope, filtered, searched and paged."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from ncmd.dictionary import get_dictionary

from ..access import cases_for
from ..authorization import Permission
from ..models import AgeBand, CaseStatus, DuplicateStatus
from ..presenters import present_case_row
from .decorators import require_permission

_FILTERS = ("status", "age_band", "category_of_death", "expected_death", "year")


@require_permission(Permission.VIEW_CASES)
def case_list(request):
    cases = cases_for(request.user)
    query = request.GET.get("q", "").strip().upper()
    if query:
        cases = cases.filter(reference__icontains=query)
    chosen = {name: request.GET.get(name, "") for name in _FILTERS}
    if chosen["status"] in CaseStatus.values:
        cases = cases.filter(status=chosen["status"])
    if chosen["age_band"] in AgeBand.values:
        cases = cases.filter(age_band=chosen["age_band"])
    if chosen["category_of_death"]:
        cases = cases.filter(category_of_death=chosen["category_of_death"])
    if chosen["expected_death"]:
        cases = cases.filter(expected_death=chosen["expected_death"])
    if chosen["year"].isdigit():
        year = int(chosen["year"])  # the year ending 31 March
        cases = cases.filter(
            date_of_death__gte=f"{year - 1}-04-01", date_of_death__lte=f"{year}-03-31"
        )
    if request.GET.get("duplicates") == "1":
        cases = cases.filter(duplicate_status=DuplicateStatus.POSSIBLE)
    page = Paginator(
        cases.order_by("-date_of_death", "reference"), settings.NCMD_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    latest = get_dictionary().latest
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "registry/case_list.html",
        {
            "page": page,
            "rows": [present_case_row(case) for case in page],
            "query": request.GET.get("q", ""),
            "chosen": chosen,
            "duplicates_only": request.GET.get("duplicates") == "1",
            "statuses": CaseStatus.choices,
            "age_bands": AgeBand.choices,
            "categories": [(c.code, c.label) for c in latest.codelists["category_of_death"].codes],
            "expected": [(c.code, c.label) for c in latest.codelists["expected_death"].codes],
            "years": _years(),
            "querystring": keep.urlencode(),
        },
    )


def _years():
    today = timezone.localdate()
    last = today.year + (1 if today.month >= 4 else 0)
    return [(str(y), f"April {y - 1} to March {y}") for y in range(last, last - 8, -1)]
