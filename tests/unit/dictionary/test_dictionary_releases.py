"""Data captured under the first release reads correctly under the second; diffs and docs."""

from django.core.management import call_command

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.diff import diff_releases
from ncmd.dictionary.releases import upgrade_answers
from ncmd.dictionary.validation import validate_answers
from tests.factories import notification_answers


def test_answers_from_2019_read_under_2025():
    dictionary = get_dictionary()
    old = validate_answers(
        dictionary.release("2019-04").form("notification"), notification_answers("2019-04")
    )
    assert old.ok, old.problems
    assert old.answers["sex"] == "2"
    upgraded = upgrade_answers(dictionary, "notification", old.answers, "2019-04", "2025-04")
    assert upgraded["sex"] == "F"
    assert "summary" not in upgraded
    assert upgraded["circumstances_summary"] == old.answers["summary"]
    # The upgraded answers are valid answers of the new release.
    new_form = dictionary.release("2025-04").form("notification")
    assert validate_answers(new_form, upgraded, draft=True).ok


def test_upgrading_keeps_special_answers_and_lists():
    dictionary = get_dictionary()
    answers = {"sex": {"special": "not_known"}, "summary": "text"}
    upgraded = upgrade_answers(dictionary, "notification", answers, "2019-04")
    assert upgraded == {"sex": {"special": "not_known"}, "circumstances_summary": "text"}


def test_diff_lists_exactly_the_declared_changes():
    dictionary = get_dictionary()
    lines = diff_releases(dictionary.release("2019-04"), dictionary.release("2025-04"))
    assert "form notification: field summary renamed to circumstances_summary" in lines
    assert "code list sex: code '1' recoded to 'M'" in lines
    assert any(line.startswith("form analysis: field suicide_likelihood added") for line in lines)
    assert "code list suicide_likelihood: added (3 codes)" in lines
    assert len(lines) == 6


def test_diff_command(capsys):
    call_command("dictionary", "diff", "2019-04", "2025-04")
    assert "renamed to circumstances_summary" in capsys.readouterr().out


def test_generated_docs_are_current():
    """docs/dictionary/ is generated from the dictionary; regenerate with `make docs`."""
    call_command("dictionary", "docs", "--check")
