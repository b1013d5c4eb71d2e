"""The stakeholder map (influence against interest), in general or for a theme, with its table;
the ratings are edited in the table, and a new theme starts from a copy of existing ratings."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from .. import actions
from ..charts import quadrant, stakeholder_map_svg
from ..forms import ThemeForm
from ..models import MapTheme, StakeholderOrganisation
from .common import form_page, manage, refused


def _ratings(theme):
    organisations = list(StakeholderOrganisation.objects.all())
    if theme is None:
        return [(o, o.influence, o.interest) for o in organisations]
    own = {r.organisation_id: r for r in theme.ratings.all()}
    return [
        (o, getattr(own.get(o.pk), "influence", o.influence),
         getattr(own.get(o.pk), "interest", o.interest))
        for o in organisations
    ]  # fmt: skip


@manage
def stakeholder_map(request):
    theme_id = request.GET.get("theme") or request.POST.get("theme")
    theme = get_object_or_404(MapTheme, pk=theme_id) if theme_id else None
    rows = _ratings(theme)
    if request.method == "POST":
        ratings, problems = {}, []
        for organisation, _, _ in rows:
            try:
                ratings[organisation] = (
                    int(request.POST[f"influence-{organisation.pk}"]),
                    int(request.POST[f"interest-{organisation.pk}"]),
                )
            except (KeyError, ValueError):
                problems.append(organisation.name)
        if problems:
            messages.error(request, f"Choose ratings from 1 to 5 for {', '.join(problems)}.")
        else:
            changed = actions.rate_stakeholders(ratings=ratings, theme=theme, by=request.user)
            messages.success(request, f"Ratings saved: {len(changed)} organisations changed.")
        return redirect(f"{request.path}{f'?theme={theme.pk}' if theme else ''}")
    title = f"Stakeholder map: {theme.title}" if theme else "Stakeholder map"
    svg = stakeholder_map_svg(title=title, points=[(o.name, i, n) for o, i, n in rows]) \
        if rows else ""  # fmt: skip
    return render(request, "outreach/map.html", {
        "theme": theme, "themes": MapTheme.objects.all(), "title": title, "svg": mark_safe(svg),
        "rows": [(o, i, n, quadrant(i, n)) for o, i, n in rows], "scale": range(1, 6),
    })  # fmt: skip


@manage
def theme_new(request):
    themes = list(MapTheme.objects.all())
    form = ThemeForm(request.POST or None, themes=themes,
                     initial={"copy_from": str(themes[0].pk) if themes else ""})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        source = next((t for t in themes if str(t.pk) == form.cleaned_data["copy_from"]), None)
        try:
            theme = actions.create_map_theme(
                title=form.cleaned_data["title"], description=form.cleaned_data["description"],
                copy_from=source, by=request.user,
            )  # fmt: skip
        except actions.OutreachRefused as refusal:
            refused(form, refusal)
        else:
            messages.success(request, "Theme created from the copied ratings: edit them below.")
            return redirect(f"/outreach/stakeholders/map/?theme={theme.pk}")
    return form_page(request, form, heading="Redraw the map for a new theme",
                     back="/outreach/stakeholders/map/", button="Create the theme",
                     intro="A theme, such as water safety or safer sleep, gets its own ratings: "
                     "they start as a copy and can then be changed without touching the "
                     "general map.")  # fmt: skip
