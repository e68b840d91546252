"""Demo documents: a few files on the demo accounts' running cases, the signed help plan
shared with the commissioned provider, and one move inside the town waiting for the team
lead, so "Dokumente" and "Umzug bestätigen" show something at once.

The files are small PDFs rendered by pypdf (blank pages with a title in the metadata): quick
to make, and real PDFs as the upload would accept them.
"""

import datetime
import io

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import AssignmentStatus, Case, CaseKind, CaseStatus
from documents.handover import move_record
from documents.models import Document, DocumentKind
from documents.services import document_shares_set, document_store
from sozialraum.addresses import street_key
from sozialraum.models import StreetSegment

DEMO_SOURCE = "Demo"


def _pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _running_cases_of(username: str) -> list[Case]:
    """The steered running family cases of a demo account, those with a commissioned help
    first (so a document can be shared with the provider's running assignment)."""
    cases = Case.objects.filter(
        kind=CaseKind.INDIVIDUAL,
        status=CaseStatus.RUNNING,
        steering_caseworker__username=username,
    ).select_related("steering_caseworker")
    with_assignment = cases.filter(assignments__status=AssignmentStatus.ACTIVE).distinct()
    return list(with_assignment.order_by("pk")[:2]) or list(cases.order_by("pk")[:1])


def _documents_add(case: Case, index: int) -> None:
    user = case.steering_caseworker
    today = timezone.localdate()
    document_store(
        case=case,
        title="Bericht der Grundschule zum Schulbesuch",
        kind=DocumentKind.REPORT,
        content=_pdf("Bericht der Grundschule"),
        file_name="bericht-grundschule.pdf",
        mime="application/pdf",
        dated_on=today - datetime.timedelta(days=30 + index),
        source=f"{DEMO_SOURCE}: Grundschule am Park",
        created_by=user,
    )
    plan = case.help_plans.order_by("pk").first()
    signed = document_store(
        case=case,
        title="Hilfeplan, von der Familie unterschrieben",
        kind=DocumentKind.CONSENT,
        content=_pdf("Hilfeplan unterschrieben"),
        file_name="hilfeplan-unterschrieben.pdf",
        mime="application/pdf",
        dated_on=today - datetime.timedelta(days=20 + index),
        source=f"{DEMO_SOURCE}: Familie",
        created_by=user,
        help_plan=plan,
    )
    running = (
        case.assignments.filter(status=AssignmentStatus.ACTIVE, help__help_plan=plan).first()
        if plan
        else None
    )
    if running is not None:
        document_shares_set(user=user, document=signed, assignments=[running])


def _move_proposed(case: Case) -> None:
    """A family of the case moved inside the town: the proposal waits for the team lead."""
    segment = (
        StreetSegment.objects.valid_on(timezone.localdate())
        .filter(sozialraum__region_id=case.region_id)
        .exclude(street_key=street_key(case.street))
        .order_by("pk")
        .first()
    )
    if segment is None:
        return
    number = segment.number_from or 1
    try:
        move_record(
            user=case.steering_caseworker,
            case=case,
            moved_on=timezone.localdate(),
            street=segment.street,
            house_number=str(number),
            postcode=segment.postcode,
        )
    except ValidationError:
        return  # a street directory without a clear answer: the demo goes without a move


def documents_demo_build() -> None:
    if Document.objects.filter(source__startswith=DEMO_SOURCE).exists():
        return
    for username in ("asd-nord", "asd-sued"):
        cases = _running_cases_of(username)
        for index, case in enumerate(cases):
            _documents_add(case, index)
        if cases and username == "asd-nord":
            _move_proposed(cases[0])
