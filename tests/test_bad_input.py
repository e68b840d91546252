"""Bad input everywhere: every form of the portal answers generated bad input with a German
message (or takes it whole), never with a 500, and never stores half of it.

The forms are found, not listed. The demo town is built once for the module; then each role (and
an anonymous visitor) walks the portal from its start page, following links, and every <form> on
every page it sees is recorded with its fields, options and submit buttons, together with the role
that saw it (so it posts as someone allowed to). Every URL whose view accepts POST must turn up as
the target of some form, or be explained in `WITHOUT_FORM`; a new form cannot slip past.

For each form, hypothesis posts bad values: wrong types, far too long text, missing and doubled
fields, malformed dates and numbers, HTML and script, NUL bytes, right-to-left marks, emoji,
combining characters and broken files. Each example runs in a savepoint that is rolled back, so
every example meets the same town. The checks:

- no 500 (the test client raises the view's exception),
- a refused form (422, or 200/400 with an error) speaks German, never Django's English defaults,
- a request that did not succeed (anything but a redirect) changed no row of the portal's tables
  (the access log excepted: it records views by design).

`SOZIALRAUM_BAD_INPUT_EXAMPLES` (default 8) sets the examples per form; raise it for a deep run.
"""

import datetime
import inspect
import os
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import AuditEntry, Person
from reports.models import ReportRequest, ReportState
from sozialraum.models import Deputy, Role, User
from tests.conftest import SecondFactorClient, totp_device
from tests.factories import UserFactory

EXAMPLES = int(os.environ.get("SOZIALRAUM_BAD_INPUT_EXAMPLES", "8"))
ANONYMOUS = "anonymous"
HALF_LOGGED_IN = "planner before the second factor"
# One demo account per role: the demo town gives each the richest world of objects and forms.
ACCOUNTS = {
    Role.CASEWORKER: "asd-nord",
    Role.TEAM_LEAD: "leitung-nord",
    Role.PROVIDER_STAFF: "traeger-a",
    Role.PLANNER: "planung",
    Role.ADMIN: "admin",
}
# Pages a visitor walks to but that are not worth fetching again and again while walking: files.
NOT_WALKED = {
    "budgets:export",
    "reports:download",
    "reports:export_xlsx",
    "reports:export_csv",
    "reports:status",
    "meetings:minutes_pdf",
}
URLS_PER_VIEW = 2  # how many different objects of one page a role walks to
# Case pages show other forms by kind and status (a project's edit link, a help's end form …).
URLS_PER_VIEW_MORE = {"cases:detail": 10}
# Views that accept POST without a form on any page, and why no form is fuzzed for them.
WITHOUT_FORM = {
    "logout": "takes no input; posting logs the visitor out",
    # django-ninja's views take every method; the read API is GET only and answers a POST with
    # 405. Its bad input (malformed parameters) is tests/api/test_api_schema.py's work.
    "v1:api-root": "the read API, GET only (tests/api)",
    "v1:openapi-json": "the read API's schema, GET only (tests/api)",
}
LOCAL_APPS = ("sozialraum", "network", "cases", "budgets", "reports", "privacy", "meetings", "api")
# The access log records every view of a case record, refused or not: that is its purpose.
NOT_COUNTED = {AuditEntry._meta.db_table}
ENGLISH = re.compile(
    r"This field is required|Enter a valid|Select a valid choice|Ensure this value|"
    r"Null characters are not allowed|Enter a whole number|Enter a number|The submitted file|"
    r"No file was submitted|is not one of the available choices|Upload a valid|Server Error|"
    r"Traceback|Bad Request|Forbidden",
)
# POST forms whose answer is a page of results, not a stored record: they may answer 200 without
# an error (the search found nothing, the codes are shown). Every other POST that is not
# redirected was refused and must say why.
POST_SHOWS_RESULTS = {
    "address_lookup",
    "backup_codes_renew",
    "cases:list",
    "documents:letter_template_edit",  # "Vorschau anzeigen" shows the letter, stores nothing
    "privacy:subject_search",
    "session_extend",
}
ERROR_MARKERS = ("invalid-feedback", "alert-danger", "errorlist", 'role="alert"', "is-invalid")


# --- The URL configuration ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    roles: tuple[str, ...] | None
    accepts_post: bool


def _innermost(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def _accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    try:
        source = inspect.getsource(_innermost(callback))
    except (OSError, TypeError):
        return True  # cannot tell: treat as a form, so it must be found
    return "POST" in source


def _routes(patterns=None, namespace: str = "") -> dict[str, Route]:
    routes = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            routes |= _routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            roles = getattr(pattern.callback, "allowed_roles", None)
            routes[name] = Route(
                name, tuple(roles) if roles else None, _accepts_post(pattern.callback)
            )
    return routes


ROUTES = _routes()


def _view_name(path: str) -> str | None:
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name if match.view_name in ROUTES else None


# --- Forms as a browser sees them ---------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, date, number, file, hidden, …
    options: list[str] = field(default_factory=list)
    value: str = ""
    multiple: bool = False


@dataclass
class Form:
    view: str
    path: str
    method: str
    role: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)
    button: tuple[str, str] | None = None  # the named submit button that sends this form

    def key(self) -> tuple:
        return (self.view, self.method, self.role, tuple(sorted(self.fields)), self.button)


class _PageParser(HTMLParser):
    """Links and forms of one page (fields of nested selects and textareas included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "multipart": "multipart" in a.get("enctype", ""),
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            name = a["name"]
            if kind in ("submit", "button", "image"):
                self._form["buttons"].append((name, a.get("value", "")))
                return
            known = self._form["fields"].get(name)
            if known and kind in ("radio", "checkbox"):
                known.options.append(a.get("value", "on"))
                known.multiple = known.multiple or kind == "checkbox"
                return
            self._form["fields"][name] = Field(
                name,
                kind,
                options=[a.get("value", "on")] if kind in ("radio", "checkbox") else [],
                value=a.get("value", ""),
            )
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._form["fields"][a["name"]] = Field(a["name"], "textarea")
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._form["fields"][a["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# --- The walk -----------------------------------------------------------------------------------


@dataclass
class Portal:
    clients: dict[str, Client]
    forms: dict[str, list[Form]]
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # view → (path, role)
    query_names: set[str] = field(default_factory=set)  # every ?name= a link or a filter uses


def _client(role: str) -> Client:
    if role == ANONYMOUS:
        return Client()
    if role == HALF_LOGGED_IN:
        # Password given, second factor not yet: the verification form is all this one sees.
        person = UserFactory(role=Role.PLANNER, password=None)
        totp_device(person)
        client = Client()
        client.force_login(person)
        return client
    client = SecondFactorClient()
    client.force_login(User.objects.get(username=ACCOUNTS[role]))
    return client


def _walk(client: Client, role: str, start: list[str], portal: Portal) -> None:
    queue = deque(start)
    visited: set[str] = set()
    per_view: dict[str, int] = {}
    while queue:
        path = queue.popleft()
        view = _view_name(path)
        if view is None or path in visited or view in NOT_WALKED | {"logout"}:
            continue
        if per_view.get(view, 0) >= URLS_PER_VIEW_MORE.get(view, URLS_PER_VIEW):
            continue
        visited.add(path)
        per_view[view] = per_view.get(view, 0) + 1
        response = client.get(path, follow=True)
        final = response.request["PATH_INFO"]
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        portal.pages.setdefault(_view_name(final) or view, (final, role))
        parser = _PageParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            _record(form, page=final, role=role, portal=portal)
            if form["method"] == "get":
                portal.query_names.update(form["fields"])
        for link in parser.links:
            if link.startswith("/"):
                queue.append(urlsplit(link).path)
                portal.query_names.update(parse_qs(urlsplit(link).query))


def _record(raw: dict, *, page: str, role: str, portal: Portal) -> None:
    path = urlsplit(raw["action"]).path or page
    view = _view_name(path)
    if view is None or view == "logout":
        return
    for button in raw["buttons"] or [None]:
        form = Form(
            view=view,
            path=path,
            method=raw["method"],
            role=role,
            multipart=raw["multipart"],
            fields=dict(raw["fields"]),
            button=button,
        )
        known = portal.forms.setdefault(view, [])
        if form.key() not in {f.key() for f in known}:
            known.append(form)


def _forms_after_a_search(portal: Portal) -> None:
    """The export form of a subject access request only appears with search results."""
    persons = [str(pk) for pk in Person.objects.exclude(name_key="").values_list("pk", flat=True)]
    portal.forms.setdefault("privacy:subject_export", []).append(
        Form(
            view="privacy:subject_export",
            path=reverse("privacy:subject_export"),
            method="post",
            role=Role.ADMIN,
            multipart=False,
            fields={
                "persons": Field("persons", "checkbox", options=persons[:3], multiple=True),
                "output": Field("output", "radio", options=["html", "pdf"]),
            },
        )
    )


def _objects_the_demo_lacks() -> None:
    """A failed committee report: its page offers the form that starts it again; a deputyship."""
    ReportRequest.objects.create(
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        requested_by=User.objects.get(username=ACCOUNTS[Role.PLANNER]),
        state=ReportState.FAILED,
        error="Test",
    )
    # A running deputyship: the deputies page offers the form that ends it.
    caseworker = User.objects.get(username=ACCOUNTS[Role.CASEWORKER])
    today = datetime.date.today()
    Deputy.objects.create(
        absent=caseworker,
        deputy=User.objects.get(username=ACCOUNTS[Role.TEAM_LEAD]),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=14),
        set_by=caseworker,
    )


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    """The demo town and every form its people see; rolled back at the module's end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo_town", stdout=StringIO())
            _objects_the_demo_lacks()
            portal = Portal(clients={}, forms={})
            for role in ACCOUNTS:
                portal.clients[role] = _client(role)
                _walk(portal.clients[role], role, [reverse("home")], portal)
            for role, start in (
                (ANONYMOUS, [reverse("login"), reverse("accessibility_statement")]),
                (HALF_LOGGED_IN, [reverse("home")]),
            ):
                portal.clients[role] = _client(role)
                _walk(portal.clients[role], role, start, portal)
            _forms_after_a_search(portal)
            yield portal
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Rows before and after ----------------------------------------------------------------------


def _counted_tables() -> list[str]:
    tables = set()
    for app in LOCAL_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return sorted(tables - NOT_COUNTED)


TABLES = _counted_tables()


def row_counts() -> dict[str, int]:
    """Rows per table in one query."""
    quote = connection.ops.quote_name
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in TABLES)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return dict(zip(TABLES, cursor.fetchone(), strict=True))


class _Rollback(Exception):
    pass


def isolated(step):
    """Run `step` in a savepoint that is always rolled back; return what it returned."""
    box = {}
    try:
        with transaction.atomic():
            box["result"] = step()
            raise _Rollback
    except _Rollback:
        pass
    return box["result"]


# --- Bad values ---------------------------------------------------------------------------------

UNICODE = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be sent as UTF-8
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202egnp.exe",  # right-to-left override
    "\u200f\u200e\u200b",  # right-to-left and left-to-right marks, zero-width space
    "👩\u200d👧\u200d👦",  # emoji joined with zero-width joiners
    "e\u0301\u0301\u0301\u0301",  # combining accents
    "\ufeffText",  # byte-order mark
    "Zeile 1\r\nZeile 2",
    "\t",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "null",
]
NUMBERS = ["-1", "0", "1e309", "NaN", "inf", "-0", "9" * 40, "3,14", "1.000,50", "12abc", "0x1F"]
DATES = [
    "31.02.2024",
    "2024-02-30",
    "0000-00-00",
    "99999-12-31",
    "2024-13-01",
    "1.1.1",
    "01.01.10000",
    "1900-01-01",
    "2024-01-01T25:00",
]
texts = st.one_of(
    st.sampled_from(NASTY + NUMBERS + DATES),
    st.text(UNICODE, max_size=30),
    st.builds(lambda s, n: s * n, st.text(UNICODE, min_size=1, max_size=3), st.integers(300, 3000)),
)
FILE_NAMES = ["daten.csv", "bild.png", "../../etc/passwd", "a" * 300 + ".csv", "leer", "ü.csv"]
file_contents = st.one_of(
    st.binary(max_size=400),
    st.sampled_from(
        [
            b"",
            b"\x00\x01\x02",
            b"strasse;plz\nLindenallee;\x00\n",
            "\ufeffname;sozialraum\n<script>;N1\n".encode(),
            "Straße;Ä".encode("latin-1"),
            b"a;b;c\n" * 2000,
            b"PK\x03\x04 not really a spreadsheet",
        ]
    ),
)
MISSING = object()


def _value(form_field: Field):
    choices = [texts]
    if form_field.options:
        # Often a real option, so that the bad values of the other fields get past the choices.
        choices.insert(0, st.sampled_from(form_field.options))
    if form_field.kind == "date":
        choices.append(st.sampled_from(DATES))
    if form_field.kind == "number":
        choices.append(st.sampled_from(NUMBERS))
    if form_field.value:
        choices.append(st.just(form_field.value))
    return st.one_of(*choices)


def _file():
    return st.builds(
        lambda name, content: SimpleUploadedFile(name, content), st.sampled_from(FILE_NAMES),
        file_contents,
    )  # fmt: skip


def field_values(form_field: Field):
    single = _file() if form_field.kind == "file" else _value(form_field)
    return st.one_of(
        st.just(MISSING),
        single,
        st.lists(_value(form_field), min_size=2, max_size=3),  # a field sent twice or more
    )


# --- The test -----------------------------------------------------------------------------------


def _send(client: Client, form: Form, data: dict):
    if form.method == "get":
        flat = {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)}
        return client.get(form.path, flat)
    return client.post(form.path, data)


def _check(form: Form, data: dict, response, before: dict, after: dict) -> None:
    where = f"{form.method.upper()} {form.path} as {form.role} with {data!r:.600}"
    status = response.status_code
    assert status != 500, where
    if status in (301, 302, 303):
        if form.role != ANONYMOUS:
            assert not response.url.startswith(reverse("login")), f"session lost: {where}"
        return  # taken: a service stores it whole in one transaction
    changed = {t: (before[t], after[t]) for t in TABLES if before[t] != after[t]}
    assert not changed, f"refused, yet rows changed {changed}: {where}"
    if "text/html" not in response.get("Content-Type", ""):
        return
    if response.get("Content-Disposition", "").startswith("attachment"):
        return  # a download (the Art. 15 document is HTML too): an answer, not a refusal
    html = response.content.decode()
    english = ENGLISH.search(html)
    assert english is None, f"English message {english.group(0)!r}: {where}"
    refused = status == 422 or (form.method == "post" and form.view not in POST_SHOWS_RESULTS)
    if refused:
        assert any(m in html for m in ERROR_MARKERS), f"refused without a message: {where}"


POST_VIEWS = sorted(name for name, route in ROUTES.items() if route.accepts_post)


@pytest.mark.parametrize("view", sorted(ROUTES))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_bad_input_is_refused_in_german_without_500_or_partial_write(db, portal, view, data):
    forms = portal.forms.get(view)
    if not forms:
        pytest.skip("no form sends to this page (see test_every_form_target_was_found)")
    form = data.draw(st.sampled_from(forms), label="form")
    values = {}
    for name, form_field in form.fields.items():
        value = data.draw(field_values(form_field), label=name)
        if value is not MISSING:
            values[name] = value
    if form.button:
        values[form.button[0]] = form.button[1]
    client = portal.clients[form.role]

    def step():
        before = row_counts()
        response = _send(client, form, values)
        return response, before, row_counts()

    response, before, after = isolated(step)
    _check(form, values, response, before, after)


def test_every_form_target_was_found(db, portal):
    """Every view that accepts POST is the target of a form someone saw (or explained)."""
    missing = [
        name
        for name in POST_VIEWS
        if name not in WITHOUT_FORM
        and not any(f.method == "post" for f in portal.forms.get(name, []))
    ]
    assert missing == [], missing
    assert set(WITHOUT_FORM) <= set(ROUTES), "WITHOUT_FORM names a view that is gone"
    assert len(portal.query_names) >= 10, portal.query_names  # the filters were found


def test_an_id_too_large_for_any_column_matches_nothing(db):
    """A posted 40-digit ID in a multiple-choice field: no match, no OverflowError (SQLite)."""
    assert list(User.objects.filter(pk__in=[10**40])) == []
    assert User.objects.filter(pk__in=[10**40, -(10**40)]).count() == 0


def test_an_overlong_user_name_is_refused_before_the_failed_login_is_recorded(db):
    """django-axes records a failed login with the name (255 characters on PostgreSQL)."""
    response = Client().post(reverse("login"), {"username": "0" * 300, "password": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "höchstens 150 Zeichen" in html


# Parameters views read from the query string (paging, return, toggles) even where no link of the
# demo town carries them.
QUERY_PARAMETERS = {"next", "nach", "seite", "page", "alle", "suche", "vorschlag", "jahr"}
# Values for every query parameter at once: a crafted link must not break a page either.
BAD_QUERIES = [":x", "\x00", "9" * 40, "-1", "<script>alert(1)</script>", "2024-13-45", "x" * 3000]


@pytest.mark.parametrize("view", sorted(ROUTES))
def test_bad_query_parameters_on_every_page(db, portal, view):
    """Every page a role walked to, opened with every query parameter the portal uses (and
    `next`) set to bad values: no 500, and nothing stored."""
    if view not in portal.pages:
        pytest.skip("no role walked to this page")
    path, role = portal.pages[view]
    names = sorted(portal.query_names | QUERY_PARAMETERS)
    for shift in range(2):
        query = {n: BAD_QUERIES[(i + shift) % len(BAD_QUERIES)] for i, n in enumerate(names)}
        form = Form(view=view, path=path, method="get", role=role, multipart=False)

        def step(query=query):
            before = row_counts()
            response = portal.clients[role].get(path, query)
            return response, before, row_counts()

        response, before, after = isolated(step)
        _check(form, query, response, before, after)


@pytest.mark.parametrize("target", ["x", ":x", "a b:c", "cases:list", "//elsewhere.example/"])
def test_second_factor_step_continues_only_to_a_portal_path(db, target):
    """`next` from a crafted link: never looked up as a URL name, never another host."""
    client = SecondFactorClient()
    client.force_login(UserFactory(role=Role.PLANNER))
    response = client.get(reverse("two_factor_verify"), {"next": target})
    assert response.status_code == 302
    assert response.url == reverse("home")
