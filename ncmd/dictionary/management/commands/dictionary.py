from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
