"""The newcomer's path, over HTTP: `python3 manage.py demo` with no DATABASE_URL and no REDIS_URL.

Starts the README's demo command on a fresh SQLite file and a free port, waits for its first page,
logs in as the demo account `planung` (no second factor in demo mode), requests a committee report
(rendered in-process, no broker), waits for it and downloads the PDF. Then it reads everything the
demo printed: no kombu warning and no log line printed twice. Standard library only, so it needs
nothing but the Python that runs it; exits 1 with the reason when a step fails.

Usage: python3 .ci/newcomer.py <empty work directory>
"""

import datetime
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "planung", "demo-passwort"
# The first start installs the virtual environment when there is none yet.
FIRST_PAGE_TIMEOUT = 900
REPORT_TIMEOUT = 300
# A log line of the portal's format: "2026-12-04 04:53:22,206 INFO reports.services …".
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


def fail(message: str) -> None:
    print(f"!! newcomer: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, redirects, Django's CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def open(self, path: str, data: dict | list | None = None, accept: str = "text/html"):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # Always http://127.0.0.1:<port>, never a URL from elsewhere.
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, headers={"Accept": accept}
        )
        if body is not None:
            request.add_header("Referer", self.base + path)  # Django checks it like a browser's
        return self.opener.open(request, timeout=60)

    def page(self, path: str, data: dict | list | None = None) -> tuple[str, str]:
        """The final URL path and the HTML of a page (after redirects)."""
        with self.open(path, data) as response:
            return urllib.parse.urlsplit(response.url).path, response.read().decode()

    def csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        fail("kein CSRF-Cookie erhalten")
        raise AssertionError  # unreachable


def wait_for_first_page(browser: Browser, demo: subprocess.Popen) -> None:
    deadline = time.monotonic() + FIRST_PAGE_TIMEOUT
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            fail(f"die Demo hat sich mit Status {demo.returncode} beendet, bevor sie antwortete")
        try:
            path, html = browser.page("/anmelden/")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
            continue
        if "Anmelden" not in html:
            fail(f"die erste Seite {path} ist nicht die Anmeldung")
        return
    fail(f"keine erste Seite nach {FIRST_PAGE_TIMEOUT} s")


def log_in(browser: Browser) -> None:
    path, _ = browser.page(
        "/anmelden/",
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": browser.csrf()},
    )
    if path.startswith("/anmelden/"):
        fail(f"Anmeldung als {USERNAME} abgelehnt")
    if "zwei-faktor" in path:
        fail(f"die Demo verlangt einen zweiten Faktor ({path})")
    print(f"== newcomer: angemeldet als {USERNAME}, Startseite {path}", flush=True)


def request_report(browser: Browser) -> str:
    _, form = browser.page("/berichte/neu/")
    regions = re.findall(r'name="regions" value="(\d+)"', form)
    if not regions:
        fail("das Berichtsformular bietet keine Region an")
    today = datetime.date.today()
    path, _ = browser.page(
        "/berichte/neu/",
        [
            ("csrfmiddlewaretoken", browser.csrf()),
            ("title", "Bericht der Neulingsprobe"),
            ("period_start", f"{today.year}-01-01"),
            ("period_end", today.isoformat()),
            *(("regions", region) for region in regions),
        ],
    )
    if not re.fullmatch(r"/berichte/[0-9a-f-]{36}/", path):
        fail(f"nach der Anforderung nicht auf der Seite des Berichts, sondern auf {path}")
    print(f"== newcomer: Bericht angefordert, {path}", flush=True)
    return path


def wait_for_report(browser: Browser, path: str) -> None:
    deadline = time.monotonic() + REPORT_TIMEOUT
    while time.monotonic() < deadline:
        with browser.open(path, accept="application/json") as response:
            status = json.load(response)
        if status["finished"]:
            if status["state"] != "done":
                fail(f"Bericht nicht fertig: {status}")
            return
        time.sleep(1)
    fail(f"Bericht nach {REPORT_TIMEOUT} s nicht fertig")


def download_pdf(browser: Browser, path: str) -> None:
    with browser.open(path + "bericht.pdf", accept="application/pdf") as response:
        pdf = response.read()
    if not pdf.startswith(b"%PDF"):
        fail(f"der Download ist kein PDF: {pdf[:20]!r}")
    print(f"== newcomer: PDF geladen, {len(pdf)} Bytes", flush=True)


def check_output(output: str) -> None:
    log_lines = [line for line in output.splitlines() if LOG_LINE.match(line)]
    if "No hostname" in output:
        fail("die Demo meldet kombus Warnung „No hostname was supplied“ (Ausgabe oben)")
    # A newcomer's first start warns about nothing (kombu's warning was one of these).
    warnings = [line for line in log_lines if line.split()[2] in {"WARNING", "ERROR", "CRITICAL"}]
    if warnings:
        fail("die Demo gibt Warnungen oder Fehler aus:\n" + "\n".join(warnings))
    twice = [line for line, count in Counter(log_lines).items() if count > 1]
    if twice:
        fail("die Demo gibt Zeilen doppelt aus:\n" + "\n".join(twice))
    # In-process, Celery's "Task … succeeded" line would say a second time that a report is done.
    if "celery.app.trace" in output:
        fail("die Demo meldet jeden Bericht zweimal, von Celery und reports.services (oben)")
    if "Traceback" in output:
        fail("die Demo gibt einen Traceback aus (Ausgabe oben)")


def main() -> None:
    if len(sys.argv) != 2:
        fail("Aufruf: python3 .ci/newcomer.py <leeres Arbeitsverzeichnis>")
    work = Path(sys.argv[1])
    if work.exists() and any(work.iterdir()):
        fail(f"{work} ist nicht leer; die Probe braucht eine frische Datenbank")
    work.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SOZIALRAUM_MODE", "DJANGO_SETTINGS_MODULE"}
    }
    # A fresh database and media folder of its own, so the run neither reuses nor leaves data.
    env["SOZIALRAUM_SQLITE_PATH"] = str(work / "db.sqlite3")
    env["DJANGO_MEDIA_ROOT"] = str(work / "media")
    port = free_port()
    log_path = work / "demo.log"
    print(f"== newcomer: python3 manage.py demo --port {port} (Ausgabe: {log_path})", flush=True)
    with log_path.open("w") as log:
        demo = subprocess.Popen(
            ["python3", "manage.py", "demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole below
        )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        wait_for_first_page(browser, demo)
        log_in(browser)
        report = request_report(browser)
        wait_for_report(browser, report)
        download_pdf(browser, report)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGINT)  # Ctrl+C, as the README says
            try:
                demo.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(demo.pid, signal.SIGKILL)
                demo.wait()
        output = log_path.read_text()
        print(output, flush=True)
    # The whole output was printed above; a failing check names what it found there.
    check_output(output)
    print("== newcomer: in Ordnung", flush=True)


if __name__ == "__main__":
    main()
