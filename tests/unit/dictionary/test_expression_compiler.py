"""The compiled expressions (Python source, compiled once) mean exactly what the reference
interpreter (closures over the parse tree) means: the same result for every expression of both
dictionary releases and of the whole grammar, on many random answer sets, and the validator gives
the same problems (form, field, message, order), answers and identifiers with either."""

import datetime
import itertools
import random

import pytest

from ncmd.dictionary import get_dictionary, loader
from ncmd.dictionary.expressions import (
    ExpressionError,
    Special,
    compile_expression,
    interpret_expression,
)
from ncmd.dictionary.validation import validate_answers
from ncmd.synthetic.answers import AnswerMaker

RELEASES = ("2019-04", "2025-04")

# Every construct of the language, with blanks, specials, chains, lists and case facts.
GRAMMAR = [
    "x", "not x", "case.flag", "x == 1", "x != 1", "x == 'a'", "x != 'a'", "x == true",
    "x == false", "x == null", "x != null", "x < 3", "x <= 3", "x > 3", "x >= 3", "x < -2",
    "-1.5 <= x", "1 < x < 10", "1 < x <= y < 10", "x == y", "x != y", "x < y", "x >= y",
    "x in ['a', 'b']", "x not in ['a', 'b']", "x in ('a', 2)", "'a' in y", "'a' not in y",
    "['a', 'b'] in y", "['a'] not in y", "x in y", "x not in y", "[x, 'a'] in y", "x in [y, 'b']",
    "x in []", "[] in y", "'a' in 'abc'", "x in 'abc'", "x is answered", "x is blank",
    "x is not_known", "x is not_applicable", "x is not answered", "x is not blank",
    "x is not not_known", "case.flag is answered", "true is answered", "null is blank",
    "'a' is not_known", "x == case.age", "case.age >= 28", "case.band in ['a', 'b']",
    "case.codes == ['a']", "x and y", "x or y", "x and not y or z", "not (x == 1 or y == 2)",
    "x == 1 and (y in ['a', 'b'] or z is blank) and not (case.flag == true)", "x == x",
    "1 == 1", "1 < 2", "'b' > 'a'", "true", "false", "null == null", "x == 1.0", "x > 2.5",
]  # fmt: skip


def _pool(draw):
    """A random value of any shape an answer or a case fact can take (and a few it cannot)."""
    choices = [
        None, [], Special("not_known"), Special("not_applicable"), True, False, 0, 1, 2, 3, 10,
        -2, 1.0, 2.5, 3.0, "a", "b", "c", "", "abc", "other", ["a"], ["a", "b"], ["b", "c"],
        ["a", "b", "c"], [1], [True], ("a",), datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 2), datetime.datetime(2024, 1, 1, 12), {"odd": "shape"}, [["a"]],
        {"a"},
    ]  # fmt: skip
    return draw.choice(choices)


def _expressions():
    dictionary = get_dictionary()
    found = {}
    for release_id in RELEASES:
        for form in dictionary.release(release_id).forms.values():
            for spec in form.fields.values():
                for condition in (spec.show_when, spec.required):
                    if condition is not None and not isinstance(condition, bool):
                        found[condition.source] = form
            for rule in form.rules:
                found[rule.check.source] = form
    return found


def _outcome(expression, answers, case):
    try:
        return ("result", expression(answers, case))
    except Exception as error:  # noqa: BLE001 - the same exception either way
        return ("raised", type(error))


def _codes_and_values(form, name):
    spec = form.fields.get(name) if form is not None else None
    if spec is None or spec.codelist is None:
        return []
    codes = [c.code for c in spec.codelist.codes]
    return codes + [codes[:2], codes[1:3], [codes[0]], codes]


@pytest.mark.parametrize("source", GRAMMAR)
def test_each_construct_of_the_grammar_means_the_same_compiled(source):
    compiled, interpreted = compile_expression(source), interpret_expression(source)
    assert compiled.fields == interpreted.fields
    assert compiled.case_facts == interpreted.case_facts
    draw = random.Random(source)
    names = sorted(compiled.fields) or ["x"]
    facts = sorted(compiled.case_facts) or ["flag"]
    for _ in range(1500):
        answers = {n: _pool(draw) for n in names if draw.random() < 0.9}
        case = {f: _pool(draw) for f in facts if draw.random() < 0.9}
        assert _outcome(compiled, answers, case) == _outcome(interpreted, answers, case), (
            source,
            answers,
            case,
        )


def test_every_expression_of_both_releases_means_the_same_compiled():
    draw = random.Random(7)
    checked = 0
    for source, form in _expressions().items():
        compiled, interpreted = compile_expression(source), interpret_expression(source)
        names, facts = sorted(compiled.fields), sorted(compiled.case_facts)
        values = {n: _codes_and_values(form, n) for n in names}
        for _ in range(400):
            answers = {
                n: draw.choice(values[n]) if values[n] and draw.random() < 0.6 else _pool(draw)
                for n in names
            }
            case = {f: _pool(draw) for f in facts}
            assert _outcome(compiled, answers, case) == _outcome(interpreted, answers, case), (
                source,
                answers,
                case,
            )
            checked += 1
    assert checked >= 400 * 20


def test_refused_expressions_are_refused_the_same_way():
    for source in ["f(x)", "x[0]", "x.y", "x + 1", "lambda: 1", "x is 1", "case", "", "x ==",
                   "answered == 1", "None == x", "x < -y"]:  # fmt: skip
        with pytest.raises(ExpressionError) as compiled:
            compile_expression(source)
        with pytest.raises(ExpressionError) as interpreted:
            interpret_expression(source)
        assert str(compiled.value) == str(interpreted.value)


@pytest.fixture(scope="module")
def interpreted_dictionary():
    """The dictionary loaded with every expression interpreted rather than compiled."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "compile_expression", interpret_expression)
        dictionary = loader.load_dictionary(get_dictionary_dir())
    some = dictionary.latest.form("notification").fields["jar_triggered"].show_when
    assert some.evaluate.__name__ != "_evaluate", "the patched loader did not interpret"
    return dictionary


def get_dictionary_dir():
    from django.conf import settings

    return settings.NCMD_DICTIONARY_DIR


def _mutated(form, answers, draw):
    """The synthetic answers with some answers blanked, swapped for another code, made special,
    or replaced with a value of the wrong type, so that conditions, requirements and rules
    fail in every way they can."""
    raw = dict(answers)
    for name, spec in form.fields.items():
        roll = draw.random()
        if roll < 0.06:
            raw.pop(name, None)
        elif roll < 0.12 and spec.codelist is not None:
            codes = [c.code for c in spec.codelist.codes]
            raw[name] = draw.sample(codes, 2) if spec.type == "multiple_choice" else draw.choice(
                codes
            )  # fmt: skip
        elif roll < 0.15:
            raw[name] = draw.choice(["not known", "not_applicable", {"special": "not_known"}])
        elif roll < 0.18:
            raw[name] = draw.choice(["yes", "no", "12", "2024-02-30", "x", "", 3, True, "1.5"])
    return raw


def _summary(result):
    return (
        [(p.form, p.field, p.message) for p in result.problems],
        result.answers,
        result.identifiers,
    )


@pytest.mark.parametrize("release_id", RELEASES)
def test_the_validator_gives_the_same_problems_with_compiled_expressions(
    release_id, interpreted_dictionary
):
    compiled_release = get_dictionary().release(release_id)
    interpreted_release = interpreted_dictionary.release(release_id)
    draw = random.Random(release_id)
    maker = AnswerMaker(random.Random(release_id), missing_rate=0.1)
    compared = problems = 0
    for form_name, form in compiled_release.forms.items():
        other = interpreted_release.form(form_name)
        for number in range(60):
            died = datetime.date(2025, 4, 1) + datetime.timedelta(days=draw.randrange(300))
            born = died - datetime.timedelta(days=draw.randrange(1, 17 * 365))
            facts = {
                "date_of_birth": born, "date_of_death": died, "age_days": (died - born).days,
                "sex": draw.choice(["M", "F", None]), "category_of_death": None,
                "modifiable_factors": None,
            }  # fmt: skip
            try:
                answers = maker.answer_form(form, {}, born=born, died=died, case_facts=facts)
            except ValueError:
                answers = {}
            for raw, case, draft in itertools.product(
                [answers, _mutated(form, answers, draw)], [facts, None], [False, number % 4 == 0]
            ):
                one = validate_answers(form, raw, case=case, draft=draft)
                two = validate_answers(other, raw, case=case, draft=draft)
                assert _summary(one) == _summary(two), (form_name, raw, case, draft)
                compared += 1
                problems += len(one.problems)
    assert compared > 1000 and problems > 100, (compared, problems)
