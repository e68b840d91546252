"""Production smoke run: drives the portal as the Compose stack runs it (.ci/smoke-production.sh).

Run directly, not by pytest: `python tests/production/smoke.py` with the environment the shell
script prepares (production settings; SMOKE_APP_URL and SMOKE_OWNER_URL for the two roles, the
TOTP key of the user it logs in as). It starts gunicorn, a Celery worker and beat through
deploy/entrypoint.sh as the app role, logs in with a TOTP code, opens the main pages, requests a
committee report, kills the worker (SIGKILL) while it renders, starts a new one, sees the report
finish, and then shows that the app role is refused every change to the append-only tables and to
the schema. Any failure ends it with a message and exit status 1; the logs of the processes follow.
"""

import datetime
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import psycopg.errors
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(os.environ["SMOKE_WORK"])
APP_URL = os.environ["SMOKE_APP_URL"]
OWNER_URL = os.environ["SMOKE_OWNER_URL"]
USERNAME = os.environ["SMOKE_USER"]
PASSWORD = os.environ["SMOKE_PASSWORD"]
TOTP_KEY = bytes.fromhex(os.environ["SMOKE_TOTP_KEY"])
VISIBILITY_TIMEOUT = int(os.environ["CELERY_VISIBILITY_TIMEOUT"])
PAGES = ["/planung/", "/sozialraeume/", "/traeger/", "/budget/", "/berichte/"]


class SmokeFailure(Exception):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def step(message: str) -> None:
    print(f"-- {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Processes -------------------------------------------------------------------------------------


class Stack:
    """The app processes, each started like its Compose service: deploy/entrypoint.sh <name>."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DATABASE_URL": APP_URL,
            "SOZIALRAUM_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "HOSTNAME": f"smoke{os.getpid()}",
            "CELERY_BEAT_SCHEDULE_FILE": str(WORK / "celerybeat-schedule"),
        }

    def start(self, name: str, command: str) -> subprocess.Popen:
        log = open(WORK / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [str(ROOT / "deploy" / "entrypoint.sh"), command],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 takes the pool along
        )
        self.processes[name] = process
        return process

    def run_check(self, command: str) -> bool:
        result = subprocess.run(
            [str(ROOT / "deploy" / "entrypoint.sh"), command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=60,
        )
        return result.returncode == 0

    def wait_for(self, command: str, what: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                check(process.poll() is None, f"{name} ended early (exit {process.returncode})")
            if self.run_check(command):
                return
            time.sleep(1)
        raise SmokeFailure(f"{what} not healthy after {seconds} s ({command})")

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# HTTP, as behind the TLS reverse proxy ---------------------------------------------------------


class Browser:
    """Plain http.client with the headers a TLS proxy adds; cookies kept by hand (they are
    Secure, so a cookie jar would not send them over plain HTTP)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, **headers: str):
        body = urlencode(form or {}, doseq=True) if form is not None else None
        all_headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **headers,
        }
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Origin"] = f"https://{self.host}"
            all_headers["Referer"] = f"https://{self.host}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers, content

    def get(self, path: str, **headers: str):
        return self.request("GET", path, **headers)

    def page(self, path: str) -> str:
        status, headers, content = self.get(path)
        check(status == 200, f"GET {path}: {status} {headers.get('Location', '')}")
        return content.decode()

    def post(self, path: str, form: dict) -> str:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.page(path))
        check(token, f"no CSRF token on {path}")
        status, headers, content = self.request(
            "POST", path, {**form, "csrfmiddlewaretoken": token.group(1)}
        )
        check(status == 302, f"POST {path}: {status}, {content[:2000]!r}")
        return headers["Location"]


def log_in(browser: Browser) -> None:
    step(f"Anmeldung als {USERNAME} mit Passwort und TOTP-Code")
    next_page = browser.post("/anmelden/", {"username": USERNAME, "password": PASSWORD})
    # Every page sends a login without its second factor to the code page.
    status, headers, _ = browser.get(next_page)
    check(status == 302, f"{next_page} after the password alone: {status}")
    next_page = headers["Location"]
    check(next_page.startswith("/zwei-faktor/"), f"after the password: {next_page}")
    code = totp(TOTP_KEY)
    home = browser.post(next_page, {"code": f"{code:06d}"})
    check(not home.startswith("/zwei-faktor/"), f"the TOTP code was refused: {home}")


def report_request(browser: Browser) -> str:
    form = browser.page("/berichte/neu/")
    regions = re.findall(r'name="regions" value="(\d+)"', form)
    check(regions, "no regions on the report form")
    today = datetime.date.today()
    location = browser.post(
        "/berichte/neu/",
        {
            "title": "Smoke-Bericht",
            "period_start": f"01.01.{today.year}",
            "period_end": today.strftime("%d.%m.%Y"),
            "regions": regions,
            "anfordern": "Bericht anfordern",
        },
    )
    check(re.fullmatch(r"/berichte/[0-9a-f-]{36}/", location), f"report page: {location}")
    return location


def report_status(browser: Browser, page: str) -> dict:
    status, _, content = browser.get(page, Accept="application/json")
    check(status == 200, f"status of {page}: {status}")
    return json.loads(content)


def kill_worker_while_rendering(stack: Stack, browser: Browser) -> tuple[str, float]:
    """Request reports until the worker is caught (and killed) in the middle of one."""
    for _ in range(3):
        page = report_request(browser)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = report_status(browser, page)
            if status["state"] == "running":
                delivered = time.monotonic()
                stack.kill("worker")
                step(f"Worker mit kill -9 beendet, Bericht bei {status['progress']} %")
                time.sleep(1)
                after = report_status(browser, page)
                if after["state"] == "running":
                    return page, delivered
                break  # it finished just before the kill: try again with a new worker
            check(not status["finished"], f"report ended without running: {status}")
            time.sleep(0.05)
        else:
            raise SmokeFailure("the report never started running")
        stack.start("worker", "worker")
    raise SmokeFailure("the worker could not be caught in the middle of a render")


# The database as the app role ------------------------------------------------------------------

REFUSED = psycopg.errors.InsufficientPrivilege


def refused_as(
    url: str, sql: str, message: str, params: tuple = (), error_class: type = REFUSED
) -> None:
    with psycopg.connect(url) as connection:
        try:
            connection.execute(sql, params)
        except error_class as error:
            check(message in str(error), f"{sql!r}: refused, but with {error!s:.200}")
        except psycopg.Error as error:
            raise SmokeFailure(f"{sql!r}: {type(error).__name__} {error!s:.200}") from None
        else:
            raise SmokeFailure(f"{sql!r} was NOT refused")
        finally:
            connection.rollback()
    print(f"   verweigert: {sql}  ({message})")


def database_refusals() -> None:
    step("Als App-Rolle: Änderungen an Buchungen, Protokoll und Schema werden verweigert")
    with psycopg.connect(APP_URL) as connection:
        is_super = connection.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        check(is_super == (False,), "the app role is a superuser")
        ledger = connection.execute("SELECT min(id) FROM budgets_ledgerentry").fetchone()[0]
        audit = connection.execute("SELECT min(id) FROM cases_auditentry").fetchone()[0]
    check(ledger and audit, "no ledger entry or audit row to try")
    denied = "permission denied for table"
    for sql, message, params in [
        ("UPDATE budgets_ledgerentry SET amount = 0 WHERE id = %s", denied, (ledger,)),
        ("DELETE FROM budgets_ledgerentry WHERE id = %s", denied, (ledger,)),
        ("UPDATE cases_auditentry SET detail = 'x' WHERE id = %s", denied, (audit,)),
        ("DELETE FROM cases_auditentry WHERE id = %s", denied, (audit,)),
    ]:
        refused_as(APP_URL, sql, message, params)
    for sql, message in [
        ("TRUNCATE cases_auditentry CASCADE", denied),
        ("ALTER TABLE budgets_ledgerentry ADD COLUMN probe integer", "must be owner of table"),
        ("DROP TABLE budgets_ledgerentry CASCADE", "must be owner of table"),
        (
            "DROP TRIGGER cases_auditentry_append_only ON cases_auditentry",
            "must be owner of relation cases_auditentry",
        ),
        ("ALTER TABLE cases_auditentry DISABLE TRIGGER ALL", "must be owner of table"),
        ("SET session_replication_role = replica", "permission denied to set parameter"),
    ]:
        refused_as(APP_URL, sql, message)
    step("Als Eigentümer: die Trigger verweigern UPDATE und DELETE in Protokoll und Buchungen")
    for sql, message in [
        (
            "UPDATE cases_auditentry SET detail = 'x' WHERE id = %s",
            "audit entries are append-only: UPDATE refused",
        ),
        (
            "DELETE FROM cases_auditentry WHERE id = %s",
            "audit entries are append-only: DELETE refused",
        ),
    ]:
        refused_as(OWNER_URL, sql, message, (audit,))
    for operation, sql in [
        ("UPDATE", "UPDATE budgets_ledgerentry SET amount = 0 WHERE id = %s"),
        ("DELETE", "DELETE FROM budgets_ledgerentry WHERE id = %s"),
    ]:
        message = f"Buchungen sind unveränderlich: {operation} auf budgets_ledgerentry abgelehnt"
        refused_as(OWNER_URL, sql, message, (ledger,), psycopg.errors.RestrictViolation)


def report_attempts(page: str) -> int:
    public_id = page.strip("/").rsplit("/", 1)[-1]
    with psycopg.connect(OWNER_URL) as connection:
        row = connection.execute(
            "SELECT attempts FROM reports_reportrequest WHERE public_id = %s", [public_id]
        ).fetchone()
    check(row, f"no report {public_id}")
    return row[0]


# The run ---------------------------------------------------------------------------------------


def smoke(stack: Stack) -> None:
    step("gunicorn, Celery-Worker und Beat als App-Rolle starten (deploy/entrypoint.sh)")
    stack.start("web", "web")
    stack.start("worker", "worker")
    stack.start("beat", "beat")
    stack.wait_for("check-web", "web")
    stack.wait_for("check-worker", "worker")

    browser = Browser(stack.port)
    status, _, content = browser.get("/health/")
    check(status == 200 and json.loads(content)["status"] == "ok", f"/health/: {status}")
    log_in(browser)
    step("Hauptseiten öffnen")
    for path in PAGES:
        browser.page(path)
        print(f"   200 {path}")

    step("Bericht anfordern und den Worker mitten im Rendern beenden")
    page, delivered = kill_worker_while_rendering(stack, browser)
    # Redis gives an unacknowledged message to a worker that starts after the visibility
    # timeout; the new worker restores it at once.
    time.sleep(max(0.0, delivered + VISIBILITY_TIMEOUT + 2 - time.monotonic()))
    step("Neuen Worker starten")
    stack.start("worker", "worker")
    deadline = time.monotonic() + 180
    while (status := report_status(browser, page)) and not status["finished"]:
        check(time.monotonic() < deadline, f"the report did not finish: {status}")
        time.sleep(1)
    check(status["state"] == "done", f"report: {status}")
    check(report_attempts(page) == 2, "the report was not taken over by the second worker")
    code, _, pdf = browser.get(f"{page}bericht.pdf")
    check(code == 200 and pdf.startswith(b"%PDF"), f"PDF download: {code}")
    step(f"Bericht fertig nach zwei Versuchen, PDF mit {len(pdf)} Bytes")
    stack.wait_for("check-worker", "the new worker")
    check(stack.processes["beat"].poll() is None, "beat is not running")

    database_refusals()


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    stack = Stack(free_port())
    started = time.monotonic()
    try:
        smoke(stack)
    except (SmokeFailure, OSError, subprocess.SubprocessError, psycopg.Error) as failure:
        print(f"!! Produktions-Probelauf fehlgeschlagen: {failure}", file=sys.stderr)
        for log in sorted(WORK.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-6000:]}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    print(f"-- Produktions-Probelauf bestanden ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
