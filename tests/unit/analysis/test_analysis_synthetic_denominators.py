"""The demonstration's synthetic denominators: the right size, whole, and the same every time."""

from ncmd.analysis import ons, synthetic


def test_about_twelve_million_children_and_six_hundred_thousand_births():
    rows = synthetic.population_rows([2024])
    births = synthetic.births_rows([2024])
    base = [r for r in rows if r["ethnicity_group"] == "" and r["imd_decile"] is None]
    total = sum(r["count"] for r in base)
    assert total == 11_983_400  # the reference file's child populations, 153 authorities
    assert len({r["area_code"] for r in base}) == 153
    assert {(r["age_from"], r["age_to"]) for r in base} == set(synthetic.AGE_RANGES)
    assert sum(r["count"] for r in rows if r["imd_decile"]) == total
    stated = sum(r["count"] for r in rows if r["ethnicity_group"])
    assert 0.96 * total < stated < total
    assert 570_000 < sum(r["count"] for r in births) < 630_000


def test_the_population_changes_slowly_and_deterministically():
    first, again = synthetic.population_rows([2020, 2025]), synthetic.population_rows([2020, 2025])
    assert ons.content_hash("population", first) == ons.content_hash("population", again)
    by_year = {}
    for row in first:
        if row["imd_decile"] is None and not row["ethnicity_group"]:
            by_year[row["year"]] = by_year.get(row["year"], 0) + row["count"]
    assert 0.98 < by_year[2025] / by_year[2020] < 1.0


def test_allocate_splits_a_whole_number_exactly():
    assert synthetic.allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(synthetic.allocate(1_000_003, [0.3, 0.2, 0.5])) == 1_000_003
