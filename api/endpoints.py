"""The read API (django-ninja): aggregates for planners' tools, the public directory, and its
OpenAPI schema at /api/v1/openapi.json. Why django-ninja and not DRF: see docs/api.md."""

from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja import Path as PathEx
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from api import selectors
from api.auth import ClientRateThrottle, ClientToken
from api.models import ApiClient, Scope
from network.models import PartnerType, TargetGroup

api = NinjaAPI(
    title="Sozialraum-Portal: Lese-Schnittstelle",
    version="1",
    description=(
        "Zahlen ohne Personenbezug für die Werkzeuge der Jugendhilfeplanung: Budgets und ihre "
        "Verwendung, Kennzahlen je Sozialraum, Tabellen der KJH-Statistik und das öffentliche "
        "Verzeichnis der Partner und Angebote. Anmeldung mit einem Token je Werkzeug "
        "(Authorization: Bearer …), Berechtigungen je Bereich, Aufrufe begrenzt und protokolliert."
    ),
    urls_namespace="v1",
    auth=ClientToken(),
    throttle=[ClientRateThrottle(settings.SOZIALRAUM_API_RATE)],
    docs_url=None,  # the schema is published; a Swagger page would load scripts from a CDN
)


class Error(Schema):
    detail: str


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 429: Error}


def _error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "Kein gültiges Token. Bitte senden Sie „Authorization: Bearer <Token>“."
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = sorted({str(error.get("loc", ["?"])[-1]) for error in exc.errors})
    return _error(request, 400, f"Ungültige Angabe in: {', '.join(fields)}.")


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _error(request, 429, "Zu viele Aufrufe. Bitte warten Sie etwas.")


@api.exception_handler(selectors.NotFound)
def _not_found(request: HttpRequest, exc: selectors.NotFound) -> HttpResponse:
    return _error(request, 404, str(exc))


def require_scope(request: HttpRequest, scope: Scope) -> None:
    client = getattr(request, "auth", None)
    if not isinstance(client, ApiClient) or scope.value not in client.scopes:
        raise HttpError(403, f"Dieses Token hat keine Berechtigung für „{scope.label}“.")


# --- Budgets --------------------------------------------------------------------------------


class RegionMoneyOut(Schema):
    budget: str
    region: str | None
    allocated: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    forecast: Decimal


class KindMoneyOut(Schema):
    kind: str
    committed: Decimal
    paid: Decimal


class YearMoneyOut(Schema):
    year: int
    total: Decimal
    budgets: list[RegionMoneyOut]
    by_kind: list[KindMoneyOut]


Year = Annotated[int, PathEx(ge=2000, le=2100, description="Jahr (2000 bis 2100)")]


@api.get("/budgets/{year}", response={200: YearMoneyOut, **ERRORS}, tags=["Budgets"])
def budgets_of_year(request: HttpRequest, year: Year) -> selectors.YearMoney:
    """Budgets eines Jahres je Region und der Vorwegabzug: zugewiesen, gebunden, gezahlt, frei
    und Hochrechnung bis Jahresende; dazu gebunden und gezahlt je Art der Arbeit. Beträge in Euro
    als Dezimalzahlen."""
    require_scope(request, Scope.BUDGETS)
    return selectors.budget_year(year=year)


# --- Figures per Sozialraum -------------------------------------------------------------------

Count = int | str  # a count, or "< 3" where 1 or 2 would point at a family


class AreaFiguresOut(Schema):
    sozialraum: str
    region: str
    intakes: Count
    helps_running: Count
    helps_started: Count
    helps_ended: Count
    placements_running: Count
    risk_assessments: Count
    cross_case_running: Count
    case_independent_running: Count


@api.get("/kennzahlen/{year}", response={200: list[AreaFiguresOut], **ERRORS}, tags=["Kennzahlen"])
def figures_of_year(request: HttpRequest, year: Year) -> list[selectors.AreaFigures]:
    """Fallzahlen je Sozialraum im Jahr (bis heute): Falleingänge, laufende, begonnene und
    beendete Hilfen, Unterbringungen, § 8a-Einschätzungen, fallübergreifende und fallunabhängige
    Arbeit. Zahlen von 1 oder 2 erscheinen als „< 3“, wie im Bericht an den Ausschuss."""
    require_scope(request, Scope.FIGURES)
    return selectors.area_figures(year=year)


# --- KJH statistics ---------------------------------------------------------------------------


class SurveyOut(Schema):
    key: str
    title: str


class TableOut(Schema):
    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[Count]]


@api.get("/statistik", response={200: list[SurveyOut], **ERRORS}, tags=["KJH-Statistik"])
def surveys(request: HttpRequest) -> list[SurveyOut]:
    """Die Erhebungen der Kinder- und Jugendhilfestatistik, deren Tabellen abrufbar sind."""
    require_scope(request, Scope.STATISTICS)
    return [SurveyOut(key=s.key, title=s.title) for s in selectors.surveys_listed()]


SurveyKey = Annotated[str, PathEx(max_length=20, pattern=r"^[a-z0-9_-]+$")]


@api.get(
    "/statistik/{survey}/{year}", response={200: list[TableOut], **ERRORS}, tags=["KJH-Statistik"]
)
def survey_tables(
    request: HttpRequest, survey: SurveyKey, year: Year
) -> list[selectors.ShownTable]:
    """Die Ergebnistabellen einer Erhebung für ein Jahr, mit Geheimhaltung kleiner Zahlen."""
    require_scope(request, Scope.STATISTICS)
    return selectors.statistics_tables(survey_key=survey, year=year)


# --- Directory --------------------------------------------------------------------------------

DB_ID = 2_147_483_647  # the largest id a column holds; a larger one is a malformed request


class DirectoryPagination(LimitOffsetPagination):
    """django-ninja's limit/offset paging with both bounded, so that no number reaches the
    database that it cannot hold (an unbounded offset overflows PostgreSQL's bigint)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="Einträge je Seite (1 bis 500)")
        offset: int = Field(0, ge=0, le=1_000_000, description="Einträge überspringen")


class PartnerOut(Schema):
    id: int
    name: str
    partner_type: str
    street: str
    house_number: str
    postcode: str
    city: str
    sozialraum: str | None = Field(None, alias="sozialraum.name")
    phone: str
    email: str
    website: str
    reachability: str
    accessibility: str


class PartnerFilter(Schema):
    sozialraum: int | None = Field(None, ge=1, le=DB_ID, description="Kennung des Sozialraums")
    art: PartnerType | None = Field(None, description="Art des Partners")


@api.get("/partner", response={200: list[PartnerOut], **ERRORS}, tags=["Verzeichnis"])
@paginate(DirectoryPagination, max_limit=500)
def partners(request: HttpRequest, filters: Query[PartnerFilter]):
    """Netzwerkpartner (Kitas, Schulen, Jugendzentren, Vereine …) mit Anschrift und
    Erreichbarkeit der Einrichtung; keine Ansprechpersonen."""
    require_scope(request, Scope.DIRECTORY)
    return selectors.directory_partners(sozialraum_id=filters.sozialraum, partner_type=filters.art)


class OfferOut(Schema):
    id: int
    title: str
    description: str
    target_group: str
    age_min: int | None
    age_max: int | None
    languages: str
    is_free: bool
    fee_note: str
    schedule: str
    place: str
    referral_required: bool
    partner: str | None = Field(None, alias="partner.name")
    sozialraum: str | None = Field(None, alias="sozialraum.name")


class OfferFilter(Schema):
    sozialraum: int | None = Field(None, ge=1, le=DB_ID, description="Kennung des Sozialraums")
    zielgruppe: TargetGroup | None = Field(None, description="Zielgruppe")
    alter: int | None = Field(None, ge=0, le=120, description="Alter in Jahren")


@api.get("/angebote", response={200: list[OfferOut], **ERRORS}, tags=["Verzeichnis"])
@paginate(DirectoryPagination, max_limit=500)
def offers(request: HttpRequest, filters: Query[OfferFilter]):
    """Heute gültige Angebote im Sozialraum: Zielgruppe, Alter, Sprachen, Kosten, Zeiten."""
    require_scope(request, Scope.DIRECTORY)
    return selectors.directory_offers(
        sozialraum_id=filters.sozialraum, target_group=filters.zielgruppe, age=filters.alter
    )
