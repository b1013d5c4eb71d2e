"""Time the annual report and a full data release, against the pandas script an analyst would
write for the same tables.

Run: ``python benchmarks/bench_publishing.py`` (``--scale`` for the five-year registry generated
in a temporary folder, default 0.05 of England; ``--million`` for the size of the scaled snapshot,
default 1,000,000 cases; ``--repeat`` runs of each step, the fastest reported). Needs pandas,
which is not a dependency of the platform: ``pip install pandas``.

Measured in one process, for the five-year snapshot and for the snapshot scaled to a million
cases (rows copied with new references, as `bench_quality.py` does), each step from cold (the
process's chart cache emptied first), wall-clock and CPU time (``time.process_time``: the machine
is shared, and CPU time is what another user's jobs cannot inflate):

1. ``build_annual_report``: every national table, charts, the headline sentences, the data
   quality statement (computed over the snapshot first, timed apart) and the methods annex,
   written as one HTML file and recorded;
2. ``build_release``: the same tables with disclosure control (primary and secondary
   suppression, checked exactly for recoverable figures), written as CSV, JSON and XLSX with
   checksums and recorded;
3. the baseline: a pandas script for the same deaths, rates and review tables (read the Parquet,
   group, merge the population, Byar/exact Poisson and Wilson intervals, suppress counts 1-7
   with no secondary suppression and no recoverability check, write CSVs, an XLSX with
   ``DataFrame.to_excel`` and an HTML page of ``DataFrame.to_html`` tables with matplotlib charts);
4. the annual report and then the release of the same year, one after the other as an analyst
   publishes them (the release reuses the report's charts), against the two pandas scripts.
"""

import argparse
import datetime
import io
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throwaway import throwaway_registry  # noqa: E402


def timed(function, repeat=1, cpu=None):
    """(result, fastest wall-clock seconds) of `repeat` runs, each from cold (no chart drawn
    yet in this process); the fastest CPU seconds are appended to `cpu` when given."""
    from ncmd.publishing.charts import clear_chart_cache

    best, best_cpu, result = None, None, None
    for _ in range(repeat):
        clear_chart_cache()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
        best = seconds if best is None else min(best, seconds)
        best_cpu = cpu_seconds if best_cpu is None else min(best_cpu, cpu_seconds)
    if cpu is not None:
        cpu.append(best_cpu)
    return result, best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise SystemExit("The baseline needs pandas: pip install pandas") from None
    folder = throwaway_registry("ncmd-bench-publishing-")
    from ncmd.analysis.actions import ensure_demo_denominators
    from ncmd.registry.models import Case
    from ncmd.snapshots.actions import freeze_snapshot
    from ncmd.synthetic.generator import Generator

    as_of = datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC)
    start = time.perf_counter()
    Generator(seed=1, years=5, as_of=as_of, scale=args.scale).run()
    print(
        f"registry: {Case.objects.count():,} cases generated in {time.perf_counter() - start:.0f} s"
    )
    ensure_demo_denominators(as_of=as_of.date(), years=5)
    snapshot = freeze_snapshot(by=None)
    year = "2025-26" if _has_year(snapshot, "2025-26") else "2024-25"
    results = [measure("five-year demo", snapshot, year, args.repeat)]
    from bench_quality import scale_snapshot

    big_folder, build = timed(lambda: scale_snapshot(snapshot, folder / "million", args.million))
    big = register(big_folder, snapshot)
    print(f"scaled snapshot of {args.million:,} cases built in {build:.1f} s")
    results.append(measure(f"{args.million:,} cases", big, year, args.repeat))
    print()
    print(
        "| snapshot | cases | step | ncmd | pandas script | ratio (pandas / ncmd) "
        "| ncmd CPU | pandas CPU | CPU ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['name']} | {r['cases']:,} | quality results (once per snapshot) | "
            f"{r['quality']:.2f} s | | | | | |"
        )
        for key, step in (
            ("tables", "tables alone (analysis)"),
            ("report", "annual report"),
            ("release", "full release"),
            ("both", "report, then release"),
        ):
            ours, theirs = r[key], r[f"pandas_{key}"]
            ours_cpu, theirs_cpu = r[f"{key}_cpu"], r[f"pandas_{key}_cpu"]
            print(
                f"| {r['name']} | {r['cases']:,} | {step} | {ours:.2f} s | {theirs:.2f} s | "
                f"{theirs / ours:.2f} | {ours_cpu:.2f} s | {theirs_cpu:.2f} s | "
                f"{theirs_cpu / ours_cpu:.2f} |"
            )
    shutil.rmtree(folder, ignore_errors=True)


def _has_year(snapshot, year):
    from ncmd.analysis import open_analysis

    analysis = open_analysis(snapshot)
    try:
        return year in analysis.years()
    finally:
        analysis.close()


def register(folder, like):
    """A snapshot row for the scaled folder (benchmark data: no registry behind it)."""
    from ncmd.snapshots.models import Snapshot

    manifest = json.loads((folder / "manifest.json").read_text())
    return Snapshot.objects.create(
        created_at=like.created_at,
        created_by="benchmark",
        folder=str(folder),
        content_hash=manifest["content_hash"] + "-scaled",
        row_counts=manifest["row_counts"],
        dictionary_release=like.dictionary_release,
        code_version=like.code_version,
    )


def measure(name, snapshot, year, repeat):
    from ncmd.analysis import open_analysis
    from ncmd.publishing.actions import build_annual_report, build_release
    from ncmd.publishing.quality_statement import quality_results

    cases = snapshot.row_counts["cases"]
    _, quality = timed(lambda: quality_results(snapshot))

    def tables():
        analysis = open_analysis(snapshot)
        try:
            return analysis.national_tables(year)
        finally:
            analysis.close()

    cpu = []
    made, table_seconds = timed(tables, repeat, cpu)

    def report():
        return build_annual_report(snapshot=snapshot, year=year, by=None, pdf=False)

    def release():
        return build_release(snapshot=snapshot, year=year, by=None)

    _, report_seconds = timed(report, repeat, cpu)
    made_release, release_seconds = timed(release, repeat, cpu)
    _, both_seconds = timed(lambda: (report(), release()), repeat, cpu)
    population = population_frame(year)
    frames, pandas_tables = timed(
        lambda: pandas_tables_for(snapshot, year, population), repeat, cpu
    )
    _, pandas_release = timed(lambda: pandas_release_for(snapshot, year, population), repeat, cpu)
    _, pandas_report = timed(lambda: pandas_report_for(snapshot, year, population), repeat, cpu)
    _, pandas_both = timed(
        lambda: (
            pandas_report_for(snapshot, year, population),
            pandas_release_for(snapshot, year, population),
        ),
        repeat,
        cpu,
    )
    print(
        f"{name}: {cases:,} cases, year {year}: quality {quality:.2f} s; {len(made)} tables "
        f"{table_seconds:.2f} s; report {report_seconds:.2f} s; release {release_seconds:.2f} s "
        f"({made_release.files.count()} files); report then release {both_seconds:.2f} s; "
        f"pandas: {len(frames)} tables {pandas_tables:.2f} s, release {pandas_release:.2f} s, "
        f"report {pandas_report:.2f} s, both {pandas_both:.2f} s"
    )
    keys = ("tables", "report", "release", "both")
    cpu_of = dict(zip([*keys, *(f"pandas_{k}" for k in ("tables", "release", "report", "both"))],
                      cpu, strict=True))  # fmt: skip
    return {
        "name": name,
        "cases": cases,
        "quality": quality,
        "tables": table_seconds,
        "report": report_seconds,
        "release": release_seconds,
        "both": both_seconds,
        "pandas_tables": pandas_tables,
        "pandas_release": pandas_release,
        "pandas_report": pandas_report,
        "pandas_both": pandas_both,
        **{f"{key}_cpu": seconds for key, seconds in cpu_of.items()},
    }


# --- The baseline: what an analyst would write with pandas --------------------------------


def population_frame(year):
    """The child population of the year's mid-year by region: the ONS estimates by local
    authority, summed to regions through the organisation lookup (an analyst's prepared file;
    not timed)."""
    import pandas as pd

    from ncmd.analysis.models import DenominatorDataset, PopulationEstimate
    from ncmd.registry.models import Organisation

    dataset = DenominatorDataset.objects.filter(kind="population").order_by("-id").first()
    rows = PopulationEstimate.objects.filter(
        dataset=dataset, year=int(year[:4]), ethnicity_group="", imd_decile__isnull=True
    ).values("area_code", "count")
    frame = pd.DataFrame(list(rows))
    parents = dict(Organisation.objects.values_list("code", "parent__code"))
    types = dict(Organisation.objects.values_list("code", "type"))

    def region(code):
        while code and types.get(code) != "region":
            code = parents.get(code)
        return code

    frame["region"] = frame["area_code"].map(region)
    return frame.groupby("region")["count"].sum().rename("population").reset_index()


def _poisson(deaths, population):
    import numpy as np
    from scipy.stats import chi2

    deaths = np.asarray(deaths, dtype=float)
    lower = np.where(deaths > 0, chi2.ppf(0.025, 2 * deaths) / 2, 0.0)
    upper = chi2.ppf(0.975, 2 * deaths + 2) / 2
    return lower / population * 1e5, upper / population * 1e5


def _wilson(x, n, z=1.959964):
    import numpy as np

    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = (x + z * z / 2) / (n + z * z)
        half = z * np.sqrt(n * p * (1 - p) + z * z / 4) / (n + z * z)
    return 100 * (centre - half), 100 * (centre + half)


def pandas_tables_for(snapshot, year, population):
    import pandas as pd

    start = datetime.date(int(year[:4]), 4, 1)
    end = datetime.date(int(year[:4]) + 1, 3, 31)
    cases = pd.read_parquet(
        Path(snapshot.folder) / "cases.parquet",
        columns=[
            "date_of_death",
            "review_date",
            "age_band",
            "sex",
            "ethnicity_group",
            "imd_decile",
            "region",
            "cdop",
            "category_of_death",
            "modifiable_factors",
            "duplicate_status",
        ],
    )
    cases = cases[cases["duplicate_status"] != "linked"]
    died = cases[(cases["date_of_death"] >= start) & (cases["date_of_death"] <= end)].copy()
    died["quintile"] = (died["imd_decile"] + 1) // 2
    total_population = population["population"].sum()
    tables = {}
    for column in ("age_band", "sex", "ethnicity_group", "quintile"):
        table = died.groupby(column).size().rename("deaths").reset_index().astype(object)
        table.loc[len(table)] = ["Total", table["deaths"].sum()]
        tables[column] = table
    region = died.groupby("region").size().rename("deaths").reset_index()
    region = region.merge(population, on="region", how="left").astype(object)
    region.loc[len(region)] = ["Total", region["deaths"].sum(), total_population]
    region["rate"] = region["deaths"].astype(float) / region["population"].astype(float) * 1e5
    region["lower"], region["upper"] = _poisson(
        region["deaths"].astype(float), region["population"].astype(float)
    )
    tables["region"] = region
    reviewed = cases[(cases["review_date"] >= start) & (cases["review_date"] <= end)]
    for column in ("category_of_death", "age_band", "sex", "ethnicity_group"):
        table = (
            reviewed.groupby(column)
            .agg(
                reviews=("modifiable_factors", "size"),
                modifiable=("modifiable_factors", lambda s: (s == "modifiable").sum()),
            )
            .reset_index()
        )
        table["share"] = 100 * table["modifiable"] / table["reviews"]
        table["lower"], table["upper"] = _wilson(table["modifiable"], table["reviews"])
        tables[f"modifiable_{column}"] = table
    days = pd.to_datetime(reviewed["review_date"]) - pd.to_datetime(reviewed["date_of_death"])
    tables["time_to_review"] = days.dt.days.describe().to_frame("days").reset_index()
    return tables


def _suppressed(table):
    """The analyst's disclosure control: counts 1-7 become "[c]" in sub-national rows."""
    table = table.astype(object)
    if "region" in table.columns:
        for column in ("deaths",):
            small = (table[column].astype(float).between(1, 7)) & (table["region"] != "Total")
            table.loc[small, [c for c in table.columns if c != "region" and c != "population"]] = (
                "[c]"
            )
    return table


def pandas_release_for(snapshot, year, population):
    import pandas as pd

    tables = pandas_tables_for(snapshot, year, population)
    target = Path(snapshot.folder).parent / f"pandas-release-{snapshot.pk}"
    target.mkdir(exist_ok=True)
    with pd.ExcelWriter(target / "release.xlsx", engine="openpyxl") as writer:
        pd.DataFrame({"note": ["Counts 1 to 7 for a region are suppressed ([c])."]}).to_excel(
            writer, sheet_name="Notes", index=False
        )
        for name, table in tables.items():
            table = _suppressed(table)
            table.to_csv(target / f"{name}.csv", index=False)
            table.to_excel(writer, sheet_name=name[:31], index=False)
    return target


def pandas_report_for(snapshot, year, population):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tables = pandas_tables_for(snapshot, year, population)
    parts = [f"<h1>Child deaths in England, {year}</h1>"]
    for name, table in tables.items():
        table = _suppressed(table)
        figure, axes = plt.subplots(figsize=(6.4, 3))
        numbers = table[table.columns[1]].apply(lambda v: v if isinstance(v, int | float) else 0)
        axes.barh(table[table.columns[0]].astype(str), numbers)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        plt.close(figure)
        parts += [f"<h2>{name}</h2>", buffer.getvalue(), table.to_html(index=False)]
    target = Path(snapshot.folder).parent / f"pandas-report-{snapshot.pk}.html"
    target.write_text("\n".join(parts))
    return target


if __name__ == "__main__":
    main()
