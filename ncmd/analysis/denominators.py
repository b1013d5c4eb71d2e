"""Denominators for one analysis: the chosen population and births datasets, added up from the
areas they give (local authorities, usually) to the CDOPs, regions and the nation of the
snapshot's organisations.

An area's figure is its own row where the dataset has one, otherwise the sum over the areas it
contains; when any of those is missing the figure is unknown (None), never an undercount. The
rows of the dataset are read once, when the analysis opens.
"""

from collections import defaultdict

from .models import DenominatorDataset, DenominatorKind, LiveBirths, PopulationEstimate

UNIT_TYPES = ("nation", "region", "cdop")
GEOGRAPHY = ("region", "cdop", "local_authority")  # what an area's figure may be added up from


class Denominators:
    def __init__(self, organisations, population=None, births=None):
        """`organisations`: [(code, type, parent)] from the snapshot; `population` and `births`
        are DenominatorDatasets or None."""
        self.population_dataset = population
        self.births_dataset = births
        self.children = defaultdict(list)
        self.units = []
        for code, kind, parent in organisations:
            if parent and kind in GEOGRAPHY:
                self.children[parent].append(code)
            if kind in UNIT_TYPES:
                self.units.append((code, kind))
        self._population = defaultdict(lambda: defaultdict(list))
        if population is not None:
            rows = PopulationEstimate.objects.filter(dataset=population).values_list(
                "year", "area_code", "age_from", "age_to", "sex", "ethnicity_group", "imd_decile",
                "count",
            )  # fmt: skip
            for year, area, low, high, sex, ethnicity, decile, count in rows.iterator(5000):
                self._population[area][(year, ethnicity, decile)].append((low, high, sex, count))
        self._births = defaultdict(dict)
        if births is not None:
            rows = LiveBirths.objects.filter(dataset=births).values_list(
                "year", "period", "area_code", "count"
            )
            for year, period, area, count in rows.iterator(5000):
                self._births[area][(year, period)] = count
        self._resolved = {}

    @classmethod
    def latest(cls, organisations):
        return cls(
            organisations,
            DenominatorDataset.objects.filter(kind=DenominatorKind.POPULATION).first(),
            DenominatorDataset.objects.filter(kind=DenominatorKind.BIRTHS).first(),
        )

    def datasets(self):
        return [d for d in (self.population_dataset, self.births_dataset) if d is not None]

    @property
    def synthetic(self):
        return any(d.synthetic for d in self.datasets())

    def notes(self):
        """What the tables' notes say about the denominators used."""
        if not self.datasets():
            return ("No denominators have been imported: rates are not calculated "
                    "(`ncmd denominators import`).",)  # fmt: skip
        notes = [f"Denominators: {d.citation}." for d in self.datasets()]
        if self.synthetic:
            notes.append("The denominators are SYNTHETIC: the rates illustrate the method and "
                         "are not real figures.")  # fmt: skip
        return tuple(notes)

    # -- population ----------------------------------------------------------------------------

    def _rows(self, area, key, seen=()):
        memo = (area, key)
        if memo in self._resolved:
            return self._resolved[memo]
        own = self._population.get(area, {}).get(key)
        if own:
            result = own
        elif self.children.get(area) and area not in seen:
            result = []
            for child in self.children[area]:
                rows = self._rows(child, key, (*seen, area))
                if rows is None:
                    result = None
                    break
                result = result + rows
            result = result or None
        else:
            result = None
        self._resolved[memo] = result
        return result

    def population(self, year, unit, age_from=0, age_to=17, *, sex=None, ethnicity="",
                   decile=None):  # fmt: skip
        """Children of ages `age_from` to `age_to` (inclusive) in `unit` at mid-`year`, or None
        when the dataset cannot say."""
        rows = self._rows(unit, (year, ethnicity, decile))
        if not rows:
            return None
        if sex is not None:
            rows = [r for r in rows if r[2] == sex]
        elif any(r[2] in ("M", "F") for r in rows):
            rows = [r for r in rows if r[2] in ("M", "F")]
        if not rows:
            return None
        covered, total = set(), 0
        for low, high, _, count in rows:
            if high < age_from or low > age_to:
                continue
            if low < age_from or high > age_to:
                return None  # a range straddling the band: the band's share is unknown
            covered.update(range(low, high + 1))
            total += count
        if covered != set(range(age_from, age_to + 1)):
            return None
        return total

    # -- births --------------------------------------------------------------------------------

    def _births_of(self, area, key, seen=()):
        own = self._births.get(area, {}).get(key)
        if own is not None:
            return own
        if not self.children.get(area) or area in seen:
            return None
        total = 0
        for child in self.children[area]:
            count = self._births_of(child, key, (*seen, area))
            if count is None:
                return None
            total += count
        return total

    def births(self, year, unit):
        """(live births, which period) for the financial year starting in `year`: the financial
        year's births where the dataset has them, else the calendar year `year` (January to
        December, nine months of which fall in the financial year), else (None, None)."""
        for key, period in (((year, "financial"), "financial"), ((year, "calendar"), "calendar")):
            count = self._births_of(unit, key)
            if count is not None:
                return count, period
        return None, None

    def table_rows(self, years):
        """Rows of the resolved population (per unit, year, single-year age band and sex) for
        loading into DuckDB."""
        rows = []
        for code, kind in self.units:
            for year in years:
                for sex in ("M", "F"):
                    value = self.population(year, code, sex=sex)
                    if value is not None:
                        rows.append((year, code, kind, 0, 17, sex, value))
                value = self.population(year, code)
                if value is not None:
                    rows.append((year, code, kind, 0, 17, "all", value))
        return rows
