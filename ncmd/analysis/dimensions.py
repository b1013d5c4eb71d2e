"""The ways deaths are broken down, in a fixed order with their labels, and the population each
group is divided by. Codes and labels come from the data dictionary."""

from dataclasses import dataclass

from ncmd.dictionary import get_dictionary

from .tables import TOTAL

NOT_KNOWN = "Not known"
AGE_BANDS = (
    ("0-27d", "Under 28 days", (0, 0)),
    ("28-364d", "28 to 364 days", (0, 0)),
    ("1-4", "1 to 4 years", (1, 4)),
    ("5-9", "5 to 9 years", (5, 9)),
    ("10-14", "10 to 14 years", (10, 14)),
    ("15-17", "15 to 17 years", (15, 17)),
)
QUINTILES = tuple(
    (q, f"{q} ({'most deprived' if q == 1 else 'least deprived' if q == 5 else 'middle'})"
     if q in (1, 3, 5) else str(q))
    for q in range(1, 6)
)  # fmt: skip


@dataclass(frozen=True)
class Dimension:
    key: str  # column key in a table
    label: str  # column label
    sql: str  # expression over `analysis_cases`
    values: tuple  # ((code, label), ...) in display order
    geographic: bool = False
    slug: str = ""  # as in table ids: "age-band"

    def label_of(self, code):
        for value, label in self.values:
            if value == code:
                return label
        return NOT_KNOWN

    def ordered(self, counts):
        """[(code, label)] of the known values, then Not known when some rows had none."""
        codes = {code for code, _ in self.values}
        rows = list(self.values)
        if any(code not in codes for code in counts):
            rows.append((None, NOT_KNOWN))
        return rows

    def fold(self, counts):
        """Counts by code, with the unknown codes (NULL, blank, off the list) under None."""
        codes = {code for code, _ in self.values}
        folded = {}
        for code, count in counts.items():
            key = code if code in codes else None
            folded[key] = folded.get(key, 0) + count
        return folded


def dimensions(regions=()):
    """The standard dimensions; `regions` is [(code, name)] from the snapshot."""
    latest = get_dictionary().latest
    sex = latest.codelists["sex"]
    ethnicity = latest.codelists["ethnicity"]
    category = latest.codelists["category_of_death"]
    expected = latest.codelists["expected_death"]
    modifiable = latest.codelists["modifiable_factors"]
    return {
        "age_band": Dimension("age_band", "Age at death", "age_band",
                              tuple((c, label) for c, label, _ in AGE_BANDS), slug="age-band"),
        "sex": Dimension("sex", "Sex", "sex", tuple((c.code, c.label) for c in sex.codes),
                         slug="sex"),
        "ethnicity": Dimension("ethnic_group", "Ethnic group", "ethnicity_group",
                               tuple(ethnicity.groups.items()), slug="ethnicity"),
        "deprivation": Dimension("deprivation_quintile", "Deprivation quintile (IMD)",
                                 "imd_quintile", QUINTILES, slug="deprivation-quintile"),
        "region": Dimension("region", "Region", "region", tuple(regions), geographic=True,
                            slug="region"),
        "category": Dimension("category", "Category of death", "category_of_death",
                              tuple((c.code, c.label) for c in category.codes), slug="category"),
        "expected": Dimension("expected_death", "Expected or unexpected death", "expected_death",
                              tuple((c.code, c.label) for c in expected.codes), slug="expected"),
        "modifiable": Dimension("modifiable_factors", "Modifiable factors", "modifiable_factors",
                                tuple((c.code, c.label) for c in modifiable.codes),
                                slug="modifiable-factors"),
    }  # fmt: skip


__all__ = ["AGE_BANDS", "NOT_KNOWN", "QUINTILES", "TOTAL", "Dimension", "dimensions"]
