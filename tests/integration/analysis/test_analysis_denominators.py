"""Importing denominators: the command, the all-or-nothing rule, the audit trail, the demo's
synthetic set."""

import datetime
import io
import time

import pytest
from django.core.management import CommandError, call_command

from ncmd.analysis.actions import ensure_demo_denominators, import_denominators
from ncmd.analysis.models import DenominatorDataset, LiveBirths, PopulationEstimate
from ncmd.registry.models import AuditEvent

GOOD = "ladcode23,laname23,sex,age,population_2023\nE06000001,Hartlepool,1,0,500\n"


def run(*args):
    out = io.StringIO()
    call_command("denominators", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_an_ons_file_and_records_it(db, tmp_path):
    path = tmp_path / "myeb2.csv"
    path.write_text(GOOD + "E06000001,Hartlepool,2,0,480\nE06000001,Hartlepool,2,30,700\n")
    out = run("import", str(path), "--kind", "population", "--source", "ONS MYEB2 mid-2023")
    assert "2 rows for 2023" in out
    dataset = DenominatorDataset.objects.get()
    assert (dataset.kind, dataset.name, dataset.source, dataset.synthetic) == (
        "population", "myeb2.csv", "ONS MYEB2 mid-2023", False)  # fmt: skip
    assert len(dataset.content_hash) == 64 and dataset.years == [2023]
    assert PopulationEstimate.objects.filter(dataset=dataset).count() == 2
    event = AuditEvent.objects.get(action="import_denominators")
    assert event.detail["skipped_adult_rows"] == 1
    assert event.detail["content_hash"] == dataset.content_hash
    assert "myeb2.csv" in run("list")


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "E06000001,Hartlepool,1,1,-4\n")
    with pytest.raises(CommandError) as raised:
        run("import", str(path), "--kind", "population")
    assert (
        "bad.csv: Nothing was imported: 1 problem(s) in the file.\nline 3, column "
        "'population_2023', value '-4': must be a whole number"
    ) in str(raised.value)
    assert not DenominatorDataset.objects.exists()
    assert not PopulationEstimate.objects.exists()
    assert not AuditEvent.objects.filter(action="import_denominators").exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*nothing.csv"):
        run("import", str(tmp_path / "nothing.csv"), "--kind", "births")


def test_a_dataset_needs_a_name_and_a_source(db):
    from ncmd.analysis.actions import DenominatorRefused

    with pytest.raises(DenominatorRefused, match="where the figures come from"):
        import_denominators(kind="population", data=GOOD, name="x", source=" ", by=None)


def test_synthetic_denominators_by_command(db):
    out = run("synthetic", "--first-year", "2023-24", "--last-year", "2024-25")
    assert out.count("SYNTHETIC") == 2
    population, births = (DenominatorDataset.objects.get(kind=k) for k in ("population",
                                                                          "births"))  # fmt: skip
    assert population.synthetic and births.synthetic and population.years == [2023, 2024]
    assert "SYNTHETIC" in population.citation
    assert LiveBirths.objects.filter(dataset=births, year=2024).count() == 153
    with pytest.raises(CommandError, match="not a financial year"):
        run("synthetic", "--first-year", "2023", "--last-year", "2024-25")
    with pytest.raises(CommandError, match="must not be before"):
        run("synthetic", "--first-year", "2024-25", "--last-year", "2023-24")


def test_the_demo_gets_synthetic_denominators_once_and_quickly(db):
    started = time.perf_counter()
    made = ensure_demo_denominators(as_of=datetime.date(2026, 11, 27), years=5)
    assert time.perf_counter() - started < 5
    assert [d.kind for d in made] == ["population", "births"]
    assert made[0].years == list(range(2021, 2027))  # deaths from November 2021
    assert ensure_demo_denominators(as_of=datetime.date(2026, 11, 27), years=5) == ()


def test_synthetic_denominators_add_up_from_authorities_to_cdops_regions_and_england(db):
    from ncmd.analysis.actions import create_synthetic_denominators
    from ncmd.analysis.denominators import Denominators
    from ncmd.registry.reference import read_reference

    population, births = create_synthetic_denominators(years=[2024], by=None)
    reference = read_reference()
    organisations = [("E92000001", "nation", None)]
    organisations += [(r["code"], "region", "E92000001") for r in reference["regions"]]
    organisations += [(c["code"], "cdop", c["region"]) for c in reference["cdops"]]
    organisations += [(la, "local_authority", c["code"]) for c in reference["cdops"]
                      for la in c["local_authorities"]]  # fmt: skip
    organisations.append(("PTN-NHSE", "partner", "E92000001"))  # not an area: ignored
    denominators = Denominators(organisations, population, births)
    england = denominators.population(2024, "E92000001")
    assert 11_900_000 < england < 12_100_000
    north_east = denominators.population(2024, "E12000001")
    assert north_east == sum(denominators.population(2024, c["code"]) for c in reference["cdops"]
                             if c["region"] == "E12000001")  # fmt: skip
    assert denominators.population(2024, "E92000001", sex="M") + denominators.population(
        2024, "E92000001", sex="F") == england  # fmt: skip
    assert denominators.population(2024, "E92000001", 1, 4) is not None
    assert denominators.population(2024, "E92000001", 2, 3) is None  # inside a 1-4 band
    assert sum(denominators.population(2024, "E92000001", decile=d) for d in range(1, 11)) == (
        england)  # fmt: skip
    count, period = denominators.births(2024, "E92000001")
    assert 570_000 < count < 630_000 and period == "financial"
    assert denominators.births(2030, "E92000001") == (None, None)
    assert any("SYNTHETIC" in note for note in denominators.notes())
