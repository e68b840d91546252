"""Dated fixtures for retention: closed cases of region Nord, years apart, with every part of a
case file, and the retention classes released (as the data-protection officer would)."""

import datetime

import pytest
from django.utils import timezone

from cases.models import (
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    Goal,
    NoteKind,
    PeerConsultation,
    PersonRole,
    ResourceKind,
    StepOwner,
)
from privacy.models import RetentionClass
from privacy.services import retention_classes_ensure
from tests.cases.factories import (
    AssignmentFactory,
    CaseFactory,
    HelpFactory,
    HelpPlanReviewFactory,
    NoteFactory,
    PersonFactory,
    ProjectFactory,
    RiskAssessmentFactory,
)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def released(db) -> dict[str, RetentionClass]:
    """The seeded defaults, released."""
    retention_classes_ensure()
    RetentionClass.objects.update(is_active=True)
    return {c.record_type: c for c in RetentionClass.objects.all()}


def case_file(
    *,
    sozialraum,
    steering,
    closed_on: datetime.date | None,
    with_help: bool = True,
    child_born: datetime.date = datetime.date(2000, 5, 4),
    family: str = "Beispiel",
):
    """An individual case with persons, resources, goals, a help with its plan, a provider's
    assignment, notes, a § 8a assessment and a peer consultation; closed on `closed_on`."""
    opened_on = (closed_on or timezone.localdate()) - datetime.timedelta(days=400)
    case = CaseFactory(
        sozialraum=sozialraum,
        steering_caseworker=steering,
        status=CaseStatus.CLOSED if closed_on else CaseStatus.RUNNING,
        closed_on=closed_on,
        opened_on=opened_on,
        concern=f"Familie {family} wünscht sich Ruhe zu Hause.",
        will=f"Herr {family} will wieder arbeiten.",
        street="Lindenweg",
        house_number="3a",
        postcode="24850",
    )
    PersonFactory(case=case, first_name="Mia", last_name=family, birth_date=child_born)
    PersonFactory(
        case=case,
        role=PersonRole.GUARDIAN,
        first_name="Sandra",
        last_name=family,
        birth_date=datetime.date(1980, 2, 1),
        relation="Mutter",
        phone="0461 12345",
    )
    case.resources.create(kind=ResourceKind.SOCIAL, description=f"Oma {family} holt Mia ab.")
    goal = Goal.objects.create(case=case, text="Mia geht gern zur Schule.")
    goal.steps.create(text="Gespräch mit Frau Lehrerin Kunz", owner=StepOwner.FAMILY)
    CaseStatusChange.objects.create(
        case=case, to_status=case.status, reason=f"Gespräch mit Frau {family}", changed_by=steering
    )
    if with_help:
        help_ = HelpFactory(
            case=case,
            starts_on=opened_on,
            planned_end_on=opened_on + datetime.timedelta(days=300),
            rationale=f"Frau {family} schafft es allein nicht.",
        )
        HelpPlanReviewFactory(
            help_plan__help=help_,
            due_on=opened_on + datetime.timedelta(days=180),
            participants=f"Frau {family}, Mia",
            summary="Mia geht wieder regelmäßig zur Schule.",
        )
        assignment = AssignmentFactory(
            help=help_, provider_contact="Herr Träger-Kontakt", instructions="Mia begleiten."
        )
        NoteFactory(
            case=case,
            assignment=assignment,
            kind=NoteKind.PROGRESS,
            internal=False,
            text=f"Hausbesuch bei {family}.",
        )
    NoteFactory(case=case, text=f"Vermerk: Frau {family} rief an.")
    RiskAssessmentFactory(case=case, facts=f"Nachbarin meldet Streit bei {family}.")
    consultation = PeerConsultation.objects.create(
        case=case,
        held_on=opened_on,
        question=f"Wie erreichen wir Herrn {family}?",
        ideas="Über den Sportverein.",
        next_step="Trainer ansprechen.",
        recorded_by=steering,
    )
    consultation.participants.add(steering)
    return case


def project(*, sozialraum, steering, closed_on: datetime.date):
    return ProjectFactory(
        sozialraum=sozialraum,
        steering_caseworker=steering,
        kind=CaseKind.CROSS_CASE,
        status=CaseStatus.CLOSED,
        closed_on=closed_on,
        opened_on=closed_on - datetime.timedelta(days=200),
        project_goals="Frau Kaya leitet die Gruppe.",
        outcome="Zwölf Familien kamen regelmäßig.",
        participants_count=12,
    )
