"""The data quality dashboard: a CDOP's indicators, one indicator in depth with its funnel plot,
SPC chart and worklist, and the national league view. Every page reads precomputed results."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import Organisation, OrganisationType
from ncmd.registry.views.decorators import require_permission

from . import charts
from .compute import NATIONAL
from .definitions import indicators
from .periods import period_label
from .presenters import ASSURANCE_WORDS, VARIATION_WORDS, funnel_words, percent, value_words
from .results import latest_results


def _cdop_for(user, code):
    """The CDOP `user` may see the quality of: their own, or any for national roles; else 404."""
    cdop = Organisation.objects.filter(code=code, type=OrganisationType.CDOP).first()
    national = has_permission(user, Permission.VIEW_NATIONAL_DATA)
    if cdop is None or not (national or cdop.pk == user.organisation_id):
        raise Http404("No such CDOP.")
    return cdop


def _results_or_empty(request):
    results = latest_results()
    if results is None:
        return None, render(request, "quality/no_results.html")
    return results, None


@require_permission(Permission.VIEW_QUALITY)
def quality_home(request):
    if not has_permission(request.user, Permission.VIEW_NATIONAL_DATA):
        return redirect("quality_cdop", code=request.user.organisation.code)
    results, empty = _results_or_empty(request)
    if empty:
        return empty
    rows = []
    for row in results.overview(NATIONAL):
        definition = row["indicator"]
        outliers = results.query(
            'SELECT count(*) FILTER (WHERE funnel998 < 0) AS low, '
            'count(*) FILTER (WHERE funnel998 > 0) AS high FROM "values" '
            "WHERE indicator = ? AND period_type = 'year' AND period = ? AND cdop <> ?",
            definition.name, row["period"], NATIONAL,
        )[0] if row["period"] else {"low": 0, "high": 0}  # fmt: skip
        worse = outliers["low"] if definition.better == "higher" else outliers["high"]
        rows.append(
            {
                **row,
                "value_text": value_words(row["value"]),
                "worse": worse,
                "period_text": period_label("year", row["period"]) if row["period"] else "",
            }
        )
    cdops = Organisation.objects.filter(type=OrganisationType.CDOP).order_by("name")
    return render(request, "quality/national.html",
                  {"results": results, "rows": rows, "cdops": cdops})  # fmt: skip


@require_permission(Permission.VIEW_QUALITY)
def quality_cdop(request, code):
    cdop = _cdop_for(request.user, code)
    results, empty = _results_or_empty(request)
    if empty:
        return empty
    rows = []
    for row in results.overview(cdop.code):
        definition = row["indicator"]
        national = results.query(
            'SELECT value, top_quartile FROM "values" WHERE indicator = ? AND period_type = '
            "'year' AND period = ? AND cdop = ?", definition.name, row["period"], NATIONAL,
        ) if row["period"] else []  # fmt: skip
        funnel, colour = funnel_words(row["value"], definition.better)
        spc = row["spc"]
        rows.append({
            **row,
            "value_text": value_words(row["value"]),
            "national": percent(national[0]["value"]) if national else "–",
            "top_quartile": percent(national[0]["top_quartile"]) if national else "–",
            "funnel": funnel, "funnel_colour": colour,
            "variation": VARIATION_WORDS.get(spc["variation"], "") if spc else
            "Not enough months for an SPC chart",
            "assurance": ASSURANCE_WORDS.get(spc["assurance"], "") if spc else "",
            "period_text": period_label("year", row["period"]) if row["period"] else "",
        })  # fmt: skip
    return render(request, "quality/cdop.html", {"cdop": cdop, "results": results, "rows": rows})


@require_permission(Permission.VIEW_QUALITY)
def quality_indicator(request, code, name):
    cdop = _cdop_for(request.user, code)
    definition = indicators().get(name) or _not_found()
    results, empty = _results_or_empty(request)
    if empty:
        return empty
    period = results.latest_period(name)
    yearly = results.query(
        'SELECT * FROM "values" WHERE indicator = ? AND period_type = \'year\' AND cdop IN (?, ?) '
        "ORDER BY period, cdop", name, cdop.code, NATIONAL,
    )  # fmt: skip
    years = []
    for start in sorted({r["period"] for r in yearly}):
        mine = next((r for r in yearly if r["period"] == start and r["cdop"] == cdop.code), None)
        england = next((r for r in yearly if r["period"] == start and r["cdop"] == NATIONAL), None)
        years.append({"label": period_label("year", start), "mine": value_words(mine),
                      "england": value_words(england),
                      "funnel": funnel_words(mine, definition.better)[0]})  # fmt: skip
    funnel_chart = _funnel_chart(results, definition, cdop, period)
    points = results.query(
        "SELECT * FROM spc_points WHERE indicator = ? AND cdop = ? ORDER BY period", name, cdop.code
    )
    interventions = _interventions(cdop.code, name, results, points)
    spc_chart = mark_safe(charts.spc_svg(  # noqa: S308 (SVG we drew, with escaped text)
        title=f"{definition.title}, {cdop.name}, by month of death", points=points,
        better=definition.better,
        annotations=[(i.held_on, i.label) for i in interventions])) if points else None  # fmt: skip
    worklist = Paginator(results.query(
        "SELECT * FROM worklist WHERE indicator = ? AND cdop = ? "
        "ORDER BY date_of_death DESC, case_reference, form_name, field", name, cdop.code,
    ), 25).get_page(request.GET.get("page"))  # fmt: skip
    for item in worklist:
        item["url"] = _worklist_url(name, item)
    fields = results.query(
        "SELECT form_name, field, sum(shown) AS shown, sum(known) AS known, "
        "sum(not_known) AS not_known FROM field_completeness WHERE cdop = ? AND year = ? "
        "AND required GROUP BY ALL ORDER BY form_name, known / shown, field",
        cdop.code, period,
    ) if name.startswith("complete_") and period else []  # fmt: skip
    for row in fields:
        row["share"] = percent(row["known"] / row["shown"]) if row["shown"] else "–"
    return render(request, "quality/indicator.html", {
        "cdop": cdop, "indicator": definition, "results": results, "years": years,
        "funnel_chart": funnel_chart, "spc_chart": spc_chart, "worklist": worklist,
        "fields": fields, "period_text": period_label("year", period) if period else "",
        "interventions": interventions,
        "can_open_cases": has_permission(request.user, Permission.VIEW_CASES),
    })  # fmt: skip


@require_permission(Permission.VIEW_NATIONAL_DATA)
def quality_league(request, name):
    definition = indicators().get(name) or _not_found()
    results, empty = _results_or_empty(request)
    if empty:
        return empty
    period = results.latest_period(name)
    order = "DESC" if definition.better == "higher" else "ASC"
    rows = results.query(
        'SELECT * FROM "values" WHERE indicator = ? AND period_type = \'year\' AND period = ? '
        f"AND cdop <> ? ORDER BY scored DESC, value {order}, cdop", name, period, NATIONAL,
    ) if period else []  # fmt: skip
    names = dict(Organisation.objects.filter(type="cdop").values_list("code", "name"))
    for row in rows:
        row["name"] = names.get(row["cdop"], row["cdop"])
        row["value_text"] = value_words(row)
        row["funnel"], row["funnel_colour"] = funnel_words(row, definition.better)
    return render(request, "quality/league.html", {
        "indicator": definition, "rows": rows, "results": results,
        "period_text": period_label("year", period) if period else "",
        "funnel_chart": _funnel_chart(results, definition, None, period),
    })  # fmt: skip


def _funnel_chart(results, definition, cdop, period):
    if period is None:
        return None
    units = results.query(
        'SELECT cdop, numerator, denominator, value, funnel_target, funnel_tau2 FROM "values" '
        "WHERE indicator = ? AND period_type = 'year' AND period = ? AND scored AND cdop <> ?",
        definition.name, period, NATIONAL,
    )  # fmt: skip
    if len(units) < 2 or units[0]["funnel_target"] is None:
        return None
    where = f", {cdop.name}" if cdop else ""
    return mark_safe(charts.funnel_svg(  # noqa: S308 (SVG we drew, with escaped text)
        title=f"{definition.title}: CDOPs compared, {period_label('year', period)}{where}",
        units=[(u["cdop"], u["numerator"], u["denominator"], u["value"]) for u in units],
        focus=cdop.code if cdop else None, target=units[0]["funnel_target"],
        tau2=units[0]["funnel_tau2"], better=definition.better,
    ))  # fmt: skip


def _interventions(code, name, results, points):
    """Improvement interventions that reached this CDOP within the chart's months, each with
    its before-and-after comparison (from ncmd.learning)."""
    if not points:
        return []
    from ncmd.learning.interventions import for_chart

    first, last = points[0]["period"], points[-1]["period"]
    return [i for i in for_chart(code, name, results=results)
            if first <= i.held_on.replace(day=1) <= last]  # fmt: skip


def _worklist_url(indicator, item):
    """Where to fix a worklist item: the form itself where there is one to open."""
    reference, form, field = item["case_reference"], item["form_name"], item["field"]
    if not form:
        return reverse("case_detail", args=[reference])
    if form == "reporting":
        return reverse("case_forms", args=[reference])
    if indicator == "supplementary_forms_present":
        return reverse("fill_form", args=[reference, form])
    anchor = f"#q-{field}" if field else ""
    return reverse("amend_form", args=[reference, form]) + anchor


def _not_found():
    raise Http404("No such indicator.")
