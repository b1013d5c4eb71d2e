import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from ncmd.registry.models import Case, Organisation
from ncmd.synthetic.generator import generate


class Command(BaseCommand):
    help = (
        "Create the synthetic national data set: every notification, reporting form, "
        "supplementary form and review created through the registry's actions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5, help="years of deaths (default 5)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same data")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="fraction of England's volume (default 1)"
        )
        parser.add_argument(
            "--as-of",
            help="the date the data set is drawn up to, YYYY-MM-DD (default today); "
            "events after it have not happened yet",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the registry has cases"
        )

    def handle(self, *args, years, seed, scale, as_of, if_empty, **options):
        if not Organisation.objects.filter(type="cdop").exists():
            raise CommandError("No CDOPs yet: run `ncmd load_reference` first.")
        existing = Case.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(f"The registry already has {existing:,} cases; nothing to do.")
                return
            raise CommandError(
                f"The registry already has {existing:,} cases. Synthetic data goes into an empty "
                "registry: use a new database (DATABASE_URL) or pass --if-empty."
            )
        if years < 1 or scale <= 0:
            raise CommandError("--years must be 1 or more and --scale above 0.")
        moment = timezone.now()
        if as_of:
            try:
                day = datetime.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of {as_of!r} is not a date like 2026-03-31") from None
            moment = datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=datetime.UTC)
        bar = tqdm(total=None, unit=" deaths", disable=options["verbosity"] == 0)

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        summary = generate(seed=seed, years=years, as_of=moment, scale=scale, progress=progress)
        bar.close()
        self.stdout.write(
            f"Synthetic data: {summary.cases:,} cases ({summary.duplicates:,} duplicate "
            f"notifications) and {summary.submissions:,} forms."
        )
