"""The synthetic national data set meets its calibration targets (see calibration.py), within the
tolerances stated beside each check. The story of every death is checked at full national volume
(17,000+ deaths); recording through the actions is checked on a smaller run."""

import datetime
import statistics
from collections import Counter

import pytest
from django.db import transaction

from ncmd.registry.models import AuditEvent, Case, FormRequest, FormSubmission
from ncmd.synthetic import calibration as cal
from ncmd.synthetic.generator import Generator

AS_OF = datetime.datetime(2025, 11, 30, 12, 0, tzinfo=datetime.UTC)


def year_ending(day):
    return day.year + (1 if day.month >= 4 else 0)


@pytest.fixture(scope="module")
def story():
    generator = Generator(seed=1, years=5, as_of=AS_OF)
    return generator, generator.deaths()


def share(deaths, predicate):
    return sum(1 for d in deaths if predicate(d)) / len(deaths)


def test_deaths_per_year_match_the_published_totals(story):
    _, deaths = story
    per_year = Counter(year_ending(d.died.date()) for d in deaths)
    for year in (2022, 2023, 2024, 2025):  # complete years in the window; published 2023-2025
        target = cal.DEATHS_BY_YEAR[year]
        assert abs(per_year[year] - target) / target < 0.04, (year, per_year[year], target)


def test_age_and_sex(story):
    _, deaths = story
    infants = share(deaths, lambda d: d.died.date() - d.born < datetime.timedelta(days=365))
    neonatal = share(deaths, lambda d: (d.died.date() - d.born).days < 28)
    assert 0.60 <= infants <= 0.64  # published 61-63%
    assert 0.40 <= neonatal <= 0.44  # published about 42%
    assert 0.545 <= share(deaths, lambda d: d.sex == "male") <= 0.585  # published 56.5%


def test_unexpected_deaths_about_30_percent(story):
    _, deaths = story
    assert 0.27 <= share(deaths, lambda d: d.unexpected) <= 0.33


def rate_ratio(deaths, group_of, group, reference, population):
    counts = Counter(group_of(d) for d in deaths)
    return (counts[group] / population[group]) / (counts[reference] / population[reference])


def test_ethnic_gradient(story):
    _, deaths = story
    group_of = {code: g for g, codes in cal.ETHNIC_CODES.items() for code in codes}
    stated = [d for d in deaths if d.ethnicity]
    ratio = lambda g: rate_ratio(  # noqa: E731
        stated, lambda d: group_of[d.ethnicity], g, "white", cal.ETHNIC_POPULATION_SHARE
    )
    assert 2.2 <= ratio("black") <= 2.9  # published 58.1 / 22.8 = 2.55
    assert 2.0 <= ratio("asian") <= 2.6  # published 52.2 / 22.8 = 2.29
    assert 0.03 <= share(deaths, lambda d: d.ethnicity is None) <= 0.08  # not stated


def test_deprivation_gradient(story):
    _, deaths = story
    quintile = Counter((d.decile + 1) // 2 for d in deaths)
    assert 2.1 <= quintile[1] / quintile[5] <= 2.75  # published 42.0 / 17.4 = 2.41


def test_regional_rates_span_the_published_range(story):
    generator, deaths = story
    population = {}
    for _code, _name, pop, region in generator.las:
        population[region] = population.get(region, 0) + pop
    region_of = {la[0]: la[3] for la in generator.las}
    la_codes = [la[0] for la in generator.las]
    year = [d for d in deaths if year_ending(d.died.date()) == 2025]
    counts = Counter(region_of[la_codes[d.la_index]] for d in year)
    rates = {r: counts[r] / population[r] * 100_000 for r in population}
    assert 19.5 <= min(rates.values()) <= 25 and 35 <= max(rates.values()) <= 43  # 21.9 to 39.1


def test_categories_and_modifiable_factors(story):
    _, deaths = story
    categories = Counter(d.category for d in deaths)
    assert 0.30 <= categories["perinatal"] / len(deaths) <= 0.42  # about 4 in 10
    assert categories.most_common(2)[1][0] == "chromosomal"  # the next largest
    assert 0.02 <= categories["suicide"] / len(deaths) <= 0.045  # about 108 a year
    year = [d for d in deaths if year_ending(d.died.date()) == 2025]
    assert 0.43 <= share(year, lambda d: d.modifiable == "identified") <= 0.53  # 48% in 2024-25
    earlier = [d for d in deaths if year_ending(d.died.date()) == 2023]
    assert 0.30 <= share(earlier, lambda d: d.modifiable == "identified") <= 0.40  # "over a third"
    insufficient = share(deaths, lambda d: d.modifiable == "insufficient_information")
    assert 0.01 <= insufficient <= 0.03  # about 1.5%


def test_reviews_lag_deaths_with_a_long_tail(story):
    _, deaths = story
    lags = sorted((d.review_at - d.died).days for d in deaths)
    median = statistics.median(lags)
    p90 = lags[int(0.9 * len(lags))]
    assert 240 <= median <= 420
    assert p90 >= 1.8 * median  # right-skewed


def test_data_quality_varies_by_cdop(story):
    generator, deaths = story
    delays = {}
    for d in deaths:
        hours = (d.notify_at - d.died).total_seconds() / 3600
        delays.setdefault(generator.profile_of_cdop[d.cdop], []).append(hours)
    assert statistics.median(delays["good"]) < 48 < statistics.median(delays["late"])
    profiles = Counter(generator.profile_of_cdop.values())
    assert all(profiles[name] >= 2 for name in ("late", "incomplete", "inconsistent"))
    assert 0.003 <= share(deaths, lambda d: bool(d.duplicate)) <= 0.01


def test_the_same_seed_gives_the_same_story(story):
    _, deaths = story
    again = Generator(seed=1, years=5, as_of=AS_OF).deaths()
    assert [(d.reference, d.died, d.category) for d in again] == [
        (d.reference, d.died, d.category) for d in deaths
    ]
    other = Generator(seed=2, years=5, as_of=AS_OF).deaths()
    assert [d.reference for d in other[:50]] != [d.reference for d in deaths[:50]]


def snapshot():
    return (
        sorted(Case.objects.values_list("reference", "status", "sex", "category_of_death")),
        list(
            FormSubmission.objects.order_by(
                "case__reference", "form_name", "agency__code"
            ).values_list("case__reference", "form_name", "answers")
        ),
    )


class Rollback(Exception):
    pass


@pytest.mark.django_db
def test_recording_goes_through_the_actions_and_is_reproducible():
    from django.core.management import call_command

    call_command("load_reference", verbosity=0)
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                generator = Generator(seed=7, years=2, as_of=AS_OF, scale=0.01)
                summary = generator.run()
                runs.append((summary, snapshot()))
                raise Rollback
        except Rollback:
            pass
    (summary, first), (_, second) = runs
    assert first == second
    assert summary.cases >= 50
    assert summary.submissions > 2 * summary.cases  # reporting, supplementary and analysis forms


@pytest.mark.django_db
def test_recorded_data_has_requests_reviews_and_audit():
    from django.core.management import call_command

    call_command("load_reference", verbosity=0)
    Generator(seed=3, years=2, as_of=AS_OF, scale=0.01).run()
    assert Case.objects.filter(status="closed").exists()
    assert Case.objects.exclude(category_of_death="").exists()
    assert FormRequest.objects.filter(returned_at__isnull=True).exists()
    assert FormRequest.objects.filter(returned_at__isnull=False).exists()
    assert set(FormSubmission.objects.values_list("release", flat=True)) == {"2019-04", "2025-04"}
    cases = Case.objects.count()
    assert AuditEvent.objects.filter(action="notify_death").count() == cases
