"""Facts about a case derived from its forms: ages, age bands, and the `case.<fact>` values that
dictionary expressions read."""

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.releases import upgrade_answers
from ncmd.dictionary.validation import from_json

from .models import AgeBand


def age_in_years(born, died):
    years = died.year - born.year
    if (died.month, died.day) < (born.month, born.day):
        years -= 1
    return years


def age_band(born, died):
    """The reporting age band at death: under 28 days, 28-364 days, then years 1-4 ... 15-17."""
    if born is None or died is None:
        return ""
    if (died - born).days < 28:
        return AgeBand.NEONATAL
    years = age_in_years(born, died)
    if years < 1:
        return AgeBand.POST_NEONATAL
    if years < 5:
        return AgeBand.ONE_TO_FOUR
    if years < 10:
        return AgeBand.FIVE_TO_NINE
    if years < 15:
        return AgeBand.TEN_TO_FOURTEEN
    return AgeBand.FIFTEEN_TO_SEVENTEEN


def answers_as_of(submission, release_id):
    """A submission's answers read under `release_id` (upgraded when captured earlier)."""
    dictionary = get_dictionary()
    if dictionary.release(submission.release).effective_from > (
        dictionary.release(release_id).effective_from
    ):
        return dict(submission.answers)
    return upgrade_answers(
        dictionary, submission.form_name, submission.answers, submission.release, release_id
    )


def typed_answers(form, answers):
    return {
        name: from_json(form.fields[name], value)
        for name, value in answers.items()
        if name in form.fields
    }


def case_facts(case, release_id, notification=None, analysis=None):
    """The `case.<fact>` values for expressions in forms of release `release_id`."""
    release = get_dictionary().release(release_id)
    facts = {}
    if notification is None:
        notification = case.submissions.filter(form_name="notification", agency=None).first()
    if notification is not None:
        facts.update(
            typed_answers(release.form("notification"), answers_as_of(notification, release_id))
        )
    if case.date_of_birth and case.date_of_death:
        facts["age_days"] = (case.date_of_death - case.date_of_birth).days
        facts["age_band"] = str(case.age_band)
    facts["category_of_death"] = case.category_of_death or None
    facts["modifiable_factors"] = case.modifiable_factors or None
    return facts
