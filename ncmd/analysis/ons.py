"""Reading denominators from CSV in the layouts the Office for National Statistics publishes.

Pure Python, no Django: the importer (`actions.import_denominators`) stores what this returns.

Population (mid-year estimates), either layout:

* wide, as in the mid-year estimates' detailed time series (MYEB1/MYEB2): an area code
  (``ladcode23``, ``lad23cd``, ``area_code`` ...), ``sex`` (1 or M, 2 or F), ``age`` (a single
  year, or a range such as ``0-4``) and one column per year, ``population_2022``,
  ``population_2023`` ... (also ``mid_2023`` or a bare ``2023``);
* long, as Nomis and the ONS API export: a year (``year``, ``mid_year``, ``date``), an area code
  (``geography_code`` ...), ``sex`` (or ``gender_name``), ``age`` (or ``age_name``) and a count
  (``population``, ``count``, ``obs_value``, ``value``).

Either may add ``ethnic_group`` (a group of the dictionary's ethnicity list: white, mixed, asian,
black, other) or ``imd_decile`` (1 = most deprived), for the rates by ethnicity and deprivation.
Only ages 0 to 17 are kept: the estimates for adults are skipped and counted.

Live births: an area code, a year (``2024`` for a calendar year, as ONS publishes births, or
``2024-25`` for a financial year) and a count (``live_births``, ``births``,
``number_of_live_births`` ...), or one column per year (``2023``, ``births_2023``).

A bad row stops the whole import; every problem names the line, the column, the value and what
is wrong, so the file can be corrected and imported again.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
ETHNICITY_GROUPS = ("white", "mixed", "asian", "black", "other")
CHILD_AGE_LIMIT = 17
MAX_PROBLEMS = 50

_AREA = ("area_code", "areacode", "code", "geography_code", "geography", "geogcode", "ladcode",
         "lad_code", "la_code", "lacode", "lsoa_code", "mnemonic", "area")  # fmt: skip
_AREA_PATTERN = re.compile(r"^(lad|ltla|utla|cty|cauth|rgn|ctry|nat)\d{0,2}(cd|code)$|"
                           r"^(lad|utla|ltla)code\d{2}$")  # fmt: skip
_SEX = ("sex", "gender", "gender_name", "sex_name", "c_sex", "c_sex_name")
_AGE = ("age", "age_name", "single_year_of_age", "c_age", "c_age_name", "age_band")
_YEAR = ("year", "mid_year", "date", "time", "period", "date_name", "calendar_year",
         "financial_year")  # fmt: skip
_POPULATION = ("population", "count", "obs_value", "value", "observation", "persons",
               "estimate")  # fmt: skip
_BIRTHS = ("live_births", "births", "number_of_live_births", "number_of_live_births_total",
           "live_births_total", "total_live_births", "count", "obs_value", "value")  # fmt: skip
_ETHNICITY = ("ethnic_group", "ethnicity_group", "ethnicity", "ethnic_group_code")
_DECILE = ("imd_decile", "deprivation_decile", "index_of_multiple_deprivation_decile",
           "imd_2019_decile", "imd_decile_1_most_deprived")  # fmt: skip
_WIDE_YEAR = re.compile(r"^(?:population|mid|pop|births|live_births|year)?_?(\d{4})$")
_SEXES = {"1": "M", "m": "M", "male": "M", "males": "M", "boys": "M",
          "2": "F", "f": "F", "female": "F", "females": "F", "girls": "F",
          "0": "all", "3": "all", "all": "all", "persons": "all", "all_persons": "all",
          "p": "all", "total": "all", "people": "all"}  # fmt: skip


class DenominatorFileError(Exception):
    """The file cannot be imported; `problems` lists each bad row."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self):
        lines = [self.args[0]]
        lines += [str(problem) for problem in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"... and {len(self.problems) - MAX_PROBLEMS} more problems.")
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    value: str
    message: str

    def __str__(self):
        return f"line {self.line}, column {self.column!r}, value {self.value!r}: {self.message}"


@dataclass
class Parsed:
    """The rows of a denominator file, normalised, with what was left out."""

    kind: str
    rows: list
    years: list
    skipped: int = 0  # population rows for ages 18 and over
    columns: dict = field(default_factory=dict)  # which column was read for what

    @property
    def content_hash(self):
        return content_hash(self.kind, self.rows)


def content_hash(kind, rows):
    """SHA-256 of the rows in a canonical order: the same figures give the same hash whatever
    the file's layout, column order or line endings."""
    if not rows:
        return hashlib.sha256(kind.encode()).hexdigest()
    names = sorted(rows[0])
    canonical = sorted(
        "\t".join("" if row[n] is None else str(row[n]) for n in names) for row in rows
    )
    text = "\n".join([kind, "\t".join(names), *canonical])
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_header(text):
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


def read_csv(data):
    """Rows of a CSV given as bytes or text; a byte-order mark and Windows encodings are fine."""
    if isinstance(data, bytes):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                data = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return list(csv.reader(io.StringIO(data)))


def parse(kind, data):
    """Parse a population (`kind="population"`) or births (`kind="births"`) CSV."""
    if kind not in ("population", "births"):
        raise DenominatorFileError(f"kind must be population or births, not {kind!r}.")
    table = read_csv(data)
    header_at, columns = _find_header(table)
    body = [(header_at + 1 + offset, row) for offset, row in enumerate(table[header_at + 1 :], 1)]
    body = [(line, row) for line, row in body if any(cell.strip() for cell in row)]
    if not body:
        raise DenominatorFileError("The file has a header but no rows of figures.")
    if kind == "population":
        return _population(columns, body)
    return _births(columns, body)


def _find_header(table):
    for index, row in enumerate(table[:20]):
        names = [normalise_header(cell) for cell in row]
        if any(_is_area(name) for name in names):
            return index, names
    raise DenominatorFileError(
        "No column of area codes was found in the first 20 lines: name it area_code (or as ONS "
        "does: ladcode23, lad23cd, geography_code)."
    )


def _is_area(name):
    return name in _AREA or bool(_AREA_PATTERN.match(name))


def _pick(columns, names, what, required=True, hint=""):
    for name in names:
        if name in columns:
            return columns.index(name)
    if required:
        raise DenominatorFileError(
            f"No {what} column{hint}: name it {names[0]} (also accepted: {', '.join(names[1:5])})."
        )
    return None


def _area_column(columns):
    for index, name in enumerate(columns):
        if name in _AREA:
            return index
    return next(index for index, name in enumerate(columns) if _is_area(name))


def _wide_years(columns):
    years = {}
    for index, name in enumerate(columns):
        match = _WIDE_YEAR.match(name)
        if match:
            years[index] = int(match[1])
    return years


class _Rows:
    """Collects problems while reading cells."""

    def __init__(self, columns):
        self.columns = columns
        self.problems = []

    def cell(self, line, row, index):
        return row[index].strip() if index < len(row) else ""

    def problem(self, line, index, value, message):
        self.problems.append(Problem(line, self.columns[index], value, message))

    def area(self, line, row, index):
        value = self.cell(line, row, index).upper()
        if not GSS_CODE.match(value):
            self.problem(line, index, value, "is not an ONS area code (a letter and 8 digits, "
                                             "for example E06000047).")  # fmt: skip
            return None
        return value

    def count(self, line, row, index):
        value = self.cell(line, row, index)
        text = value.replace(",", "")
        if re.fullmatch(r"\d+(\.0+)?", text):
            return int(float(text))
        self.problem(line, index, value, "must be a whole number of people, 0 or more.")
        return None

    def sex(self, line, row, index):
        value = self.cell(line, row, index)
        sex = _SEXES.get(normalise_header(value))
        if sex is None:
            self.problem(line, index, value, "sex must be 1 or M (male), 2 or F (female), or "
                                             "all (persons).")  # fmt: skip
        return sex

    def age(self, line, row, index):
        value = self.cell(line, row, index)
        text = normalise_header(value)
        text = re.sub(r"^(aged?_?|age_)", "", text)
        if text in ("under_1", "less_than_1", "0_years", "under_one"):
            return 0, 0
        match = re.fullmatch(r"(\d+)(?:_years?)?(?:_?(?:to|_)_?(\d+)(?:_years?)?)?", text)
        plus = re.fullmatch(r"(\d+)_?(?:plus|and_over|_over)?", text)
        if match:
            low = int(match[1])
            high = int(match[2]) if match[2] else low
        elif plus or value.strip().endswith("+"):
            low = int(re.match(r"\d+", value.strip())[0]) if re.match(r"\d+", value.strip()) else -1
            high = 200
        else:
            low = high = -1
        if low < 0 or high < low:
            self.problem(line, index, value, "age must be a single year (0 to 90) or a range "
                                             "such as 0-4.")  # fmt: skip
            return None
        if low <= CHILD_AGE_LIMIT < high:
            self.problem(line, index, value, "this age range crosses the 18th birthday: give "
                                             "single years or ranges within 0 to 17.")  # fmt: skip
            return None
        return low, high

    def year(self, line, row, index, financial=False):
        value = self.cell(line, row, index)
        match = re.fullmatch(r"(?:mid[-_ ]?)?(\d{4})(?:-(\d{2}))?(?:-\d{2}-\d{2})?", value)
        if not match or (match[2] and (int(match[1]) + 1) % 100 != int(match[2])):
            allowed = "2024, or a financial year such as 2024-25" if financial else "2024"
            self.problem(line, index, value, f"year must be written as {allowed}.")
            return None, None
        if match[2] and not financial:
            self.problem(line, index, value, "population estimates are for a mid-year: give "
                                             "the calendar year, for example 2024.")  # fmt: skip
            return None, None
        return int(match[1]), "financial" if match[2] else "calendar"

    def ethnicity(self, line, row, index):
        value = self.cell(line, row, index)
        text = normalise_header(value)
        text = {"all": "", "total": ""}.get(text, text)
        for group in ETHNICITY_GROUPS:
            if text == group or text.startswith(group + "_"):
                return group
        if text:
            self.problem(
                line,
                index,
                value,
                f"ethnic group must be one of {', '.join(ETHNICITY_GROUPS)} (or blank for all).",
            )
            return None
        return ""

    def decile(self, line, row, index):
        value = self.cell(line, row, index)
        if value == "" or value.lower() in ("all", "total"):
            return None
        if value.isdigit() and 1 <= int(value) <= 10:
            return int(value)
        self.problem(line, index, value, "IMD decile must be 1 (most deprived) to 10, or blank.")
        return False


def _population(columns, body):
    reader = _Rows(columns)
    area_at = _area_column(columns)
    sex_at = _pick(columns, _SEX, "sex")
    age_at = _pick(columns, _AGE, "age")
    ethnicity_at = _pick(columns, _ETHNICITY, "ethnic group", required=False)
    decile_at = _pick(columns, _DECILE, "IMD decile", required=False)
    wide = _wide_years(columns)
    year_at = count_at = None
    if not wide:
        year_at = _pick(columns, _YEAR, "year", hint=" (or one population_YYYY column per year)")
        count_at = _pick(columns, _POPULATION, "population")
    rows, skipped, years = [], 0, set()
    for line, row in body:
        area = reader.area(line, row, area_at)
        sex = reader.sex(line, row, sex_at)
        age = reader.age(line, row, age_at)
        ethnicity = reader.ethnicity(line, row, ethnicity_at) if ethnicity_at is not None else ""
        decile = reader.decile(line, row, decile_at) if decile_at is not None else None
        cells = ([(year, index) for index, year in wide.items()] if wide
                 else [(reader.year(line, row, year_at)[0], count_at)])  # fmt: skip
        for year, index in cells:
            count = reader.count(line, row, index)
            if None in (area, sex, age, ethnicity, year, count) or decile is False:
                continue
            if age[0] > CHILD_AGE_LIMIT:
                skipped += 1
                continue
            years.add(year)
            rows.append({"year": year, "area_code": area, "age_from": age[0], "age_to": age[1],
                         "sex": sex, "ethnicity_group": ethnicity, "imd_decile": decile,
                         "count": count})  # fmt: skip
    _check(reader, rows, _population_key, "population")
    described = {"area": columns[area_at], "sex": columns[sex_at], "age": columns[age_at]}
    return Parsed("population", rows, sorted(years), skipped, described)


def _births(columns, body):
    reader = _Rows(columns)
    area_at = _area_column(columns)
    wide = _wide_years(columns)
    year_at = count_at = None
    if not wide:
        year_at = _pick(columns, _YEAR, "year", hint=" (or one births_YYYY column per year)")
        count_at = _pick(columns, _BIRTHS, "live births")
    rows, years = [], set()
    for line, row in body:
        area = reader.area(line, row, area_at)
        if wide:
            cells = [((year, "calendar"), index) for index, year in wide.items()]
        else:
            cells = [(reader.year(line, row, year_at, financial=True), count_at)]
        for (year, period), index in cells:
            count = reader.count(line, row, index)
            if None in (area, year, count):
                continue
            years.add(year)
            rows.append({"year": year, "period": period, "area_code": area, "count": count})
    _check(reader, rows, lambda r: (r["year"], r["period"], r["area_code"]), "births")
    return Parsed("births", rows, sorted(years), 0, {"area": columns[area_at]})


def _population_key(row):
    return (row["year"], row["area_code"], row["age_from"], row["age_to"], row["sex"],
            row["ethnicity_group"], row["imd_decile"])  # fmt: skip


def _check(reader, rows, key, kind):
    seen = {}
    for row in rows:
        seen[key(row)] = seen.get(key(row), 0) + 1
    repeated = [k for k, n in seen.items() if n > 1]
    if repeated and not reader.problems:
        raise DenominatorFileError(
            f"The file gives {len(repeated)} {kind} figure(s) twice, for example {repeated[0]}: "
            "each area, year, age and sex must appear once."
        )
    if reader.problems:
        raise DenominatorFileError(
            f"Nothing was imported: {len(reader.problems)} problem(s) in the file.", reader.problems
        )
    if not rows:
        raise DenominatorFileError(
            "Nothing was imported: the file has no figures for children (ages 0 to 17)."
        )
