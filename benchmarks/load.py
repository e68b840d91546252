"""Load run: gunicorn with five workers on loopback, wrk with twenty connections, bounded in time.

Twenty logged-in people (caseworkers, provider staff, planners, each with their own session)
request the pages of their daily work in turn. wrk's Lua script checks every status and prints
requests per second, p50/p95/p99 and the errors (anything but 200 counts as one).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from benchmarks.pages import client_for
from budgets.models import Budget
from cases.models import Assignment, AssignmentStatus, Case, CaseKind, CaseStatus
from sozialraum.models import Role, Sozialraum, User

ROOT = Path(__file__).resolve().parent.parent
LUA = """
requests = {
%(requests)s
}
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  n = offset
end

function request()
  n = n + 1
  local r = requests[(n %% #requests) + 1]
  return wrk.format("GET", r[1], {["Cookie"] = r[2]})
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%%d duration_us=%%d p50_us=%%d p95_us=%%d p99_us=%%d max_us=%%d " ..
    "non200=%%d connect=%%d read=%%d write=%%d timeout=%%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, b, e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def wrk_path() -> str:
    """wrk from the system; installed with apt where it is missing (benchmark machines only)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError("wrk fehlt: bitte installieren (Debian/Ubuntu: apt-get install wrk).")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk") or "wrk"


def sessions_and_paths() -> list[tuple[str, str]]:
    """(path, cookie) for twenty people: twelve caseworkers, five provider staff, three planners."""
    cookie_name = settings.SESSION_COOKIE_NAME
    today = timezone.localdate()
    pairs: list[tuple[str, str]] = []
    for user in _first_of_each(User.objects.filter(role=Role.CASEWORKER), "asd_team_id", 12):
        cookie = f"{cookie_name}={client_for(user.username).cookies[cookie_name].value}"
        region = user.asd_team.region_id
        cases = list(
            Case.objects.filter(
                region_id=region, kind=CaseKind.INDIVIDUAL, status=CaseStatus.RUNNING
            )
            .order_by("-id")
            .values_list("id", flat=True)[:400:40]
        )
        deep = Case.objects.filter(region_id=region).order_by("-id").values_list("id", flat=True)
        sozialraum = Sozialraum.objects.filter(region_id=region).order_by("id").first()
        paths = [
            reverse("cases:list"),
            f"{reverse('cases:list')}?status=running",
            f"{reverse('cases:list')}?nach={deep[deep.count() * 4 // 5]}",
            reverse("cases:assignment_list"),
            reverse("overview:sozialraum_detail", args=[sozialraum.pk]),
            reverse("budgets:overview"),
        ]
        paths += [reverse("cases:detail", args=[pk]) for pk in cases[:4]]
        pairs += [(path, cookie) for path in paths]
    for user in _first_of_each(User.objects.filter(role=Role.PROVIDER_STAFF), "provider_id", 5):
        cookie = f"{cookie_name}={client_for(user.username).cookies[cookie_name].value}"
        assignments = Assignment.objects.filter(
            provider_id=user.provider_id, status=AssignmentStatus.ACTIVE
        ).values_list("id", flat=True)[:3]
        paths = [reverse("cases:assignment_list")]
        paths += [reverse("cases:assignment_detail", args=[pk]) for pk in assignments]
        sozialraum = Sozialraum.objects.order_by("id").first()
        paths.append(reverse("overview:sozialraum_detail", args=[sozialraum.pk]))
        pairs += [(path, cookie) for path in paths]
    budget = Budget.objects.filter(region__isnull=False, fiscal_year__year=today.year).first()
    for user in User.objects.filter(role=Role.PLANNER).order_by("id")[:3]:
        cookie = f"{cookie_name}={client_for(user.username).cookies[cookie_name].value}"
        paths = [
            reverse("budgets:overview"),
            reverse("budgets:budget_detail", args=[budget.pk]),
            reverse("overview:sozialraum_detail", args=[budget.region.sozialraeume.first().pk]),
            reverse("overview:region_detail", args=[budget.region_id]),
        ]
        pairs += [(path, cookie) for path in paths]
    # Interleave so that consecutive requests come from different people.
    return pairs[::2] + pairs[1::2]


def _first_of_each(users, group: str, count: int) -> list[User]:
    """The first account of each team (or provider), so the load spreads over regions."""
    chosen, seen = [], set()
    for user in users.order_by(group, "id").select_related("asd_team"):
        if getattr(user, group) not in seen:
            seen.add(getattr(user, group))
            chosen.append(user)
        if len(chosen) == count:
            break
    return chosen


def gunicorn_start(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/anmelden/", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn antwortet nicht.")


def wrk_run(wrk: str, script: Path, port: int, seconds: int, connections: int) -> LoadResult:
    output = subprocess.run(
        [
            wrk,
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    values = dict(part.split("=") for part in line.split()[1:])
    number = {key: int(value) for key, value in values.items()}
    errors = sum(number[k] for k in ("non200", "connect", "read", "write", "timeout"))
    return LoadResult(
        requests=number["requests"],
        seconds=number["duration_us"] / 1e6,
        p50_ms=number["p50_us"] / 1000,
        p95_ms=number["p95_us"] / 1000,
        p99_ms=number["p99_us"] / 1000,
        max_ms=number["max_us"] / 1000,
        errors=errors,
    )


def run(
    *, seconds: int, connections: int, workers: int, port: int, out: Callable[[str], None]
) -> LoadResult:
    wrk = wrk_path()
    pairs = sessions_and_paths()
    lua = LUA % {"requests": ",\n".join(f'  {{"{path}", "{cookie}"}}' for path, cookie in pairs)}
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "portal.lua"
        script.write_text(lua)
        server = gunicorn_start(port, workers)
        try:
            out(f"gunicorn: {workers} Worker auf 127.0.0.1:{port}; {len(pairs)} Seiten im Wechsel")
            wrk_run(wrk, script, port, 5, connections)  # warm-up: caches, connections
            result = wrk_run(wrk, script, port, seconds, connections)
        finally:
            server.terminate()  # graceful: workers finish their request first
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    out(
        f"Last: {connections} Verbindungen, {seconds} s: {result.per_second:.0f} Anfragen/s, "
        f"p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
        f"max {result.max_ms:.0f} ms, Fehler {result.errors} von {result.requests}"
    )
    return result
