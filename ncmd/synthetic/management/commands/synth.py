import datetime
import json
import os
import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from ncmd.registry.models import Case, Organisation
from ncmd.synthetic.generator import generate

PROGRESS_FILE = settings.VAR_DIR / "synth-progress.json"


class Command(BaseCommand):
    help = (
        "Create the synthetic national data set: every notification, reporting form, "
        "supplementary form and review created through the registry's actions. An interrupted "
        "run carries on where it stopped when run again with the same options."
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
            "--mark-complete",
            action="store_true",
            help="record in the demo's state file that the data set is complete (used by demo)",
        )

    def handle(self, *args, years, seed, scale, as_of, mark_complete=False, **options):
        if settings.PRODUCTION:
            raise CommandError("Synthetic data never goes into a production registry.")
        if not Organisation.objects.filter(type="cdop").exists():
            raise CommandError("No CDOPs yet: run `ncmd load_reference` first.")
        if years < 1 or not 0 < scale <= 10:
            raise CommandError("--years must be 1 or more, and --scale above 0 and at most 10.")
        settings.DEBUG = False  # no per-query logging during a long batch job
        moment = timezone.now()
        if as_of:
            try:
                day = datetime.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of {as_of!r} is not a date like 2026-03-31") from None
            moment = datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=datetime.UTC)
        before = Case.objects.count()
        bar = tqdm(total=None, unit=" deaths", disable=options["verbosity"] == 0)

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)
            PROGRESS_FILE.write_text(json.dumps({"done": done, "total": total, "pid": os.getpid()}))

        def stop(signum, frame):
            raise SystemExit(f"Stopped by signal {signum}; run again to carry on.")

        signal.signal(signal.SIGTERM, stop)  # so the progress file is removed on the way out
        try:
            summary = generate(seed=seed, years=years, as_of=moment, scale=scale, progress=progress)
        finally:
            bar.close()
            PROGRESS_FILE.unlink(missing_ok=True)
        if mark_complete:
            from ncmd.synthetic.demo import read_state, write_state

            write_state(dict(read_state() or {}, complete=True))
        added = Case.objects.count() - before
        self.stdout.write(
            f"Synthetic data: {summary.deaths:,} deaths; {added:,} cases added now "
            f"({summary.duplicates:,} duplicate notifications) with {summary.submissions:,} forms."
        )
