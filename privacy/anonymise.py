"""Which fields of a case carry personal data, and how each is made anonymous.

Kept on purpose, for statistics and the budget: case number, kind, status, region, Sozialraum,
dates, end reason, help types with their scope and placement location, providers, partners and
offers, target group and participant counts, the status history (without reasons), § 8a levels
and, untouched, commitments and ledger entries. Commitment titles of individual helps read
"<help type> · <case number>" (budgets.assignments) and carry no names; the ledger is
append-only and is never touched here. Its free text (booking texts, reasons of reversals) lives
beside it in `budgets.LedgerText`: that is erased with the case (`case_ledger_texts`), the
entries with their amounts and sums stay.

Birth dates of children keep their year, stored as 1 July (the middle of the year, so an age
computed from it is off by half a year at most, in either direction): statistics count helps by
age group (§ 41 young adults among them). The child's birth date is required by a constraint, so
it cannot simply be removed. Other persons' birth dates are removed.

Documents on the case (`documents`) are files: they cannot be anonymised and are deleted with
their files when the case is anonymised or deleted under its retention class.

Callers run these inside a transaction with the case row locked (see `privacy.services`).
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet

from budgets.models import ErasureGround, Payment
from budgets.selectors import case_ledger_entries
from budgets.services import ledger_texts_erase
from cases.models import (
    ActionStep,
    Assignment,
    Case,
    CaseStatusChange,
    Goal,
    Help,
    HelpPlanReview,
    HelpPlanReviewChange,
    Note,
    PeerConsultation,
    Person,
    PersonRole,
    Resource,
    RiskAssessment,
    SafetyMeasure,
    Sharing,
)
from cases.services import case_search_words_keep
from contributions.services import contributions_erase_for_cases
from corrections.services import corrections_erase
from documents.services import documents_delete_for_case, documents_erase_for_cases
from meetings.services import meetings_erase_for_cases
from reimbursements.services import reimbursements_erase_for_cases
from reports.models import ReportRequest

PLACEHOLDER = "[anonymisiert]"


def birth_year_only(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 7, 1)


def case_anonymise(*, case: Case, at: datetime.datetime) -> None:
    """Strip a case of personal data. Notes and § 8a facts follow their own retention class."""
    Case.objects.filter(pk=case.pk).update(
        concern="",
        will="",
        street="",
        house_number="",
        postcode="",
        sozialraum_override_reason="",
        project_goals="",
        outcome="",
        anonymised_at=at,
    )
    for person in Person.objects.filter(case=case):
        person.first_name = ""
        person.last_name = PLACEHOLDER
        person.name_key = ""  # no longer found by the name search or the duplicate check
        person.relation = ""
        person.phone = ""
        if person.role == PersonRole.CHILD and person.birth_date:
            person.birth_date = birth_year_only(person.birth_date)
        else:
            person.birth_date = None
        person.save(
            update_fields=["first_name", "last_name", "name_key", "relation", "phone", "birth_date"]
        )
    case_search_words_keep(case=case)  # no words of names left: the keys are empty
    Resource.objects.filter(case=case).update(description=PLACEHOLDER)
    Goal.objects.filter(case=case).update(text=PLACEHOLDER)
    ActionStep.objects.filter(goal__case=case).update(text=PLACEHOLDER)
    Help.objects.filter(case=case).update(rationale="")
    Assignment.objects.filter(case=case).update(provider_contact="", instructions="")
    # Sharings keep basis, recipient, data kinds and dates (the record of who got what); the
    # purpose is free text and may name people.
    Sharing.objects.filter(case=case).update(purpose=PLACEHOLDER)
    HelpPlanReview.objects.filter(case=case).update(
        participants="", summary="", place="", invited_others=""
    )
    # A cancelled appointment keeps a reason (constraint): the placeholder, not the text.
    HelpPlanReview.objects.filter(case=case).exclude(cancel_reason="").update(
        cancel_reason=PLACEHOLDER
    )
    HelpPlanReviewChange.objects.filter(review__case=case).update(reason=PLACEHOLDER)
    PeerConsultation.objects.filter(case=case).update(
        question=PLACEHOLDER, ideas=PLACEHOLDER, next_step=PLACEHOLDER
    )
    CaseStatusChange.objects.filter(case=case).update(reason="")
    # The ledger's free text (its entries stay) and the payments' purpose it was copied from.
    ledger_texts_erase(entries=case_ledger_entries(case.pk), ground=ErasureGround.RETENTION)
    Payment.objects.filter(commitment__assignment__case=case).update(note="")
    case_corrections_erase(Case.all_objects.filter(pk=case.pk))
    # A file cannot be made anonymous: the case's documents (reports, letters, hand-over
    # packages) go with their files, which leave the storage once this transaction commits;
    # the addresses of recorded moves are emptied.
    documents_erase_for_cases(case_ids=[case.pk])
    # The Sozialraumteam's discussion, ideas and Familienrat plan about the case.
    meetings_erase_for_cases(case_ids=[case.pk], placeholder=PLACEHOLDER)
    # Objections and results of reimbursement claims between offices (amounts stay).
    reimbursements_erase_for_cases(case_ids=[case.pk], placeholder=PLACEHOLDER)
    # Cost contributions: the liable persons' income and the reasons (amounts stay).
    contributions_erase_for_cases(case_ids=[case.pk], placeholder=PLACEHOLDER)


def case_corrections_erase(cases: QuerySet[Case]) -> None:
    """The correction history of the cases and of their records keeps earlier texts: it goes
    with them (notes and § 8a assessments with their own classes, below)."""
    corrections_erase(cases)
    for model in (Help, Assignment, HelpPlanReview):
        corrections_erase(model.objects.filter(case__in=cases.values("pk")))


def notes_anonymise(notes: QuerySet[Note]) -> int:
    corrections_erase(notes)
    return notes.exclude(text=PLACEHOLDER).update(text=PLACEHOLDER)


def risk_assessments_anonymise(assessments: QuerySet[RiskAssessment]) -> int:
    """The § 8a texts that may name people go with the facts: who reported, who saw the child,
    the insoweit erfahrene Fachkraft, the court's reference, the Schutzplan's measures. The
    result, the dates and the kind of source stay for the statistics."""
    corrections_erase(assessments)
    SafetyMeasure.objects.filter(plan__assessment__in=assessments).exclude(text=PLACEHOLDER).update(
        text=PLACEHOLDER, responsible=PLACEHOLDER
    )
    assessments.exclude(family_court__in=["", PLACEHOLDER]).update(family_court=PLACEHOLDER)
    return assessments.exclude(facts=PLACEHOLDER).update(
        facts=PLACEHOLDER, source_detail="", child_seen_by="", experienced_professional=""
    )


def report_requests_delete(reports: QuerySet[ReportRequest]) -> int:
    """Delete finished report requests; their PDFs go once the deletion is committed (a file
    removed before a rollback could not come back)."""
    files = [(r.pdf.storage, r.pdf.name) for r in reports if r.pdf]
    count = rows_delete(reports)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return count


def rows_delete(rows: QuerySet) -> int:
    # A correction names its record by content type and id, so nothing cascades to it.
    if rows.model is Case:
        case_corrections_erase(rows)
        documents_delete_for_case(case_ids=list(rows.values_list("pk", flat=True)))
        for model in (Note, RiskAssessment):
            corrections_erase(model.objects.filter(case__in=rows.values("pk")))
    corrections_erase(rows)
    _total, by_model = rows.delete()
    return by_model.get(rows.model._meta.label, 0)
