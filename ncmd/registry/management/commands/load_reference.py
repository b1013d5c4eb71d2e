from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ncmd.registry.reference import (
    REFERENCE_FILE,
    PostcodeFileError,
    load_organisations,
    load_postcodes,
    read_postcode_csv,
    read_reference,
)


class Command(BaseCommand):
    help = (
        "Load England, its regions, CDOPs, local authorities and agencies from a reference file "
        "(default: the demo's), and a postcode to deprivation lookup: a CSV file with the columns "
        "postcode, lsoa_code, imd_decile (1 = most deprived), imd_edition, or the synthetic demo "
        "postcodes (the default outside production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            default=str(REFERENCE_FILE),
            help="YAML file of regions, local authorities and CDOPs (see reference/README.md)",
        )
        parser.add_argument("--postcodes", help="CSV file of postcodes and IMD deciles to load")
        parser.add_argument(
            "--synthetic-postcodes",
            action="store_true",
            help="load the synthetic demo postcodes (the default when not in production)",
        )

    def handle(self, *args, organisations, postcodes=None, synthetic_postcodes=False, **options):
        say = self.stdout.write if options["verbosity"] > 0 else (lambda text: None)
        try:
            count = load_organisations(by=None, path=organisations)
            say(f"Organisations: {count}")
            if postcodes:
                loaded = load_postcodes(read_postcode_csv(postcodes))
                say(f"Postcodes loaded from {postcodes}: {loaded}")
            elif synthetic_postcodes or not settings.PRODUCTION:
                from ncmd.synthetic.postcodes import lookup_rows

                data = read_reference(organisations)
                la_count = sum(len(r["local_authorities"]) for r in data["regions"])
                loaded = load_postcodes(lookup_rows(la_count))
                say(f"Synthetic postcodes: {loaded}")
        except (PostcodeFileError, OSError, KeyError) as error:
            raise CommandError(f"Could not load reference data: {error}") from None
