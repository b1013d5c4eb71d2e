import datetime
import json
import os
import shlex
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ncmd.analysis.actions import ensure_demo_denominators
from ncmd.analysis.years import previous_year, year_of
from ncmd.publishing.models import Release
from ncmd.quality.results import latest_results
from ncmd.synthetic.demo import (
    DEMO_PASSWORD,
    create_demo_users,
    load_demo_extras,
    read_state,
    write_state,
)

DEMO_DATA = {"seed": 1, "years": 5}


class Command(BaseCommand):
    help = (
        "Set up and serve the demonstration: migrate, load reference data, create one user per "
        "role, load five years of synthetic data (in the background, resuming if interrupted) "
        "and serve the portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
        parser.add_argument(
            "--no-serve", action="store_true", help="set up (and load the data) without serving"
        )

    def handle(self, *args, addr, no_serve, **options):
        if settings.PRODUCTION:
            raise CommandError("The demonstration never runs with NCMD_ENV=production.")
        self.stdout.write("Setting up the database ...")
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0, stdout=self.stdout)
        users = create_demo_users()
        load_demo_extras()
        state = read_state()
        if state is None:
            state = dict(DEMO_DATA, as_of=timezone.localdate().isoformat(), complete=False)
            write_state(state)
        # Synthetic population and births for the analyses' rates (flagged synthetic; made once).
        ensure_demo_denominators(as_of=datetime.date.fromisoformat(state["as_of"]),
                                 years=state["years"])  # fmt: skip
        command = [
            sys.executable, "-m", "ncmd", "synth", "--seed", str(state["seed"]),
            "--years", str(state["years"]), "--as-of", state["as_of"],
        ]  # fmt: skip
        refresh = [sys.executable, "-m", "ncmd", "quality", "refresh"]
        steps = [] if state["complete"] else [[*command, "--mark-complete"]]
        if not state["complete"] or latest_results() is None:
            steps.append(refresh)  # the snapshot and the data quality results
        if steps or not Release.objects.exists():
            steps += _publications(state)  # the annual report and a published release
        loader = None
        if steps and _loader_running():
            self.stdout.write("The synthetic data are already loading in another process.")
            steps = []
        if steps and no_serve:
            for step in steps:
                subprocess.run(step, check=True)
        elif steps:
            log = open(settings.VAR_DIR / "synth.log", "a")  # noqa: SIM115 (lives with the process)
            script = " && ".join(shlex.join(step) for step in steps)
            loader = subprocess.Popen(["sh", "-c", script], stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)  # fmt: skip
            self.stdout.write(
                "Loading five years of synthetic data, computing data quality and publishing the "
                "demonstration's statistics in the background (progress in var/synth.log and "
                "on the portal's pages) ..."
            )
        self.addr = addr
        self._print_users(users)
        if no_serve:
            return
        signal.signal(signal.SIGTERM, _stop)  # so the loader is stopped with the server
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            if loader is not None and loader.poll() is None:
                os.killpg(loader.pid, signal.SIGTERM)  # the next `make demo` carries on
                loader.wait()

    def _print_users(self, users):
        self.stdout.write("")
        self.stdout.write(f"Sign in at http://{self.addr}/ with any of these users,")
        self.stdout.write(f"all with the password: {DEMO_PASSWORD}")
        self.stdout.write("")
        for username, role, organisation in users:
            self.stdout.write(f"  {username:<18} {role:<30} {organisation}")
        self.stdout.write("")


def _publications(state):
    """The annual report and a published data release of the last whole financial year of the
    demo's data, from the newest snapshot, so that the public statistics pages have content."""
    year = previous_year(year_of(datetime.date.fromisoformat(state["as_of"])))
    title = f"Child death reviews in England, {year} (synthetic demonstration data)"
    ncmd = [sys.executable, "-m", "ncmd"]
    return [
        [*ncmd, "report", "annual", "--year", year, "--snapshot", "latest", "--no-pdf"],
        [*ncmd, "release", "build", "--year", year, "--snapshot", "latest", "--title", title,
         "--publish"],
    ]  # fmt: skip


def _stop(signum, frame):
    raise SystemExit(0)


def _loader_running():
    """True while a loader started by an earlier `make demo` is still running."""
    progress = settings.VAR_DIR / "synth-progress.json"
    try:
        os.kill(int(json.loads(progress.read_text())["pid"]), 0)
    except (FileNotFoundError, ValueError, KeyError, TypeError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
