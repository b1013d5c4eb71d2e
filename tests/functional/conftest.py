"""Browser tests: a real `ncmd runserver` process on a throw-away database, driven by Playwright
in Debian's headless Chromium. They skip, saying how to enable them, where either is missing."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NCMD_CHROMIUM") or shutil.which("chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/functional/" in str(item.fspath):
            item.add_marker(pytest.mark.functional)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip(
            "Browser tests need Chromium: install Debian's package (apt-get install chromium) "
            "or set NCMD_CHROMIUM to a Chromium executable."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Browser tests need Playwright: pip install -e '.[test]'.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def screenshot_folder(section):
    """Where a test's screenshots go: docs/images/<section>/ when NCMD_DOCS_SCREENSHOTS=1
    (`make screenshots`, to refresh the user documentation's pictures), otherwise a temporary
    folder, so that running the tests never changes files in the repository."""
    if os.environ.get("NCMD_DOCS_SCREENSHOTS") == "1":
        folder = ROOT / "docs" / "images" / section
    else:
        folder = Path(tempfile.gettempdir()) / "ncmd-screenshots" / section
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_portal(var, seed="tests.functional.seed", **environment):
    """Serve the portal from a real server process on a new database in `var`, seeded through
    the actions by the module `seed`, which prints its facts as name=value lines. A generator
    for fixtures: yields (base URL, facts) and stops the server afterwards."""
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{var / 'portal.sqlite3'}",
        NCMD_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="ncmd.settings",
        PYTHONPATH=str(ROOT),
        DEBUG="false",
        **environment,
    )
    run = [sys.executable, "-m", "ncmd"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [sys.executable, "-m", seed], env=env, check=True, cwd=ROOT, capture_output=True,
        text=True,
    )  # fmt: skip
    facts = dict(line.split("=", 1) for line in seeded.stdout.split())
    port = _free_port()
    log_path = var / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [*run, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # Django's start-up checks are slow on a busy machine
    while True:
        try:
            urllib.request.urlopen(f"{url}/sign-in/", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                server.wait(timeout=10)
                pytest.fail(f"the portal did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
    try:
        yield url, facts
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    """The portal seeded by tests/functional/seed.py: yields the base URL and the seed's facts."""
    yield from serve_portal(tmp_path_factory.mktemp("portal"))


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, url, username, password):
    page.goto(f"{url}/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
