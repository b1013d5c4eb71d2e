"""Valid answers for the dictionary's forms, for tests to start from and spoil."""

from django.utils import timezone

from ncmd.dictionary import get_dictionary


def notification_answers(release_id=None, **overrides):
    """Complete, valid notification answers for `release_id` (default: the one in force)."""
    dictionary = get_dictionary()
    release = dictionary.release(release_id) if release_id else dictionary.release_on(
        timezone.localdate()
    )  # fmt: skip
    sex = {c.label.split()[0].lower(): c.code for c in release.codelists["sex"].codes}
    answers = {
        "nhs_number": "9434765919",
        "given_name": "Ava",
        "family_name": "Example",
        "date_of_birth": "2024-01-10",
        "sex": sex["female"],
        "ethnicity": "A",
        "home_address": "1 Station Road\nMiddlesbrough",
        "home_postcode": "TS1 1AA",
        "date_of_death": "2024-03-02",
        "time_of_death": "04:30",
        "place_of_death": "home_of_normal_residence",
        "expected_death": "unexpected",
        "jar_triggered": True,
        "suspected_stillbirth_at_home": False,
        "circumstances": ["sudden_unexpected_infant"],
        "agencies_involved": ["acute_health", "police"],
        "known_to_social_care": False,
    }
    summary = "circumstances_summary" if "circumstances_summary" in release.form(
        "notification").fields else "summary"  # fmt: skip
    answers[summary] = "Found unresponsive in the morning; taken to hospital by ambulance."
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}
