"""Stakeholder organisations and contacts: the list, with a search and an audience filter."""

from django.shortcuts import get_object_or_404, redirect, render

from ncmd.learning.audiences import Audience

from .. import actions
from ..forms import OrganisationForm
from ..models import StakeholderOrganisation
from ..queries import search_contacts
from .common import form_page, manage


@manage
def stakeholder_list(request):
    text, audience = request.GET.get("q", "").strip(), request.GET.get("audience", "")
    return render(request, "outreach/stakeholders.html", {
        "organisations": StakeholderOrganisation.objects.all(),
        "contacts": search_contacts(text, audience if audience in Audience.values else ""),
        "q": text, "audience": audience, "audience_choices": Audience.choices,
    })  # fmt: skip


@manage
def organisation_edit(request, pk=None):
    organisation = get_object_or_404(StakeholderOrganisation, pk=pk) if pk else None
    initial = {}
    if organisation is not None:
        initial = {name: getattr(organisation, name) for name in actions.ORGANISATION_FIELDS}
    form = OrganisationForm(request.POST or None, initial=initial, instance=organisation)
    if request.method == "POST" and form.is_valid():
        actions.save_stakeholder_organisation(by=request.user, organisation=organisation,
                                              **form.cleaned_data)  # fmt: skip
        return redirect("outreach_stakeholders")
    return form_page(
        request,
        form,
        back="/outreach/stakeholders/",
        heading=organisation.name if organisation else "Add an organisation",
    )
