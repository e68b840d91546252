"""Hand-over when the family moves: out of town, the package holds exactly the parts chosen
(help plans, running helps, § 8a assessments only if included, the selected documents), as one
PDF and a JSON that validates against docs/handover.schema.json; who handed over what is
audited; the case closes with "Zuständigkeitswechsel". Inside the town, the street directory
proposes the new Sozialraum, the team lead confirms, the history stays, the helps keep running.
"""

import base64
import io
import json
from pathlib import Path

import jsonschema_rs
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import AuditEntry, CaseStatus, EndReason, RiskLevel, SearchWord
from cases.protection import risk_report  # noqa: F401 (documents the real path; factory below)
from documents.handover import handover_create, move_decide, move_record
from documents.models import CaseMove, DocumentKind, Handover, MoveStatus
from tests.cases.factories import RiskAssessmentFactory
from tests.documents.conftest import make_pdf

SCHEMA = json.loads((Path(settings.BASE_DIR) / "docs" / "handover.schema.json").read_text())


@pytest.fixture
def running_case(assignment_a):
    return assignment_a.case


@pytest.fixture
def case_docs(stored, running_case, png_bytes):
    return {
        "court": stored(running_case, title="Beschluss Amtsgericht", kind=DocumentKind.COURT_ORDER,
                        content=make_pdf(pages=2)),
        "photo": stored(running_case, title="Foto Zeugnis", content=png_bytes, mime="image/png",
                        file_name="zeugnis.png"),
        "private": stored(running_case, title="Notiz der Kita (nicht übergeben)"),
    }  # fmt: skip


def _hand_over(users, case, documents, include_assessments=False):
    return handover_create(
        user=users["caseworker"],
        case=case,
        moved_on=timezone.localdate(),
        receiving_office="Jugendamt Musterhausen",
        receiving_address="Rathausplatz 1\n12345 Musterhausen",
        receiving_reference="ASD West, Frau Roth",
        include_assessments=include_assessments,
        documents=documents,
    )


def test_package_contains_exactly_the_selected_parts_and_validates(users, running_case, case_docs):
    RiskAssessmentFactory(case=running_case, level=RiskLevel.LATENT, facts="Streit zu Hause.")
    handover = _hand_over(users, running_case, [case_docs["court"], case_docs["photo"]])

    package = json.loads(handover.package_json.file.open("rb").read())
    jsonschema_rs.validator_for(SCHEMA).validate(package)
    assert [d["title"] for d in package["documents"]] == ["Beschluss Amtsgericht", "Foto Zeugnis"]
    assert base64.b64decode(package["documents"][1]["content_base64"]) == (
        case_docs["photo"].file.open("rb").read()
    )
    assert package["risk_assessments"] == []  # not chosen: not handed over
    assert [h["help_type"] for h in package["helps"]] == [running_case.helps.get().help_type.name]
    assert [p["help_id"] for p in package["help_plans"]] == [running_case.helps.get().pk]
    assert package["help_plans"][0]["goals"][0]["text"] == "Mia schläft um acht."
    assert package["receiving_office"]["name"] == "Jugendamt Musterhausen"
    assert {p["first_name"] for p in package["persons"]} == {"Mia", "Sandra"}

    pdf = PdfReader(io.BytesIO(handover.package_pdf.file.open("rb").read()))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Jugendamt Musterhausen" in text and "Beschluss Amtsgericht" in text
    assert "Notiz der Kita" not in text and "Streit zu Hause" not in text
    assert f"Umzug am {timezone.localdate():%d.%m.%Y}" in text
    cover_pages = len(pdf.pages) - 2
    assert cover_pages >= 1  # the court order's two pages are appended after the cover

    assert handover.parts["documents"] == sorted([case_docs["court"].pk, case_docs["photo"].pk])
    assert handover.parts["assessments"] == []
    running_case.refresh_from_db()
    assert running_case.status == CaseStatus.CLOSED
    assert running_case.end_reason == EndReason.TRANSFERRED
    # The package itself is kept on the (closed) case as two hand-over documents.
    assert running_case.documents.filter(kind=DocumentKind.HANDOVER).count() == 2


def test_assessments_go_only_when_included(users, running_case, case_docs):
    assessment = RiskAssessmentFactory(case=running_case, facts="Streit zu Hause.")
    handover = _hand_over(users, running_case, [], include_assessments=True)
    package = json.loads(handover.package_json.file.open("rb").read())
    jsonschema_rs.validator_for(SCHEMA).validate(package)
    assert [a["id"] for a in package["risk_assessments"]] == [assessment.pk]
    assert package["documents"] == []


def test_who_handed_over_what_is_audited(users, running_case, case_docs):
    _hand_over(users, running_case, [case_docs["court"]])
    entries = AuditEntry.objects.filter(user=users["caseworker"], action="export")
    kinds = sorted(entries.values_list("object_type", "object_id"))
    help_ = running_case.helps.get()
    assert kinds == sorted(
        [
            ("case", running_case.pk),
            ("help", help_.pk),
            ("helpplan", help_.help_plan.pk),
            ("document", case_docs["court"].pk),
        ]
    )


def test_schema_refuses_a_package_missing_a_part(users, running_case, case_docs):
    handover = _hand_over(users, running_case, [])
    package = json.loads(handover.package_json.file.open("rb").read())
    del package["helps"]
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.validator_for(SCHEMA).validate(package)


def test_hand_over_through_the_page(client, users, running_case, case_docs):
    client.force_login(users["caseworker"])
    url = reverse("documents:handover", args=[running_case.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"moved_on": "", "receiving_office": "", "documents": []})
    assert refused.status_code == 422
    assert "Pflichtfeld" in refused.content.decode() or "erforderlich" in refused.content.decode()
    response = client.post(
        url,
        {
            "moved_on": timezone.localdate().isoformat(),
            "receiving_office": "Jugendamt Musterhausen",
            "documents": [case_docs["court"].pk],
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get(case=running_case)
    assert list(handover.selected_documents.all()) == [case_docs["court"]]
    page = client.get(reverse("documents:case_documents", args=[running_case.pk]))
    assert "Übergabe als PDF" in page.content.decode()


def test_a_case_in_clarification_is_handed_over_without_a_help_decision(
    users, case_in_clarification
):
    """The family moves away while the help is still being clarified: the case passes to the
    other office and closes as Zuständigkeitswechsel, with no help decided here."""
    _hand_over(users, case_in_clarification, [])
    case_in_clarification.refresh_from_db()
    assert case_in_clarification.status == CaseStatus.CLOSED
    assert case_in_clarification.end_reason == EndReason.TRANSFERRED
    assert Handover.objects.filter(case=case_in_clarification).exists()


def test_the_status_form_still_cannot_close_a_case_in_clarification(users, case_in_clarification):
    from cases.services import case_transition

    with pytest.raises(ValidationError):
        case_transition(
            user=users["caseworker"],
            case=case_in_clarification,
            to_status=CaseStatus.CLOSED,
            end_reason=EndReason.GOALS_REACHED,
        )
    case_in_clarification.refresh_from_db()
    assert case_in_clarification.status == CaseStatus.CLARIFICATION


def test_a_document_of_another_case_cannot_be_handed_over(users, running_case, case_sued, stored):
    foreign = stored(case_sued, created_by=users["caseworker_sued"])
    with pytest.raises(ValidationError):
        _hand_over(users, running_case, [foreign])
    running_case.refresh_from_db()
    assert running_case.status == CaseStatus.RUNNING


# --- Inside the town -----------------------------------------------------------------------------


def test_move_inside_the_town_is_proposed_confirmed_and_kept(
    client, users, running_case, street_sued, team_sued
):
    help_ = running_case.helps.get()
    move = move_record(
        user=users["caseworker"],
        case=running_case,
        moved_on=timezone.localdate(),
        street="Birkenallee",
        house_number="5",
        postcode="24851",
    )
    assert move.proposed_sozialraum == street_sued.sozialraum
    assert move.proposed_team == team_sued
    running_case.refresh_from_db()
    assert running_case.street == "Lindenweg"  # nothing changes before the team lead decides

    with pytest.raises(ValidationError):
        move_decide(user=users["caseworker"], move=move, confirm=True)
    with pytest.raises(ValidationError) as refusal:
        move_decide(user=users["team_lead"], move=move, confirm=True)
    assert "neue fallsteuernde Fachkraft" in str(refusal.value)
    move_decide(
        user=users["team_lead"],
        move=move,
        confirm=True,
        steering_caseworker=users["caseworker_sued"],
    )
    running_case.refresh_from_db()
    assert running_case.sozialraum == street_sued.sozialraum
    assert running_case.region_id == team_sued.region_id
    # Its people and helps move with it, so that Süd's name search and help type filter find
    # the case (SearchWord.region, Help.region), and Nord's no longer do.
    words = SearchWord.objects.filter(case=running_case)
    assert words.exists()
    assert set(words.values_list("region_id", flat=True)) == {team_sued.region_id}
    help_.refresh_from_db()
    assert help_.region_id == team_sued.region_id
    for user, listed in (("caseworker_sued", True), ("caseworker", False)):
        client.force_login(users[user])
        page = client.get(reverse("cases:list"), {"help_type": help_.help_type_id})
        assert (f">{running_case.number}<" in page.content.decode()) is listed
        name = running_case.persons.first().last_name
        page = client.post(reverse("cases:list"), {"q": name}, follow=True)
        assert (f">{running_case.number}<" in page.content.decode()) is listed
    assert running_case.steering_caseworker == users["caseworker_sued"]
    assert (running_case.street, running_case.house_number) == ("Birkenallee", "5")
    help_.refresh_from_db()
    assert help_.ended_on is None  # the help keeps running
    assert running_case.status == CaseStatus.RUNNING
    move.refresh_from_db()
    assert move.status == MoveStatus.CONFIRMED and move.previous_street == "Lindenweg"
    assert running_case.status_changes.filter(reason__startswith="Umzug am").exists()


def test_unknown_street_is_refused_in_german(users, running_case, street_nord):
    with pytest.raises(ValidationError) as refusal:
        move_record(
            user=users["caseworker"],
            case=running_case,
            moved_on=timezone.localdate(),
            street="Gibtsnichtweg",
            house_number="1",
        )
    assert "Straßenverzeichnis" in str(refusal.value)
    assert not CaseMove.objects.exists()


def test_move_pages(client, users, running_case, street_nord):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("documents:move", args=[running_case.pk]),
        {"moved_on": timezone.localdate().isoformat(), "street": "Lindenweg", "house_number": "9"},
    )
    assert response.status_code == 302
    move = CaseMove.objects.get()
    assert client.get(reverse("documents:move_decide", args=[move.pk])).status_code == 403
    client.force_login(users["team_lead"])
    response = client.post(
        reverse("documents:move_decide", args=[move.pk]), {"decision": "confirm", "note": ""}
    )
    assert response.status_code == 302
    running_case.refresh_from_db()
    assert running_case.house_number == "9"
    page = client.get(reverse("documents:case_documents", args=[running_case.pk]))
    assert "bestätigt" in page.content.decode()
