from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ncmd.analysis import actions
from ncmd.analysis.models import DenominatorDataset
from ncmd.analysis.ons import DenominatorFileError
from ncmd.analysis.years import parse_year, year_label


class Command(BaseCommand):
    help = (
        "Denominators for rates: import ONS population estimates or live births from CSV, "
        "create the demonstration's synthetic ones, or list what has been imported."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        load = commands.add_parser("import", help="import a CSV in an ONS layout")
        load.add_argument("file", help="the CSV file")
        load.add_argument("--kind", required=True, choices=["population", "births"])
        load.add_argument("--name", help="a name for the dataset (default: the file name)")
        load.add_argument("--source", help="where the figures come from (default: the file)")
        made = commands.add_parser(
            "synthetic", help="create synthetic demonstration denominators (flagged synthetic)"
        )
        made.add_argument("--first-year", required=True, help="first financial year, e.g. 2019-20")
        made.add_argument("--last-year", required=True, help="last financial year, e.g. 2025-26")
        commands.add_parser("list", help="list the imported datasets")

    def handle(self, *args, subcommand, **options):
        getattr(self, f"_{subcommand}")(**options)

    def _import(self, *, file, kind, name, source, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            dataset = actions.import_denominators(
                kind=kind, data=data, name=name or path.name, source=source or path.name,
                by=None,
            )  # fmt: skip
        except (DenominatorFileError, actions.DenominatorRefused) as error:
            raise CommandError(f"{path.name}: {error}") from None
        self.stdout.write(f"Imported {dataset}: {dataset.row_count} rows for "
                          f"{', '.join(map(str, dataset.years))}; SHA-256 "
                          f"{dataset.content_hash}.")  # fmt: skip

    def _synthetic(self, *, first_year, last_year, **options):
        try:
            first, last = parse_year(first_year), parse_year(last_year)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if last < first:
            raise CommandError("--last-year must not be before --first-year.")
        for dataset in actions.create_synthetic_denominators(years=range(first, last + 1),
                                                             by=None):  # fmt: skip
            self.stdout.write(f"Created {dataset}: {dataset.row_count} rows, SYNTHETIC.")

    def _list(self, **options):
        datasets = DenominatorDataset.objects.all()
        if not datasets:
            self.stdout.write("No denominators imported yet.")
        for d in datasets:
            years = ", ".join(year_label(y) if d.kind == "births" else str(y) for y in d.years)
            flag = " SYNTHETIC" if d.synthetic else ""
            self.stdout.write(f"{d.pk:>4} {d.kind:<10} {d.imported_at:%Y-%m-%d %H:%M} "
                              f"{d.name}{flag} [{years}] {d.content_hash[:16]}")  # fmt: skip
