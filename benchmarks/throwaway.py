"""A throw-away registry for a benchmark: a SQLite database in a new temporary folder, migrated,
with the reference data loaded. Call it before importing anything that needs Django."""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def throwaway_registry(prefix):
    """Set up Django on a fresh database under a new temporary folder; returns the folder."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(NCMD_VAR_DIR=str(folder), DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
                      DJANGO_SETTINGS_MODULE="ncmd.settings", DEBUG="false")  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    return folder
