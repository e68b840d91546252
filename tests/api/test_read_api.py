"""The read API: tokens with scopes, JSON errors instead of pages, aggregates only, every call
logged, and the administrators' page for the clients."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from api.models import ApiCall, ApiClient, Scope
from api.services import api_client_create, api_client_revoke
from cases.models import CaseKind
from tests.budgets.factories import fiscal_year_build, project_book, region_budget
from tests.cases.factories import CaseFactory, HelpFactory
from tests.network.factories import OfferFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _token(users, *scopes: Scope) -> str:
    return api_client_create(
        name=f"Werkzeug {'-'.join(scopes)}", scopes=list(scopes), created_by=users["admin"]
    ).token


def _get(path: str, token: str | None = None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(f"/api/v1{path}", params, headers=headers)


def test_call_without_token_is_refused_with_json_401_and_logged(users):
    response = _get("/budgets/2026")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Token" in response.json()["detail"]
    call = ApiCall.objects.get()
    assert (call.client, call.status, call.path) == (None, 401, "/api/v1/budgets/2026")


def test_unknown_and_revoked_tokens_are_refused(users):
    new = api_client_create(name="Dashboard", scopes=[Scope.BUDGETS], created_by=users["admin"])
    assert _get("/budgets/2026", "x" * 43).status_code == 401
    changed = new.token[:-1] + ("A" if new.token[-1] != "A" else "B")
    assert _get("/budgets/2026", changed).status_code == 401
    api_client_revoke(client=new.client, revoked_by=users["admin"])
    assert _get("/budgets/2026", new.token).status_code == 401


def test_token_is_stored_only_as_its_hash(users):
    new = api_client_create(name="Dashboard", scopes=[Scope.BUDGETS], created_by=users["admin"])
    stored = ApiClient.objects.get(pk=new.client.pk)
    assert new.token not in (stored.token_hash, stored.token_prefix)
    assert len(stored.token_hash) == 64


def test_wrong_scope_is_403_with_the_scope_named(users):
    token = _token(users, Scope.DIRECTORY)
    response = _get("/budgets/2026", token)
    assert response.status_code == 403
    assert "Budgets" in response.json()["detail"]
    assert ApiCall.objects.get().client.name.startswith("Werkzeug")


@pytest.mark.parametrize(
    "path,params",
    [
        ("/budgets/1999", {}),
        ("/budgets/zweitausend", {}),
        ("/partner", {"sozialraum": "nord"}),
        ("/partner", {"art": "kneipe"}),
        ("/angebote", {"alter": "-3"}),
        ("/angebote", {"limit": "abc"}),
    ],
)
def test_malformed_parameters_get_400_with_json(users, path, params):
    token = _token(users, Scope.BUDGETS, Scope.DIRECTORY)
    response = _get(path, token, **params)
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith("Ungültige Angabe")


def test_budgets_of_a_year_as_decimal_figures(users):
    planner = users["planner"]
    fiscal_year = fiscal_year_build(planner=planner, year=2026, total=Decimal("1000000.00"))
    budget = region_budget(fiscal_year, "N")
    project_book(budget=budget, by=users["team_lead"], amount="1234.56")
    response = _get("/budgets/2026", _token(users, Scope.BUDGETS))
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2026
    assert Decimal(data["total"]) == Decimal("1000000.00")
    labels = [row["budget"] for row in data["budgets"]]
    assert labels[0] == "Vorwegabzug"
    north = next(row for row in data["budgets"] if row["region"] == budget.region.name)
    assert Decimal(north["committed"]) == Decimal("1234.56")
    assert Decimal(north["available"]) == Decimal(north["allocated"]) - Decimal("1234.56")
    by_kind = {row["kind"]: Decimal(row["committed"]) for row in data["by_kind"]}
    assert by_kind[CaseKind.CROSS_CASE.label] == Decimal("1234.56")


def test_budgets_of_an_unknown_year_are_404(users):
    response = _get("/budgets/2031", _token(users, Scope.BUDGETS))
    assert response.status_code == 404
    assert "2031" in response.json()["detail"]


def test_figures_suppress_small_counts_and_carry_no_names(users, sozialraum_nord):
    year = datetime.date.today().year
    opened = datetime.date(year, 1, 2)
    cases = [
        CaseFactory(sozialraum=sozialraum_nord, opened_on=opened, title="Familie Geheimname")
        for _ in range(4)
    ]
    HelpFactory(case=cases[0], starts_on=opened)
    response = _get(f"/kennzahlen/{year}", _token(users, Scope.FIGURES))
    assert response.status_code == 200
    row = next(r for r in response.json() if r["sozialraum"] == sozialraum_nord.name)
    assert row["intakes"] == 4
    assert row["helps_running"] == "< 3"
    assert "Geheimname" not in response.content.decode()


def test_directory_lists_partners_and_offers_without_contact_persons(users, sozialraum_nord):
    partner = PartnerFactory(
        sozialraum=sozialraum_nord, name="Kita Lindenblatt", contact_person="Erika Muster"
    )
    OfferFactory(
        partner=partner, sozialraum=sozialraum_nord, title="Elterncafé", age_min=0, age_max=6
    )
    OfferFactory(
        partner=partner, sozialraum=sozialraum_nord, title="Jugendtreff", age_min=12, age_max=18
    )
    token = _token(users, Scope.DIRECTORY)
    partners = _get("/partner", token, sozialraum=sozialraum_nord.pk).json()
    assert partners["count"] == 1
    assert partners["items"][0]["name"] == "Kita Lindenblatt"
    assert partners["items"][0]["sozialraum"] == sozialraum_nord.name
    assert "Erika Muster" not in str(partners)
    offers = _get("/angebote", token, alter=4).json()
    assert [o["title"] for o in offers["items"]] == ["Elterncafé"]


def test_statistics_lists_the_registered_surveys(users):
    token = _token(users, Scope.STATISTICS)
    response = _get("/statistik", token)
    assert response.status_code == 200
    assert isinstance(response.json(), list)
    assert _get("/statistik/unbekannt/2026", token).status_code == 404


def test_calls_are_throttled_per_client(users, settings):
    from django.core.cache import cache

    settings.SOZIALRAUM_API_RATE = "2/m"
    cache.clear()
    token = _token(users, Scope.DIRECTORY)
    other = api_client_create(
        name="Zweites Werkzeug", scopes=[Scope.DIRECTORY], created_by=users["admin"]
    )
    statuses = [_get("/partner", token).status_code for _ in range(3)]
    cache.clear()
    assert statuses == [200, 200, 429]
    assert ApiCall.objects.filter(status=429).count() == 1
    assert _get("/partner", other.token).status_code == 200


def test_schema_is_published(users):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/budgets/{year}", "/api/v1/partner", "/api/v1/statistik"} <= set(paths)


# --- The administrators' page ----------------------------------------------------------------


def test_admin_creates_a_client_and_sees_the_token_once(client, users):
    client.force_login(users["admin"])
    response = client.post(
        "/verwaltung/api-zugaenge/neu/", {"name": "Dashboard", "scopes": ["budgets", "figures"]}
    )
    created = ApiClient.objects.get(name="Dashboard")
    assert response.status_code == 302
    assert response["Location"] == f"/verwaltung/api-zugaenge/{created.pk}/angelegt/"
    page = client.get(response["Location"])
    token = page.context["token"]
    assert token and token in page.content.decode()
    assert _get("/budgets/2040", token).status_code == 404  # authenticated, year unknown
    again = client.get(response["Location"]).content.decode()
    assert token not in again and "bereits angezeigt" in again
    listing = client.get("/verwaltung/api-zugaenge/").content.decode()
    assert "Dashboard" in listing and token not in listing


def test_client_form_refuses_empty_scopes_and_duplicate_names_in_german(client, users):
    client.force_login(users["admin"])
    response = client.post("/verwaltung/api-zugaenge/neu/", {"name": "Dashboard"})
    assert response.status_code == 422
    assert "mindestens eine Berechtigung" in response.content.decode()
    api_client_create(name="Dashboard", scopes=[Scope.BUDGETS], created_by=users["admin"])
    response = client.post(
        "/verwaltung/api-zugaenge/neu/", {"name": "Dashboard", "scopes": ["budgets"]}
    )
    assert response.status_code == 422
    assert "besteht bereits" in response.content.decode()
    assert 'value="Dashboard"' in response.content.decode()


@pytest.mark.parametrize("role", ["caseworker", "team_lead", "provider_staff", "planner"])
def test_only_administrators_manage_clients(client, users, role):
    client.force_login(users[role])
    assert client.get("/verwaltung/api-zugaenge/").status_code == 403
    assert (
        client.post(
            "/verwaltung/api-zugaenge/neu/", {"name": "x", "scopes": ["budgets"]}
        ).status_code
        == 403
    )
    assert not ApiClient.objects.exists()


def test_admin_revokes_a_client(client, users):
    new = api_client_create(name="Dashboard", scopes=[Scope.BUDGETS], created_by=users["admin"])
    client.force_login(users["admin"])
    response = client.post(f"/verwaltung/api-zugaenge/{new.client.pk}/sperren/", follow=True)
    assert "gesperrt" in response.content.decode()
    assert _get("/budgets/2026", new.token).status_code == 401
