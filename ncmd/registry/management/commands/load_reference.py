from django.core.management.base import BaseCommand, CommandError

from ncmd.registry.reference import (
    PostcodeFileError,
    load_organisations,
    load_postcodes,
    read_postcode_csv,
    read_reference,
)


class Command(BaseCommand):
    help = (
        "Load England, its regions, CDOPs, local authorities and agencies from the reference file, "
        "and a postcode to deprivation lookup: the synthetic one (default) or a CSV file with the "
        "columns postcode, lsoa_code, imd_decile (1 = most deprived), imd_edition."
    )

    def add_arguments(self, parser):
        parser.add_argument("--postcodes", help="CSV file of postcodes and IMD deciles to load")
        parser.add_argument(
            "--no-synthetic-postcodes",
            action="store_true",
            help="do not load the synthetic demo postcodes",
        )

    def handle(self, *args, postcodes=None, no_synthetic_postcodes=False, **options):
        say = self.stdout.write if options["verbosity"] > 0 else (lambda text: None)
        count = load_organisations(by=None)
        say(f"Organisations: {count}")
        try:
            if postcodes:
                loaded = load_postcodes(read_postcode_csv(postcodes))
                say(f"Postcodes loaded from {postcodes}: {loaded}")
            elif not no_synthetic_postcodes:
                from ncmd.synthetic.postcodes import lookup_rows

                data = read_reference()
                la_count = sum(len(r["local_authorities"]) for r in data["regions"])
                loaded = load_postcodes(lookup_rows(la_count))
                say(f"Synthetic postcodes: {loaded}")
        except (PostcodeFileError, OSError) as error:
            raise CommandError(str(error)) from None
