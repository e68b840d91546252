"""Hand-over when a family moves (§ 86 SGB VIII) and the record of a move inside the town.

Out of town: the caseworker names the receiving office and the day of the move and chooses
the documents to hand over. The portal assembles what the law allows the receiving office to
get — the help plans with their goals and steps, the running helps, the § 8a assessments only
where the caseworker includes them (§ 8a Abs. 5 SGB VIII: when there are weighty indications)
and the chosen documents — as one PDF (WeasyPrint; chosen PDF documents appended, images
embedded) and as JSON for the receiving system (`docs/handover.schema.json`). Both are kept as
documents of kind hand-over on the case; every part handed over leaves an audit entry; then
the case closes with the end reason "Zuständigkeitswechsel" through `cases.services`.

Inside the town: the new address goes through the street directory, which proposes the
Sozialraum and ASD team now responsible; the team lead confirms (or rejects). Confirming moves
the case to the new Sozialraum (and region); the helps keep running; the move stays as history.
"""

import base64
import datetime
import io
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.audit import audit_record
from cases.models import (
    AuditAction,
    Case,
    CaseStatus,
    CaseStatusChange,
    EndReason,
    Help,
    HelpPlan,
    RiskAssessment,
    RiskLevel,
)
from cases.services import case_region_follow, case_transition
from cases.workflow import may_close_as_transferred
from documents.models import CaseMove, Document, DocumentKind, Handover, MoveStatus
from documents.services import document_store
from sozialraum.models import Role, User
from sozialraum.selectors import address_resolve

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "https://sozialraum.example/schemas/handover/1.0"


# --- Out of town ---------------------------------------------------------------------------------


def assessments_required(case: Case) -> bool:
    """Whether the form proposes handing over the § 8a assessments: an assessment found a
    (latent or acute) danger."""
    return case.risk_assessments.filter(level__in=[RiskLevel.LATENT, RiskLevel.ACUTE]).exists()


def handover_refusal(case: Case) -> str:
    """'' when the case can be handed over, else the German reason."""
    if not case.is_individual:
        return "Übergeben werden nur fallspezifische Fälle."
    if case.status == CaseStatus.CLOSED:
        return "Der Fall ist bereits beendet."
    if case.anonymised_at is not None or case.withdrawn_at is not None:
        return "Dieser Fall kann nicht mehr übergeben werden."
    if not may_close_as_transferred(case.kind, case.status):
        return "In diesem Status kann der Fall nicht übergeben werden."
    if Handover.objects.filter(case=case).exists():
        return "Dieser Fall wurde bereits übergeben."
    return ""


@dataclass(frozen=True)
class PackageParts:
    """The ids of what goes into a package: what the audit and `Handover.parts` record."""

    help_plans: list[int]
    helps: list[int]
    assessments: list[int]
    documents: list[int]

    def as_dict(self) -> dict[str, list[int]]:
        return {
            "help_plans": self.help_plans,
            "helps": self.helps,
            "assessments": self.assessments,
            "documents": self.documents,
        }


def package_parts(
    *, case: Case, include_assessments: bool, documents: list[Document]
) -> PackageParts:
    running = case.helps.filter(ended_on__isnull=True).order_by("starts_on", "pk")
    return PackageParts(
        help_plans=list(
            HelpPlan.objects.filter(help__in=running).order_by("pk").values_list("pk", flat=True)
        ),
        helps=list(running.values_list("pk", flat=True)),
        assessments=(
            list(case.risk_assessments.order_by("assessed_at", "pk").values_list("pk", flat=True))
            if include_assessments
            else []
        ),
        documents=sorted(d.pk for d in documents),
    )


def _iso(day: datetime.date | datetime.datetime | None) -> str | None:
    return day.isoformat() if day is not None else None


def _help_json(help_: Help) -> dict[str, Any]:
    assignment = help_.assignments.filter(ended_on__isnull=True).select_related("provider").first()
    return {
        "id": help_.pk,
        "help_type": help_.help_type.name,
        "legal_basis": help_.help_type.paragraph,
        "starts_on": _iso(help_.starts_on),
        "planned_end_on": _iso(help_.planned_end_on),
        "hours_per_week": str(help_.hours_per_week) if help_.hours_per_week is not None else None,
        "placement_location": help_.get_placement_location_display() or None,
        "provider": assignment.provider.name if assignment else None,
    }


def _help_plan_json(plan: HelpPlan) -> dict[str, Any]:
    goals = plan.goals.order_by("pk").prefetch_related("steps")
    next_review = plan.reviews.still_open().order_by("due_on")
    review = next_review.first()
    return {
        "id": plan.pk,
        "help_id": plan.help_id,
        "goals": [
            {
                "text": goal.text,
                "achieved_on": _iso(goal.achieved_on),
                "steps": [
                    {
                        "text": step.text,
                        "owner": step.get_owner_display(),
                        "due_on": _iso(step.due_on),
                        "done_on": _iso(step.done_on),
                    }
                    for step in goal.steps.all().order_by("pk")
                ],
            }
            for goal in goals
        ],
        "next_review_on": _iso(review.due_on) if review else None,
    }


def _assessment_json(assessment: RiskAssessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "assessed_on": _iso(timezone.localtime(assessment.assessed_at).date()),
        "known_on": _iso(assessment.known_on),
        "level": assessment.level or None,
        "level_label": assessment.get_level_display() or "offen",
        "facts": assessment.facts,
        "family_court_on": _iso(assessment.family_court_on),
    }


def _document_json(document: Document) -> dict[str, Any]:
    with document.file.open("rb") as handle:
        content = handle.read()
    return {
        "id": document.pk,
        "title": document.title,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "dated_on": _iso(document.dated_on),
        "source": document.source,
        "file_name": document.file_name,
        "mime": document.mime,
        "size": document.size,
        "sha256": document.sha256,
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


def handover_json(
    *, case: Case, handover: Handover, parts: PackageParts, user: User
) -> dict[str, Any]:
    """The structured package for the receiving system (validates against the schema)."""
    persons = case.persons.order_by("pk")
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "created_at": timezone.now().isoformat(),
        "sending_office": {
            "name": settings.OFFICE_NAME,
            "team": case.steering_caseworker.asd_team.name
            if case.steering_caseworker.asd_team
            else None,
            "caseworker": case.steering_caseworker.get_full_name()
            or case.steering_caseworker.username,
            "handed_over_by": user.get_full_name() or user.username,
        },
        "receiving_office": {
            "name": handover.receiving_office,
            "address": handover.receiving_address or None,
            "reference": handover.receiving_reference or None,
        },
        "case": {
            "number": case.number,
            "opened_on": _iso(case.opened_on),
            "moved_on": _iso(handover.moved_on),
            "concern": case.concern,
            "will": case.will,
        },
        "persons": [
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "birth_date": _iso(person.birth_date),
                "role": person.role,
                "role_label": person.get_role_display(),
                "relation": person.relation or None,
            }
            for person in persons
        ],
        "helps": [
            _help_json(h)
            for h in Help.objects.filter(pk__in=parts.helps)
            .select_related("help_type")
            .order_by("starts_on", "pk")
        ],
        "help_plans": [
            _help_plan_json(p)
            for p in HelpPlan.objects.filter(pk__in=parts.help_plans).order_by("pk")
        ],
        "risk_assessments": [
            _assessment_json(a)
            for a in RiskAssessment.objects.filter(pk__in=parts.assessments).order_by(
                "assessed_at", "pk"
            )
        ],
        "documents": [
            _document_json(d)
            for d in Document.objects.filter(pk__in=parts.documents).order_by("pk")
        ],
    }


def handover_pdf(*, package: dict[str, Any], documents: list[Document]) -> bytes:
    """One PDF: the cover and structured parts rendered by WeasyPrint, images embedded there,
    chosen PDF documents appended page by page (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    images = []
    attached = []
    for entry in package["documents"]:
        if entry["mime"] in ("image/png", "image/jpeg"):
            images.append(
                {**entry, "data_uri": f"data:{entry['mime']};base64,{entry['content_base64']}"}
            )
        else:
            attached.append(entry)
    html = render_to_string(
        "documents/handover_package.html",
        {"package": package, "images": images, "attached": attached},
    )
    cover = HTML(string=html).write_pdf()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    for document in documents:
        if document.mime != "application/pdf":
            continue
        with document.file.open("rb") as handle:
            content = handle.read()
        try:
            writer.append(PdfReader(io.BytesIO(content)))
        except Exception as error:
            # A damaged PDF still travels in the JSON; the cover lists it.
            logger.warning("handover: a PDF could not be appended: %s", type(error).__name__)
            continue
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@transaction.atomic
def handover_create(
    *,
    user: User,
    case: Case,
    moved_on: datetime.date,
    receiving_office: str,
    receiving_address: str = "",
    receiving_reference: str = "",
    include_assessments: bool,
    documents: list[Document],
) -> Handover:
    """Hand the case over to the receiving office and close it (see the module text)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    refusal = handover_refusal(case)
    if refusal:
        raise ValidationError(refusal)
    errors: dict[str, list[str]] = {}
    if not receiving_office.strip():
        errors["receiving_office"] = ["Bitte nennen Sie das übernehmende Jugendamt."]
    if moved_on < case.opened_on:
        errors["moved_on"] = ["Der Umzug liegt vor dem Falleingang."]
    if any(d.case_id != case.pk for d in documents):
        errors["documents"] = ["Ein gewähltes Dokument gehört nicht zu diesem Fall."]
    if any(d.kind == DocumentKind.HANDOVER for d in documents):
        errors["documents"] = ["Übergabepakete werden nicht weitergegeben."]
    if errors:
        raise ValidationError(errors)

    today = timezone.localdate()
    handover = Handover.objects.create(
        case=case,
        moved_on=moved_on,
        receiving_office=receiving_office.strip(),
        receiving_address=receiving_address.strip(),
        receiving_reference=receiving_reference.strip(),
        handed_over_on=today,
        include_assessments=include_assessments,
        handed_over_by=user,
    )
    handover.selected_documents.set(documents)
    parts = package_parts(case=case, include_assessments=include_assessments, documents=documents)
    package = handover_json(case=case, handover=handover, parts=parts, user=user)
    pdf = handover_pdf(package=package, documents=sorted(documents, key=lambda d: d.pk))
    body = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    handover.package_pdf = document_store(
        case=case,
        title=f"Übergabe an {handover.receiving_office} (PDF)",
        kind=DocumentKind.HANDOVER,
        content=pdf,
        file_name=f"uebergabe-{case.number}.pdf",
        mime="application/pdf",
        dated_on=today,
        source=settings.OFFICE_NAME,
        created_by=user,
    )
    handover.package_json = document_store(
        case=case,
        title=f"Übergabe an {handover.receiving_office} (JSON)",
        kind=DocumentKind.HANDOVER,
        content=body,
        file_name=f"uebergabe-{case.number}.json",
        mime="application/json",
        dated_on=today,
        source=settings.OFFICE_NAME,
        created_by=user,
    )
    handover.parts = parts.as_dict()
    handover.save(update_fields=["package_pdf", "package_json", "parts"])

    # Who handed over what: the case, then each part by its own kind and id.
    audit_record(user=user, action=AuditAction.EXPORT, obj=case, detail="Übergabe § 86 SGB VIII")
    for model, ids in (
        (HelpPlan, parts.help_plans),
        (Help, parts.helps),
        (RiskAssessment, parts.assessments),
        (Document, parts.documents),
    ):
        for obj in model.objects.filter(pk__in=ids).select_related("case"):
            audit_record(user=user, action=AuditAction.EXPORT, obj=obj, detail="Übergabe")
    case_transition(
        user=user,
        case=case,
        to_status=CaseStatus.CLOSED,
        reason=f"Zuständigkeitswechsel: Umzug am {moved_on:%d.%m.%Y}, übergeben an "
        f"{handover.receiving_office}",
        end_reason=EndReason.TRANSFERRED,
    )
    return handover


# --- Inside the town -----------------------------------------------------------------------------


@transaction.atomic
def move_record(
    *,
    user: User,
    case: Case,
    moved_on: datetime.date,
    street: str,
    house_number: str,
    postcode: str = "",
) -> CaseMove:
    """Record a move inside the town; the street directory proposes who is now responsible."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_individual or case.status == CaseStatus.CLOSED:
        raise ValidationError(
            "Ein Umzug wird nur bei einem laufenden fallspezifischen Fall erfasst."
        )
    if CaseMove.objects.filter(case=case, status=MoveStatus.PROPOSED).exists():
        raise ValidationError(
            "Für diesen Fall liegt bereits ein Umzug zur Bestätigung bei der Teamleitung."
        )
    if moved_on < case.opened_on:
        raise ValidationError({"moved_on": "Der Umzug liegt vor dem Falleingang."})
    found = address_resolve(
        street=street, house_number=house_number, postcode=postcode, on=moved_on
    )
    if not found.found:
        raise ValidationError({"street": found.message})
    move = CaseMove.objects.create(
        case=case,
        moved_on=moved_on,
        street=street.strip(),
        house_number=house_number.strip(),
        postcode=postcode.strip(),
        previous_street=case.street,
        previous_house_number=case.house_number,
        previous_postcode=case.postcode,
        previous_sozialraum=case.sozialraum,
        proposed_sozialraum=found.sozialraum,
        proposed_team=found.asd_team,
        recorded_by=user,
    )
    audit_record(user=user, action=AuditAction.CREATE, obj=move, detail="Umzug erfasst")
    return move


def move_region_changes(move: CaseMove) -> bool:
    return (
        move.proposed_sozialraum is not None
        and move.proposed_sozialraum.region_id != move.case.region_id
    )


@transaction.atomic
def move_decide(
    *,
    user: User,
    move: CaseMove,
    confirm: bool,
    note: str = "",
    steering_caseworker: User | None = None,
) -> CaseMove:
    """The team lead confirms the proposal (the case moves to the new Sozialraum; helps keep
    running) or rejects it (the case stays; the new address is still recorded)."""
    move = CaseMove.objects.select_for_update().select_related("case").get(pk=move.pk)
    if user.effective_role != Role.TEAM_LEAD:
        raise ValidationError("Den Vorschlag bestätigt die Teamleitung.")
    if move.status != MoveStatus.PROPOSED:
        raise ValidationError("Über diesen Umzug wurde bereits entschieden.")
    case = Case.objects.select_for_update().get(pk=move.case_id)
    new = move.proposed_sozialraum
    if confirm and new is None:
        raise ValidationError("Für diese Anschrift gibt es keinen Vorschlag.")
    if confirm and new is not None and new.region_id != case.region_id:
        if steering_caseworker is None:
            raise ValidationError(
                {
                    "steering_caseworker": (
                        "Der Fall wechselt die Region: bitte wählen Sie die neue "
                        "fallsteuernde Fachkraft."
                    )
                }
            )
        if (
            steering_caseworker.asd_team is None
            or steering_caseworker.asd_team.region_id != new.region_id
        ):
            raise ValidationError(
                {"steering_caseworker": "Die Fachkraft gehört nicht zur neuen Region."}
            )
    move.status = MoveStatus.CONFIRMED if confirm else MoveStatus.REJECTED
    move.decided_by = user
    move.decided_at = timezone.now()
    move.decision_note = note.strip()
    move.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    # The new address is where the family lives, whatever the decision on responsibility.
    case.street, case.house_number, case.postcode = move.street, move.house_number, move.postcode
    fields = ["street", "house_number", "postcode"]
    if confirm and new is not None:
        case.sozialraum = new
        case.region_id = new.region_id
        fields += ["sozialraum", "region"]
        if steering_caseworker is not None and new.region_id != move.previous_sozialraum.region_id:
            case.steering_caseworker = steering_caseworker
            fields.append("steering_caseworker")
    case.save(update_fields=fields)
    case_region_follow(case=case)
    CaseStatusChange.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        reason=(
            f"Umzug am {move.moved_on:%d.%m.%Y}: "
            + (f"Sozialraum {new.name} übernimmt" if confirm and new else "Zuständigkeit bleibt")
        ),
        changed_by=user,
    )
    audit_record(
        user=user,
        action=AuditAction.CHANGE,
        obj=move,
        detail="Umzug bestätigt" if confirm else "Umzug abgelehnt",
    )
    return move
