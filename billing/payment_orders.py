"""Payment orders (Auszahlungsanordnungen): an approved sum becomes a payment in the ledger.

`payment_order_book` is the one way an approved Leistungsnachweis (or any other approved sum)
turns into money: the order and its `budgets.Payment` with its ledger entry are written in one
transaction through `budgets.services.payment_book`, which locks the budget row and refuses a sum
above what the commitment still binds. A wrong order is undone like every payment: by the
payment's Storno (`budgets.services.entry_reverse` / `payment_correct`), never by deleting it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from billing.models import PaymentOrder, ServiceStatement
from budgets.models import Commitment
from budgets.services import payment_book
from sozialraum.access import has_role
from sozialraum.models import Role, User
from sozialraum.money import money_format, money_round

# Who may order a payment and see the cash office's file: the planners and the ASD team leads
# (the economic-help role takes their place once it exists, see docs/billing.md).
ORDERING_ROLES: tuple[str, ...] = (Role.PLANNER, Role.ADMIN, Role.TEAM_LEAD)


def may_order_payments(user: User) -> bool:
    return has_role(user, *ORDERING_ROLES)


@dataclass(frozen=True)
class Payee:
    """Who is paid when it is not the commitment's provider (another youth office)."""

    name: str
    iban: str
    bic: str = ""
    creditor_number: str = ""


@transaction.atomic
def payment_order_book(
    *,
    commitment: Commitment,
    amount: Decimal,
    period_start: datetime.date,
    period_end: datetime.date,
    purpose: str,
    approved_by: User,
    statement: ServiceStatement | None = None,
    payee: Payee | None = None,
) -> PaymentOrder:
    """Create the payment order and book its payment against the commitment (one transaction).

    Refused (German `ValidationError`) when the approver may not order payments, the period is
    upside down or the amount is not positive, or the sum exceeds what the commitment still binds
    (checked by `payment_book` under the budget's row lock, so two approvals at once cannot both
    pass).

    `statement` is the approved Leistungsnachweis the order pays, if any; the statement points at
    its order (`ServiceStatement.payment_order`, one order per statement), set by its approval.
    `payee` names a payee other than the commitment's provider (its bank details are frozen on
    the order; the payment run takes them instead of the provider's).
    """
    if not may_order_payments(approved_by):
        raise ValidationError(
            "Auszahlungen ordnen die Wirtschaftliche Jugendhilfe, die Teamleitung und die "
            "Jugendhilfeplanung an."
        )
    if period_end < period_start:
        raise ValidationError("Das Ende des Leistungszeitraums liegt vor dem Beginn.")
    amount = money_round(amount)
    if amount <= 0:
        raise ValidationError("Der Betrag der Auszahlungsanordnung muss größer als null sein.")
    if commitment.is_cancelled:
        raise ValidationError("Die Bewilligung ist storniert; darauf wird nichts ausgezahlt.")
    if commitment.provider_id is None and payee is None:
        raise ValidationError(
            "Die Bewilligung nennt keinen Träger: Es gibt keinen Zahlungsempfänger."
        )
    try:
        payment = payment_book(
            commitment=commitment,
            amount=amount,
            paid_on=timezone.localdate(),
            by=approved_by,
            note=purpose[:200],
            period_start=period_start,
            period_end=period_end,
            ordered=True,
        )
    except ValidationError as error:
        raise ValidationError(
            f"Die Auszahlungsanordnung über {money_format(amount)} wurde nicht gebucht: "
            + " ".join(error.messages)
        ) from error
    order = PaymentOrder(
        commitment=commitment,
        payment=payment,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        purpose=purpose.strip()[:200],
        approved_by=approved_by,
    )
    if payee is not None:
        order.payee_name = payee.name[:200]
        order.payee_iban = payee.iban
        order.payee_bic = payee.bic
        order.payee_creditor_number = payee.creditor_number
    order.full_clean(exclude=["payment"])
    order.save()
    return order
