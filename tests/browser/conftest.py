"""Headless Chromium (Debian's package) driven by Playwright; no browser download."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sozialraum.demo import DEMO_ACCOUNTS
from tests.conftest import totp_code

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
            )
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# --- axe-core for the accessibility audit ---------------------------------------------------------
# axe-core comes from the npm registry, pinned with its integrity hash in tests/browser/package.json
# and package-lock.json. It is installed into a git-ignored cache inside the repository (never a
# package.json at the top level) the first time a test needs it, and again when the pin changes.
REPO = Path(__file__).resolve().parents[2]
AXE_MANIFEST = Path(__file__).resolve().parent / "package.json"
AXE_LOCK = AXE_MANIFEST.with_name("package-lock.json")
AXE_CACHE = REPO / ".cache" / "axe"
AXE_SCRIPT = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"


def _axe_installed_version() -> str:
    installed = AXE_SCRIPT.with_name("package.json")
    return json.loads(installed.read_text())["version"] if installed.exists() else ""


def axe_install() -> Path:
    """Install the pinned axe-core into .cache/axe/ unless it is there; the path of its script."""
    wanted = json.loads(AXE_MANIFEST.read_text())["dependencies"]["axe-core"]
    if _axe_installed_version() == wanted and AXE_SCRIPT.exists():
        return AXE_SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        message = (
            "The accessibility audit needs npm to fetch axe-core "
            "(Debian: apt-get install npm; CI installs it in .ci/run)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    AXE_CACHE.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(AXE_MANIFEST, AXE_CACHE / "package.json")
    shutil.copyfile(AXE_LOCK, AXE_CACHE / "package-lock.json")
    result = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(AXE_CACHE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0 or _axe_installed_version() != wanted:
        pytest.fail(f"npm could not install axe-core {wanted} into {AXE_CACHE}:\n{result.stderr}")
    return AXE_SCRIPT


@pytest.fixture(scope="session")
def axe_source() -> str:
    return axe_install().read_text(encoding="utf-8")


@pytest.fixture
def users(users):
    """The factory accounts log in through the real login page here, in demo mode, where the
    demo town's accounts may skip the second factor (never in production, see
    sozialraum/security.py). Tests of the second step use an account that is not flagged."""
    for user in users.values():
        user.is_demo_account = True
        user.save(update_fields=["is_demo_account"])
    return users


def log_in(page, base_url: str, username: str, password: str, *, totp_device=None) -> None:
    """Log in through the login page; with a TOTP device also through the second step."""
    page.goto(f"{base_url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    if totp_device is not None:
        page.get_by_label("Bestätigungscode").fill(totp_code(totp_device))
        page.get_by_role("button", name="Bestätigen").click()
        page.wait_for_load_state()


# The first demo account of each role (password DEMO_PASSWORD): the demo town gives it the
# richest world of objects.
DEMO_ACCOUNT_OF_ROLE: dict[str, str] = {}
for _username, *_names, _role, _membership in DEMO_ACCOUNTS:
    DEMO_ACCOUNT_OF_ROLE.setdefault(_role, _username)
