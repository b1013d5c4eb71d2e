"""Every analysis on a small registry whose answers are worked out by hand (see small_registry.py
for the deaths and the denominators).

Hand-worked values: a rate's exact Poisson limits for x deaths are chi2(0.025; 2x) / 2 and
chi2(0.975; 2x + 2) / 2 (Garwood), and for 4 deaths that is 1.0899 and 10.2416; per 108,000
children: 1.009 and 9.483 per 100,000. Wilson's 95% interval for 2 of 4 is 15.0% to 85.0%;
for 1 of 1, 20.7% to 100%; for 1 of 2, 9.5% to 90.5%.
"""

import dataclasses

import pytest

from ncmd.analysis import TOTAL, Kind, open_analysis, themes
from ncmd.analysis.engine import Headline


def by_first(table):
    """{first dimension value: {column key: value}} for a table's rows."""
    keys = [c.key for c in table.columns]
    return {row[0]: dict(zip(keys, row, strict=True)) for row in table.rows}


def by_second(table):
    keys = [c.key for c in table.columns]
    return {row[1]: dict(zip(keys, row, strict=True)) for row in table.rows}


def test_national_tables_come_in_a_fixed_order_with_stable_ids(analysis):
    ids = [t.id for t in analysis.national_tables("2024-25")]
    assert ids == [
        "deaths-by-year", "deaths-by-age-band", "deaths-by-sex", "deaths-by-ethnicity",
        "deaths-by-deprivation-quintile", "deaths-by-region", "infant-mortality",
        "reviews-by-category", "modifiable-factors-by-category",
        "modifiable-factors-by-age-band", "modifiable-factors-by-sex",
        "modifiable-factors-by-ethnicity", "modifiable-factors-by-deprivation-quintile",
        "time-to-review", "change-from-previous-year", "deaths-by-deprivation-decile",
        "deprivation-gradient",
    ]  # fmt: skip
    assert analysis.years() == ["2023-24", "2024-25"]


def test_deaths_and_rates_by_year_age_sex_ethnicity_deprivation_and_region(analysis):
    tables = {t.id: t for t in analysis.national_tables("2024-25")}
    # The duplicate notification of A (linked) is never counted: 4 deaths, not 5.
    years = by_first(tables["deaths-by-year"])
    assert (years["2024-25"]["deaths"], years["2024-25"]["population"]) == (4, 108_000)
    assert (years["2024-25"]["rate"], years["2024-25"]["rate_lower"],
            years["2024-25"]["rate_upper"]) == (3.7, 1.0, 9.5)  # fmt: skip
    # 2023-24: E and F among 97,200 (900 per age and sex): 2.06 per 100,000.
    assert (years["2023-24"]["deaths"], years["2023-24"]["rate"]) == (2, 2.1)
    ages = by_first(tables["deaths-by-age-band"])
    assert [r[0] for r in tables["deaths-by-age-band"].rows] == [
        "Under 28 days", "28 to 364 days", "1 to 4 years", "5 to 9 years", "10 to 14 years",
        "15 to 17 years", TOTAL]  # fmt: skip
    assert (ages["Under 28 days"]["deaths"], ages["Under 28 days"]["population"]) == (1, 6000)
    assert ages["Under 28 days"]["rate"] == 16.7  # 1 / 6,000 children aged under 1
    assert (ages["15 to 17 years"]["population"], ages["15 to 17 years"]["rate"]) == (18000, 5.6)
    assert (ages["1 to 4 years"]["deaths"], ages["1 to 4 years"]["rate"]) == (0, 0.0)
    # Zero deaths: the exact upper limit is chi2(0.975; 2) / 2 = 3.689 per 24,000 = 15.4.
    assert ages["1 to 4 years"]["rate_upper"] == 15.4
    sexes = by_first(tables["deaths-by-sex"])
    assert (sexes["Male"]["deaths"], sexes["Male"]["population"], sexes["Male"]["rate"]) == (
        2, 54_000, 3.7)  # fmt: skip
    ethnicity = by_first(tables["deaths-by-ethnicity"])
    assert (ethnicity["Black or Black British"]["deaths"],
            ethnicity["Black or Black British"]["rate"]) == (1, 18.5)  # 1 / 5,400  # fmt: skip
    assert ethnicity["Not stated"]["rate"] is None  # no population of "not stated"
    quintiles = by_first(tables["deaths-by-deprivation-quintile"])
    assert (quintiles["1 (most deprived)"]["deaths"],
            quintiles["1 (most deprived)"]["population"],
            quintiles["1 (most deprived)"]["rate"]) == (2, 21_600, 9.3)  # fmt: skip
    assert quintiles["5 (least deprived)"]["deaths"] == 1
    assert quintiles["Not known"]["deaths"] == 1  # D's postcode is not in the lookup
    regions = by_first(tables["deaths-by-region"])
    assert (regions["North East"]["deaths"], regions["North East"]["population"],
            regions["North East"]["rate"]) == (3, 72_000, 4.2)  # fmt: skip
    assert (regions["London"]["deaths"], regions["London"]["rate"]) == (1, 2.8)
    assert tables["deaths-by-region"].is_subnational
    assert not tables["deaths-by-age-band"].is_subnational


def test_infant_mortality_per_thousand_live_births(analysis):
    [table] = [t for t in analysis.national_tables("2024-25") if t.id == "infant-mortality"]
    rows = by_first(table)
    assert (rows[TOTAL]["deaths"], rows[TOTAL]["live_births"], rows[TOTAL]["rate"]) == (
        2, 6000, 0.33)  # fmt: skip
    assert rows["Neonatal (under 28 days)"]["rate"] == 0.17
    assert any("calendar year 2024" in note for note in table.notes)


def test_reviews_categories_and_modifiable_factors(analysis):
    tables = {t.id: t for t in analysis.national_tables("2024-25")}
    # Reviews completed in 2024-25: A, B, C and E (E died in 2023-24).
    categories = by_first(tables["reviews-by-category"])
    assert categories[TOTAL]["reviews"] == 4
    assert (categories["Infection"]["reviews"], categories["Infection"]["percent"]) == (1, 25.0)
    modifiable = by_first(tables["modifiable-factors-by-category"])
    assert (modifiable[TOTAL]["reviews"], modifiable[TOTAL]["modifiable"],
            modifiable[TOTAL]["insufficient_information"]) == (4, 2, 1)  # fmt: skip
    assert (modifiable[TOTAL]["percent"], modifiable[TOTAL]["percent_lower"],
            modifiable[TOTAL]["percent_upper"]) == (50.0, 15.0, 85.0)  # fmt: skip
    assert (modifiable["Perinatal/neonatal event"]["percent_lower"],
            modifiable["Perinatal/neonatal event"]["percent_upper"]) == (20.7, 100.0)  # fmt: skip
    assert modifiable["Malignancy"]["percent"] is None  # no reviews: no percentage
    by_sex = by_first(tables["modifiable-factors-by-sex"])
    assert (by_sex["Male"]["reviews"], by_sex["Male"]["modifiable"]) == (3, 1)  # B, C, E
    by_quintile = by_first(tables["modifiable-factors-by-deprivation-quintile"])
    assert (by_quintile["5 (least deprived)"]["reviews"],
            by_quintile["5 (least deprived)"]["modifiable"]) == (2, 1)  # C and E  # fmt: skip


def test_time_from_death_to_review(analysis):
    [table] = [t for t in analysis.national_tables("2024-25") if t.id == "time-to-review"]
    rows = by_first(table)
    # Days: A 90, E 274 (expected); B 210, C 151 (unexpected). Sorted 90, 151, 210, 274:
    # median (151 + 210) / 2 = 180.5; quartiles (type 7) 90 + 0.75 * 61 = 135.75 -> 136 and
    # 210 + 0.25 * 64 = 226; within 183 days: 2; within 365: 4.
    total = rows[TOTAL]
    assert (total["reviews"], total["median_days"], total["lower_quartile_days"],
            total["upper_quartile_days"]) == (4, 180.5, 136.0, 226.0)  # fmt: skip
    assert (
        total["within_6_months"],
        total["within_6_months_percent"],
        total["within_12_months"],
        total["within_12_months_percent"],
    ) == (2, 50.0, 4, 100.0)
    assert (rows["Expected"]["median_days"], rows["Unexpected"]["median_days"]) == (182.0, 180.5)


def test_change_from_the_previous_year(analysis):
    [table] = [t for t in analysis.national_tables("2024-25")
               if t.id == "change-from-previous-year"]  # fmt: skip
    total = by_first(table)[TOTAL]
    assert (total["previous_deaths"], total["deaths"], total["change"],
            total["percent_change"]) == (2, 4, 2, 100.0)  # fmt: skip
    # Rate ratio (4 / 108,000) / (2 / 97,200) = 1.8, log interval exp(±1.96 √(1/4 + 1/2)).
    assert (total["rate_ratio"], total["rate_ratio_lower"], total["rate_ratio_upper"]) == (
        1.8, 0.33, 9.827)  # fmt: skip


def test_deprivation_by_decile_and_gradient(analysis):
    tables = {t.id: t for t in analysis.national_tables("2024-25")}
    deciles = by_first(tables["deaths-by-deprivation-decile"])
    assert (deciles["2"]["deaths"], deciles["2"]["population"], deciles["2"]["rate"]) == (
        2, 10_800, 18.5)  # fmt: skip
    # The least deprived decile has no deaths: no ratio to it can be estimated.
    assert deciles["2"]["rate_ratio"] is None
    [gradient] = tables["deprivation-gradient"].rows
    # Three deaths with a known decile, all ten deciles with a population.
    assert gradient[1:3] == (3, 10)
    assert gradient[3] is not None and gradient[4] < gradient[3] < gradient[5]


def test_every_table_keeps_the_contract(analysis):
    tables = analysis.national_tables("2024-25") + analysis.cdop_tables("2024-25", "CDOP001")
    for theme in themes():
        tables += analysis.national_tables("2024-25", theme=theme.name)
    ids = [t.id for t in tables]
    assert len(ids) == len(set(ids))
    for table in tables:
        keys = {c.key: c for c in table.columns}
        for column in table.columns:
            if column.kind in (Kind.RATE, Kind.PROPORTION):
                assert keys[column.of].kind is Kind.COUNT, (table.id, column.key)
            if column.kind in (Kind.LOWER, Kind.UPPER):
                assert keys[column.of].kind in (Kind.RATE, Kind.PROPORTION, Kind.STATISTIC)
        assert any("snapshot" in note for note in table.notes)
        assert any("Test population" in note and "dataset" in note for note in table.notes)


def test_the_same_snapshot_gives_the_same_tables(small_registry):  # noqa: F811
    snapshot, _ = small_registry
    first, second = open_analysis(snapshot), open_analysis(snapshot)
    try:
        assert first.national_tables("2024-25") == second.national_tables("2024-25")
        assert first.cdop_tables("2024-25", "CDOP002") == second.cdop_tables("2024-25", "CDOP002")
        assert first.headline("2024-25") == second.headline("2024-25")
    finally:
        first.close()
        second.close()


def test_themes_restrict_every_table(analysis):
    sudi = {t.id: t for t in analysis.national_tables("2024-25", theme="sudi")}
    assert by_first(sudi["sudi-deaths-by-age-band"])[TOTAL]["deaths"] == 1  # B only
    assert sudi["sudi-deaths-by-age-band"].title.startswith("Sudden unexpected death in infancy")
    drowning = {t.id: t for t in analysis.national_tables("2024-25", theme="drowning")}
    assert by_first(drowning["drowning-deaths-by-region"])["North East"]["deaths"] == 1  # C
    suicide = {t.id: t for t in analysis.national_tables("2023-24", theme="suicide")}
    assert by_first(suicide["suicide-deaths-by-age-band"])["10 to 14 years"]["deaths"] == 1  # F
    with pytest.raises(Exception, match="no theme 'nope'"):
        analysis.national_tables("2024-25", theme="nope")


def test_cdop_pack_sets_the_cdop_beside_england(analysis):
    tables = {t.id: t for t in analysis.cdop_tables("2024-25", "CDOP001")}
    assert list(tables) == [
        "cdop-deaths-and-reviews", "cdop-review-duration", "cdop-categories",
        "cdop-modifiable-factors", "cdop-age-band", "cdop-sex", "cdop-ethnicity",
    ]  # fmt: skip
    assert all(t.is_subnational for t in tables.values())
    counts = by_second(tables["cdop-deaths-and-reviews"])
    deaths = counts["Deaths (by date of death)"]
    # Tees: A and B among 36,000 children: 5.6 per 100,000; England 4 among 108,000.
    assert (
        deaths["cdop_count"],
        deaths["cdop_population"],
        deaths["cdop_rate"],
        deaths["england_count"],
        deaths["england_rate"],
    ) == (2, 36_000, 5.6, 4, 3.7)
    assert counts["Reviews completed (by date of review)"]["cdop_count"] == 2
    duration = by_second(tables["cdop-review-duration"])[TOTAL]
    assert (duration["cdop_reviews"], duration["cdop_median_days"],
            duration["england_median_days"]) == (2, 150.0, 180.5)  # (90 + 210) / 2  # fmt: skip
    modifiable = by_second(tables["cdop-modifiable-factors"])
    assert (
        modifiable["Modifiable factors identified"]["cdop_count"],
        modifiable["Modifiable factors identified"]["cdop_percent"],
        modifiable["Modifiable factors identified"]["england_percent"],
    ) == (1, 50.0, 50.0)
    ethnicity = by_second(tables["cdop-ethnicity"])
    assert (ethnicity["Black or Black British"]["cdop_count"],
            ethnicity["Not stated"]["england_count"]) == (1, 1)  # fmt: skip
    with pytest.raises(ValueError, match="not a CDOP"):
        analysis.cdop_tables("2024-25", "E06000001")


def test_headline(analysis):
    headline = analysis.headline("2024-25")
    assert isinstance(headline, Headline)
    with pytest.raises(dataclasses.FrozenInstanceError):
        headline.deaths = 5
    assert (headline.deaths, headline.rate, headline.rate_lower, headline.rate_upper) == (
        4, 3.7, 1.0, 9.5)  # fmt: skip
    assert (headline.previous_year, headline.previous_deaths, headline.previous_rate) == (
        "2023-24", 2, 2.1)  # fmt: skip
    assert (headline.reviews_completed, headline.modifiable, headline.modifiable_percent) == (
        4, 2, 50.0)  # fmt: skip
    assert (headline.infant_deaths, headline.live_births, headline.infant_mortality_rate) == (
        2, 6000, 0.33)  # fmt: skip
    assert headline.median_days_to_review == 180.5
    assert (headline.denominator_name, headline.denominator_synthetic) == (
        "Test population", False)  # fmt: skip


def test_an_empty_year_gives_zeros_and_no_percentages(analysis):
    tables = {t.id: t for t in analysis.national_tables("2030-31")}
    assert by_first(tables["deaths-by-age-band"])[TOTAL]["deaths"] == 0
    assert by_first(tables["deaths-by-age-band"])[TOTAL]["rate"] is None  # no population
    modifiable = by_first(tables["modifiable-factors-by-category"])[TOTAL]
    assert (modifiable["reviews"], modifiable["percent"]) == (0, None)
    duration = by_first(tables["time-to-review"])[TOTAL]
    assert (duration["reviews"], duration["median_days"]) == (0, None)
    [gradient] = tables["deprivation-gradient"].rows
    assert gradient[3] is None
    assert any("not estimated" in note for note in tables["deprivation-gradient"].notes)
    headline = analysis.headline("2030-31")
    assert (headline.deaths, headline.rate, headline.modifiable_percent) == (0, None, None)
    with pytest.raises(ValueError, match="2024-25"):
        analysis.national_tables("2024")
