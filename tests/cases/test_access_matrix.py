# ruff: noqa: E501  (the matrix is a table: one URL a line, one column a role)
"""Who reaches which case page: every URL of the `cases` namespace × every role × own / foreign.

The rule lives in `cases/permissions.py` (which objects a user may see or change) and in each
view's `role_required` (which roles reach the page at all):

- a role the page is not made for gets 403,
- an object outside the user's scope gets 404 (its existence is not confirmed),
- an object the user may read but not change gets 403 on the pages that change it,
- anonymous visitors are sent to the login page.

"own" is the world of the steering caseworker of ASD Nord: a Nord case, provider A's
assignment on it, its § 8a assessment. "foreign" is the same set of objects in region Süd, where
provider B carries out the help. Pages without an object (lists, forms for new cases, the audit
log) have one expectation for both.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from cases.consent import sharing_record
from cases.custody import CustodyInput, custody_record
from cases.models import (
    CaseKind,
    HelpType,
    PersonRole,
    ResourceKind,
    RiskLevel,
    SharingBasis,
    StepOwner,
)
from cases.proposals import allocation_propose
from cases.protection import ResultInput, risk_report, safety_measure_add
from cases.services import (
    PersonInput,
    ResourceInput,
    action_step_add,
    assignment_create,
    case_intake,
    case_project_open,
    case_transition,
    help_decide,
    note_add,
)
from tests.cases.protection import concern, second_assessor
from tests.factories import (
    AsdTeamFactory,
    ProviderFactory,
    RegionProviderFactory,
    SozialraumFactory,
    UserFactory,
)
from tests.network.factories import OfferFactory, PartnerFactory

ROLES = (
    "owner",  # caseworker of ASD Nord steering the Nord case
    "colleague",  # another caseworker of ASD Nord (reads, does not change)
    "lead",  # team lead of region Nord
    "other_region",  # caseworker of ASD Süd
    "provider",  # staff of provider A, commissioned on the Nord case
    "other_provider",  # staff of provider B, commissioned on the Süd case
    "planner",
    "admin",
    "anonymous",
)

# Each cell: "<own> <foreign>", or a single value when the page has no object or the answer is
# the same for both. 200 page shown · 302 done and redirected (valid POST) · 403 refused ·
# 404 not found · login: redirected to the login page.
# url name → (method, one cell per role in the order of ROLES)
# fmt: off
MATRIX: dict[str, tuple[str, tuple[str, ...]]] = {
    #                             owner      colleague  lead       other_reg  provider   other_prov planner    admin      anonymous
    "list":              ("GET",  ("200",     "200",     "200",     "200",     "403",     "403",     "403",     "403",     "login")),
    "intake":            ("GET",  ("200",     "200",     "200",     "200",     "403",     "403",     "403",     "403",     "login")),
    "project_create":    ("GET",  ("200",     "200",     "200",     "200",     "403",     "403",     "403",     "403",     "login")),
    "project_edit":      ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "detail":            ("GET",  ("200 404", "200 404", "200 404", "404 200", "403",     "403",     "403",     "403",     "login")),
    "budgets:case_transition": ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "steering":          ("GET",  ("403",     "403",     "200 404", "403",     "403",     "403",     "403",     "403",     "login")),
    "person_add":        ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "person_edit":       ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "resource_add":      ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "offers_near":       ("GET",  ("200 404", "200 404", "200 404", "404 200", "403",     "403",     "403",     "403",     "login")),
    "offer_link":        ("POST", ("302 404", "403 404", "302 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "goal_add":          ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "step_add":          ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "step_done":         ("POST", ("302 404", "403 404", "302 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "help_decide":       ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "budgets:help_end":  ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "budgets:commission": ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "note_add":          ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "review_record":     ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "review_schedule":   ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "help_plan":         ("GET",  ("200 404", "200 404", "200 404", "404 200", "403",     "403",     "403",     "403",     "login")),
    "risk_add":          ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "risk_detail":       ("GET",  ("200 404", "200 404", "200 404", "404 200", "403",     "403",     "403",     "403",     "login")),
    "risk_conclude":     ("GET",  ("302 404", "403 404", "302 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "risk_acknowledge":  ("POST", ("302 404", "403 404", "302 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "safety_plan":       ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "safety_measure_add": ("GET", ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "safety_measure_done": ("POST", ("302 404", "403 404", "302 404", "404 403", "403",   "403",     "403",     "403",     "login")),
    "family_court":      ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    # Issue 19: the § 8a survey items of an assessment; the Inobhutnahme recorded from the case,
    # read by the team, corrected (author or team lead) and ended by who may change the case.
    "risk_items":        ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "custody_add":       ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "custody_detail":    ("GET",  ("200 404", "200 404", "200 404", "404 200", "403",     "403",     "403",     "403",     "login")),
    "custody_correct":   ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "custody_end":       ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "consultation_add":  ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "sharing_add":       ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "consent_withdraw":  ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "assignment_list":   ("GET",  ("200",     "200",     "200",     "200",     "200",     "200",     "403",     "403",     "login")),
    "assignment_detail": ("GET",  ("200 404", "200 404", "200 404", "404 200", "200 404", "404 200", "403",     "403",     "login")),
    "assignment_note":   ("GET",  ("403",     "403",     "403",     "403",     "200 404", "404 200", "403",     "403",     "login")),
    "assignment_risk":   ("GET",  ("403",     "403",     "403",     "403",     "200 404", "404 200", "403",     "403",     "login")),
    "audit_log":         ("GET",  ("403",     "403",     "403",     "403",     "403",     "403",     "403",     "200",     "login")),
    # Berichtigung (issue 24): the author (the owner wrote every record of her case) and the
    # team lead; a colleague of the team is told why not (403). An open review is recorded,
    # not corrected. A case is withdrawn by the team lead only.
    "note_correct":      ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "review_correct":    ("GET",  ("403 404", "403 404", "403 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "risk_correct":      ("GET",  ("200 404", "403 404", "200 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    "budgets:help_correct": ("GET", ("200 404", "403 404", "200 404", "404 403", "403",   "403",     "403",     "403",     "login")),
    "budgets:assignment_correct": ("GET", ("200 404", "403 404", "200 404", "404 403", "403", "403", "403",   "403",     "login")),
    "budgets:case_withdraw": ("GET", ("403",    "403",     "200 404", "403",     "403",     "403",     "403",     "403",     "login")),
    "assignment_note_correct": ("GET", ("403 404", "403 404", "403 404", "404 403", "200 404", "404 200", "403",  "403",     "login")),
    # Issue 27: the closing review of an ended help (the world's help runs: 404 for all who may
    # change); reopening a closed case is the region's team lead's (the world's case is open: 403).
    "review_closing":    ("GET",  ("404",     "403 404", "404",     "404 403", "403",     "403",     "403",     "403",     "login")),
    "reopen":            ("GET",  ("403 404", "403 404", "403 404", "404 403", "403",     "403",     "403",     "403",     "login")),
    # Issue 22: the Sozialraumteam's proposal, confirmed by the responsible caseworker (the
    # owner), whoever may change the case, never by a colleague who only reads.
    "proposal_confirm":  ("POST", ("302 404", "403 404", "302 404", "404 403", "403",     "403",     "403",     "403",     "login")),
}
# fmt: on

# Which object the `pk` of a URL names (the case unless listed); other parameters by their name.
PK_OBJECT = {
    "project_edit": "project",
    "risk_acknowledge": "risk",
    "risk_detail": "risk",
    "risk_conclude": "risk",
    "safety_plan": "risk",
    "safety_measure_add": "risk",
    "safety_measure_done": "risk",
    "family_court": "risk",
    "risk_items": "risk",
    "custody_detail": "custody",
    "custody_correct": "custody",
    "custody_end": "custody",
    "assignment_detail": "assignment",
    "assignment_note": "assignment",
    "assignment_risk": "assignment",
    "assignment_note_correct": "assignment",
}
PARAM_OBJECT = {
    "person_pk": "person",
    "goal_pk": "goal",
    "step_pk": "step",
    "help_pk": "help",
    "review_pk": "review",
    "note_pk": "note",
    "risk_pk": "risk",
    "assignment_pk": "assignment",
    "entry_pk": "provider_note",
    "sharing_pk": "consent",
    "measure_pk": "measure",  # a measure of the Schutzplan of the § 8a assessment
    "offer_pk": "offer",  # a network offer: no sub-object of the case, any valid one may be linked
    "proposal_pk": "proposal",  # a proposal of the Sozialraumteam (issue 22)
}
NOT_OF_THE_CASE = {"offer_pk"}


def _cases_patterns(patterns=None, namespace=""):
    """Every case page, found through the root URL configuration: the `cases` namespace, and the
    pages under /faelle/ whose step moves money (`budgets:`), named with their namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _cases_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif namespace == "cases":
            yield pattern.name, pattern
        elif namespace == "budgets" and str(pattern.pattern).startswith("faelle/"):
            yield f"budgets:{pattern.name}", pattern


def _params(pattern: URLPattern) -> dict:
    return pattern.pattern.converters


PATTERNS = dict(_cases_patterns())


@dataclass
class Side:
    """The objects of one region: a case with everything a URL can name."""

    case: object
    person: object
    goal: object
    step: object
    help: object
    review: object
    assignment: object
    risk: object
    measure: object
    custody: object  # the Inobhutnahme (§ 42) of the side's child
    project: object
    offer: object
    consent: object  # the guardian's consent to the side's provider: address and resources
    note: object
    provider_note: object  # written by the provider's staff on the side's assignment
    proposal: object = None  # the Sozialraumteam's proposal on the case, to confirm


def _side(*, sozialraum, steering, provider, street: str, provider_staff) -> Side:
    today = datetime.date.today()
    case = case_intake(
        user=steering,
        sozialraum=sozialraum,
        steering_caseworker=steering,
        opened_on=today,
        street=street,
        house_number="1",
        postcode="24850",
        concern="Wir wollen wieder miteinander reden.",
        will="Dass es ruhiger wird.",
        persons=[
            PersonInput(
                role=PersonRole.CHILD,
                first_name="Mia",
                last_name=f"Kind {street}",
                birth_date=datetime.date(2016, 3, 1),
            ),
            PersonInput(role=PersonRole.GUARDIAN, first_name="Eva", last_name=f"Mutter {street}"),
        ],
        resources=[ResourceInput(kind=ResourceKind.choices[0][0], description="Oma hilft.")],
        goals=["Die Kinder gehen gern zur Schule."],
    )
    goal = case.goals.get()
    step = action_step_add(
        user=steering, goal=goal, text="Schulgespräch", owner=StepOwner.choices[0][0], due_on=None
    )
    case = case_transition(user=steering, case=case, to_status="clarification")
    help_ = help_decide(
        user=steering,
        case=case,
        help_type=HelpType.objects.get(code="31"),
        starts_on=today,
        planned_end_on=today + datetime.timedelta(days=180),
        hours_per_week=Decimal("4"),
    )
    assignment = assignment_create(
        user=steering,
        help_=help_,
        provider=provider,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=180),
    )
    risk = risk_report(
        user=steering,
        case=case,
        children=list(case.persons.filter(role=PersonRole.CHILD)),
        concern=concern(facts="Gewalt gemeldet."),
        result=ResultInput(level=RiskLevel.ACUTE, assessors=[steering, second_assessor(steering)]),
    )[0]
    measure = safety_measure_add(
        user=steering, assessment=risk, text="Tägliche Kita", responsible="Mutter", due_on=today
    )
    custody = custody_record(
        user=steering,
        case=case,
        data=CustodyInput(
            child=case.persons.get(role=PersonRole.CHILD),
            kind="2",
            started_on=today,
            taken_by="ASD Bereitschaft",
            initiator="4",
            reasons=["3"],
            placement="1",
            assessment=risk,
        ),
    )
    project = case_project_open(
        user=steering,
        kind=CaseKind.CROSS_CASE,
        title=f"Elterngruppe {street}",
        sozialraum=sozialraum,
        steering_caseworker=steering,
        opened_on=today,
        participants_count=8,
    )
    return Side(
        case=case,
        person=case.persons.get(role=PersonRole.CHILD),
        goal=goal,
        step=step,
        help=help_,
        review=help_.help_plan.reviews.get(),
        assignment=assignment,
        risk=risk,
        measure=measure,
        custody=custody,
        project=project,
        offer=OfferFactory(partner=PartnerFactory(sozialraum=sozialraum)),
        consent=sharing_record(
            user=steering,
            case=case,
            basis=SharingBasis.CONSENT,
            categories=["address", "resources"],
            purpose="Hausbesuche",
            given_on=today,
            provider=provider,
            given_by=case.persons.get(role=PersonRole.GUARDIAN),
        ),
        note=note_add(user=steering, case=case, text="Erstgespräch geführt."),
        provider_note=note_add(
            user=provider_staff,
            case=case,
            assignment=assignment,
            kind="progress",
            text="Erster Termin mit der Familie.",
        ),
        proposal=allocation_propose(
            user=steering, case=case, kind="clarification", responsible=steering
        ),
    )


@dataclass
class World:
    users: dict
    own: Side
    foreign: Side
    sibling: Side  # a second Nord case of the same owner, for sub-object IDs of another case


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module, rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            team_nord = AsdTeamFactory(region__name="Nord", region__code="MN", name="ASD Nord")
            team_sued = AsdTeamFactory(region__name="Süd", region__code="MS", name="ASD Süd")
            sr_nord = SozialraumFactory(region=team_nord.region, asd_team=team_nord)
            sr_sued = SozialraumFactory(region=team_sued.region, asd_team=team_sued)
            provider_a = ProviderFactory(short_name="Träger A")
            provider_b = ProviderFactory(short_name="Träger B")

            def user(**kwargs):
                return UserFactory(password=None, **kwargs)  # force_login needs no hash

            users = {
                "owner": user(role="caseworker", asd_team=team_nord),
                "colleague": user(role="caseworker", asd_team=team_nord),
                "lead": user(role="team_lead", asd_team=team_nord),
                "other_region": user(role="caseworker", asd_team=team_sued),
                "provider": user(role="provider_staff", provider=provider_a),
                "other_provider": user(role="provider_staff", provider=provider_b),
                "planner": user(role="planner"),
                "admin": user(role="admin", is_staff=True, is_superuser=True),
            }
            sued_owner = user(role="caseworker", asd_team=team_sued)
            RegionProviderFactory(region=team_nord.region, provider=provider_a)
            RegionProviderFactory(region=team_sued.region, provider=provider_b)
            own = _side(
                sozialraum=sr_nord,
                steering=users["owner"],
                provider=provider_a,
                street="Nordweg",
                provider_staff=users["provider"],
            )
            foreign = _side(
                sozialraum=sr_sued,
                steering=sued_owner,
                provider=provider_b,
                street="Südweg",
                provider_staff=users["other_provider"],
            )
            sibling = _side(
                sozialraum=sr_nord,
                steering=users["owner"],
                provider=provider_a,
                street="Nebenweg",
                provider_staff=users["provider"],
            )
            yield World(users=users, own=own, foreign=foreign, sibling=sibling)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _url(name: str, side: Side, sub_side: Side | None = None) -> str:
    kwargs = {}
    for param in _params(PATTERNS[name]):
        if param == "pk":
            kwargs[param] = getattr(side, PK_OBJECT.get(name, "case")).pk
        else:
            kwargs[param] = getattr(sub_side or side, PARAM_OBJECT[param]).pk
    return reverse(name if ":" in name else f"cases:{name}", kwargs=kwargs)


CELLS = [
    pytest.param(name, role, scope, id=f"{name}-{role}-{scope}")
    for name, (_method, cells) in MATRIX.items()
    for role, cell in zip(ROLES, cells, strict=True)
    for scope in (("own", "foreign") if _params(PATTERNS[name]) else ("own",))
]


@pytest.mark.parametrize(("name", "role", "scope"), CELLS)
def test_access_matrix(client, db, world, name, role, scope):
    method, cells = MATRIX[name]
    cell = cells[ROLES.index(role)].split()
    expected = cell[0] if scope == "own" or len(cell) == 1 else cell[1]
    if role != "anonymous":
        client.force_login(world.users[role])
    url = _url(name, getattr(world, scope))
    response = client.post(url) if method == "POST" else client.get(url)
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == int(expected), (name, role, scope)
        if expected == "302":
            assert not response.url.startswith(reverse("login"))


def test_matrix_covers_every_url_of_the_cases_namespace():
    """A new case URL without an entry here fails this test before it can leak anything."""
    assert set(PATTERNS) == set(MATRIX)
    for name, (method, cells) in MATRIX.items():
        assert method in ("GET", "POST"), name
        assert len(cells) == len(ROLES), name
        for cell in cells:
            values = cell.split()
            assert all(v in {"200", "302", "403", "404", "login"} for v in values), (name, cell)
            if _params(PATTERNS[name]):
                assert len(values) in (1, 2), (name, cell)
            else:
                assert len(values) == 1, (name, cell)


def test_cases_urls_carry_only_integer_ids():
    """No names, addresses or case numbers in paths (they end up in logs and browser history)."""
    assert PATTERNS, "the cases namespace was not found"
    for name, pattern in PATTERNS.items():
        converters = _params(pattern)
        assert all(isinstance(c, IntConverter) for c in converters.values()), name
        assert all(param == "pk" or param in PARAM_OBJECT for param in converters), name
        assert "(?P<" not in str(pattern.pattern), name  # no regex path with a free parameter


@pytest.mark.parametrize("name", ["step_done", "risk_acknowledge", "safety_measure_done"])
def test_post_only_views_refuse_get(client, db, world, name):
    client.force_login(world.users["owner"])
    assert client.get(_url(name, world.own)).status_code == 405


@pytest.mark.parametrize(
    "name",
    sorted(name for name in MATRIX if set(_params(PATTERNS[name])) - {"pk"} - NOT_OF_THE_CASE),
)
def test_sub_object_of_another_case_is_not_found(client, db, world, name):
    """The owner steers both Nord cases, yet a goal/person/help ID of one under the other's
    path is a 404: sub-objects are loaded through their case."""
    method, _cells = MATRIX[name]
    client.force_login(world.users["owner"])
    url = _url(name, world.own, sub_side=world.sibling)
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == 404


def test_guessing_another_providers_assignment_reveals_nothing(client, db, world):
    client.force_login(world.users["provider"])
    own = client.get(_url("assignment_detail", world.own))
    assert own.status_code == 200
    assert world.own.case.number in own.content.decode()
    for name in ("assignment_detail", "assignment_note", "assignment_risk"):
        response = client.get(_url(name, world.foreign))
        assert response.status_code == 404
        assert world.foreign.case.number not in response.content.decode()
    listing = client.get(reverse("cases:assignment_list")).content.decode()
    assert world.own.case.number in listing
    assert world.foreign.case.number not in listing


# --- consent (Einwilligung): before and after withdrawal -----------------------------------------
# The world's consents cover the address and the resources ("Oma hilft.") for the side's
# provider; the commission alone (no home visits) covers neither.


def _provider_sees(client, world, role: str, side: Side) -> tuple[int, bool, bool]:
    """(status, address shown, resources shown) of the side's assignment page for `role`."""
    client.force_login(world.users[role])
    response = client.get(_url("assignment_detail", side))
    html = response.content.decode()
    street = side.case.street
    return response.status_code, f"{street} 1" in html, "Oma hilft." in html


def test_consent_before_and_after_withdrawal(client, db, world):
    assert _provider_sees(client, world, "provider", world.own) == (200, True, True)
    assert _provider_sees(client, world, "other_provider", world.own) == (404, False, False)
    assert _provider_sees(client, world, "provider", world.foreign) == (404, False, False)
    assert _provider_sees(client, world, "other_provider", world.foreign) == (200, True, True)

    client.force_login(world.users["owner"])
    url = _url("consent_withdraw", world.own)
    today = datetime.date.today()
    assert client.post(url, {"withdrawn_on": today.isoformat(), "confirm": "on"}).status_code == 302

    # Immediately: the provider keeps its assignment page, without the data the consent covered.
    assert _provider_sees(client, world, "provider", world.own) == (200, False, False)
    # Another case's consent is untouched.
    assert _provider_sees(client, world, "provider", world.sibling) == (200, True, True)
    assert _provider_sees(client, world, "other_provider", world.foreign) == (200, True, True)


def test_consent_of_another_region_cannot_be_withdrawn_from_here(client, db, world):
    for role in ("owner", "lead", "provider", "other_provider"):
        client.force_login(world.users[role])
        url = _url("consent_withdraw", world.foreign)
        today = datetime.date.today().isoformat()
        response = client.post(url, {"withdrawn_on": today, "confirm": "on"})
        assert response.status_code in (403, 404), role
    world.foreign.consent.refresh_from_db()
    assert world.foreign.consent.withdrawn_on is None


# --- deputies (Vertretung) ----------------------------------------------------------------------
# A deputy covers the owner: during the period she reaches the owner's cases as the owner does;
# from the day after, only what her own role and region give her. A deputy from region Süd has
# no other way to a Nord case; a Nord colleague falls back to reading.
DEPUTIES = {
    # deputy's home role → (column during the period for the owner's cases, column after it)
    "other_region": ("owner", "other_region"),
    "colleague": ("owner", "colleague"),
}


def _deputy_for_owner(world: World, home: str, *, ended: bool):
    from sozialraum.models import Deputy

    home_user = world.users[home]
    deputy = UserFactory(password=None, role="caseworker", asd_team=home_user.asd_team)
    today = datetime.date.today()
    period = (
        (today - datetime.timedelta(days=10), today - datetime.timedelta(days=1))
        if ended
        else (today - datetime.timedelta(days=3), today + datetime.timedelta(days=3))
    )
    Deputy.objects.create(
        absent=world.users["owner"],
        deputy=deputy,
        starts_on=period[0],
        ends_on=period[1],
        set_by=world.users["lead"],
    )
    return deputy


DEPUTY_CELLS = [
    pytest.param(name, home, ended, id=f"{name}-{home}-{'after' if ended else 'during'}")
    for name, (_method, _cells) in MATRIX.items()
    if _params(PATTERNS[name])
    for home in DEPUTIES
    for ended in (False, True)
]


@pytest.mark.parametrize(("name", "home", "ended"), DEPUTY_CELLS)
def test_access_matrix_deputy(client, db, world, name, home, ended):
    """The owner's cases answer a deputy like the owner during the period, and like the
    deputy's own column the day after; the other region's cases as her own column always."""
    method, cells = MATRIX[name]
    during, after = DEPUTIES[home]
    client.force_login(_deputy_for_owner(world, home, ended=ended))
    own_cell = cells[ROLES.index(after if ended else during)].split()
    expected = own_cell[0]
    url = _url(name, world.own)
    response = client.post(url) if method == "POST" else client.get(url)
    assert response.status_code == int(expected), (name, home, ended)
