"""The web way in accepts and refuses exactly what the one validator accepts and refuses.

Two proofs. First, turning answers into a posted page and back (`post_data`, then
`state_from_post` and `raw_answers`, as the views do) gives the validator the same verdict, the
same cleaned answers and the same messages as the answers themselves, for good answers and for a
bad answer to every question of every form. Second, the pages call the registry's actions, which
call the validator: a spy on the validator sees the page's answers, and the page creates data
exactly when the validator accepts and shows exactly its messages when it refuses."""

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.validation import validate_answers
from ncmd.registry import actions
from ncmd.registry.models import Case
from ncmd.submissions.webforms import post_data, raw_answers, state_from_post
from tests.factories import notification_answers

RELEASE = get_dictionary().release_on(timezone.now().date())
NOTIFICATION = RELEASE.form("notification")
GOOD = notification_answers(RELEASE.id)

_BAD = {
    "text": "x" * 400,
    "long_text": {"special": "not_applicable"},
    "integer": "2.5",
    "decimal": "lots",
    "date": "31/02/2024",
    "datetime": "yesterday",
    "time": "25:00",
    "boolean": "maybe",
    "single_choice": "no-such-code",
    "multiple_choice": ["no-such-code"],
    "nhs_number": "1234567890",
    "postcode": "not a postcode",
}


def _through_the_page(form, answers):
    query = QueryDict(mutable=True)
    for name, values in post_data(form, answers).items():
        query.setlist(name, values)
    raw, _ = raw_answers(form, state_from_post(form, query))
    return raw


def _verdict(result):
    return (
        result.ok,
        result.answers,
        result.identifiers,
        [(p.field, p.message) for p in result.problems],
    )


def _variants():
    for form in RELEASE.forms.values():
        base = GOOD if form.kind == "notification" else {}
        yield form, base, "as given"
        for name, spec in form.fields.items():
            yield form, {**base, name: _BAD[spec.type]}, f"{name} bad"
            for special in ("not_known", "not_applicable"):
                yield form, {**base, name: {"special": special}}, f"{name} {special}"
            yield form, {k: v for k, v in base.items() if k != name}, f"{name} blank"


@pytest.mark.parametrize(
    "form, answers, label", list(_variants()), ids=lambda v: v if isinstance(v, str) else ""
)
@pytest.mark.parametrize("draft", [False, True])
def test_the_page_gives_the_validator_what_it_would_get_directly(form, answers, label, draft):
    facts = {"date_of_death": GOOD["date_of_death"], "age_days": 52, "circumstances": ["drowning"]}
    direct = validate_answers(form, answers, case=facts, draft=draft)
    web = validate_answers(form, _through_the_page(form, answers), case=facts, draft=draft)
    assert _verdict(web) == _verdict(direct)


@pytest.fixture
def spy(monkeypatch):
    calls = []
    real = actions.validate_answers

    def recording(form, raw, **kwargs):
        result = real(form, raw, **kwargs)
        calls.append((form.name, raw, result))
        return result

    monkeypatch.setattr(actions, "validate_answers", recording)
    return calls


_NOTIFY_CASES = [
    ("good", {}),
    ("bad nhs number", {"nhs_number": "1234567890"}),
    ("not known where not allowed", {"date_of_birth": {"special": "not_known"}}),
    ("unknown code", {"sex": "Q"}),
    ("hidden question answered", {"expected_death": "expected", "jar_triggered": True}),
    ("rule broken", {"circumstances": ["none_of_these", "drowning"]}),
    ("many at once", {"time_of_death": "25:61", "home_postcode": "nowhere", "sex": None}),
]


@pytest.mark.parametrize("label, overrides", _NOTIFY_CASES, ids=[c[0] for c in _NOTIFY_CASES])
def test_the_notify_page_accepts_and_refuses_as_the_validator_does(client, users, spy, label,
                                                                   overrides):  # fmt: skip
    answers = {k: v for k, v in {**GOOD, **overrides}.items() if v is not None}
    client.force_login(users["cdop_admin"])
    response = client.post(reverse("notify_death"), post_data(NOTIFICATION, answers))
    [(form_name, raw, result)] = spy
    assert form_name == "notification"
    assert _verdict(validate_answers(NOTIFICATION, raw)) == _verdict(
        validate_answers(NOTIFICATION, answers)
    )
    assert Case.objects.exists() == result.ok
    if result.ok:
        assert response.status_code == 302
    else:
        html = response.content.decode()
        assert html.count('<span class="nhsuk-u-visually-hidden">Error:</span>') >= 1
        for problem in result.problems:
            assert problem.message.replace("'", "&#x27;").replace('"', "&quot;") in html


def test_the_form_pages_send_drafts_and_submissions_through_the_actions(client, users, notify,
                                                                       spy):  # fmt: skip
    case = notify()
    spy.clear()
    client.force_login(users["cdop_member"])
    url = reverse("fill_form", args=[case.reference, "analysis"])
    client.post(url, {"_action": "save"})
    client.post(url, {"_action": "submit"})
    assert [name for name, _, _ in spy] == ["analysis", "analysis"]
    assert spy[0][2].ok and not spy[1][2].ok  # an empty draft is fine; an empty form is not
