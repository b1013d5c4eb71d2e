"""Plausible answers to any form of the dictionary, for the synthetic data set.

The generator fixes the answers that carry the story of a death (dates, sex, ethnicity, category,
modifiable factors); every other question is answered from its type, range and code list, asked
only when its `show_when` holds, and left blank or "not known" at the CDOP's rate of missing data.
The answers then go through the one validator like anyone else's; a cross-field rule that fails
has its generic answers drawn again.
"""

import datetime

from ncmd.dictionary.expressions import Special
from ncmd.dictionary.validation import to_json, validate_answers

_PHRASES = [
    "Information shared by the agency at the child death review meeting.",
    "Known to the service for routine care; no concerns recorded before the death.",
    "Seen regularly; the family engaged well with services.",
    "Details are recorded in the agency's own case notes.",
]
_ROLES = ["Paediatric consultant", "Designated doctor for child deaths", "Named nurse",
          "Detective sergeant", "Social worker", "Head teacher", "GP", "Midwife"]  # fmt: skip


class AnswerMaker:
    def __init__(self, random, missing_rate):
        self.random = random
        self.missing_rate = missing_rate

    def answer_form(self, form, fixed, *, born, died, case_facts):
        """Answers to `form` that pass validation: `fixed` answers are kept as given."""
        typed, answers = {}, {}
        for name, spec in form.fields.items():
            if name in fixed:
                value = fixed[name]
            elif spec.show_when is not None and not spec.show_when(typed, case_facts):
                continue
            else:
                value = self._value(spec, typed, born, died, case_facts)
            if value is None:
                continue
            typed[name] = value
            answers[name] = to_json(spec, value)
        for _ in range(12):
            result = validate_answers(form, answers, case=case_facts)
            if result.ok:
                return answers
            for name in self._to_redraw(form, fixed, result.problems):
                spec = form.fields[name]
                if spec.show_when is not None and not spec.show_when(typed, case_facts):
                    value = None
                else:
                    value = self._value(spec, typed, born, died, case_facts, required=True)
                typed[name] = value
                if value is None:
                    answers.pop(name, None)
                else:
                    answers[name] = to_json(spec, value)
        raise ValueError(f"synthetic {form.name}: no valid answers found: {result.problems}")

    @staticmethod
    def _to_redraw(form, fixed, problems):
        """The generic answers to draw again: a field's own problem redraws that field; a failed
        cross-field rule redraws every generic field the rule reads."""
        names = set()
        for problem in problems:
            rules = [r for r in form.rules if problem.field in r.fields and
                     r.message == problem.message]  # fmt: skip
            related = {n for r in rules for n in r.check.fields} if rules else {problem.field}
            related -= set(fixed)
            if not related:
                raise ValueError(
                    f"synthetic {form.name}: fixed answer {problem.field!r} refused: "
                    f"{problem.message}"
                )
            names |= related
        return sorted(names)

    def _value(self, spec, typed, born, died, facts, required=False):
        r = self.random
        is_required = (
            required
            or spec.required is True
            or (not isinstance(spec.required, bool) and spec.required(typed, facts))
        )
        if r.random() < self.missing_rate:
            if spec.allow and r.random() < 0.6:
                return Special(spec.allow[0])
            if not is_required:
                return None
        if not is_required and r.random() < 0.15:
            return None
        kind = spec.type
        if kind in ("text", "long_text"):
            if "role" in spec.name:
                return r.choice(_ROLES)
            text = r.choice(_PHRASES)
            return text[: int(spec.max)] if spec.max else text
        if kind in ("integer", "decimal"):
            low = spec.min if spec.min is not None else 0
            high = spec.max if spec.max is not None else low + 10
            value = low + (high - low) * r.random() ** 3  # most answers near the low end
            return int(round(value)) if kind == "integer" else round(value, 1)
        if kind == "date":
            if born is None or died is None:
                return None
            span = max((died - born).days, 0)
            return born + datetime.timedelta(days=r.randint(0, span))
        if kind == "datetime":
            return datetime.datetime.combine(died, datetime.time(r.randint(0, 23)))
        if kind == "time":
            return f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
        if kind == "boolean":
            return r.random() < 0.3
        if kind == "single_choice":
            return r.choice(spec.codelist.codes).code
        if kind == "multiple_choice":
            codes = [c.code for c in spec.codelist.codes]
            return sorted(set(r.sample(codes, k=min(len(codes), r.choice([1, 1, 2])))),
                          key=codes.index)  # fmt: skip
        return None  # identifiers are always fixed by the generator
