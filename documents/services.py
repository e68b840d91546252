"""Writes of documents: store a file on a case, share it with an assignment, delete it.

Every write leaves an audit entry (`cases.audit`). Files go only through the document storage
(`documents.storage`); the row and the file are created and removed together: a file is saved
before the row and removed again if the transaction fails, and deleted only after the row's
deletion has been committed, so no row ever points at a missing file.
"""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from cases.audit import audit_record
from cases.models import AuditAction, Case, HelpPlan, Person, RiskAssessment
from documents.models import Document, DocumentKind
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
    # file may remain; no row points at it, so no view can serve it.)
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
