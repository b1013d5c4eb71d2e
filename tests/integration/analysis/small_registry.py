"""A small registry whose analyses are worked out by hand in the tests that use it.

Three local authorities of 1,000 children at every single year of age and each sex (36,000
children each, 108,000 in England) in mid-2024, 900 in mid-2023; 2,000 live births in each in
2024 (calendar year). Deprivation deciles hold 10,800 children each in 2024; ethnic groups
white 86,400, asian 10,800, black 5,400, mixed 3,240, other 2,160.

Deaths (F = female, M = male; decile from the home postcode):

=====  ======  ========  =====  ======  ===========  ======  ============================
case   CDOP    died      age    sex     ethnicity    decile  review (days) / category / MF
=====  ======  ========  =====  ======  ===========  ======  ============================
A      Tees    10/06/24  9 d    F       white (A)    2       08/09/24 (90) perinatal, yes
B      Tees    01/07/24  182 d  M       black (N)    2       27/01/25 (210) SUDI cat., no
C      Durham  01/10/24  16 y   M       asian (H)    9       01/03/25 (151) trauma, yes
D      Camden  11/11/24  8 y    F       not stated   --      not reviewed
E      Camden  01/08/23  3 y    M       white (A)    9       01/05/24 (274) infection, insuff.
F      Tees    01/12/23  13 y   F       white (A)    2       not reviewed
G      Tees    (a duplicate of A, linked: never counted)
=====  ======  ========  =====  ======  ===========  ======  ============================
"""

import csv
import datetime
import io

import pytest

from ncmd.analysis import actions as analysis_actions
from ncmd.dictionary import get_dictionary
from ncmd.registry import actions
from ncmd.registry.reference import load_postcodes
from ncmd.snapshots.actions import freeze_snapshot

LAS = {"tees": "E06000001", "durham": "E06000047", "camden": "E09000007"}
ETHNIC_POPULATION = {"white": 86_400, "asian": 10_800, "black": 5_400, "mixed": 3_240,
                     "other": 2_160}  # fmt: skip


def population_csv():
    """A long-format population file, as Nomis exports it, with the national breakdowns."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["DATE", "GEOGRAPHY_CODE", "GEOGRAPHY_NAME", "GENDER_NAME", "AGE_NAME",
                     "ethnic_group", "imd_decile", "OBS_VALUE"])  # fmt: skip
    for year, count in ((2023, 900), (2024, 1000)):
        for name, code in LAS.items():
            for sex in ("Male", "Female"):
                for age in range(0, 20):  # ages 18 and 19 are skipped on import
                    writer.writerow([year, code, name, sex, f"Age {age}", "", "", count])
        for decile in range(1, 11):
            writer.writerow([year, "E92000001", "England", "All persons", "0-17", "", decile,
                             count * 108 // 10])  # fmt: skip
        for group, number in ETHNIC_POPULATION.items():
            writer.writerow([year, "E92000001", "England", "All persons", "0-17", group, "",
                             number * count // 1000])  # fmt: skip
    return out.getvalue()


def births_csv():
    rows = ["Area code,Area name,Year,Number of live births"]
    rows += [f"{code},{name},2024,2000" for name, code in LAS.items()]
    rows += [f"{code},{name},2023,1800" for name, code in LAS.items()]
    return "\n".join(rows) + "\n"


def at(day):
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC)


def analysis_answers(review, category, modifiable):
    domains = {
        "modifiable_domains": ["social_environment"],
        "factors_social_environment": ["smoking_in_household"],
    }
    return {
        "review_date": review.isoformat(), "cdrm_held": {"special": "not_known"},
        "coroner_involvement": {"special": "not_known"}, "category_of_death": category,
        "factors_child": ["none_identified"], "factors_social_environment": ["none_identified"],
        "factors_physical_environment": ["none_identified"],
        "factors_service_provision": ["none_identified"], "modifiable_factors": modifiable,
    } | (domains if modifiable == "identified" else {})  # fmt: skip


D = datetime.date
DEATHS = {
    #     cdop     died             born            sex  ethnicity postcode   circumstances
    "A": ("tees", D(2024, 6, 10), D(2024, 6, 1), "F", "A", "TS1 1AA", ["neonatal"], "expected",
          (D(2024, 9, 8), "perinatal", "identified")),
    "B": ("tees", D(2024, 7, 1), D(2024, 1, 1), "M", "N", "TS1 1AA",
          ["sudden_unexpected_infant"], "unexpected",
          (D(2025, 1, 27), "sudden_unexpected", "not_identified")),
    "C": ("durham", D(2024, 10, 1), D(2008, 1, 1), "M", "H", "DH1 1AA", ["drowning"],
          "unexpected", (D(2025, 3, 1), "trauma", "identified")),
    "D": ("camden", D(2024, 11, 11), D(2016, 5, 5), "F", "Z", "ZZ9 9ZZ", ["none_of_these"],
          "expected", None),
    "E": ("camden", D(2023, 8, 1), D(2020, 2, 2), "M", "A", "DH1 1AA", ["none_of_these"],
          "expected", (D(2024, 5, 1), "infection", "insufficient_information")),
    "F": ("tees", D(2023, 12, 1), D(2010, 3, 3), "F", "A", "TS1 1AA", ["suspected_suicide"],
          "unexpected", None),
}  # fmt: skip


def notify_case(notify, world, users, key):
    cdop, died, born, sex, ethnicity, postcode, circumstances, expected, review = DEATHS[key]
    notified = at(died + datetime.timedelta(days=1))
    codes = get_dictionary().release_on(notified.date()).codelists["sex"].codes
    sex = {c.label.split()[0].lower(): c.code for c in codes}[{"F": "female", "M": "male"}[sex]]
    case = notify(
        cdop=world[cdop], by=users["national_admin"], at=notified,
        date_of_death=died.isoformat(), date_of_birth=born.isoformat(), sex=sex,
        ethnicity=ethnicity, home_postcode=postcode, circumstances=circumstances,
        expected_death=expected, jar_triggered=True if expected == "unexpected" else None,
        nhs_number={"special": "not_known"}, nhs_number_absent_reason="not_available",
    )  # fmt: skip
    if review:
        day, category, modifiable = review
        actions.submit_form(case=case, form_name="analysis", by=users["national_admin"],
                            at=at(day), answers=analysis_answers(*review))  # fmt: skip
    return case


@pytest.fixture
def local_authorities(world):
    for name, code in LAS.items():
        actions.save_organisation(code=code, name=f"{name.title()} council",
                                  type="local_authority", parent=world[name], by=None)  # fmt: skip
    load_postcodes([{"postcode": "DH1 1AA", "lsoa_code": "E01000002", "imd_decile": 9,
                     "imd_edition": "IMD2019"}])  # fmt: skip


@pytest.fixture
def denominators(local_authorities, users):
    population = analysis_actions.import_denominators(
        kind="population", data=population_csv().encode(), name="Test population",
        source="tests", by=users["national_admin"],
    )  # fmt: skip
    births = analysis_actions.import_denominators(
        kind="births", data=births_csv(), name="Test births", source="tests",
        by=users["national_admin"],
    )  # fmt: skip
    return population, births


@pytest.fixture
def small_registry(settings, tmp_path, notify, world, users, denominators):
    """The deaths of the table above, frozen into a snapshot."""
    settings.NCMD_SNAPSHOT_DIR = tmp_path / "snapshots"
    cases = {key: notify_case(notify, world, users, key) for key in DEATHS}
    duplicate = notify_case(notify, world, users, "A")  # the same death notified again
    duplicate.refresh_from_db()
    if duplicate.duplicate_status == "possible":
        actions.resolve_duplicate(case=duplicate, decision="linked", by=users["national_admin"])
    cases["G"] = duplicate
    return freeze_snapshot(by=None), cases
