"""Time generating and loading the synthetic national data set.

Run: ``python benchmarks/bench_synthetic.py`` (``--scale`` for the fraction of England's volume,
default 0.1 of five years, about 1,800 deaths; ``--scale 1`` is the whole five-year set and takes
ten minutes or more). It uses a throw-away SQLite database in a temporary folder.

Three measurements in one process, on the same deaths:

- drawing the story of every death (pure Python);
- recording it through the registry's actions: every form through the one validator, every
  change with its audit event, the case locked and re-read by each action (what `ncmd synth`
  does);
- the naive baseline: the same cases and forms written as plain ORM rows, one `create()` per row,
  with no validation, no audit and no locking. It shows what the integrity costs.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from throwaway import throwaway_registry  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    throwaway_registry("ncmd-bench-")
    import datetime

    from django.db import transaction

    from ncmd.registry.models import AuditEvent, Case, FormSubmission
    from ncmd.synthetic.generator import Generator

    as_of = datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC)

    start = time.perf_counter()
    generator = Generator(seed=1, years=args.years, as_of=as_of, scale=args.scale)
    deaths = generator.deaths()
    story = time.perf_counter() - start

    start = time.perf_counter()
    summary = generator.run()
    recorded = time.perf_counter() - start
    cases, forms = Case.objects.count(), FormSubmission.objects.count()
    events = AuditEvent.objects.count()

    rows = list(Case.objects.values())
    submissions = list(FormSubmission.objects.values())
    start = time.perf_counter()
    with transaction.atomic():
        copies = {}
        for row in rows:
            old = row.pop("id")
            row.update(reference="N" + row["reference"][1:], duplicate_of_id=None,
                       duplicate_status="")  # fmt: skip
            copies[old] = Case.objects.create(**row).pk
        for row in submissions:
            row.pop("id")
            row["case_id"] = copies[row["case_id"]]
            FormSubmission.objects.create(**row)
        naive = time.perf_counter() - start
        transaction.set_rollback(True)

    full = recorded / args.scale / args.years * 5
    print(f"deaths drawn: {len(deaths):,} in {story:.2f} s")
    print(f"recorded through the actions: {cases:,} cases, {forms:,} forms, {events:,} audit "
          f"events in {recorded:.1f} s = {cases / recorded:.1f} cases/s, "
          f"{forms / recorded:.1f} forms/s")  # fmt: skip
    print(
        f"naive ORM rows (no validation, audit or locking): {naive:.1f} s = "
        f"{cases / naive:.1f} cases/s; the actions take {recorded / naive:.1f}x as long"
    )
    print(f"estimated full five-year national set at this rate: {full / 60:.1f} minutes")
    print(f"summary: {summary}")


if __name__ == "__main__":
    main()
