"""Reading population and births CSVs in the layouts ONS publishes; bad rows are named."""

import pytest

from ncmd.analysis.ons import DenominatorFileError, parse

MYEB = (
    "ladcode23,laname23,country,sex,age,population_2022,population_2023\n"
    "E06000001,Hartlepool,E,1,0,500,510\n"
    "E06000001,Hartlepool,E,2,0,480,470\n"
    "E06000001,Hartlepool,E,1,17,600,610\n"
    "E06000001,Hartlepool,E,1,18,650,640\n"
    "E06000001,Hartlepool,E,2,90,300,310\n"
)


def test_the_wide_mid_year_estimates_layout():
    parsed = parse("population", MYEB)
    assert parsed.years == [2022, 2023]
    assert parsed.skipped == 4  # ages 18 and 90, two years each
    assert {"year": 2023, "area_code": "E06000001", "age_from": 0, "age_to": 0, "sex": "F",
            "ethnicity_group": "", "imd_decile": None, "count": 470} in parsed.rows  # fmt: skip
    assert len(parsed.rows) == 6


def test_the_long_nomis_layout_with_a_preamble_and_a_byte_order_mark():
    text = (
        "Population estimates - local authority based by single year of age\n"
        "\n"
        "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,GENDER_NAME,AGE_NAME,OBS_VALUE\n"
        "2023,E06000047,County Durham,Male,Age 4,2781\n"
        "2023,E06000047,County Durham,Female,Aged 1 - 4,11000\n"
        "2023,E06000047,County Durham,All persons,Age under 1,5012\n"
    )
    parsed = parse("population", ("\ufeff" + text).encode("utf-8"))
    assert [(r["sex"], r["age_from"], r["age_to"], r["count"]) for r in parsed.rows] == [
        ("M", 4, 4, 2781), ("F", 1, 4, 11000), ("all", 0, 0, 5012)]  # fmt: skip


def test_breakdowns_by_ethnic_group_and_deprivation_decile():
    text = (
        "year,area_code,sex,age,ethnic_group,imd_decile,population\n"
        "2023,E92000001,all,0-17,Black,,650000\n"
        "2023,E92000001,all,0-17,,1,1200000\n"
    )
    rows = parse("population", text).rows
    assert (rows[0]["ethnicity_group"], rows[0]["imd_decile"]) == ("black", None)
    assert (rows[1]["ethnicity_group"], rows[1]["imd_decile"]) == ("", 1)


def test_the_same_figures_in_another_layout_have_the_same_hash():
    long = (
        "year,area_code,sex,age,population\n"
        "2022,E06000001,M,0,500\n2022,E06000001,F,0,480\n2022,E06000001,M,17,600\n"
        "2023,E06000001,F,0,470\n2023,E06000001,M,0,510\n2023,E06000001,M,17,610\n"
    )
    assert parse("population", long.replace("\n", "\r\n")).content_hash == parse(
        "population", MYEB).content_hash  # fmt: skip


def test_births_by_calendar_or_financial_year_and_in_the_wide_layout():
    parsed = parse(
        "births",
        "Area code,Area name,Year,Number of live births\n"
        "E06000001,Hartlepool,2023,1020\nE06000001,Hartlepool,2023-24,990\n",
    )
    assert [(r["year"], r["period"], r["count"]) for r in parsed.rows] == [
        (2023, "calendar", 1020), (2023, "financial", 990)]  # fmt: skip
    wide = parse("births", "area_code,births_2022,births_2023\nE06000001,1000,1020\n")
    assert [(r["year"], r["count"]) for r in wide.rows] == [(2022, 1000), (2023, 1020)]


def test_every_bad_row_is_named_and_nothing_is_kept():
    text = (
        "ladcode23,sex,age,population_2023\n"
        "E06000001,1,0,500\n"
        "X123,1,1,500\n"
        "E06000001,7,2,500\n"
        "E06000001,1,three,500\n"
        "E06000001,1,3,five hundred\n"
        "E06000001,1,15-19,500\n"
    )
    with pytest.raises(DenominatorFileError) as raised:
        parse("population", text)
    problems = [(p.line, p.column, p.value) for p in raised.value.problems]
    assert problems == [
        (3, "ladcode23", "X123"), (4, "sex", "7"), (5, "age", "three"),
        (6, "population_2023", "five hundred"), (7, "age", "15-19"),
    ]  # fmt: skip
    message = str(raised.value)
    assert message.startswith("Nothing was imported: 5 problem(s)")
    assert "line 4, column 'sex', value '7': sex must be 1 or M" in message
    assert "crosses the 18th birthday" in message


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("population", "name,value\nx,1\n", "No column of area codes"),
        ("population", "area_code,age,population\nE06000001,1,5\n", "No sex column"),
        ("population", "area_code,sex,age,population\nE06000001,M,1,5\n", "No year column"),
        ("population", "area_code,sex,age,year,population\n", "no rows of figures"),
        ("population", "area_code,sex,age,year,population\nE06000001,M,40,2023,5\n",
         "no figures for children"),
        ("population", "area_code,sex,age,year,population\nE06000001,M,4,2023,5\n"
                       "E06000001,M,4,2023,6\n", "twice"),
        ("population", "area_code,sex,age,year,population\nE06000001,M,4,2023-24,5\n",
         "mid-year"),
        ("births", "area_code,year,live_births\nE06000001,2023-25,5\n", "financial year"),
        ("deaths", "area_code\n", "population or births"),
    ],
)  # fmt: skip
def test_bad_files_say_what_to_fix(kind, text, message):
    with pytest.raises(DenominatorFileError, match=message):
        parse(kind, text)
