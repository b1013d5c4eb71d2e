import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ncmd.dictionary import exports
from ncmd.dictionary.diff import diff_releases
from ncmd.dictionary.docs import render_docs
from ncmd.dictionary.loader import DictionaryError, load_dictionary
from ncmd.registry import lifecycle

DOCS_DIR = Path(settings.BASE_DIR) / "docs" / "dictionary"


class Command(BaseCommand):
    help = "Check the data dictionary, compare two releases, or regenerate its documentation."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("check", help="load every release and report any problem")
        diff = commands.add_parser("diff", help="what changed from release A to release B")
        diff.add_argument("old")
        diff.add_argument("new")
        docs = commands.add_parser("docs", help="write docs/dictionary/ from the dictionary")
        docs.add_argument(
            "--check", action="store_true", help="fail if the committed docs are out of date"
        )
        export = commands.add_parser(
            "export", help="write a release's forms as JSON Schema, FHIR or REDCap to stdout"
        )
        export.add_argument("release")
        export.add_argument("--format", required=True, choices=sorted(EXPORT_FORMATS))
        export.add_argument("--form", help="one form (default: every form of the release)")

    def handle(self, *args, subcommand, **options):
        try:
            dictionary = load_dictionary(settings.NCMD_DICTIONARY_DIR)
        except DictionaryError as error:
            raise CommandError(str(error)) from None
        if subcommand == "check":
            for release in dictionary.releases.values():
                fields = sum(len(f.fields) for f in release.forms.values())
                self.stdout.write(
                    f"{release.id}: {len(release.forms)} forms, {fields} fields, "
                    f"{len(release.codelists)} code lists"
                )
        elif subcommand == "diff":
            try:
                old, new = dictionary.release(options["old"]), dictionary.release(options["new"])
            except KeyError as error:
                raise CommandError(error.args[0]) from None
            lines = diff_releases(old, new)
            self.stdout.write("\n".join(lines) if lines else "No differences.")
        elif subcommand == "export":
            self.stdout.write(export_text(dictionary, options), ending="")
        else:
            self._docs(dictionary, check=options["check"])

    def _docs(self, dictionary, *, check):
        files = render_docs(dictionary)
        files["case-lifecycle.md"] = lifecycle_page()
        stale = [
            name
            for name, text in files.items()
            if not (DOCS_DIR / name).exists() or (DOCS_DIR / name).read_text() != text
        ]
        if check:
            if stale:
                raise CommandError(
                    f"docs/dictionary is out of date ({', '.join(stale)}); "
                    "run `ncmd dictionary docs` and commit the result."
                )
            self.stdout.write("docs/dictionary is up to date.")
            return
        DOCS_DIR.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (DOCS_DIR / name).write_text(text)
        self.stdout.write(f"Wrote {len(files)} files to {DOCS_DIR} ({len(stale)} changed).")


EXPORT_FORMATS = {"jsonschema", "fhir", "redcap"}


def export_text(dictionary, options):
    """The release (or one form of it) in an interoperability format; see
    docs/interoperability.md."""
    try:
        release = dictionary.release(options["release"])
        forms = [release.form(options["form"])] if options["form"] else release.forms.values()
    except KeyError as error:
        raise CommandError(error.args[0]) from None
    if options["format"] == "redcap":
        return exports.redcap_data_dictionary(release, [form.name for form in forms])
    if options["format"] == "jsonschema":
        documents = {form.name: exports.json_schema(release, form) for form in forms}
    else:
        documents = {form.name: exports.fhir_questionnaire(release, form) for form in forms}
    if options["form"]:
        return json.dumps(documents[options["form"]], indent=2) + "\n"
    if options["format"] == "fhir":
        bundle = {"resourceType": "Bundle", "type": "collection",
                  "entry": [{"resource": doc} for doc in documents.values()]}  # fmt: skip
        return json.dumps(bundle, indent=2) + "\n"
    return json.dumps(documents, indent=2) + "\n"


def lifecycle_page():
    lines = [
        "# The case lifecycle",
        "",
        "Generated from `ncmd/registry/lifecycle.py` by `ncmd dictionary docs`.",
        "",
        "```mermaid",
        lifecycle.mermaid_diagram(),
        "```",
        "",
        "| status | who moves a case into it |",
        "|---|---|",
    ]
    lines += [f"| {status.label} | {owner} |" for status, owner in lifecycle.STATUS_OWNERS.items()]
    lines += ["", "Before a case can be marked reviewed, its analysis form must be submitted.", ""]
    return "\n".join(lines)
