"""Page benchmarks: server time, queries, the admin's changelist and the database's own time.

Every page is requested through Django's test client as a logged-in person of the role that uses
it. For each page this prints p50/p95 over repeated requests, the number of queries, and the
time of exactly those queries replayed through a cursor (the floor no page can go below); the
ratio of the two is the portal's overhead over the database. The case list is also compared with
Django's admin changelist over the same rows and filter (`benchmarks.admin`).
"""

import cProfile
import os
import pstats
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.city import ACCOUNTS
from budgets.models import Budget, LedgerEntry
from cases.models import Assignment, AssignmentStatus, Case, CaseKind, CaseStatus, HelpType
from sozialraum.models import Provider, Sozialraum, User

ALLOWED_STATUS = (200,)

# The main pages that issue 17's guard rails name: the case list's first and a deep page, the
# case record, the assignment list, the budget overview, the Sozialraum page and each role's
# start page. The others (the case list's filters and searches, the region's pages, an
# assignment) are measured as well; `benchmarks.growth` names the largest factor of both.
MAIN_PAGES = frozenset(
    {
        "Fallliste, erste Seite",
        "Fallliste, tiefe Seite (nach=)",
        "Fallakte (20 Fälle im Wechsel)",
        "Aufträge (ASD)",
        "Aufträge (Träger)",
        "Budgetübersicht (ASD)",
        "Budgetübersicht (Planung)",
        "Sozialraumseite (ASD)",
        "Sozialraumseite (Träger)",
        "Sozialraumseite (Planung)",
        "Startseite ASD",
        "Startseite ASD-Teamleitung",
        "Startseite Träger",
        "Startseite Planung",
        "Startseite Administration",
    }
)


@dataclass
class Page:
    name: str
    role: str
    url: str
    # Requests rotate over these URLs (e.g. different cases); `url` when empty.
    urls: list[str] = field(default_factory=list)

    @property
    def main(self) -> bool:
        return self.name in MAIN_PAGES


@dataclass
class Result:
    page: Page
    times: list[float]
    queries: int
    sql_times: list[float]
    status: int
    # CPU time of this process per request (Python: view, templates, ORM; not the database).
    cpu_times: list[float] = field(default_factory=list)
    # Python function calls of one request (cProfile): the same on a busy or a quiet machine.
    calls: int = 0

    @property
    def cpu_p50(self) -> float:
        return _percentile(self.cpu_times, 50)

    @property
    def p50(self) -> float:
        return _percentile(self.times, 50)

    @property
    def p95(self) -> float:
        return _percentile(self.times, 95)

    @property
    def sql_p50(self) -> float:
        return _percentile(self.sql_times, 50)

    @property
    def overhead(self) -> float:
        return self.p50 / self.sql_p50 if self.sql_p50 else float("nan")


def _percentile(values: list[float], percent: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def client_for(username: str) -> Client:
    """A client logged in as the account, with a verified second factor where the portal asks
    for one (django-otp), as after a real login."""
    user = User.objects.get(username=username)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        device, _ = StaticDevice.objects.get_or_create(
            user=user, name="Benchmark", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def pages_plan() -> list[Page]:
    """The pages of issue 8, for the accounts the generator creates."""
    caseworker = User.objects.get(username=ACCOUNTS["caseworker"])
    staff = User.objects.get(username=ACCOUNTS["provider_staff"])
    region = caseworker.asd_team.region
    region_cases = Case.objects.filter(region=region)
    total = region_cases.count()
    # The case 80 % down the list: a deep page, reached by keyset (`?nach=`).
    deep = region_cases.order_by("-id").values_list("id", flat=True)[int(total * 0.8)]
    running = list(
        region_cases.filter(kind=CaseKind.INDIVIDUAL, status=CaseStatus.RUNNING)
        .order_by("id")
        .values_list("id", flat=True)
    )
    details = running[:: max(1, len(running) // 20)][:20]
    sozialraum = Sozialraum.objects.filter(region=region).order_by("id").first()
    help_type = HelpType.objects.get(code="31")
    provider = Provider.objects.get(pk=staff.provider_id)
    assignments = list(
        Assignment.objects.filter(provider=provider, status=AssignmentStatus.ACTIVE)
        .order_by("id")
        .values_list("id", flat=True)
    )
    budget = Budget.objects.get(region=region, fiscal_year__year=timezone.localdate().year)
    cases_url = reverse("cases:list")

    def listed(query: str) -> str:
        return f"{cases_url}?{query}"

    return [
        Page("Fallliste, erste Seite", "caseworker", cases_url),
        Page("Fallliste, tiefe Seite (nach=)", "caseworker", listed(f"nach={deep}")),
        Page("Fallliste, Status laufend", "caseworker", listed("status=running")),
        Page("Fallliste, Art fallübergreifend", "caseworker", listed("kind=cross_case")),
        Page("Fallliste, Sozialraum", "caseworker", listed(f"sozialraum={sozialraum.pk}")),
        Page("Fallliste, Hilfeart § 31", "caseworker", listed(f"help_type={help_type.pk}")),
        Page("Fallliste, Träger", "caseworker", listed(f"provider={provider.pk}")),
        Page("Fallliste, HPG überfällig", "caseworker", listed("review_overdue=on")),
        Page("Fallliste, § 8a offen", "caseworker", listed("risk_open=on")),
        Page("Fallliste, meine Fälle", "caseworker", listed("mine=on")),
        Page("Fallliste, Namenssuche", "caseworker", "search:Müller"),
        Page("Fallliste, Fallnummernsuche", "caseworker", f"search:{region.code}-2025-01"),
        Page(
            "Fallakte (20 Fälle im Wechsel)",
            "caseworker",
            "",
            [reverse("cases:detail", args=[pk]) for pk in details],
        ),
        Page("Aufträge (ASD)", "caseworker", reverse("cases:assignment_list")),
        Page("Aufträge (Träger)", "provider_staff", reverse("cases:assignment_list")),
        Page(
            "Auftrag (Träger, 20 im Wechsel)",
            "provider_staff",
            "",
            [
                reverse("cases:assignment_detail", args=[pk])
                for pk in assignments[:: max(1, len(assignments) // 20)][:20]
            ],
        ),
        Page("Budgetübersicht (ASD)", "caseworker", reverse("budgets:overview")),
        Page("Budgetübersicht (Planung)", "planner", reverse("budgets:overview")),
        Page(
            "Regionsbudget (Planung)",
            "planner",
            reverse("budgets:budget_detail", args=[budget.pk]),
        ),
        Page(
            "Sozialraumseite (ASD)",
            "caseworker",
            reverse("overview:sozialraum_detail", args=[sozialraum.pk]),
        ),
        Page(
            "Sozialraumseite (Träger)",
            "provider_staff",
            reverse("overview:sozialraum_detail", args=[sozialraum.pk]),
        ),
        Page(
            "Sozialraumseite (Planung)",
            "planner",
            reverse("overview:sozialraum_detail", args=[sozialraum.pk]),
        ),
        Page(
            "Regionsseite (Planung)",
            "planner",
            reverse("overview:region_detail", args=[region.pk]),
        ),
        Page("Startseite ASD", "caseworker", reverse("asd_home")),
        Page("Startseite ASD-Teamleitung", "team_lead", reverse("asd_home")),
        Page("Startseite Träger", "provider_staff", reverse("provider_home")),
        Page("Startseite Planung", "planner", reverse("planning_home")),
        Page("Startseite Administration", "admin", reverse("admin_home")),
    ]


def _search_url(client: Client, text: str) -> str:
    """Searches are posted and kept in the session; the list is then read by a key."""
    response = client.post(reverse("cases:list"), {"q": text})
    if response.status_code != 302:
        raise RuntimeError(f"Suche nicht gespeichert (Status {response.status_code}).")
    return response["Location"]


def page_measure(client: Client, page: Page, runs: int, warmup: int = 3) -> Result:
    urls = page.urls or [page.url]
    if urls[0].startswith("search:"):
        urls = [_search_url(client, urls[0].removeprefix("search:"))]
    status = 200
    for k in range(warmup):
        status = client.get(urls[k % len(urls)]).status_code
    times, cpu_times = [], []
    for k in range(runs):
        began, cpu = time.perf_counter(), time.process_time()
        response = client.get(urls[k % len(urls)])
        times.append((time.perf_counter() - began) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        if response.status_code not in ALLOWED_STATUS:
            status = response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(urls[0])
    statements = [_plain_select(q["sql"]) for q in captured.captured_queries]
    return Result(
        page,
        times,
        len(statements),
        sql_measure(statements, runs),
        status,
        cpu_times,
        calls=python_calls(lambda: client.get(urls[0])),
    )


def python_calls(request: Callable[[], object]) -> int:
    """Function calls of one request under cProfile. Wall-clock and CPU times on a shared
    virtual machine swing by a factor of two with the neighbours (see `reference_loop`); the
    amount of Python work does not."""
    profile = cProfile.Profile()
    profile.enable()
    request()
    profile.disable()
    return pstats.Stats(profile).total_calls


def reference_loop() -> float:
    """CPU seconds of a fixed pure-Python loop (ten million additions): how fast this machine's
    Python is right now, to read the other figures against."""
    began, total = time.process_time(), 0
    for number in range(10_000_000):
        total += number
    return time.process_time() - began


_SERVER_CURSOR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR (.*)$', re.S)


def _plain_select(sql: str) -> str:
    """A server-side cursor (`.iterator()`, e.g. a form's choices) replayed as its SELECT."""
    match = _SERVER_CURSOR.match(sql)
    return match.group(1) if match else sql


def sql_measure(statements: list[str], runs: int) -> list[float]:
    """Milliseconds to run exactly the page's statements through a cursor, per repetition.

    On PostgreSQL each statement is prepared, as the portal's connections prepare what they run
    repeatedly (settings: DATABASE_PREPARED_STATEMENTS), so the floor holds no planning either;
    the two warm-up repetitions prepare them. Writes (the audit entry of a case view, the
    session) are rolled back.
    """
    times = []
    connection.ensure_connection()
    prepare = {"prepare": True} if connection.vendor == "postgresql" else {}
    cursor = connection.connection.cursor()  # the driver's own: Django's passes no `prepare`
    try:
        for _ in range(runs + 2):
            with transaction.atomic():
                began = time.perf_counter()
                for sql in statements:
                    cursor.execute(sql, **prepare)
                    if cursor.description is not None:
                        cursor.fetchall()
                times.append((time.perf_counter() - began) * 1000)
                transaction.set_rollback(True)
    finally:
        cursor.close()
    return times[2:]


@dataclass
class AdminComparison:
    label: str
    portal: Result
    admin: Result

    @property
    def ratio(self) -> float:
        return self.admin.p50 / self.portal.p50

    @property
    def calls_ratio(self) -> float:
        return self.admin.calls / self.portal.calls if self.portal.calls else float("nan")


def admin_compare(runs: int, clients: dict[str, Client]) -> list[AdminComparison]:
    """The case list against Django's admin changelist, same rows, same filter."""
    caseworker = User.objects.get(username=ACCOUNTS["caseworker"])
    region = caseworker.asd_team.region
    admin_url = reverse("admin:cases_case_changelist")
    cases_url = reverse("cases:list")
    pairs = [
        ("erste Seite der Region", "", f"region__id__exact={region.pk}"),
        (
            "Status laufend",
            "status=running",
            f"region__id__exact={region.pk}&status__exact=running",
        ),
        (
            "Art fallübergreifend",
            "kind=cross_case",
            f"region__id__exact={region.pk}&kind__exact=cross_case",
        ),
    ]
    result = []
    for label, portal_query, admin_query in pairs:
        portal = page_measure(
            clients["caseworker"],
            Page(f"Fallliste, {label}", "caseworker", f"{cases_url}?{portal_query}"),
            runs,
        )
        admin = page_measure(
            clients["admin"],
            Page(f"Admin-Changelist, {label}", "admin", f"{admin_url}?{admin_query}"),
            runs,
        )
        result.append(AdminComparison(label, portal, admin))
    return result


def run(*, runs: int, out: Callable[[str], None], only: str = "") -> list[Result]:
    clients = {role: client_for(username) for role, username in ACCOUNTS.items()}
    counts = {
        "Fälle": Case.objects.count(),
        "Buchungen": LedgerEntry.objects.count(),
    }
    out(
        f"Daten: {counts['Fälle']:,} Fälle, {counts['Buchungen']:,} Buchungen; "
        f"{runs} Messungen je Seite nach 3 zum Aufwärmen.".replace(",", ".")
    )
    out(f"Rechner: {os.cpu_count()} Kerne, Last (1/5/15 min) {_load()} zu Beginn.")
    out(f"Referenzschleife (10 Mio. Additionen): {reference_loop():.2f} s CPU zu Beginn.")
    results = []
    out("")
    out(
        "| Seite | Rolle | p50 ms | p95 ms | CPU ms | Python-Aufrufe | Abfragen | SQL ms "
        "| Seite ÷ SQL | Status |"
    )
    out("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for page in pages_plan():
        if only and only not in page.name:
            continue
        result = page_measure(clients[page.role], page, runs)
        results.append(result)
        out(
            f"| {page.name} | {page.role} | {result.p50:.1f} | {result.p95:.1f} | "
            f"{result.cpu_p50:.1f} | {_thousands(result.calls)} | {result.queries} | "
            f"{result.sql_p50:.1f} | {result.overhead:.1f} | {result.status} |"
        )
    if not only or only == "Admin":  # --only Admin: the comparison alone
        out("")
        out(
            "| Vergleich mit dem Admin | Portal p50 ms | Admin p50 ms | Faktor | "
            "Portal-Aufrufe | Admin-Aufrufe | Faktor | Admin-Abfragen | Status |"
        )
        out("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in admin_compare(runs, clients):
            out(
                f"| {c.label} | {c.portal.p50:.1f} | {c.admin.p50:.1f} | {c.ratio:.1f}× | "
                f"{_thousands(c.portal.calls)} | {_thousands(c.admin.calls)} | "
                f"{c.calls_ratio:.1f}× | {c.admin.queries} | {c.portal.status}/{c.admin.status} |"
            )
    out(f"Last (1/5/15 min) am Ende: {_load()}")
    out(f"Referenzschleife (10 Mio. Additionen): {reference_loop():.2f} s CPU am Ende.")
    return results


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())
