"""The claim letter to the other office as a PDF.

Rendered on request for the person asking and not stored (no second copy of case data in the
file storage). It names only what the other office needs to identify and check the claim: the
young person (name, date of birth), the kind of help, the legal basis, the period, the amount,
the payments it consists of, and both references; no notes,
reasons or family details. Each download is audited as an export of the case record.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction
from reimbursements.models import ReimbursementClaim
from reimbursements.selectors import help_payments_in_period
from sozialraum.models import User

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def claim_letter_html(*, claim: ReimbursementClaim) -> str:
    help_ = claim.help
    payments = help_payments_in_period(
        help_=help_, start=claim.period_start, end=claim.period_end
    ).order_by("period_start", "paid_on", "pk")
    return render_to_string(
        "reimbursements/pdf/claim_letter.html",
        {
            "claim": claim,
            "help": help_,
            "young_person": help_.young_person,
            "payments": payments,
            "office_name": settings.OFFICE_NAME,
            "printed_at": timezone.localtime(),
        },
    )


def claim_letter_pdf(*, user: User, claim: ReimbursementClaim) -> bytes:
    from weasyprint import HTML  # heavy: only where PDFs are made

    data = HTML(string=claim_letter_html(claim=claim), base_url=str(settings.BASE_DIR)).write_pdf()
    audit_record(user=user, action=AuditAction.EXPORT, obj=claim, detail="Erstattungsanspruch")
    return data
