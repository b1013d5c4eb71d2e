"""Generate the user documentation of every form, field and code list from the dictionary.

`ncmd dictionary docs` writes it into docs/dictionary/; a test regenerates it in memory and fails
when the committed files differ, so the documentation can never drift from the forms.
"""

from .diff import diff_releases

_TYPE_WORDS = {
    "text": "text",
    "long_text": "text (several lines)",
    "integer": "whole number",
    "decimal": "number",
    "date": "date",
    "datetime": "date and time",
    "time": "time (24-hour)",
    "boolean": "yes / no",
    "single_choice": "one of a list",
    "multiple_choice": "any of a list",
    "nhs_number": "NHS number",
    "postcode": "postcode",
}


def render_docs(dictionary):
    """{relative file name: markdown text} for the whole dictionary."""
    files = {"README.md": _index(dictionary)}
    previous = None
    for release in dictionary.releases.values():
        files[f"{release.id}.md"] = _release_page(release, previous)
        previous = release
    return files


def _index(dictionary):
    lines = [
        "# Data dictionary",
        "",
        "Generated from `ncmd/dictionary/versions/` by `ncmd dictionary docs`; "
        "do not edit by hand.",
        "How the files are written is in [../dictionary-format.md](../dictionary-format.md).",
        "",
        "| release | in force from | forms | notes |",
        "|---|---|---|---|",
    ]
    for release in dictionary.releases.values():
        notes = release.notes.strip().splitlines()[0] if release.notes.strip() else ""
        lines.append(
            f"| [{release.id}]({release.id}.md) | {release.effective_from:%d %B %Y} | "
            f"{len(release.forms)} | {notes} |"
        )
    return "\n".join(lines) + "\n"


def _release_page(release, previous):
    lines = [f"# {release.title} ({release.id})", ""]
    lines += [f"In force for forms started on or after {release.effective_from:%d %B %Y}.", ""]
    if release.notes.strip():
        lines += [release.notes.strip(), ""]
    if previous is not None:
        lines += [f"## Changes from {previous.id}", ""]
        changes = diff_releases(previous, release)
        lines += [f"- {line}" for line in changes] or ["- none"]
        lines.append("")
    lines += ["## Forms", ""]
    for form in release.forms.values():
        lines.append(f"- [{form.title}](#form-{form.name.replace('_', '-')}) (`{form.name}`)")
    lines.append("")
    for form in release.forms.values():
        lines += _form_section(form)
    lines += ["## Code lists", ""]
    for codelist in sorted(release.codelists.values(), key=lambda c: c.name):
        lines += [f"### {codelist.label} (`{codelist.name}`)", "", "| code | label |", "|---|---|"]
        for code in codelist.codes:
            group = f" ({codelist.groups[code.group]})" if code.group else ""
            lines.append(f"| `{code.code}` | {_cell(code.label)}{group} |")
        lines.append("")
    return "\n".join(lines)


def _form_section(form):
    lines = [f"## Form: {form.title}", "", f'<a id="form-{form.name.replace("_", "-")}"></a>']
    lines += ["", f"Name `{form.name}`, kind {form.kind}."]
    if form.per_agency:
        lines.append(" One is completed by each agency asked for one.")
    if form.applies_when:
        lines.append(f" Expected when: `{form.applies_when.source}`.")
    lines.append("")
    if form.description.strip():
        lines += [form.description.strip(), ""]
    for section in form.sections:
        lines += [f"### {section.title}", ""]
        lines += ["| field | question | answer | required | notes |", "|---|---|---|---|---|"]
        for field in section.fields:
            lines.append(
                f"| `{field.name}` | {_cell(field.label)} | {_answer(field)} | "
                f"{_required(field)} | {_notes(field)} |"
            )
        lines.append("")
    if form.rules:
        lines += ["### Checks across fields", ""]
        for rule in form.rules:
            lines.append(f"- **{rule.name}**: {rule.message} (`{rule.check.source}`)")
        lines.append("")
    return lines


def _answer(field):
    words = _TYPE_WORDS[field.type]
    if field.codelist:
        words += f" (`{field.codelist.name}`)"
    if field.min is not None or field.max is not None:
        low = "" if field.min is None else f"{field.min:g}"
        high = "" if field.max is None else f"{field.max:g}"
        words += f", {low} to {high}" if field.type != "text" else f", at most {high} characters"
    if field.unit:
        words += f" {field.unit}"
    return words


def _required(field):
    if field.required is True:
        required = "yes"
    elif field.required is False:
        required = "no"
    else:
        required = f"when `{field.required.source}`"
    if field.show_when:
        required += f"; asked when `{field.show_when.source}`"
    return required


def _notes(field):
    notes = []
    if field.identifying:
        notes.append("**identifies the child**: held apart, never analysed or extracted")
    if field.allow:
        notes.append("may be " + " or ".join(a.replace("_", " ") for a in field.allow))
    if field.help:
        notes.append(_cell(field.help))
    return "; ".join(notes)


def _cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")
