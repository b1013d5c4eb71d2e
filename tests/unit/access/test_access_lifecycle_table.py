"""The request lifecycle's table, and the catalogue of fields a researcher can ask for."""

from ncmd.access import lifecycle
from ncmd.access.catalogue import catalogue
from ncmd.access.models import RequestStatus
from ncmd.dictionary import get_dictionary

S = RequestStatus


def test_every_status_is_reachable_from_a_draft():
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        status = frontier.pop()
        for transition in lifecycle.allowed(status):
            if transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(S)


def test_the_table_is_consistent():
    names = [t.name for t in lifecycle.TRANSITIONS]
    assert len(names) == len(set(names))
    for transition in lifecycle.TRANSITIONS:
        assert set(transition.who) <= {"applicant", "reviewer", "system"}
        assert set(transition.requires) <= set(lifecycle.REQUIREMENTS)
    assert set(lifecycle.STATUS_OWNERS) == set(lifecycle.APPLICANT_NEXT) == set(S)
    assert lifecycle.allowed(S.REFUSED) == [] and lifecycle.allowed(S.DATA_DESTROYED) == []


def test_the_diagram_has_every_move():
    diagram = lifecycle.mermaid_diagram()
    for transition in lifecycle.TRANSITIONS:
        for source in transition.sources:
            assert f"{source.value} --> {transition.target.value}: {transition.name}" in diagram


def test_the_catalogue_never_offers_an_identifier_and_flags_free_text():
    fields = catalogue()
    latest = get_dictionary().latest
    for form in latest.forms.values():
        for name in form.identifying_fields:
            assert f"{form.name}__{name}" not in fields
    assert "notification__nhs_number" not in fields and "reference" not in fields
    assert fields["notification__circumstances_summary"].free_text
    assert "high" in fields["notification__circumstances_summary"].risk
    assert fields["notification__sex"].quasi_identifier
    assert not fields["region"].free_text and not fields["cdop"].free_text
    assert fields["notification__date_of_birth"].coarsenings == ("month", "year")
    assert fields["age_at_death"].coarsenings == ("months", "years")
    assert fields["notification__date_of_death"].at_least_as_coarse("year", "month")
    assert not fields["notification__date_of_death"].at_least_as_coarse("exact", "month")
    assert dict(fields["ethnicity_group"].codes)["white"] == "White"
