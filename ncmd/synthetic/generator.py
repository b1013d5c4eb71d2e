"""The synthetic national data set: five years of child deaths, reviewed the way CDOPs review them.

Every record is created through the registry's actions, so each notification, request, form and
review passes the one validator and leaves its audit trail, exactly as a real one would. The same
seed and the same `as_of` date give the same data.

The story of each death is drawn first (where, when, who, why), then played out as events at their
historical times: notification (late at some CDOPs), reporting-form requests and returns,
supplementary forms where the circumstances call for them, the review and its analysis form, and
the case's moves through its lifecycle. Events after `as_of` have not happened yet.
"""

import datetime
import math
import random as random_module
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.expressions import Special
from ncmd.registry import actions
from ncmd.registry.facts import age_band, case_facts
from ncmd.registry.models import (
    Case,
    CaseStatus,
    DuplicateStatus,
    Organisation,
    OrganisationType,
    Role,
    User,
)
from ncmd.registry.reference import agencies_for, read_reference

from . import calibration as cal
from .answers import AnswerMaker
from .people import FAMILY_NAMES, GIVEN_NAMES, NhsNumbers, address
from .postcodes import postcodes_for

_AGE_DAYS = {"0-27d": (0, 27), "28-364d": (28, 364)}
_AGE_YEARS = {"1-4": (1, 4), "5-9": (5, 9), "10-14": (10, 14), "15-17": (15, 17)}
_TRAUMA_CIRCUMSTANCES = {"road_traffic_collision": 0.4, "drowning": 0.12, "fire_or_burns": 0.06,
                         "fall": 0.1, "poisoning": 0.08, "other_trauma": 0.24}  # fmt: skip


@dataclass
class Death:
    """One child's death as the generator imagines it, before it is recorded."""

    cdop: str
    la_index: int
    la_name: str
    born: datetime.date
    died: datetime.datetime
    sex: str  # male | female
    ethnicity: str | None  # a code of the ethnicity list, None when not stated
    decile: int
    category: str
    unexpected: bool
    modifiable: str
    circumstances: list
    known_to_social_care: bool
    profile: dict
    reference: str = ""
    identity: dict = field(default_factory=dict)
    notify_at: datetime.datetime = None
    review_at: datetime.datetime = None
    duplicate: dict = field(default_factory=dict)
    inconsistent: bool = False


@dataclass
class Summary:
    deaths: int = 0
    cases: int = 0
    submissions: int = 0
    duplicates: int = 0


class Generator:
    def __init__(self, *, seed, years, as_of=None, scale=1.0, progress=None):
        self.seed = seed
        # Two kinds of randomness: the story of every death is drawn from one sequence, and each
        # death is then recorded with its own generator seeded by its reference, so that an
        # interrupted run resumes exactly where it stopped and gives the same data.
        self.story = random_module.Random(seed)
        self.random = self.story
        self.years = years
        self.as_of = as_of or timezone.now()
        self.scale = scale
        self.progress = progress
        self.dictionary = get_dictionary()
        self.reference = read_reference()
        self.nhs_numbers = NhsNumbers(self.story)
        self._facts_cache = {}
        self.references = set()
        self._load_geography()

    # -- the story ---------------------------------------------------------------------------

    def _load_geography(self):
        data = self.reference
        rate = cal.REGION_RATE
        self.las = []  # (la code, name, population, region code)
        for region in data["regions"]:
            for la in region["local_authorities"]:
                self.las.append((la["code"], la["name"], la["child_population"], region["code"]))
        self.la_index = {code: i for i, (code, *_rest) in enumerate(self.las)}
        self.cdop_of_la = {la: c["code"] for c in data["cdops"] for la in c["local_authorities"]}
        self.cdops_in_region = {}
        for cdop in data["cdops"]:
            self.cdops_in_region.setdefault(cdop["region"], []).append(cdop["code"])
        self.la_weights = [pop * rate[region] for _, _, pop, region in self.las]
        _, self.agencies_of_cdop = agencies_for(data)
        self.agency_specs, _ = agencies_for(data)
        # Each CDOP's data quality profile, drawn once per seed.
        names = list(cal.QUALITY_PROFILES)
        shares = [cal.QUALITY_PROFILES[n]["share"] for n in names]
        self.profile_of_cdop = {
            c["code"]: self.story.choices(names, shares)[0] for c in data["cdops"]
        }

    def deaths(self):
        """Every death in the period, in order of notification."""
        end = self.as_of.date() - datetime.timedelta(days=2)
        start = end.replace(year=end.year - self.years) + datetime.timedelta(days=1)
        deaths, day = [], start
        while day <= end:
            year_ending = day.year + (1 if day.month >= 4 else 0)
            per_year = cal.DEATHS_BY_YEAR.get(year_ending, cal.DEATHS_OTHER_YEARS) * self.scale
            winter = 1.12 if day.month in (12, 1, 2) else 0.96
            for _ in range(self._poisson(per_year / 365.25 * winter)):
                deaths.append(self._death(day))
            day += datetime.timedelta(days=1)
        deaths.sort(key=lambda d: d.notify_at)
        return deaths

    def _poisson(self, mean):
        # Knuth's method: means here are about 10, so this is fast and exact.
        limit, k, product = math.exp(-mean), 0, self.story.random()
        while product > limit:
            k += 1
            product *= self.story.random()
        return k

    def _death(self, day):
        r = self.story
        la_code, la_name, _, region = r.choices(self.las, self.la_weights)[0]
        cdop = self.cdop_of_la[la_code]
        profile = cal.QUALITY_PROFILES[self.profile_of_cdop[cdop]]
        band = r.choices(list(cal.AGE_BAND_SHARE), cal.AGE_BAND_SHARE.values())[0]
        born = self._birth_date(day, band)
        sex = "male" if r.random() < cal.MALE_SHARE else "female"
        groups = list(cal.ETHNIC_POPULATION_SHARE)
        weights = [cal.ETHNIC_POPULATION_SHARE[g] * cal.ETHNIC_RATE_RATIO[g] for g in groups]
        group = r.choices(groups, weights)[0]
        codes = cal.ETHNIC_CODES[group]
        ethnicity = r.choices(list(codes), codes.values())[0]
        if r.random() < cal.ETHNICITY_NOT_STATED + profile["missing"] * 0.3:
            ethnicity = None
        deciles = list(range(1, 11))
        decile = r.choices(deciles, [cal.DEPRIVATION_RR_PER_DECILE ** (10 - d) for d in deciles])[0]
        categories = cal.CATEGORY_BY_AGE[band]
        category = r.choices(list(categories), categories.values())[0]
        unexpected = r.random() < cal.UNEXPECTED_BY_CATEGORY[category]
        year_ending = day.year + (1 if day.month >= 4 else 0)
        share = cal.MODIFIABLE_BY_CATEGORY[category] * cal.MODIFIABLE_TREND.get(year_ending, 1.4)
        share *= 1 + 0.04 * (5.5 - decile)  # a steeper gradient for modifiable deaths
        if r.random() < cal.INSUFFICIENT_INFORMATION * (1 + 4 * profile["missing"]):
            modifiable = "insufficient_information"
        else:
            modifiable = "identified" if r.random() < min(share, 0.95) else "not_identified"
        died = datetime.datetime.combine(
            day, datetime.time(r.randint(0, 23), r.randint(0, 59)), tzinfo=datetime.UTC
        )
        death = Death(
            cdop=cdop,
            la_index=self.la_index[la_code],
            la_name=la_name,
            born=born,
            died=died,
            sex=sex,
            ethnicity=ethnicity,
            decile=decile,
            category=category,
            unexpected=unexpected,
            modifiable=modifiable,
            circumstances=self._circumstances(category, band, unexpected),
            known_to_social_care=r.random() < cal.KNOWN_TO_SOCIAL_CARE * (2 if unexpected else 1),
            profile=profile,
            inconsistent=r.random() < profile["inconsistent"],
        )
        death.reference = self._reference(r)
        death.identity = {
            "nhs_number": self.nhs_numbers.new(),
            "postcode": r.choice(postcodes_for(death.la_index, decile)),
            "names": (r.choice(GIVEN_NAMES[sex]), r.choice(FAMILY_NAMES)),
        }
        hours = r.lognormvariate(math.log(profile["notify_hours"]), 0.9)
        death.notify_at = died + datetime.timedelta(hours=min(hours, 24 * 120))
        lag = r.lognormvariate(math.log(cal.REVIEW_LAG_MEDIAN_DAYS), cal.REVIEW_LAG_SIGMA)
        if unexpected:
            lag *= cal.REVIEW_LAG_UNEXPECTED_FACTOR
        death.review_at = died + datetime.timedelta(days=max(lag, 40))
        if r.random() < cal.DUPLICATE_SHARE:
            death.duplicate = {
                "after_hours": r.uniform(2, 24 * 10),
                "other_cdop": r.random() < 0.3,
                "without_nhs_number": r.random() < 0.3,
                "resolve": r.random() < cal.DUPLICATE_RESOLVED,
            }
        return death

    def _birth_date(self, day, band):
        r = self.story
        if band in _AGE_DAYS:
            low, high = _AGE_DAYS[band]
            days = low + int((high - low + 1) * r.random() ** 2.5)  # most die soon after birth
            return day - datetime.timedelta(days=days)
        low, high = _AGE_YEARS[band]
        while True:
            years = r.randint(low, high)
            born = _years_before(day, years) - datetime.timedelta(days=r.randint(0, 364))
            if age_band(born, day) == band:
                return born

    def _circumstances(self, category, band, unexpected):
        infant = band in _AGE_DAYS
        if category == "suicide":
            return ["suspected_suicide"]
        if category == "sudden_unexpected":
            return ["sudden_unexpected_infant" if infant else "sudden_unexpected_child"]
        if category == "trauma":
            names = list(_TRAUMA_CIRCUMSTANCES)
            return [self.story.choices(names, _TRAUMA_CIRCUMSTANCES.values())[0]]
        if category == "perinatal" and band == "0-27d":
            return ["neonatal"]
        return ["none_of_these"]

    # -- recording it ------------------------------------------------------------------------

    def run(self):
        """Record every death not yet recorded, in batches of one transaction each, so an
        interrupted run leaves whole deaths only and the next run carries on from there."""
        summary = Summary()
        self.users = self._users()
        self.agencies = {a.code: a for a in Organisation.objects.filter(type="agency")}
        self.cdops = {c.code: c for c in Organisation.objects.select_related("parent").filter(
            type="cdop")}  # fmt: skip
        recorded = set(Case.objects.values_list("reference", flat=True))
        deaths = [d for d in self.deaths() if d.notify_at <= self.as_of]
        summary.deaths = len(deaths)
        todo = [d for d in deaths if d.reference not in recorded]
        done = len(deaths) - len(todo)
        batch = 40
        for start in range(0, len(todo), batch):
            with transaction.atomic():
                for death in todo[start : start + batch]:
                    self._record(death, summary)
            if self.progress:
                self.progress(done + min(start + batch, len(todo)), len(deaths))
            if connection.vendor == "sqlite":
                # SQLite has one writer at a time and does not queue the others: pause so that
                # the portal, used while the demo data loads, gets its turn to write.
                time.sleep(0.15)
        return summary

    def _users(self):
        users = {}
        for cdop in Organisation.objects.filter(type=OrganisationType.CDOP):
            username = f"synthetic-{cdop.code.lower()}"
            users[cdop.code] = User.objects.filter(username=username).first() or (
                actions.create_user(
                    username=username,
                    role=Role.CDOP_ADMIN,
                    organisation=cdop,
                    first_name="Synthetic",
                    last_name=f"{cdop.name} administrator",
                    by=None,
                )
            )
        return users

    def _record(self, death, summary):
        if death.notify_at > self.as_of:
            return
        self.random = random_module.Random(f"{self.seed}:{death.reference}")
        by = self.users[death.cdop]
        maker = AnswerMaker(self.random, death.profile["missing"])
        identity = death.identity
        case = self._notify(
            death, maker, by, self.cdops[death.cdop], death.notify_at, identity, death.reference
        )
        summary.cases += 1
        summary.submissions += 1
        if case.duplicate_status == DuplicateStatus.POSSIBLE:
            self._resolve(case, "distinct", death.notify_at, summary)  # twins, coincidences
        if death.duplicate:
            summary.submissions += self._duplicate(death, maker, identity, summary)
        summary.submissions += self._gather(case, death, maker, by)
        summary.submissions += self._review(case, death, maker, by)

    def _notify(self, death, maker, by, cdop, at, identity, reference, notifier_note=None):
        release = self.dictionary.release_on(at.date())
        form = release.form("notification")
        died = death.died.date()
        fixed = {
            "nhs_number": identity["nhs_number"] or Special("not_known"),
            "given_name": identity["names"][0],
            "family_name": identity["names"][1],
            "date_of_birth": death.born,
            "date_of_death": died,
            "sex": _sex_code(release, death.sex),
            "ethnicity": death.ethnicity or Special("not_known"),
            "home_address": address(self.random, death.la_name),
            "home_postcode": identity["postcode"],
            "expected_death": "unexpected" if death.unexpected else "expected",
            "suspected_stillbirth_at_home": False,
            "circumstances": death.circumstances,
            "known_to_social_care": death.known_to_social_care,
            "agencies_involved": self._agency_types(death),
            "time_of_death": f"{death.died:%H:%M}",
        }
        if not identity["nhs_number"]:
            fixed["nhs_number_absent_reason"] = "not_available"
        if death.unexpected:
            fixed["jar_triggered"] = self.random.random() < 0.9
        if self.random.random() < death.profile["missing"] * 0.3:
            fixed["home_postcode"] = Special("not_known")
        if notifier_note:
            fixed["notifier_role"] = notifier_note
        fixed = {k: v for k, v in fixed.items() if k in form.fields}
        answers = maker.answer_form(form, fixed, born=death.born, died=died, case_facts={})
        return actions.notify_death(cdop=cdop, answers=answers, by=by, at=at, reference=reference)

    def _reference(self, random):
        while True:
            reference = actions.new_reference(random)
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def _agency_types(self, death):
        types = ["acute_health"]
        age_years = (death.died.date() - death.born).days / 365.25
        if death.unexpected:
            types += ["police", "ambulance", "coroner"]
        if death.known_to_social_care:
            types.append("childrens_social_care")
        if age_years >= 4.5:
            types.append("education")
        if self.random.random() < 0.5:
            types.append("gp")
        if death.category == "suicide":
            types.append("mental_health")
        order = [c.code for c in self.dictionary.latest.codelists["agency_type"].codes]
        return sorted(set(types), key=order.index)

    def _duplicate(self, death, maker, identity, summary):
        """The same death notified a second time; the CDOP links most such pairs."""
        plan = death.duplicate
        at = death.notify_at + datetime.timedelta(hours=plan["after_hours"])
        if at > self.as_of:
            return 0
        cdop = death.cdop
        if plan["other_cdop"]:
            region = self.cdops[cdop].parent.code
            cdop = self.random.choice(self.cdops_in_region[region])
        second = dict(identity)
        if plan["without_nhs_number"]:
            second["nhs_number"] = None
        case = self._notify(
            death, maker, self.users[cdop], self.cdops[cdop], at, second,
            self._reference(self.random), "Second notifier (duplicate notification)",
        )  # fmt: skip
        summary.duplicates += 1
        if case.duplicate_status == DuplicateStatus.POSSIBLE and plan["resolve"]:
            self._resolve(case, "linked", at, summary)
        return 1

    def _resolve(self, case, decision, after, summary):
        at = after + datetime.timedelta(days=self.random.uniform(0.5, 20))
        if at <= self.as_of:
            actions.resolve_duplicate(
                case=case, decision=decision, by=self.users[case.cdop.code], at=at
            )

    def _gather(self, case, death, maker, by):
        """Request reporting forms from the agencies involved; most come back, some late."""
        count = 0
        agencies = self._agencies_for(death)
        for agency in agencies:
            at = death.notify_at + datetime.timedelta(hours=self.random.uniform(4, 96))
            if at > self.as_of:
                continue
            actions.request_reporting_form(case=case, agency=agency, by=by, at=at)
            if self.random.random() > 0.93:
                continue  # never returned
            days = self.random.lognormvariate(math.log(death.profile["return_days"]), 0.6)
            returned = at + datetime.timedelta(days=days)
            if returned > min(self.as_of, death.review_at):
                continue
            count += self._submit(case, death, maker, by, "reporting", returned, agency=agency)
        for form in self.dictionary.release_on(death.notify_at.date()).forms.values():
            if form.kind != "supplementary" or form.name == "supplementary_suicide":
                continue
            count += self._supplementary(case, death, maker, by, form.name)
        return count

    def _agencies_for(self, death):
        wanted = set(self._agency_types(death)) - {"coroner"}
        chosen, seen = [], set()
        for code in self.agencies_of_cdop[death.cdop]:
            spec = self.agency_specs[code]
            if spec.agency_type in wanted and spec.agency_type not in seen:
                seen.add(spec.agency_type)
                chosen.append(self.agencies[code])
        return chosen

    def _supplementary(self, case, death, maker, by, form_name):
        at = death.notify_at + datetime.timedelta(days=self.random.uniform(7, 90))
        if at > min(self.as_of, death.review_at):
            return 0
        release = self.dictionary.release_on(at.date())
        form = release.form(form_name)
        if form.applies_when is None or not form.applies_when({}, self._facts(case, release.id)):
            return 0
        if self.random.random() > death.profile["supplementary"]:
            return 0
        return self._submit(case, death, maker, by, form_name, at)

    def _submit(self, case, death, maker, by, form_name, at, agency=None, fixed=None):
        release = self.dictionary.release_on(at.date())
        form = release.form(form_name)
        facts = self._facts(case, release.id)
        if form.kind == "analysis":
            self._facts_cache.clear()  # the review changes the case's category
        died = death.died.date()
        fixed = dict(fixed or {})
        if form_name == "reporting":
            fixed.update(self._reporting_answers(death, agency))
        fixed = {k: v for k, v in fixed.items() if k in form.fields}
        answers = maker.answer_form(form, fixed, born=death.born, died=died, case_facts=facts)
        actions.submit_form(
            case=case, form_name=form_name, answers=answers, by=by, agency=agency, at=at
        )
        return 1

    def _facts(self, case, release_id):
        """case_facts, remembered for the case being recorded (they change only at review)."""
        key = (case.pk, release_id)
        if key not in self._facts_cache:
            if len(self._facts_cache) > 8:
                self._facts_cache.clear()
            self._facts_cache[key] = case_facts(case, release_id)
        return self._facts_cache[key]

    def _reporting_answers(self, death, agency):
        died = death.died.date()
        age_days = (died - death.born).days
        weight, height = _size_for_age(age_days, self.random)
        if death.inconsistent:
            weight = 2.4 if age_days > 730 else 48.0  # implausible for the child's age
        last = died - datetime.timedelta(days=self.random.randint(0, min(age_days, 60)))
        return {
            "agency_type": agency.agency_type,
            "agency_name": agency.name,
            "child_weight_kg": weight,
            "child_height_cm": height,
            "last_contact_date": last,
            "first_contact_date": death.born
            + datetime.timedelta(days=self.random.randint(0, max((last - death.born).days, 0))),
            "measurements_date": last,
            "lived_in_poverty": (death.decile <= 2 and self.random.random() < 0.4),
        }

    def _review(self, case, death, maker, by):
        """Panel review: ready for review, the analysis form, reviewed, then closed."""
        review = death.review_at
        ready = review - datetime.timedelta(days=self.random.uniform(10, 30))
        if ready > self.as_of or case.duplicate_status == DuplicateStatus.LINKED:
            return 0
        case.refresh_from_db()
        if case.status == CaseStatus.NOTIFIED:
            actions.change_case_status(case=case, to=CaseStatus.GATHERING, by=by, at=ready)
        actions.change_case_status(case=case, to=CaseStatus.READY, by=by, at=ready)
        if review > self.as_of:
            return 0
        count = 0
        if death.category == "suicide":
            count += self._submit(
                case, death, maker, by, "supplementary_suicide",
                review - datetime.timedelta(days=5),
            )  # fmt: skip
        category = death.category
        died = death.died.date()
        if death.inconsistent and (died - death.born).days > 365 and self.random.random() < 0.5:
            category = "perinatal"  # a perinatal event recorded for a child over one year old
        cdrm = max(died, review.date() - datetime.timedelta(days=self.random.randint(7, 60)))
        fixed = {
            "category_of_death": category,
            "modifiable_factors": death.modifiable,
            "review_date": review.date(),
            "cdrm_held": True,
            "cdrm_date": cdrm,
        }
        if death.modifiable == "identified":
            fixed["modifiable_domains"] = self._domains(death)
        count += self._submit(case, death, maker, by, "analysis", review, fixed=fixed)
        actions.change_case_status(case=case, to=CaseStatus.REVIEWED, by=by, at=review)
        closed = review + datetime.timedelta(days=self.random.uniform(14, 60))
        if closed <= self.as_of:
            actions.change_case_status(case=case, to=CaseStatus.CLOSED, by=by, at=closed)
        return count

    def _domains(self, death):
        by_category = {
            "sudden_unexpected": ["social_environment", "physical_environment"],
            "perinatal": ["service_provision", "social_environment"],
            "trauma": ["physical_environment"],
            "suicide": ["service_provision", "social_environment"],
            "deliberately_inflicted": ["social_environment"],
        }
        options = by_category.get(death.category, ["service_provision"])
        return options[: self.random.choice([1, len(options)])]


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _size_for_age(age_days, random):
    """A plausible weight (kg) and length or height (cm) for a child of this age."""
    years = age_days / 365.25
    if years < 1:
        weight = 3.3 + 0.5 * (age_days / 30.4) if age_days >= 28 else random.uniform(0.6, 3.8)
        height = 50 + 2.2 * (age_days / 30.4)
    else:
        weight = 10 + 2.6 * years if years < 12 else 40 + 4 * (years - 12)
        height = 75 + 6.5 * years if years < 12 else 150 + 3 * (years - 12)
    factor = random.uniform(0.88, 1.12)
    return round(weight * factor, 1), round(height * random.uniform(0.96, 1.04), 1)


def _sex_code(release, sex):
    """The code for male or female in this release's sex code list (it was recoded in 2025)."""
    for code in release.codelists["sex"].codes:
        if code.label.lower().startswith(sex):
            return code.code
    raise ValueError(f"release {release.id} has no code for {sex}")


def generate(*, seed, years, as_of=None, scale=1.0, progress=None):
    return Generator(seed=seed, years=years, as_of=as_of, scale=scale, progress=progress).run()
