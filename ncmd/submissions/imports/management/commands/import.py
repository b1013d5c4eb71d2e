"""`ncmd import FILE --form notification --cdop CDOP001 [--valid-rows-only] [--report FILE]
[--as USERNAME] [--workers N]`, and `ncmd import --template FORM` for an empty file with the
form's columns."""

import csv
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from ncmd.dictionary import get_dictionary
from ncmd.registry.models import Organisation, User

from ...columns import template_headers
from ...importer import ImportRefused, import_file, importable_forms, reports_dir
from ...models import ImportMode, ImportStatus
from ...reports import csv_chunks, write_xlsx


class Command(BaseCommand):
    help = "Import a CSV, XLSX or JSON file of form answers, checking every row first."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The CSV, XLSX or JSON file to import.")
        parser.add_argument("--form", help="The form the rows answer, like notification.")
        parser.add_argument("--cdop", help="The code of the CDOP every row belongs to.")
        parser.add_argument(
            "--valid-rows-only",
            action="store_true",
            help="Import the valid rows and report the others (default: import nothing if any "
            "row has a problem).",
        )
        parser.add_argument("--report", help="Write the problem report here (.csv or .xlsx).")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="Check notification rows in this many worker processes while this process "
            "writes (default 2, or 1 on a machine with one core: in this process).",
        )
        parser.add_argument(
            "--as", dest="username", help="The user importing (a CDOP or national administrator)."
        )
        parser.add_argument(
            "--template", metavar="FORM", help="Print an empty CSV with the columns of FORM."
        )

    def handle(self, *args, **options):
        if options["template"]:
            return self._template(options["template"])
        if not options["file"] or not options["form"]:
            raise CommandError("Give the FILE to import and the --form its rows answer.")
        user = self._user(options["username"])
        cdop = None
        if options["cdop"]:
            cdop = Organisation.objects.filter(code=options["cdop"]).first()
            if cdop is None:
                raise CommandError(f"There is no organisation with the code {options['cdop']}.")
        mode = ImportMode.VALID_ROWS if options["valid_rows_only"] else ImportMode.ALL_OR_NOTHING
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more.")
        try:
            run = import_file(
                path=options["file"], form_name=options["form"], by=user, cdop=cdop, mode=mode,
                progress=self._progress, workers=options["workers"],
            )  # fmt: skip
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        except FileNotFoundError:
            raise CommandError(f"There is no file {options['file']}.") from None
        report = reports_dir() / run.report
        if options["report"]:
            report = self._copy_report(report, options["report"])
        self.stdout.write(
            f"{run.get_status_display()}: {run.rows:,} rows read, {run.created:,} imported, "
            f"{run.unchanged:,} already recorded (unchanged), {run.refused:,} refused; "
            f"{run.possible_duplicates:,} flagged as possible duplicates; "
            f"{run.problems:,} problems and {run.warnings:,} warnings."
        )
        if run.problems or run.warnings:
            self.stdout.write(f"Report: {report}")
        if run.status != ImportStatus.IMPORTED:
            sys.exit(1)

    def _progress(self, phase):
        return tqdm(desc=phase, unit=" rows", file=self.stderr._out, mininterval=0.5)

    def _user(self, username):
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user {username}.")
            return user
        admins = User.objects.filter(role="national_admin", is_active=True)
        if admins.count() != 1:
            raise CommandError("Say who is importing with --as USERNAME.")
        return admins.get()

    def _copy_report(self, source, target):
        if target.lower().endswith(".xlsx"):
            write_xlsx(source, target)
        else:
            with open(target, "wb") as handle:
                for chunk in csv_chunks(source):
                    handle.write(chunk)
        return target

    def _template(self, form_name):
        forms = importable_forms()
        if form_name not in forms:
            names = ", ".join(forms)
            raise CommandError(f"There is no form '{form_name}'; the forms are: {names}.")
        form = get_dictionary().release_on(timezone.localdate()).form(form_name)
        csv.writer(self.stdout._out, lineterminator="\n").writerow(template_headers(form))
        self.stdout._out.flush()
