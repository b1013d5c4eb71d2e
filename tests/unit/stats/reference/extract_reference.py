"""Regenerate the reference JSON files in this folder from the reference packages' own test data.

Run by hand, not by the test suite. It needs the reference repositories checked out side by side
(``--refs DIR``) and, in a scratch virtualenv, ``pandas openpyxl rdata scipy``. Every JSON file
it writes names the package, version, commit and file each value came from. The values are the
packages' published test expectations (testthat reference files, spreadsheets of expected
results, snapshots); nothing here is computed by ncmd. Two files hold values that no package
publishes, computed instead by running the packages themselves (R needed):
``qicharts2_prime.json`` and ``funnelplotr_od.json``, from ``make_r_references.sh``.

Some NHSRplotthedots tests draw their inputs with R's ``set.seed(123); rnorm(...)``. R is not
available here, so ``RRandom`` re-implements R's default generator (Mersenne-Twister with
Inversion); its output is checked against the values printed in the package's own snapshot
before anything is written.
"""

import argparse
import json
import math
from pathlib import Path

import numpy as np
from scipy.special import ndtri

HERE = Path(__file__).parent

PACKAGES = {
    "PHEindicatormethods": (
        "ukhsa-collaboration+PHEindicatormethods",
        "2.1.0",
        "093fd288d8f8949dbcfbed70049dbbf385b6141d",
    ),
    "NHSRplotthedots": (
        "nhs-r-community+NHSRplotthedots",
        "0.2.2",
        "050b07d7eacc011767532732f69b8fd7d6a28fd3",
    ),
    "qicharts2": ("anhoej+qicharts2", "0.8.1", "1b9487ecb3938d25a8a04578464f960d3a064f64"),
    "FunnelPlotR": (
        "nhs-r-community+FunnelPlotR",
        "0.6.0",
        "9020d4972873d863e10b8a16555975f0e322adfc",
    ),
}


def provenance(package, *files, note=""):
    folder, version, commit = PACKAGES[package]
    repo = folder.replace("+", "/")
    return {
        "package": package,
        "version": version,
        "repository": f"github.com/{repo}",
        "commit": commit,
        "files": list(files),
        "note": note,
    }


def clean(value):
    """JSON cannot hold NaN: write None, which the tests read as 'no value expected'."""
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def write(name, payload):
    (HERE / name).write_text(json.dumps(payload, indent=1) + "\n")


class RRandom:
    """R's default generator: set.seed scrambling, MT19937, and Inversion for rnorm."""

    def __init__(self, seed):
        s = seed & 0xFFFFFFFF
        for _ in range(50):
            s = (69069 * s + 1) & 0xFFFFFFFF
        state = []
        for _ in range(625):
            s = (69069 * s + 1) & 0xFFFFFFFF
            state.append(s)
        self.mt = state[1:]
        self.mti = 624

    def _next(self):
        mt = self.mt
        if self.mti >= 624:
            for k in range(624):
                y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7FFFFFFF)
                mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.mti = 0
        y = mt[self.mti]
        self.mti += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y * 2.3283064365386963e-10

    def unif(self):
        v = self._next()
        half = 0.5 * 2.328306437080797e-10
        return half if v <= 0 else (1 - half if 1 - v <= 0 else v)

    def rnorm(self, n, mean=0.0):
        big = 134217728
        out = []
        for _ in range(n):
            u = int(big * self.unif()) + self.unif()
            out.append(mean + float(ndtri(u / big)))
        return out


def phe(refs):
    import pandas as pd

    root = refs / PACKAGES["PHEindicatormethods"][0] / "tests" / "testthat"
    bw = pd.read_excel(root / "testdata_Byars_Wilson.xlsx", sheet_name="testdata_B_W")
    rows = [{k: clean(v) for k, v in r.items()} for r in bw.to_dict("records")]
    write(
        "phe_byars_wilson.json",
        {
            "provenance": provenance(
                "PHEindicatormethods",
                "tests/testthat/testdata_Byars_Wilson.xlsx",
                "tests/testthat/testByars.R",
                "tests/testthat/testWilson.R",
                note="sheet testdata_B_W; None where the package returns NA",
            ),
            "rows": rows,
        },
    )

    rate = pd.read_excel(root / "testdata_Rate.xlsx", sheet_name="testdata_Rate")
    rate = rate.dropna(subset=["Numerator", "Denominator"])
    write(
        "phe_rates.json",
        {
            "provenance": provenance(
                "PHEindicatormethods",
                "tests/testthat/testdata_Rate.xlsx",
                "tests/testthat/testRates.R",
                note="sheet testdata_Rate; rows with missing inputs dropped",
            ),
            "rows": [{k: clean(v) for k, v in r.items()} for r in rate.to_dict("records")],
        },
    )

    prop = pd.read_excel(root / "testdata_Proportion.xlsx", sheet_name="testdata_Prop")
    prop = prop.dropna(subset=["Numerator", "Denominator"])
    write(
        "phe_proportions.json",
        {
            "provenance": provenance(
                "PHEindicatormethods",
                "tests/testthat/testdata_Proportion.xlsx",
                "tests/testthat/testProportions.R",
                note="sheet testdata_Prop; rows with missing inputs dropped",
            ),
            "rows": [{k: clean(v) for k, v in r.items()} for r in prop.to_dict("records")],
        },
    )

    book = pd.read_excel(root / "testdata_DSR_ISR.xlsx", sheet_name=None)
    multi = book["testdata_multiarea"]
    areas = list(dict.fromkeys(multi["area"]))
    counts = [clean(list(multi.loc[multi.area == a, "count"])) for a in areas]
    pops = [clean(list(multi.loc[multi.area == a, "pop"])) for a in areas]
    dsr = book["testresults_DSR"]
    esp2013 = [
        5000,
        5500,
        5500,
        5500,
        6000,
        6000,
        6500,
        7000,
        7000,
        7000,
        7000,
        6500,
        6000,
        5500,
        5000,
        4000,
        2500,
        1500,
        1000,
    ]
    d1976 = book["testdata_1976"]
    write(
        "phe_dsr.json",
        {
            "provenance": provenance(
                "PHEindicatormethods",
                "tests/testthat/testdata_DSR_ISR.xlsx",
                "tests/testthat/testDSRs.R",
                "data/esp2013.rda",
                note="inputs: sheet testdata_multiarea (and testdata_1976); expected: sheet "
                "testresults_DSR rows 1-3 (per 10,000), 5-7 and 8 (per 100,000) as used in "
                "testDSRs.R; esp2013 is the package's European Standard Population 2013",
            ),
            "areas": areas,
            "counts": counts,
            "populations": pops,
            "esp2013": esp2013,
            "expected_per_10000": [
                {k: clean(v) for k, v in r.items()} for r in dsr.iloc[0:3].to_dict("records")
            ],
            "expected_per_100000": [
                {k: clean(v) for k, v in r.items()} for r in dsr.iloc[4:7].to_dict("records")
            ],
            "esp1976_case": {
                "counts": clean(list(d1976["count"])),
                "populations": clean(list(d1976["pop"])),
                "standard": clean(list(d1976["esp1976"])),
                "expected_per_100000": {k: clean(v) for k, v in dsr.iloc[7].to_dict().items()},
                "note": "testDSRs.R compares only total_count, total_pop, value, lowercl, uppercl "
                "for this case; its 99.8% columns in the sheet are not tested upstream",
            },
        },
    )

    ref = book["refdata"]
    isr = book["testresults_ISR"]
    write(
        "phe_isratio.json",
        {
            "provenance": provenance(
                "PHEindicatormethods",
                "tests/testthat/testdata_DSR_ISR.xlsx",
                "tests/testthat/testISRatios.R",
                note="inputs: sheets testdata_multiarea and refdata; expected: sheet "
                "testresults_ISR "
                "rows 7-12 (ratio x 1 and x 100)",
            ),
            "areas": areas,
            "counts": counts,
            "populations": pops,
            "reference_counts": clean(list(ref["refcount"])),
            "reference_populations": clean(list(ref["refpop"])),
            "expected": [
                {k: clean(v) for k, v in r.items()} for r in isr.iloc[6:12].to_dict("records")
            ],
        },
    )


def qicharts2(refs):
    import rdata

    root = refs / PACKAGES["qicharts2"][0]
    cases = [
        (
            "ex_7.1_5.rds",
            "p",
            {"exclude": [15, 23], "part": [30]},
            "qic(sample, count, size, notes = note, data = tbl_07.03, chart = 'p', "
            "exclude = c(15, 23), part = 30)",
            "tests/testthat/test_montgomery.R",
        ),
        (
            "tbl_7.4_1.rds",
            "p",
            {},
            "qic(sample, count, size, data = tbl_07.04, chart = 'p')",
            "tests/testthat/test_montgomery.R",
        ),
        (
            "ex_7.3_3.rds",
            "c",
            {"exclude": [6, 20], "freeze": 26},
            "qic(sample, count, data = tbl_07.08, chart = 'c', exclude = c(6, 20), freeze = 26)",
            "tests/testthat/test_montgomery.R",
        ),
        (
            "ex_7.4_1.rds",
            "u",
            {},
            "qic(sample, count, size, data = tbl_07.10, chart = 'u')",
            "tests/testthat/test_montgomery.R",
        ),
        (
            "ex_7.5_1.rds",
            "u",
            {"multiply": 50},
            "qic(roll, count, meters, data = tbl_07.11, chart = 'u', multiply = 50)",
            "tests/testthat/test_montgomery.R",
        ),
    ]
    charts = []
    for fname, chart, args, call, test_file in cases:
        d = rdata.read_rds(root / "tests" / "testthat" / fname)
        charts.append(
            {
                "name": fname,
                "chart": chart,
                "call": call,
                "args": args,
                "provenance": provenance(
                    "qicharts2",
                    f"tests/testthat/{fname}",
                    test_file,
                    note="expect_equal_to_reference output of qic()$data",
                ),
                "count": clean(list(d["y.sum"])),
                "denominator": clean(list(d["n"].astype(float))) if chart != "c" else None,
                "expected": {
                    col: clean(list(d[col].astype(float) if d[col].dtype != bool else d[col]))
                    for col in [
                        "y",
                        "cl",
                        "ucl",
                        "lcl",
                        "sigma.signal",
                        "n.obs",
                        "n.useful",
                        "runs.signal",
                        "longest.run",
                        "longest.run.max",
                        "n.crossings",
                        "n.crossings.min",
                        "part",
                        "include",
                        "baseline",
                    ]
                },
            }
        )

    hai = rdata.read_rda(root / "data" / "hospital_infections.rda")["hospital_infections"]
    hai["month"] = hai["month"].astype(float)
    summaries = []
    for fname, facets in [
        ("hai_1.rds", []),
        ("hai_2.rds", ["infection"]),
        ("hai_3.rds", ["hospital", "infection"]),
    ]:
        expected = rdata.read_rds(root / "tests" / "testthat" / fname)
        keys = facets or [None]
        groups = hai.groupby(facets, observed=True) if facets else [((), hai)]
        series = []
        for key, g in groups:
            by_month = g.groupby("month").agg(n=("n", "sum"), days=("days", "sum")).sort_index()
            series.append(
                {
                    "facets": [str(k) for k in (key if isinstance(key, tuple) else (key,))],
                    "count": clean(list(by_month["n"].astype(float))),
                    "denominator": clean(list(by_month["days"])),
                }
            )
        del keys
        summaries.append(
            {
                "name": fname,
                "facets": facets,
                "provenance": provenance(
                    "qicharts2",
                    f"tests/testthat/{fname}",
                    "tests/testthat/test_hai.R",
                    "data/hospital_infections.rda",
                    note="summary(qic(month, n, days, data = hospital_infections, "
                    f"facets = {facets or 'none'}, chart = 'u'))",
                ),
                "series": series,
                "expected": [
                    {k: clean(v) for k, v in r.items()} for r in expected.to_dict("records")
                ],
            }
        )
    write("qicharts2_charts.json", {"charts": charts, "hai_summaries": summaries})


def plotthedots():
    rng = RRandom(123)
    y20 = rng.rnorm(20)
    printed = [-0.56047565, -0.23017749, 1.55870831, 0.07050839]
    mismatch = [a for a, b in zip(y20, printed, strict=False) if abs(a - b) >= 5e-9]
    assert not mismatch, "R generator mismatch"
    assert abs(sum(y20) / 20 - 0.1416238) < 5e-8
    rng = RRandom(123)
    y24 = rng.rnorm(24)
    high = rng.rnorm(12, 5)
    low = rng.rnorm(12, -5)
    write(
        "nhsrplotthedots.json",
        {
            "provenance": provenance(
                "NHSRplotthedots",
                "tests/testthat/_snaps/ptd_spc_standard.md",
                "tests/testthat/test-ptd_spc_standard.R",
                "tests/testthat/test-geom_ptd_icon.R",
                "tests/testthat/test-ptd_calculate_point_type.R",
                "tests/testthat/test-ptd_calculate_assurance_type.R",
                note="inputs drawn as the tests draw them, with set.seed(123) and rnorm(), "
                "regenerated by extract_reference.RRandom and checked against the snapshot",
            ),
            "standard": {
                "y": y20,
                "expected_plain": {
                    "mean": 0.1416238,
                    "lpl": -3.01138,
                    "upl": 3.294627,
                    "relative_to_mean_first_15": [
                        -1,
                        -1,
                        1,
                        -1,
                        -1,
                        1,
                        1,
                        -1,
                        -1,
                        -1,
                        1,
                        1,
                        1,
                        -1,
                        -1,
                    ],
                },
                "outlier_position": 15,
                "outlier_value": 10,
                "expected_outlier_screened": {"mean": 0.6694159, "lpl": -2.383666, "upl": 3.722497},
                "expected_outlier_unscreened": {
                    "mean": 0.6694159,
                    "lpl": -4.596625,
                    "upl": 5.935457,
                },
                "note": "_snaps/ptd_spc_standard.md prints these to 7 significant figures "
                "(lpl -3.01138 to 6); all 20 points are common cause (_snaps/ptd_spc.md)",
            },
            "icons": {
                "y24": y24,
                "high12": high,
                "low12": low,
                "cases": [
                    {
                        "name": "s1",
                        "series": "y24",
                        "target": None,
                        "direction": "increase",
                        "variation": "common_cause",
                        "assurance": None,
                    },
                    {
                        "name": "s2",
                        "series": "y24",
                        "target": 0.5,
                        "direction": "increase",
                        "variation": "common_cause",
                        "assurance": "inconsistent",
                    },
                    {
                        "name": "s3",
                        "series": "y24 split in two facets of 12",
                        "target": None,
                        "direction": "increase",
                        "variation": "common_cause",
                        "assurance": None,
                    },
                    {
                        "name": "s5",
                        "series": "y24 with points 13-24 replaced by high12",
                        "target": -3,
                        "direction": "increase",
                        "variation": "improvement_high",
                        "assurance": "consistent_pass",
                    },
                    {
                        "name": "s6",
                        "series": "y24 with points 13-24 replaced by high12",
                        "target": -3,
                        "direction": "decrease",
                        "variation": "concern_high",
                        "assurance": "consistent_fail",
                    },
                    {
                        "name": "s7",
                        "series": "y24 with points 13-24 replaced by low12",
                        "target": 3,
                        "direction": "increase",
                        "variation": "concern_low",
                        "assurance": "consistent_fail",
                    },
                    {
                        "name": "s8",
                        "series": "y24 with points 13-24 replaced by low12",
                        "target": 3,
                        "direction": "decrease",
                        "variation": "improvement_low",
                        "assurance": "consistent_pass",
                    },
                    {
                        "name": "s9",
                        "series": "y24 with points 13-24 replaced by low12",
                        "target": 3,
                        "direction": "neutral",
                        "variation": "neutral_low",
                        "assurance": None,
                    },
                ],
            },
        },
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--refs",
        type=Path,
        required=True,
        help="folder holding the reference repositories, one per package",
    )
    refs = parser.parse_args().refs
    phe(refs)
    qicharts2(refs)
    plotthedots()


if __name__ == "__main__":
    main()
