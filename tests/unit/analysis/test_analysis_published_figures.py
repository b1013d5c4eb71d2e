"""Published national figures reproduced from their inputs.

Provenance (shared/facts.md, shared/reference/ncmd-domain.md §3.1, §3.2):
- 2023-24: 3,577 deaths of children aged 0-17, 29.8 per 100,000 (NCMD child death review data
  release 2024, https://www.ncmd.info/publications/child-death-review-data-release-2024/). NCMD
  does not print the population; 3,577 / 29.8 × 100,000 implies about 12.0 million children
  (ncmd-domain.md §3.1, "[Derived]"), so the test uses 12.0 million and checks that any child
  population that rounds to 12.0 million (11.95 to 12.05 million) gives 29.8 (or 29.7-29.9).
- 2022-23: 3,743 deaths, 31.8 per 100,000 (Independent, 10 November 2023, quoting NCMD).
- 2024-25: 48% of the deaths reviewed had modifiable factors (University of Bristol news,
  November 2025); 3,271 reviews in 2022-23.
"""

import pytest

from ncmd.analysis.cells import percent_values, rate_values


def test_3577_deaths_in_12_0_million_children_is_29_8_per_100000():
    rate, lower, upper = rate_values(3577, 12_000_000)
    assert rate == 29.8
    # Byar's interval for 3,577 events: 3,460.7 to 3,696.2 per 12.0 million.
    assert (lower, upper) == (28.8, 30.8)


@pytest.mark.parametrize("population", [11_960_000, 12_000_000, 12_040_000])
def test_any_population_of_about_12_0_million_reproduces_the_published_rate(population):
    assert rate_values(3577, population)[0] in (29.7, 29.8, 29.9)


def test_2022_23_rate_of_31_8():
    # 3,743 deaths at 31.8 per 100,000 implies 11.77 million children.
    assert rate_values(3743, 11_770_000)[0] == 31.8


def test_a_share_of_48_percent_of_reviews_has_a_narrow_wilson_interval():
    # 48% of about 3,300 reviews (the 2022-23 count was 3,271): 1,570 of 3,271.
    percent, lower, upper = percent_values(1570, 3271)
    assert percent == 48.0
    assert (lower, upper) == (46.3, 49.7)
