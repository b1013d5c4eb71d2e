from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ncmd.publishing import actions
from ncmd.publishing.lifecycle import lifecycle_page
from ncmd.publishing.models import Release

from ._common import snapshot_for, user_for

DOC = Path(__file__).resolve().parents[4] / "docs" / "publishing-lifecycle.md"


class Command(BaseCommand):
    help = (
        "Disclosure-controlled data releases: `build` writes the CSV and XLSX tables of a year "
        "over a snapshot; `list`; `publish`; `withdraw` and `delete` (national administrators); "
        "`docs` writes the lifecycle diagram."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        build = commands.add_parser("build", help="build a release")
        build.add_argument("--year", required=True, help='financial year, like "2024-25"')
        build.add_argument("--snapshot", required=True, help='snapshot id, or "latest"')
        build.add_argument("--title", default="", help="the release's title")
        build.add_argument("--theme", help="release a theme's tables")
        build.add_argument("--publish", action="store_true", help="publish it at once")
        build.add_argument("--by", help="user name to record as the one who built it")
        commands.add_parser("list", help="list releases")
        for name, text in (
            ("publish", "publish a built release"),
            ("withdraw", "withdraw a published release"),
            ("delete", "delete a release's files"),
        ):
            sub = commands.add_parser(name, help=text)
            sub.add_argument("identifier", help="the release identifier, like NCMD-2024-25-01")
            sub.add_argument("--by", required=True, help="your user name")
            if name != "publish":
                sub.add_argument("--reason", required=True)
        docs = commands.add_parser("docs", help="write docs/publishing-lifecycle.md")
        docs.add_argument("--check", action="store_true", help="fail if the file is not current")

    def handle(self, *args, subcommand, **options):
        if subcommand == "docs":
            return self._docs(options["check"])
        if subcommand == "list":
            for release in Release.objects.all():
                self.stdout.write(
                    f"{release.identifier:<18} {release.status:<9} {release.year}  "
                    f"snapshot {release.snapshot_id} {release.snapshot_hash[:12]}  {release.title}"
                )
            return
        by = user_for(options.get("by"))
        try:
            if subcommand == "build":
                release = actions.build_release(
                    snapshot=snapshot_for(options["snapshot"]),
                    year=options["year"],
                    by=by,
                    title=options["title"],
                    theme=options.get("theme"),
                    publish=options["publish"],
                )
                self.stdout.write(f"Release {release.identifier} ({release.status}):")
                for entry in release.files.all():
                    self.stdout.write(
                        f"  {Path(release.folder) / entry.name}  sha256 {entry.sha256}"
                    )
                return
            release = Release.objects.filter(identifier=options["identifier"]).first()
            if release is None:
                raise CommandError(
                    f"No release {options['identifier']!r}: see `ncmd release list`."
                )
            if subcommand == "publish":
                actions.publish_release(release=release, by=by)
            elif subcommand == "withdraw":
                actions.withdraw_release(release=release, by=by, reason=options["reason"])
            else:
                actions.delete_release(release=release, by=by, reason=options["reason"])
        except actions.PublishingRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Release {release.identifier}: {subcommand} done.")

    def _docs(self, check):
        text = lifecycle_page()
        if check:
            if not DOC.exists() or DOC.read_text() != text:
                raise CommandError(f"{DOC} is not current: run `ncmd release docs`.")
            self.stdout.write(f"{DOC} is current.")
            return
        DOC.write_text(text)
        self.stdout.write(f"Wrote {DOC}.")
