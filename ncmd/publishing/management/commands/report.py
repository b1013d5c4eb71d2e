import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ncmd.publishing.actions import PublishingRefused, build_annual_report, build_cdop_packs
from ncmd.registry.models import Organisation, OrganisationType

from ._common import snapshot_for, user_for


class Command(BaseCommand):
    help = (
        "Write reports over a snapshot: `annual` the national annual (or thematic) report as HTML "
        "(and PDF where WeasyPrint is installed); `cdop` the report pack of one CDOP or all."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        annual = commands.add_parser("annual", help="the national annual report")
        cdop = commands.add_parser("cdop", help="CDOP report packs")
        for sub in (annual, cdop):
            sub.add_argument("--year", required=True, help='financial year, like "2024-25"')
            sub.add_argument("--snapshot", required=True, help='snapshot id, or "latest"')
            sub.add_argument("--out", help="also copy the files into this folder")
            sub.add_argument("--by", help="user name to record as the author")
        annual.add_argument("--theme", help="a thematic report: the theme's name")
        annual.add_argument("--no-pdf", action="store_true", help="write the HTML only")
        which = cdop.add_mutually_exclusive_group(required=True)
        which.add_argument("--cdop", help="the CDOP's code")
        which.add_argument("--all", action="store_true", help="every CDOP")

    def handle(self, *args, subcommand, **options):
        snapshot = snapshot_for(options["snapshot"])
        by = user_for(options.get("by"))
        try:
            if subcommand == "annual":
                report, message = build_annual_report(
                    snapshot=snapshot,
                    year=options["year"],
                    by=by,
                    theme=options.get("theme"),
                    pdf=not options["no_pdf"],
                )
                reports = [report]
                if message:
                    self.stderr.write(message)
            else:
                cdops = None
                if options.get("cdop"):
                    cdop = Organisation.objects.filter(
                        code=options["cdop"], type=OrganisationType.CDOP
                    ).first()
                    if cdop is None:
                        raise CommandError(f"No CDOP with the code {options['cdop']!r}.")
                    cdops = [cdop]
                reports = build_cdop_packs(
                    snapshot=snapshot, year=options["year"], by=by, cdops=cdops
                )
        except PublishingRefused as refused:
            raise CommandError(str(refused)) from None
        out = Path(options["out"]) if options.get("out") else None
        if out:
            out.mkdir(parents=True, exist_ok=True)
        for report in reports:
            for entry in report.files:
                path = Path(report.folder) / entry["name"]
                if out:
                    shutil.copyfile(path, out / entry["name"])
                    path = out / entry["name"]
                self.stdout.write(f"Report {report.pk}: {path}  sha256 {entry['sha256']}")
