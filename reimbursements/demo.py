"""Cost reimbursement in the demo town: three other youth offices, a claim to one of them in
part-paid state, a disputed claim, and another office's claim waiting for the team lead's check.

Idempotent: nothing happens when an office exists already. Every step goes through the services,
as a person would take it; runs after `billing.demo` (INSTALLED_APPS order), whose payment
orders are the payments the claims are made of. A step the rules refuse is left out.
"""

import contextlib
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from budgets.models import Payment
from cases.models import Case, Help
from reimbursements.models import LegalBasis, YouthOffice
from reimbursements.selectors import help_period_end
from reimbursements.services import (
    claim_acknowledge,
    claim_create,
    claim_dispute,
    claim_receipt_book,
    claim_send,
    office_save,
    received_claim_record,
)
from sozialraum.models import User

OFFICES = [
    ("Jugendamt Bergstadt", "Rathausplatz 1", "54321", "Bergstadt", "DE89370400440532013000"),
    ("Kreisjugendamt Talkreis", "Kreishausstraße 4", "65432", "Talheim", "DE02120300000000202051"),
    ("Jugendamt Seestadt", "Am Hafen 12", "76543", "Seestadt", "DE12500105170648489890"),
]


def _offices(planner: User) -> list[YouthOffice]:
    offices = []
    for name, street, postcode, city, iban in OFFICES:
        offices.append(
            office_save(
                user=planner,
                office=YouthOffice(
                    name=name,
                    department="Wirtschaftliche Jugendhilfe / Kostenerstattung",
                    street=street,
                    postcode=postcode,
                    city=city,
                    contact_person="Sachbearbeitung Kostenerstattung",
                    email="kostenerstattung@example.org",
                    iban=iban,
                ),
            )
        )
    return offices


def _claim_spans(region_id: int) -> list[tuple[Help, datetime.date, datetime.date]]:
    """Two (help, first day, last day) spans of paid service periods in the region: two helps,
    or one help's first paid period and the rest when the region has only one paid help."""
    periods: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for help_id, first, last in (
        Payment.objects.filter(
            commitment__assignment__case__region_id=region_id,
            entry__reversed_by__isnull=True,
            period_start__isnull=False,
        )
        .order_by("commitment__assignment__help_id", "period_start")
        .values_list("commitment__assignment__help_id", "period_start", "period_end")
    ):
        if first is not None and last is not None:  # filtered above; the types do not know
            periods.setdefault(help_id, []).append((first, last))
    helps = Help.objects.in_bulk(list(periods))
    spans = []
    for help_id, paid in periods.items():
        help_ = helps[help_id]
        chunks = [paid] if len(periods) > 1 or len(paid) < 2 else [paid[:1], paid[1:]]
        for chunk in chunks:
            start = max(chunk[0][0], help_.starts_on)
            end = min(max(last for _, last in chunk), help_period_end(help_))
            if start <= end:
                spans.append((help_, start, end))
    return spans[:2]


def demo_build() -> None:
    if YouthOffice.objects.exists():
        return
    planner = User.objects.filter(username="planung").first()
    lead = User.objects.filter(username="leitung-nord").select_related("asd_team").first()
    if planner is None or lead is None or lead.asd_team is None:
        return
    today = timezone.localdate()
    offices = _offices(planner)
    spans = _claim_spans(lead.asd_team.region_id)
    for index, (help_, start, end) in enumerate(spans):
        try:
            with transaction.atomic():
                claim = claim_create(
                    user=lead,
                    help_=help_,
                    office=offices[index],
                    legal_basis=LegalBasis.S89A if index == 0 else LegalBasis.S89C,
                    period_start=start,
                    period_end=end,
                )
                claim = claim_send(user=lead, claim=claim, sent_on=today)
                if index == 0:
                    claim = claim_acknowledge(
                        user=lead, claim=claim, acknowledged_on=today, their_reference="51.2-KE-88"
                    )
                    part = (claim.amount / 2).quantize(Decimal("0.01"))
                    claim_receipt_book(user=planner, claim=claim, amount=part, received_on=today)
                else:
                    claim_dispute(
                        user=lead,
                        claim=claim,
                        reason=(
                            "Das Jugendamt hält sich erst ab dem Umzug für zuständig und bestreitet "
                            "den ersten Monat."
                        ),
                    )
        except ValidationError:
            continue  # e.g. no budget for the year: the claim stays out
    case = (
        Case.objects.filter(region_id=lead.asd_team.region_id, helps__isnull=False)
        .order_by("pk")
        .first()
    )
    if case is not None:
        with contextlib.suppress(ValidationError):
            received_claim_record(
                user=planner,
                office=offices[2],
                case=case,
                legal_basis=LegalBasis.S86C,
                their_reference="KE 4711/2026",
                period_start=today.replace(month=1, day=1),
                period_end=today.replace(month=1, day=31),
                claimed_amount=Decimal("3180.00"),
                received_on=today - datetime.timedelta(days=5),
            )
