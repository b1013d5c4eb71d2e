"""Web forms built from the data dictionary: what each question's widget shows, and how a posted
page becomes the raw answers that `validate_answers` (through the registry's actions) checks.

A page's *state* is what its widgets hold, as the person typed it: `{field: Entry}`. It comes from
a post (`state_from_post`) or from stored answers (`state_from_answers`), is shown again as typed
when the answers are refused, and becomes raw answers with `raw_answers`: strings, lists of codes
for checkboxes, `{"special": ...}` for "Not known" and "Not applicable". Nothing here decides
whether an answer is acceptable; the validator does.
"""

import datetime
import json
from dataclasses import dataclass, field

from ncmd.dictionary.validation import Problem

from .conditions import browser_condition

SPECIAL_LABELS = {"not_known": "Not known", "not_applicable": "Not applicable"}
SPECIAL_PREFIX = "special:"  # radio and checkbox values for special answers; no code has a colon
SELECT_AFTER = 12  # single-choice lists longer than this are a select, not radios
RADIO_TYPES = ("boolean", "single_choice")
_TEMPLATES = {name: f"submissions/fields/{name}.html" for name in (
    "text", "long_text", "integer", "decimal", "date", "datetime", "time", "boolean",
    "single_choice", "multiple_choice", "nhs_number", "postcode",
)}  # fmt: skip
_FORMAT_HINTS = {
    "date": "For example, 27/03/2024.",
    "datetime": "For example, 2024-03-27 14:05.",
    "time": "On the 24-hour clock, for example 14:05.",
    "nhs_number": "10 digits, for example 943 476 5919.",
    "postcode": "For example, LS1 4AP.",
}


@dataclass
class Entry:
    """What one question's widgets hold: the typed value (text, or codes for checkboxes) and any
    "Not known" / "Not applicable" choices."""

    value: str | list = ""
    specials: list = field(default_factory=list)

    @property
    def blank(self):
        return not self.specials and (self.value == "" or self.value == [])


@dataclass
class Question:
    field: object
    template: str
    entry: Entry
    errors: list
    specials: list  # [(value, label)] the field allows
    choices: list  # [(code, label)] for choice fields
    use_select: bool
    condition: str  # JSON for the browser, or ""
    depends_on: str
    applies_when: str  # words for the hint, or ""
    format_hint: str

    @property
    def id(self):
        return f"f-{self.field.name}"

    @property
    def first_input_id(self):
        if self.field.type in (*RADIO_TYPES, "multiple_choice") and not self.use_select:
            return f"{self.id}-1"
        return self.id

    @property
    def special_name(self):
        return f"{self.field.name}__special"

    @property
    def described_by(self):
        ids = (
            [f"{self.id}-hint"] if self.field.help or self.applies_when or self.format_hint else []
        )
        if self.errors:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    @property
    def selected(self):
        """The radio or select value that is chosen, special answers included."""
        if self.entry.specials:
            return SPECIAL_PREFIX + self.entry.specials[0]
        return self.entry.value

    @property
    def checked(self):
        """The checkbox values that are ticked, special answers included."""
        value = self.entry.value if isinstance(self.entry.value, list) else []
        return [*value, *(SPECIAL_PREFIX + s for s in self.entry.specials)]


def state_from_post(form, post):
    """The widgets' contents for every question of `form` in a posted QueryDict."""
    state = {}
    for name, spec in form.fields.items():
        if spec.type in RADIO_TYPES:
            chosen = post.get(name, "").strip()
            if chosen.startswith(SPECIAL_PREFIX):
                state[name] = Entry("", [chosen.removeprefix(SPECIAL_PREFIX)])
            else:
                state[name] = Entry(chosen)
        elif spec.type == "multiple_choice":
            ticked = [v for v in post.getlist(name) if v]
            specials = [v.removeprefix(SPECIAL_PREFIX) for v in ticked if
                        v.startswith(SPECIAL_PREFIX)]  # fmt: skip
            codes = [v for v in ticked if not v.startswith(SPECIAL_PREFIX)]
            state[name] = Entry(codes, specials)
        else:
            state[name] = Entry(post.get(name, ""), [v for v in post.getlist(f"{name}__special")
                                                     if v])  # fmt: skip
    return state


def state_from_answers(form, answers, identifiers=None):
    """The widgets' contents for stored (JSON) answers, identifiers included where given."""
    stored = {**answers, **(identifiers or {})}
    state = {}
    for name, spec in form.fields.items():
        value = stored.get(name)
        if isinstance(value, dict):
            state[name] = Entry([] if spec.type == "multiple_choice" else "",
                                [value.get("special", "")])  # fmt: skip
        elif value is None:
            state[name] = Entry([] if spec.type == "multiple_choice" else "")
        elif spec.type == "boolean":
            state[name] = Entry("yes" if value else "no")
        elif spec.type == "date":
            state[name] = Entry(f"{datetime.date.fromisoformat(value):%d/%m/%Y}")
        elif spec.type == "datetime":
            state[name] = Entry(datetime.datetime.fromisoformat(value).isoformat(" ", "minutes"))
        elif spec.type == "multiple_choice":
            state[name] = Entry(list(value))
        else:
            state[name] = Entry(str(value))
    return state


def raw_answers(form, state):
    """The raw answers the validator reads, and the names of questions given both an answer and
    a special answer (or two special answers).

    Such a contradictory question is passed on in a shape the validator refuses, so that nothing
    is saved; the page then words its message (see `contradiction_message`)."""
    raw, contradictory = {}, []
    for name, entry in state.items():
        if entry.blank:
            continue
        has_value = entry.value not in ("", [])
        if entry.specials and (has_value or len(set(entry.specials)) > 1):
            contradictory.append(name)
            raw[name] = {"special": entry.specials[0], "answer": entry.value}
        elif entry.specials:
            raw[name] = {"special": entry.specials[0]}
        else:
            raw[name] = entry.value
    return raw, contradictory


def contradiction_message(spec):
    options = " or ".join(f"'{SPECIAL_LABELS[s]}'" for s in spec.allow)
    return f"Give an answer to '{spec.label.rstrip('?')}' or choose {options}, not both."


def post_data(form, answers):
    """The inverse of `state_from_post` + `raw_answers`: form data (name -> list of strings) that
    posts `answers` (raw or JSON values). Used by tests and by anything that drives the pages."""
    data = {}
    for name, value in answers.items():
        spec = form.fields.get(name)
        if isinstance(value, dict) and set(value) == {"special"}:
            special = value["special"]
            if spec is not None and (spec.type in RADIO_TYPES or spec.type == "multiple_choice"):
                data[name] = [SPECIAL_PREFIX + special]
            else:
                data[f"{name}__special"] = [special]
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            data[name] = ["yes" if value else "no"]
        else:
            data[name] = [str(value)]
    return data


def build_sections(form, state, problems_by_field=None, case_facts=None):
    """The form's sections, each with the questions to show, for the templates."""
    problems_by_field = problems_by_field or {}
    sections = []
    for section in form.sections:
        questions = []
        for spec in section.fields:
            shown = browser_condition(spec.show_when, form, case_facts or {})
            if shown.always is False:
                continue  # the case decides that this question is not asked
            questions.append(_question(spec, state, problems_by_field, shown))
        if questions:
            sections.append({"section": section, "questions": questions})
    return sections


def _question(spec, state, problems_by_field, shown):
    choices = []
    if spec.type == "boolean":
        choices = [("yes", "Yes"), ("no", "No")]
    elif spec.codelist is not None:
        choices = [(c.code, c.label) for c in spec.codelist.codes]
    return Question(
        field=spec,
        template=_TEMPLATES[spec.type],
        entry=state.get(spec.name) or Entry([] if spec.type == "multiple_choice" else ""),
        errors=problems_by_field.get(spec.name, []),
        specials=[
            (
                SPECIAL_PREFIX + s if spec.type in (*RADIO_TYPES, "multiple_choice") else s,
                SPECIAL_LABELS[s],
            )
            for s in spec.allow
        ],  # fmt: skip
        choices=choices,
        use_select=spec.type == "single_choice" and len(choices) > SELECT_AFTER,
        condition=json.dumps(shown.condition) if shown.condition else "",
        depends_on=" ".join(shown.depends_on),
        applies_when=shown.description,
        format_hint=_FORMAT_HINTS.get(spec.type, ""),
    )


def error_list(sections, problems):
    """The error summary's entries, in the order of the page: (anchor or "", message)."""
    anchors = {q.field.name: q.first_input_id for s in sections for q in s["questions"]}
    order = list(anchors)
    ranked = sorted(problems, key=lambda p: order.index(p.field) if p.field in anchors else -1)
    return [(f"#{anchors[p.field]}" if p.field in anchors else "", p.message) for p in ranked]


def reword(form, problems, contradictory=()):
    """The validator's problems as the page shows them: its own message, except for a question
    given both an answer and a special answer, which gets one saying to choose."""
    return [
        Problem(p.form, p.field, contradiction_message(form.fields[p.field]), p.value)
        if p.field in contradictory else p
        for p in problems
    ]  # fmt: skip


def grouped(problems):
    by_field = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    return by_field


def page_context(form, state, problems=(), contradictory=(), case_facts=None, page_errors=()):
    """What a form page's template needs: the sections and the error summary. `page_errors` are
    (anchor, message) for the page's own controls (a reason, a CDOP), listed first."""
    problems = reword(form, problems, contradictory)
    sections = build_sections(form, state, grouped(problems), case_facts)
    return {
        "form": form,
        "sections": sections,
        "errors": [*page_errors, *error_list(sections, problems)],
    }


def initial_state(form, agency=None):
    """A new form's widgets: empty, except a reporting form's own agency, filled in."""
    state = {}
    if agency is not None:
        codes = form.fields.get("agency_type")
        if codes is not None and codes.codelist and agency.agency_type in codes.codelist.by_code:
            state["agency_type"] = Entry(agency.agency_type)
        if "agency_name" in form.fields:
            state["agency_name"] = Entry(agency.name)
    return state
