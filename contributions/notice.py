"""The Kostenbeitragsbescheid as a letter of the documents app: the office edits its wording as a
versioned letter template (kind „Kostenbeitragsbescheid“, Administration → Briefvorlagen). It is
made on request and never stored: the figures come from the contribution as it stands, rendered
through the current version of the template; each download is audited as an export."""

import datetime

from django.conf import settings
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction
from contributions.models import CostContribution
from documents.letter_templates import letter_pdf
from documents.letters import RenderedLetter, letter_render
from documents.letters_schema import LetterKind, legal_remedy_text
from documents.selectors_letters import letter_common
from sozialraum.models import User
from sozialraum.money import money_format


def notice_context(*, user: User, contribution: CostContribution, today: datetime.date) -> dict:
    """The plain values the notice template reads (`documents.letters_schema`)."""
    case = contribution.case
    person = contribution.person
    name = f"{person.first_name} {person.last_name}".strip()
    help_ = contribution.help
    recipient = {
        "name": name,
        "street": f"{case.street} {case.house_number}".strip(),
        "postcode": case.postcode,
        "city": "",
    }
    return {
        **letter_common(
            case=case,
            recipient=recipient,
            salutation=f"Guten Tag {name},",
            writer=user,
            today=today,
        ),
        "help": {
            "name": help_.help_type.name,
            "legal_basis": help_.help_type.paragraph,
            "starts_on": help_.starts_on,
        },
        "contribution": {
            "starts_on": contribution.starts_on,
            "ends_on": contribution.ends_on,
            "income": money_format(contribution.evidence.monthly_income),
            "group": str(contribution.group) if contribution.group else "",
            "stage": contribution.get_stage_display(),
            "further_dependants": contribution.further_dependants,
            "young_adult": contribution.young_adult,
            "table_amount": money_format(contribution.table_amount),
            "amount": money_format(contribution.amount),
            "receives_child_benefit": contribution.receives_child_benefit,
            "child_benefit_amount": money_format(contribution.child_benefit_amount),
            "monthly_total": money_format(contribution.monthly_total),
            "reduction_reason": contribution.reduction_reason,
            "table_name": contribution.table.name,
            "table_source": contribution.table.source,
        },
        "legal_remedy": legal_remedy_text(office=settings.OFFICE_NAME),
    }


def notice_render(*, user: User, contribution: CostContribution) -> RenderedLetter:
    """The notice as HTML through the current template version (German refusal if broken)."""
    context = notice_context(user=user, contribution=contribution, today=timezone.localdate())
    return letter_render(kind=LetterKind.CONTRIBUTION_NOTICE, context=context)


def notice_pdf(*, user: User, contribution: CostContribution) -> bytes:
    """The notice of a contribution; audited as an export of the case record."""
    data = letter_pdf(notice_render(user=user, contribution=contribution).html)
    audit_record(
        user=user, action=AuditAction.EXPORT, obj=contribution, detail="Kostenbeitragsbescheid"
    )
    return data
