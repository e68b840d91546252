"""Reads of documents: which documents a person may see, and one document for a download.

- ASD staff see the documents of every case they may open (`cases.permissions`: their
  region's cases and, while a deputy, the cases of the person they cover).
- A provider's staff see only documents the ASD shared with one of their provider's running
  assignments, and only while the basis holds: a document of the assignment's own help plan
  is covered by the commission (§ 36 SGB VIII); any other document needs the family's consent
  to that provider, valid today (`cases.selectors_sharing.consents_valid_on`). A withdrawn or
  expired consent hides the shared documents again at once.
- Everyone else: none (404, so guessing an id reveals nothing).
"""

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Assignment, AssignmentStatus, Case
from cases.permissions import cases_visible_to, region_of_asd
from cases.selectors_sharing import consents_valid_on
from documents.models import Document, DocumentShare
from sozialraum.models import Role, User


def _provider_of_staff(user: User) -> int | None:
    """The provider whose staff the user is; None for everyone else."""
    if user.is_authenticated and user.effective_role == Role.PROVIDER_STAFF:
        return user.provider_id
    return None


def document_shares_in_force(*, today: datetime.date) -> QuerySet[DocumentShare]:
    """Shares whose assignment runs and whose basis holds on `today` (see the module text)."""
    consent = consents_valid_on(today).filter(
        case_id=OuterRef("document__case_id"), provider_id=OuterRef("assignment__provider_id")
    )
    return DocumentShare.objects.filter(
        assignment__status=AssignmentStatus.ACTIVE, assignment__ended_on__isnull=True
    ).filter(Q(document__help_plan__help_id=F("assignment__help_id")) | Exists(consent))


def documents_visible_to(user: User, *, today: datetime.date | None = None) -> QuerySet[Document]:
    """Every document the user may open (see the module text)."""
    if region_of_asd(user) is not None:
        return Document.objects.filter(case__in=cases_visible_to(user))
    provider_id = _provider_of_staff(user)
    if provider_id is not None:
        shares = document_shares_in_force(today=today or timezone.localdate()).filter(
            assignment__provider_id=provider_id
        )
        withdrawn = Case.all_objects.filter(withdrawn_at__isnull=False).values("pk")
        return Document.objects.filter(pk__in=shares.values("document_id")).exclude(
            case_id__in=withdrawn
        )
    return Document.objects.none()


def document_for_user(user: User, pk: int) -> Document:
    """The document if the user may see it; 404 otherwise."""
    document = documents_visible_to(user).select_related("case", "created_by").filter(pk=pk).first()
    if document is None:
        raise Http404("Dokument nicht gefunden.")
    return document


def documents_of_case(*, case: Case) -> QuerySet[Document]:
    """The case's documents for its documents page (the caller has checked the case)."""
    return (
        Document.objects.filter(case=case)
        .select_related("person", "help_plan__help__help_type", "assessment", "created_by")
        .prefetch_related("shares__assignment__provider")
        .order_by("-dated_on", "-id")
    )


def documents_of_assignment(*, user: User, assignment: Assignment) -> QuerySet[Document]:
    """What the provider's staff see on one assignment (the caller has checked it)."""
    return (
        documents_visible_to(user)
        .filter(shares__assignment=assignment)
        .distinct()
        .order_by("-dated_on", "-id")
    )


def assignments_shareable(*, case: Case) -> QuerySet[Assignment]:
    """Running assignments of the case a document can be shared with."""
    return (
        Assignment.objects.filter(case=case, status=AssignmentStatus.ACTIVE, ended_on__isnull=True)
        .select_related("provider", "help__help_type")
        .order_by("id")
    )
