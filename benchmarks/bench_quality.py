"""Time snapshots and the data quality computation.

Run: ``python benchmarks/bench_quality.py`` (``--scale`` for the registry generated when no demo
database exists, default 0.1 of England for five years; ``--million`` for the size of the scaled
snapshot, default 1,000,000 cases). It works in a temporary folder. Measured in one process:

1. freezing the registry into a snapshot (cases per second);
2. computing every indicator for every CDOP and month over that snapshot, against the naive
   baseline: one Django ORM query per CDOP, indicator and month on the live registry, for the
   indicators that can be written as one ORM count (same results, checked);
3. computing every indicator over the snapshot scaled to a million cases (rows copied with new
   references);
4. the server time of the CDOP dashboard and an indicator page (Django test client, median of
   20 requests).

With ``--snapshot FOLDER`` the scaled snapshot is kept in that folder; when the folder already
holds one, only step 3 runs on it (``--repeat`` times, elapsed and CPU seconds), with no registry
generated: the way to measure the million-case computation alone.
"""

import argparse
import datetime
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from throwaway import throwaway_registry  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument("--snapshot", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = throwaway_registry("ncmd-bench-quality-")
    if args.snapshot and (args.snapshot / "manifest.json").exists():
        import ncmd.quality.compute  # noqa: F401 (imported untimed, as step 3 finds it)

        for _ in range(args.repeat):
            cpu = time.process_time()
            meta, seconds = timed(lambda: compute(args.snapshot))
            print(f"3. every indicator, CDOP and period over {args.snapshot}: {seconds:.2f} s, "
                  f"{time.process_time() - cpu:.1f} CPU s; {meta['row_counts']}")  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
        return
    from ncmd.registry.models import Case
    from ncmd.synthetic.generator import Generator

    as_of = datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC)
    start = time.perf_counter()
    Generator(seed=1, years=5, as_of=as_of, scale=args.scale).run()
    print(f"registry: {Case.objects.count():,} cases generated in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip

    snapshot, seconds = timed(freeze)
    cases = snapshot.row_counts["cases"]
    print(
        f"1. freeze: {cases:,} cases in {seconds:.2f} s = {cases / seconds:,.0f} cases/s; "
        f"five-year demo (~17,700 cases) estimated {17_700 / cases * seconds:.1f} s"
    )
    naive, naive_seconds = timed(lambda: naive_counts(snapshot))
    ours, ours_seconds = timed(lambda: our_counts(snapshot))
    if naive != ours:
        diff = sorted(set(naive.items()) ^ set(ours.items()))[:10]
        raise SystemExit(f"the naive and set-based results differ: {diff}")
    print(
        f"2. {len(naive):,} CDOP-indicator-month values: naive ORM {naive_seconds:.2f} s, "
        f"computed over the snapshot {ours_seconds:.2f} s "
        f"({naive_seconds / ours_seconds:.0f}x faster), identical results"
    )
    big, build = timed(
        lambda: scale_snapshot(snapshot, args.snapshot or folder / "million", args.million)
    )
    meta, seconds = timed(lambda: compute(big))
    print(
        f"3. every indicator, CDOP and month over {args.million:,} cases: {seconds:.2f} s "
        f"(scaled snapshot built in {build:.1f} s); {meta['row_counts']}"
    )
    dashboard()
    loaded, load_seconds = timed(lambda: load_cases(big))
    naive_big, naive_big_seconds = timed(lambda: naive_counts(None))
    _, ours_big_seconds = timed(lambda: compute_chosen(big))
    counted, count_seconds = timed(lambda: count_only(big))
    print(
        f"5. the naive baseline on a registry of {loaded:,} cases "
        f"(loaded in {load_seconds:.0f} s): "
        f"{len(naive_big):,} values in {naive_big_seconds:.1f} s; the same indicators over the "
        f"million-case snapshot in {ours_big_seconds:.2f} s "
        f"({naive_big_seconds / ours_big_seconds:.0f}x faster); the counting alone, the work "
        f"the baseline does, {count_seconds:.2f} s ({naive_big_seconds / count_seconds:.0f}x "
        f"faster, {counted:,} values)"
    )
    shutil.rmtree(folder, ignore_errors=True)


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def freeze():
    from ncmd.snapshots.actions import freeze_snapshot

    return freeze_snapshot(by=None)


def compute(folder):
    from ncmd.quality.compute import compute_quality

    return compute_quality(folder)


# The indicators that are a single count on the registry's own columns, written as an analyst
# would with the ORM: (indicator, denominator filter, numerator filter).
def orm_indicators():
    from django.db.models import Q

    linked = Q(duplicate_status="linked")
    return {
        "ethnicity_recorded": (~linked, ~Q(ethnicity__in=["", "Z"])),
        "deprivation_known": (~linked, Q(imd_decile__isnull=False)),
        "insufficient_information": (~linked & ~Q(modifiable_factors=""),
                                     Q(modifiable_factors="insufficient_information")),
        "duplicates_resolved": (Q(duplicate_status__in=["possible", "distinct", "linked"]),
                                ~Q(duplicate_status="possible")),
    }  # fmt: skip


def naive_counts(snapshot):
    """One ORM query per CDOP, indicator and month (the baseline)."""
    from ncmd.registry.models import Case, Organisation

    counts = {}
    months = sorted({d.replace(day=1) for d in Case.objects.values_list(
        "date_of_death", flat=True) if d})  # fmt: skip
    for cdop in Organisation.objects.filter(type="cdop"):
        for name, (denominator, numerator) in orm_indicators().items():
            for month in months:
                following = (month + datetime.timedelta(days=32)).replace(day=1)
                cases = Case.objects.filter(
                    denominator, cdop=cdop, date_of_death__gte=month,
                    date_of_death__lt=following,
                )  # fmt: skip
                den = cases.count()
                if den:
                    counts[(name, cdop.code, month)] = (cases.filter(numerator).count(), den)
    return counts


def our_counts(snapshot):
    from ncmd.quality.compute import compute_quality
    from ncmd.quality.definitions import indicators
    from ncmd.quality.results import latest_results

    chosen = {k: v for k, v in indicators().items() if k in orm_indicators()}
    compute_quality(snapshot.folder, definitions=chosen)
    rows = latest_results().query(
        'SELECT indicator, cdop, period, numerator, denominator FROM "values" '
        "WHERE period_type = 'month' AND cdop <> 'ENGLAND' AND denominator > 0"
    )
    return {(r["indicator"], r["cdop"], r["period"]): (int(r["numerator"]), int(r["denominator"]))
            for r in rows}  # fmt: skip


def scale_snapshot(snapshot, target, size):
    """Copy the snapshot's rows, with new references, until the cases table holds `size` rows."""
    import json

    import duckdb

    source = Path(snapshot.folder)
    target.mkdir(parents=True, exist_ok=True)
    cases = snapshot.row_counts["cases"]
    copies = -(-size // cases)
    db = duckdb.connect()
    db.execute(f"CREATE TABLE k AS SELECT range AS k FROM range({copies})")
    for name in ("organisations",):
        shutil.copy(source / f"{name}.parquet", target / f"{name}.parquet")
    plans = {
        "cases": "reference",
        "submissions": "case_reference",
        "reporting": "case_reference",
        "field_status": "case_reference",
        "field_counts": None,
        "requests": "case_reference",
        "expected_forms": "case_reference",
    }
    # Each copy gets its own references and submission ids, so joins match one copy only.
    step = db.execute(
        f"SELECT max(submission_id) + 1 FROM read_parquet('{source / 'submissions'}.parquet')"
    ).fetchone()[0]
    # field_counts holds one row per CDOP, form, question and year, as a real freeze of a
    # million cases would: its counts are multiplied, not its rows.
    counts = ", ".join(f"{c} * {copies} AS {c}" for c in ("shown", "known", "not_known"))
    db.execute(
        f"COPY (SELECT * REPLACE ({counts}) FROM read_parquet('{source}/field_counts.parquet')) "
        f"TO '{target}/field_counts.parquet' (FORMAT parquet, COMPRESSION zstd)"
    )
    for name, column in plans.items():
        if name == "field_counts":
            continue
        replaced = [f"t.{column} || '-' || k.k AS {column}"] if column else []
        if name in ("submissions", "reporting", "field_status"):
            replaced.append(f"t.submission_id + k.k * {step} AS submission_id")
        columns = f"t.* REPLACE ({', '.join(replaced)})" if replaced else "t.*"
        limit = f"LIMIT {size}" if name == "cases" else ""
        db.execute(
            f"COPY (SELECT {columns} FROM read_parquet('{source / name}.parquet') t, k {limit}) "
            f"TO '{target / name}.parquet' (FORMAT parquet, COMPRESSION zstd)"
        )
    manifest = json.loads((source / "manifest.json").read_text())
    manifest["row_counts"]["cases"] = size
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def compute_chosen(folder):
    from ncmd.quality.compute import compute_quality
    from ncmd.quality.definitions import indicators

    chosen = {k: v for k, v in indicators().items() if k in orm_indicators()}
    return compute_quality(folder, definitions=chosen)


def count_only(folder):
    """Numerators and denominators for every CDOP and month of the four indicators: exactly what
    the naive baseline computes, with nothing else (no intervals, charts or worklists)."""
    import datetime as dt

    from ncmd.quality.compute import _monthly_counts, substitute  # noqa: F401
    from ncmd.quality.definitions import indicators
    from ncmd.snapshots.store import connect

    chosen = {k: v for k, v in indicators().items() if k in orm_indicators()}
    db = connect(folder)
    cdops = [r[0] for r in db.execute(
        "SELECT code FROM organisations WHERE type = 'cdop'").fetchall()]  # fmt: skip
    first = db.execute("SELECT min(date_of_death) FROM cases").fetchone()[0]
    parameters = {"as_of": "DATE '2026-11-27'", "review_days_short": "183",
                  "review_days_long": "365"}  # fmt: skip
    counts = _monthly_counts(db, chosen, cdops, first, dt.date(2026, 11, 27), parameters)
    return sum(int((den > 0).sum()) for _, _, _, den in counts.values())


def load_cases(folder):
    """Copy the scaled snapshot's cases into the registry's case table (raw SQL: these rows are
    benchmark data, not notifications), so the naive baseline runs on a million-case registry.
    Possible and linked duplicates are loaded as ordinary cases (they would need an original)."""
    import duckdb
    from django.db import connection, transaction

    from ncmd.registry.models import Organisation

    ids = dict(Organisation.objects.values_list("code", "id"))
    columns = ["reference", "client_reference", "cdop_id", "region_id", "status", "notified_at",
               "date_of_birth", "date_of_death", "age_days", "age_band", "sex", "ethnicity",
               "ethnicity_group", "imd_decile", "imd_edition", "expected_death",
               "category_of_death", "modifiable_factors", "review_date", "duplicate_status",
               "created_at", "updated_at"]  # fmt: skip
    source = duckdb.connect().execute(
        "SELECT 'M' || reference, '', cdop, region, status, CAST(notified_at AS VARCHAR), "
        "CAST(date_of_birth AS VARCHAR), CAST(date_of_death AS VARCHAR), age_days, age_band, "
        "sex, ethnicity, ethnicity_group, imd_decile, imd_edition, expected_death, "
        "category_of_death, modifiable_factors, CAST(review_date AS VARCHAR), "
        "CASE WHEN duplicate_status IN ('possible', 'linked') THEN '' ELSE duplicate_status END, "
        "CAST(notified_at AS VARCHAR), CAST(notified_at AS VARCHAR) FROM "
        f"read_parquet('{folder}/cases.parquet')"
    )
    sql = (f"INSERT INTO registry_case ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")  # fmt: skip
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        while batch := source.fetchmany(50_000):
            cursor.executemany(sql, [(r[0], r[1], ids[r[2]], ids[r[3]], *r[4:]) for r in batch])
            total += len(batch)
    return total


def dashboard():
    from django.test import Client

    from ncmd.registry import actions
    from ncmd.registry.models import Organisation, User

    cdop = Organisation.objects.filter(type="cdop").order_by("code").first()
    user = User.objects.filter(username="bench").first() or actions.create_user(
        username="bench", role="cdop_admin", organisation=cdop, by=None)  # fmt: skip
    client = Client()
    client.force_login(user)
    for path in (f"/quality/{cdop.code}/", f"/quality/{cdop.code}/notified_within_48_hours/"):
        client.get(path)  # warm up
        times = []
        for _ in range(20):
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        print(f"4. {path}: median server time {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
