"""Writes of documents: store a file on a case, share it with an assignment, delete it.

Every write leaves an audit entry (`cases.audit`). Files go only through the document storage
(`documents.storage`); the row and the file are created and removed together: a file is saved
before the row and removed again if the transaction fails, and deleted only after the row's
deletion has been committed, so no row ever points at a missing file.
"""

import datetime
import hashlib
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import (
    Assignment,
    AssignmentStatus,
    AuditAction,
    Case,
    HelpPlan,
    Person,
    RiskAssessment,
)
from cases.selectors_sharing import consents_valid_on
from documents import uploads
from documents.models import (
    CaseMove,
    DecisionNotice,
    Document,
    DocumentKind,
    DocumentShare,
    Handover,
    HelpPlanAgreement,
)
from documents.scanning import virus_check
from sozialraum.models import User


@transaction.atomic
def document_store(
    *,
    case: Case,
    title: str,
    kind: str,
    content: bytes,
    file_name: str,
    mime: str,
    dated_on: datetime.date,
    source: str,
    created_by: User,
    person: Person | None = None,
    help_plan: HelpPlan | None = None,
    assessment: RiskAssessment | None = None,
    replaces: Document | None = None,
) -> Document:
    """Keep `content` as a document on `case` (audited). Callers have checked an uploaded
    file with `documents.uploads.upload_check` (or produced the bytes themselves, as letters
    do). A document replacing an earlier one (a letter sent again) gets the next version."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append("Bitte geben Sie einen Titel an.")
    if kind not in DocumentKind.values:
        errors.setdefault("kind", []).append("Bitte wählen Sie eine Art des Dokuments.")
    if not content:
        errors.setdefault("file", []).append("Die Datei ist leer.")
    for field, obj in (("person", person), ("help_plan", help_plan), ("assessment", assessment)):
        if obj is not None and obj.case_id != case.pk:
            errors.setdefault(field, []).append("Dies gehört nicht zu diesem Fall.")
    if replaces is not None and replaces.case_id != case.pk:
        errors.setdefault("__all__", []).append(
            "Das ersetzte Dokument gehört zu einem anderen Fall."
        )
    if errors:
        raise ValidationError(errors)

    document = Document(
        case=case,
        person=person,
        help_plan=help_plan,
        assessment=assessment,
        title=title.strip()[:200],
        kind=kind,
        dated_on=dated_on,
        source=source.strip()[:200],
        file_name=file_name[:200],
        mime=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        version=(replaces.version + 1) if replaces is not None else 1,
        replaces=replaces,
        created_by=created_by,
    )
    # The file first (under a random name), then the row; if the row cannot be written the
    # file is removed again. (Should an outer transaction roll back later, an unreferenced
    # file remains; no row points at it, so no view can serve it, and the nightly sweep removes
    # it a day later: documents.orphans.)
    document.file.save(file_name, ContentFile(content), save=False)
    try:
        document.save()
        audit_record(user=created_by, action=AuditAction.CREATE, obj=document, detail="Dokument")
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def document_delete_with_file(*, document: Document) -> None:
    """Delete the document row and, once that is committed, its file in the storage.

    Used by the retention job of `privacy` (through `documents_delete_for_case`) and by the
    deletion of a single wrongly uploaded document."""
    storage = document.file.storage
    name = document.file.name
    Document.objects.filter(pk=document.pk).delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Uploads, sharing, deletion by users ---------------------------------------------------------

ALLOWED_UPLOADS = frozenset({uploads.PDF, uploads.PNG, uploads.JPEG, uploads.ODT, uploads.DOCX})


def upload_limit_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_BYTES", 20 * 1024 * 1024))


def document_upload_check(*, uploaded: UploadedFile) -> tuple[uploads.CheckedUpload, bytes]:
    """Check an uploaded file (name, size, real kind, virus scanner) and read it. Raises
    ValidationError with a German message for the file field; nothing is stored then."""
    checked = uploads.upload_check(
        uploaded=uploaded, allowed=ALLOWED_UPLOADS, max_bytes=upload_limit_bytes()
    )
    uploaded.seek(0)
    content = uploaded.read()
    if len(content) != checked.size:
        raise ValidationError(
            "Die Datei kam nicht vollständig an. Bitte laden Sie sie erneut hoch."
        )
    virus_check(content=content, name=checked.name)
    return checked, content


@transaction.atomic
def document_upload(
    *,
    user: User,
    case: Case,
    uploaded: UploadedFile,
    title: str,
    kind: str,
    dated_on: datetime.date,
    source: str,
    person: Person | None = None,
    help_plan: HelpPlan | None = None,
    assessment: RiskAssessment | None = None,
) -> Document:
    """A caseworker adds a file to the case (the view has checked that she may change it)."""
    if case.anonymised_at is not None:
        raise ValidationError(
            "Dieser Fall ist anonymisiert; Dokumente können nicht mehr hinzukommen."
        )
    if kind in (DocumentKind.LETTER_SENT, DocumentKind.HANDOVER):
        raise ValidationError(
            {"kind": "Versandte Schreiben und Übergaben legt das Portal selbst ab."}
        )
    if dated_on > timezone.localdate():
        raise ValidationError({"dated_on": "Das Datum des Dokuments liegt in der Zukunft."})
    try:
        checked, content = document_upload_check(uploaded=uploaded)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return document_store(
        case=case,
        title=title,
        kind=kind,
        content=content,
        file_name=_download_name(checked),
        mime=checked.mime,
        dated_on=dated_on,
        source=source,
        created_by=user,
        person=person,
        help_plan=help_plan,
        assessment=assessment,
    )


def _download_name(checked: uploads.CheckedUpload) -> str:
    """The person's name, with the extension of what the file really is."""
    stem = checked.name.rsplit(".", 1)[0] if "." in checked.name else checked.name
    return f"{stem[:180]}.{uploads.EXTENSIONS[checked.mime]}"


def document_share_allowed(*, document: Document, assignment: Assignment) -> str:
    """'' when the document may be shared with the assignment, else the German reason."""
    if assignment.case_id != document.case_id:
        return "Diese Falldurchführung gehört nicht zu diesem Fall."
    if assignment.status != AssignmentStatus.ACTIVE or assignment.ended_on is not None:
        return "Diese Falldurchführung ist beendet."
    plan = document.help_plan
    if plan is not None and plan.help_id == assignment.help_id:
        return ""  # the commission (§ 36 SGB VIII) covers the help plan's own documents
    if (
        consents_valid_on(timezone.localdate())
        .filter(case_id=document.case_id, provider_id=assignment.provider_id)
        .exists()
    ):
        return ""
    return (
        f"Für {assignment.provider.short_name} liegt keine gültige Einwilligung der Familie vor, "
        "und das Dokument gehört nicht zum Hilfeplan dieser Hilfe. Bitte erfassen Sie zuerst "
        "die Einwilligung (Abschnitt „Weitergaben“ der Fallakte)."
    )


@transaction.atomic
def document_shares_set(
    *, user: User, document: Document, assignments: Collection[Assignment]
) -> Document:
    """Share the document with exactly these running assignments of its case (audited)."""
    errors = [
        reason
        for assignment in assignments
        if (reason := document_share_allowed(document=document, assignment=assignment))
    ]
    if errors:
        raise ValidationError({"assignments": errors})
    wanted = {a.pk for a in assignments}
    current = set(document.shares.values_list("assignment_id", flat=True))
    document.shares.filter(assignment_id__in=current - wanted).delete()
    for assignment_id in sorted(wanted - current):
        DocumentShare.objects.create(document=document, assignment_id=assignment_id, shared_by=user)
    if wanted != current:
        audit_record(user=user, action=AuditAction.CHANGE, obj=document, detail="Freigabe Dokument")
    return document


@transaction.atomic
def document_remove(*, user: User, document: Document) -> None:
    """A wrongly uploaded document goes (row, then file after the commit). A letter the portal
    sent and a hand-over package stay: they are the record of what left the office."""
    if document.kind in (DocumentKind.LETTER_SENT, DocumentKind.HANDOVER):
        raise ValidationError("Versandte Schreiben und Übergaben bleiben Teil der Akte.")
    if document.handovers.exists():
        raise ValidationError("Dieses Dokument wurde bei einer Übergabe weitergegeben und bleibt.")
    audit_record(user=user, action=AuditAction.CHANGE, obj=document, detail="Dokument gelöscht")
    document_delete_with_file(document=document)


def documents_delete_for_case(*, case_ids: Collection[int]) -> int:
    """Delete every document of the cases with its file (the retention job of `privacy` when
    the cases' retention period ends; held cases never reach it). Files go after the commit."""
    documents = list(Document.objects.filter(case_id__in=case_ids))
    for document in documents:
        document_delete_with_file(document=document)
    return len(documents)


def documents_erase_for_cases(*, case_ids: Collection[int]) -> int:
    """What the retention job of `privacy` calls when cases are anonymised: the documents go
    with their files, and the free texts of moves and hand-overs that may name people (the
    addresses of a move, the contact person at the receiving office, notes) are emptied. What
    stays: that a move or a hand-over happened, when, and the Sozialräume and office."""
    count = documents_delete_for_case(case_ids=case_ids)
    CaseMove.objects.filter(case_id__in=case_ids).update(
        street="",
        house_number="",
        postcode="",
        previous_street="",
        previous_house_number="",
        previous_postcode="",
        decision_note="",
    )
    Handover.objects.filter(case_id__in=case_ids).update(receiving_reference="")
    # Letters (documents.letters): who agreed to a Hilfeplan, and a Bescheid's reasons.
    HelpPlanAgreement.objects.filter(case_id__in=case_ids).update(given_by="", note="")
    DecisionNotice.objects.filter(case_id__in=case_ids).update(reasons="")
    return count
