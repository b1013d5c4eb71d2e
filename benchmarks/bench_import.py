"""Time bulk import of a notification CSV, and its peak memory at two file sizes.

Run: ``python benchmarks/bench_import.py`` (``--rows 100000 --small 10000 --naive 2000
--workers 2``, ``--batch-size`` to try another number of rows per batch of INSERTs). It writes
synthetic notification CSVs (valid NHS numbers starting 999, the
synthetic Q postcodes of ncmd/synthetic/postcodes.py) into a temporary folder and imports them
into a throw-away SQLite database, in one process:

- `ncmd import` (all or nothing, its default: check every row, then write) of the small and then
  the large file, each into the same empty registry (the database file copied back), with the
  rate of each pass and the process's peak resident memory after each (if it does not grow from
  the small file to the large one, memory does not depend on the file's size); `--trace-memory`
  adds Python's peak allocation (tracemalloc) from a second, untimed import of each file; then
  the large file again with `--workers` checking processes (`ncmd import --workers`);
- every time both elapsed and CPU seconds (this process and its workers): the machine may be
  shared, and CPU time is what the work itself took;
- the naive baseline: `notify_death` once per row (one validation, one set of ORM saves and one
  audit event per row) on the first `--naive` rows, extrapolated to the large file.
"""

import argparse
import csv
import datetime
import os
import random
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from throwaway import throwaway_registry  # noqa: E402


def synthetic_rows(count, seed=1):
    from ncmd.dictionary.identifiers import with_check_digit
    from ncmd.synthetic.postcodes import postcodes_for

    draw = random.Random(seed)
    postcodes = [p for la in range(20) for d in range(1, 11) for p in postcodes_for(la, d)]
    serial = 0
    for number in range(count):
        nhs = None
        while nhs is None:
            serial += 1
            nhs = with_check_digit(f"999{serial:06d}")
        died = datetime.date(2025, 4, 1) + datetime.timedelta(days=draw.randrange(400))
        born = died - datetime.timedelta(days=draw.randrange(1, 17 * 365))
        expected = draw.random() < 0.6
        yield {
            "client_reference": f"BENCH-{number}",
            "nhs_number": nhs,
            "given_name": draw.choice(["Ava", "Noah", "Mia", "Leo", "Isla", "Baby of Jane"]),
            "family_name": draw.choice(["Smith", "Khan", "Jones", "Nowak", "Patel"]),
            "date_of_birth": born.isoformat(),
            "sex": draw.choice("MF"),
            "ethnicity": draw.choice("ABCDJKLR"),
            "home_postcode": draw.choice(postcodes),
            "date_of_death": died.isoformat(),
            "time_of_death": f"{draw.randrange(24):02d}:{draw.randrange(60):02d}",
            "place_of_death": "home_of_normal_residence",
            "expected_death": "expected" if expected else "unexpected",
            "jar_triggered": "" if expected else "yes",
            "suspected_stillbirth_at_home": "no",
            "circumstances": "none_of_these" if expected else "sudden_unexpected_infant",
            "circumstances_summary": "Died in hospital after a long illness.",
            "agencies_involved": "acute_health;police",
            "known_to_social_care": "no",
        }


def write_file(path, count):
    rows = synthetic_rows(count)
    first = next(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(first))
        writer.writeheader()
        writer.writerow(first)
        writer.writerows(rows)
    return path


class PhaseTimer:
    """A progress reporter for `import_file` that records how long each pass took, in elapsed
    and in CPU seconds (the machine is shared: CPU time is what the pass itself needed)."""

    phases = {}

    def __init__(self, phase):
        self.phase, self.start, self.cpu = phase, time.perf_counter(), cpu_seconds()

    def update(self, n):
        pass

    def close(self):
        self.phases[self.phase] = (
            time.perf_counter() - self.start,
            cpu_seconds() - self.cpu,
        )


def cpu_seconds():
    """CPU time of this process and of its finished children (the checking workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def peak_rss_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=2_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="Import the large file again with this many checking processes (1: not again).",
    )
    parser.add_argument(
        "--batch-size", type=int, default=None,
        help="Rows per batch of INSERTs (default: the importer's, "
        "ncmd.submissions.imports.importer.BATCH_SIZE).",
    )  # fmt: skip
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="Also import each file again under tracemalloc for Python's peak allocation (slow).",
    )
    args = parser.parse_args()
    folder = str(throwaway_registry("ncmd-bench-import-"))
    from django.db import connection

    from ncmd.dictionary import get_dictionary
    from ncmd.registry import actions
    from ncmd.registry.models import Case, Organisation, PostcodeLookup
    from ncmd.submissions.imports.importer import import_file
    from ncmd.synthetic.postcodes import lookup_rows

    PostcodeLookup.objects.bulk_create(
        [PostcodeLookup(**row) for row in lookup_rows(20)], ignore_conflicts=True
    )
    cdop = Organisation.objects.filter(type="cdop").order_by("code").first()
    admin = actions.create_user(username="bench", role="national_admin", by=None)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, SQLite, CDOP {cdop.code}")

    # Each import starts from this registry as it is now (reference data, postcodes, the
    # importing user, no case): the database file is copied back, so that every run writes into
    # the same empty tables and indexes (the audit log cannot be emptied any other way).
    database = Path(folder) / "bench.sqlite3"
    pristine = Path(folder) / "pristine.sqlite3"
    connection.close()
    shutil.copyfile(database, pristine)

    def clear():
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(pristine, database)

    batching = {"batch_size": args.batch_size} if args.batch_size else {}
    get_dictionary()  # loaded once per process, as in a long-running server
    results = {}
    runs = [(args.small, 1), (args.rows, 1)] + ([(args.rows, args.workers)] * (args.workers > 1))
    for count, workers in runs:
        path = Path(folder) / f"notifications-{count}.csv"
        if not path.exists():
            write_file(path, count)
        clear()
        PhaseTimer.phases = {}
        start, cpu = time.perf_counter(), cpu_seconds()
        run = import_file(
            path=path, form_name="notification", by=admin, cdop=cdop, progress=PhaseTimer,
            workers=workers, **batching,
        )  # fmt: skip
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        phases = ", ".join(
            f"{k.lower()} {count / wall:,.0f} rows/s ({count / used:,.0f} per CPU second)"
            for k, (wall, used) in PhaseTimer.phases.items()
        )
        assert run.status == "imported" and run.created == count, (run.status, run.problems)
        rss = peak_rss_mb()
        peak = 0
        if args.trace_memory:
            # A second import of the same file, under tracemalloc (which slows Python down
            # several times, so it is kept out of the timing).
            clear()
            tracemalloc.start()
            import_file(path=path, form_name="notification", by=admin, cdop=cdop)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        results[count, workers] = (seconds, peak, rss)
        size = path.stat().st_size / 1e6
        print(
            f"import {count:,} rows ({size:.1f} MB), {workers} checking process"
            f"{'es' if workers > 1 else ''}: {seconds:.1f} s = "
            f"{count / seconds:,.0f} validated rows/s; {cpu:.1f} CPU s = "
            f"{count / cpu:,.0f} rows per CPU second ({phases}); process peak RSS so far "
            f"{rss:.0f} MB" + (f"; peak traced memory {peak / 1e6:.1f} MB" if peak else "")
        )

    clear()
    rows = list(synthetic_rows(args.naive, seed=2))
    start, cpu = time.perf_counter(), time.process_time()
    for row in rows:
        reference = row.pop("client_reference")
        actions.notify_death(cdop=cdop, answers=row, by=admin, client_reference=reference)
    naive, naive_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert Case.objects.count() == args.naive
    naive_rate = args.naive / naive
    seconds = results[args.rows, 1][0]
    print(f"naive baseline, notify_death per row on {args.naive:,} rows: {naive:.1f} s = "
          f"{naive_rate:,.0f} rows/s, {args.naive / naive_cpu:,.0f} per CPU second; "
          f"{args.rows:,} rows would take {args.rows / naive_rate / 60:.1f} min")  # fmt: skip
    print(f"bulk import is {args.rows / seconds / naive_rate:.0f}x the naive rate; process peak "
          f"RSS {results[args.rows, 1][2] / results[args.small, 1][2]:.2f}x at "
          f"{args.rows // args.small}x the rows")  # fmt: skip
    if (args.rows, args.workers) in results and args.workers > 1:
        parallel = results[args.rows, args.workers][0]
        print(f"with {args.workers} checking processes: {args.rows / parallel / naive_rate:.0f}x "
              f"the naive rate, {seconds / parallel:.2f}x one process")  # fmt: skip


if __name__ == "__main__":
    main()
