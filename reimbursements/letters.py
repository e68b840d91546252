"""The claim letter to the other office (Erstattungsforderung) as a letter of the documents app:
the office edits its wording as a versioned letter template (kind „Erstattungsforderung“,
Administration → Briefvorlagen).

Rendered on request for the person asking and not stored (no second copy of case data in the
file storage). It names only what the other office needs to identify and check the claim: the
young person (name, date of birth), the kind of help, the legal basis, the period, the amount,
the payments it consists of, and both references; no notes, reasons or family details. Each
download is audited as an export of the case record.
"""

import datetime

from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction
from documents.letter_templates import letter_pdf
from documents.letters import RenderedLetter, letter_render
from documents.letters_schema import LetterKind
from documents.selectors_letters import letter_common
from reimbursements.models import ReimbursementClaim
from reimbursements.selectors import help_payments_in_period
from sozialraum.models import User
from sozialraum.money import money_format


def claim_letter_context(*, user: User, claim: ReimbursementClaim, today: datetime.date) -> dict:
    """The plain values the claim template reads (`documents.letters_schema`)."""
    help_ = claim.help
    office = claim.office
    young = help_.young_person
    payments = help_payments_in_period(
        help_=help_, start=claim.period_start, end=claim.period_end
    ).order_by("period_start", "paid_on", "pk")
    name = office.name + (f", {office.department}" if office.department else "")
    recipient = {
        "name": name,
        "street": office.street,
        "postcode": office.postcode,
        "city": office.city,
    }
    return {
        **letter_common(
            case=help_.case,
            recipient=recipient,
            salutation="Sehr geehrte Damen und Herren,",
            writer=user,
            today=today,
        ),
        "help": {
            "name": help_.help_type.name,
            "legal_basis": help_.help_type.paragraph,
            "starts_on": help_.starts_on,
        },
        "claim": {
            "number": claim.number,
            "their_reference": claim.their_reference,
            "legal_basis": claim.get_legal_basis_display(),
            "period_start": claim.period_start,
            "period_end": claim.period_end,
            "amount": money_format(claim.amount),
        },
        "young_person": (
            {"name": f"{young.first_name} {young.last_name}", "birth_date": young.birth_date}
            if young is not None
            else None
        ),
        "payments": [
            {
                "period_start": payment.period_start,
                "period_end": payment.period_end,
                "paid_on": payment.paid_on,
                "amount": money_format(payment.amount),
            }
            for payment in payments
        ],
    }


def claim_letter_render(*, user: User, claim: ReimbursementClaim) -> RenderedLetter:
    """The letter as HTML through the current template version (German refusal if broken)."""
    context = claim_letter_context(user=user, claim=claim, today=timezone.localdate())
    return letter_render(kind=LetterKind.REIMBURSEMENT_CLAIM, context=context)


def claim_letter_pdf(*, user: User, claim: ReimbursementClaim) -> bytes:
    data = letter_pdf(claim_letter_render(user=user, claim=claim).html)
    audit_record(user=user, action=AuditAction.EXPORT, obj=claim, detail="Erstattungsanspruch")
    return data
