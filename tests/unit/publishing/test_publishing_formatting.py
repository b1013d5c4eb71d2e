"""Published numbers and the headline sentences written from them."""

from ncmd.analysis.tables import Column, Kind
from ncmd.publishing.formatting import cell_number, cell_text, headline_sentences
from tests.publishing_fakes import headline

RATE = Column("rate", "Rate", Kind.RATE)
COUNT = Column("deaths", "Deaths", Kind.COUNT)
MEDIAN = Column("median", "Median", Kind.STATISTIC)


def test_cells_round_half_up_with_fixed_decimals():
    assert cell_text(RATE, 0.05) == "0.1"
    assert cell_text(RATE, 2.25) == "2.3"  # half up, never to even
    assert cell_text(RATE, 3) == "3.0"
    assert cell_text(COUNT, 3577, grouping=True) == "3,577"
    assert cell_text(COUNT, 3577) == "3577"
    assert cell_text(MEDIAN, 301.0) == "301"
    assert cell_text(MEDIAN, 301.5) == "301.5"
    assert cell_text(RATE, None) == "[x]"
    assert cell_text(RATE, "[c]") == "[c]"
    assert cell_number(RATE, 2.25) == 2.3 and cell_number(COUNT, 12) == 12


def test_the_headline_is_written_from_the_numbers():
    sentences = headline_sentences(headline())
    assert sentences[0] == (
        "In 2024-25, 2,450 children died in England, 29.8 per 100,000 children (95% confidence "
        "interval 28.7 to 31.0), compared with 2,440 (29.7 per 100,000) in 2023-24."
    )
    assert sentences[1] == "That is 10 deaths more than in 2023-24 (0.4% more)."
    assert "4.0 deaths per 1,000 live births (95% confidence interval 3.8 to 4.1)" in sentences[2]
    assert (
        "completed 1,150 reviews; the median time from death to completed review was 301 "
        "days." in sentences[3]
    )
    assert "18.3% of reviewed deaths (95% confidence interval 16.1 to 20.6)" in sentences[4]
    assert "synthetic" in sentences[5]


def test_singular_and_plural_and_falls():
    one = headline(
        deaths=1,
        previous_deaths=2,
        previous_rate=None,
        reviews_completed=1,
        median_days_to_review=1.0,
        denominator_synthetic=False,
    )
    sentences = headline_sentences(one)
    assert sentences[0].startswith("In 2024-25, 1 child died in England")
    assert sentences[0].endswith("compared with 2 in 2023-24.")
    assert sentences[1] == "That is 1 death fewer than in 2023-24 (50.0% fewer)."
    assert (
        "completed 1 review; the median time from death to completed review was 1 day."
        in sentences[3]
    )
    assert not any("synthetic" in s for s in sentences)


def test_no_previous_year_and_no_change():
    first = headline(previous_deaths=0, previous_rate=None)
    assert "compared with" not in headline_sentences(first)[0]
    same = headline(previous_deaths=2450)
    assert headline_sentences(same)[1] == ("The number of deaths was the same as in 2023-24.")


def test_no_reviews_is_said_plainly():
    sentences = headline_sentences(headline(reviews_completed=0, modifiable_percent=None))
    assert "No child death reviews were completed in 2024-25." in sentences
    assert not any("modifiable factors" in s for s in sentences)
