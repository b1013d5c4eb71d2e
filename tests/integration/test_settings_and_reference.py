"""Production refuses to start without its secrets; reference data loads once and again."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from ncmd.registry.models import AuditEvent, Organisation, PostcodeLookup


def start(env):
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault("
         "'DJANGO_SETTINGS_MODULE', 'ncmd.settings'); django.setup()"],
        env={k: v for k, v in env.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS",
                                                        "DATABASE_URL")},
        capture_output=True, text=True,
    )  # fmt: skip


def test_production_without_a_secret_key_stops_with_a_hint():
    result = start(dict(os.environ, NCMD_ENV="production"))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when NCMD_ENV=production" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_an_unknown_environment_is_refused():
    result = start(dict(os.environ, NCMD_ENV="staging"))
    assert "set it to 'development' or 'production'" in result.stderr


@pytest.mark.django_db
def test_reference_data_loads_and_reloading_changes_nothing():
    call_command("load_reference", verbosity=0)
    assert Organisation.objects.filter(type="region").count() == 9
    assert 55 <= Organisation.objects.filter(type="cdop").count() <= 65
    for cdop in Organisation.objects.filter(type="cdop"):
        assert cdop.parent.type == "region"
        assert cdop.children.filter(type="local_authority").exists()
    assert PostcodeLookup.objects.count() > 10_000
    events = AuditEvent.objects.count()
    call_command("load_reference", verbosity=0)
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_bad_postcode_file_loads_nothing(tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text(
        "postcode,lsoa_code,imd_decile,imd_edition\n"
        "LS1 4AP,E01011365,3,IMD2019\n"
        "nonsense,E01011366,3,IMD2019\n"
        "LS2 7EW,E01011367,11,IMD2019\n"
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as raised:
        call_command("load_reference", postcodes=str(path), verbosity=0)
    message = str(raised.value)
    assert "row 3: postcode 'nonsense' is not a postcode" in message
    assert "row 4: imd_decile '11' must be a whole number 1 to 10" in message
    assert not PostcodeLookup.objects.filter(postcode="LS1 4AP").exists()
