"""The pure parts of an extract: pseudonyms, coarsening, cells, and the k-anonymity check."""

import datetime
import secrets

from ncmd.access.extract import as_text, assess_risk, coarsen, pseudonym


def test_pseudonyms_are_keyed_readable_and_stable():
    key, other = secrets.token_hex(32), secrets.token_hex(32)
    first = pseudonym(key, "CD-7KQ2-M9XA")
    assert first == pseudonym(key, "CD-7KQ2-M9XA")
    assert first != pseudonym(other, "CD-7KQ2-M9XA")
    assert first != pseudonym(key, "CD-7KQ2-M9XB")
    assert len(first) == 14 and first.count("-") == 2 and "CD-" not in first
    references = [f"CD-{i:04d}-AAAA" for i in range(5000)]
    assert len({pseudonym(key, r) for r in references}) == 5000


def test_dates_times_and_ages_are_coarsened():
    day = datetime.date(2024, 3, 2)
    assert coarsen(day, "exact") == day
    assert coarsen(day, "month") == "2024-03"
    assert coarsen(day, "year") == "2024"
    assert coarsen("04:30", "hour") == "04:00"
    assert coarsen(59, "months") == 1 and coarsen(61, "months") == 2
    assert coarsen(364, "years") == 0 and coarsen(366, "years") == 1
    assert coarsen(None, "month") is None


def test_cells():
    assert as_text(["a", "b"]) == "a;b"
    assert as_text(True) == "true" and as_text(None) == ""
    assert as_text(datetime.date(2024, 1, 2)) == "2024-01-02"
    assert as_text(1.5) == "1.5"


def test_the_smallest_group_of_quasi_identifiers():
    rows = [
        {
            "pseudonym": str(i),
            "notification__sex": s,
            "age_band": "1-4",
            "analysis__category_of_death": "x",
        }
        for i, s in enumerate("FFFFFFMM")
    ]
    fields = {
        "notification__sex": "as_recorded",
        "age_band": "as_recorded",
        "analysis__category_of_death": "as_recorded",
    }
    risk = assess_risk(rows, fields, minimum=5)
    assert risk.quasi_identifiers == ["notification__sex", "age_band"]  # not the category
    assert risk.smallest_group == 2
    assert risk.small_groups == [
        {"values": {"notification__sex": "M", "age_band": "1-4"}, "size": 2}
    ]
    assert assess_risk(rows, {"analysis__category_of_death": "as_recorded"}, 5).smallest_group == 8
    assert assess_risk([], fields, 5).smallest_group == 0
