"""Reads of cost reimbursement, scoped to the user.

- Planners and administrators see every claim (case number and help type, no names on the
  lists); they stand in for the economic-help role, as in `billing`.
- ASD team leads see and manage the claims of their region's cases.
- Caseworkers see the claims of the cases they may open (`cases_visible_to`), read-only, on the
  help's page.
- Träger staff see nothing (403 by role; 404 by object).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from budgets.models import Payment
from cases.models import Case, Help
from cases.permissions import cases_visible_to, region_of_asd
from reimbursements.models import (
    ClaimReceipt,
    ReceivedClaim,
    ReceivedStatus,
    ReimbursementClaim,
    YouthOffice,
)
from sozialraum.access import has_role
from sozialraum.models import Role, User
from sozialraum.money import money_round

MANAGERS: tuple[str, ...] = (Role.PLANNER, Role.ADMIN, Role.TEAM_LEAD)
OFFICE_MAINTAINERS: tuple[str, ...] = (Role.PLANNER, Role.ADMIN)
# Who sees a help's claims on the case page: the ASD of the case (read) and the managers.
HELP_READERS: tuple[str, ...] = (Role.CASEWORKER, Role.TEAM_LEAD)
ZERO = Decimal("0.00")


def may_manage_claims(user: User) -> bool:
    return has_role(user, *MANAGERS)


def may_maintain_offices(user: User) -> bool:
    return has_role(user, *OFFICE_MAINTAINERS)


def _is_planning(user: User) -> bool:
    return has_role(user, Role.PLANNER, Role.ADMIN)


def may_manage_help(user: User, help_: Help) -> bool:
    """Planners for every help; a team lead for the helps of her region's cases."""
    if _is_planning(user):
        return True
    return has_role(user, Role.TEAM_LEAD) and region_of_asd(user) == help_.case.region_id


def help_period_end(help_: Help) -> datetime.date:
    """The last day of the help: its actual end, else its planned end."""
    return help_.ended_on or help_.planned_end_on


def help_payments_in_period(
    *, help_: Help, start: datetime.date, end: datetime.date
) -> QuerySet[Payment]:
    """The help's payments (through its assignments' commitments) for the period: those whose
    service period lies within it, or without a service period, paid within it; reversed
    payments left out."""
    return Payment.objects.filter(
        commitment__assignment__help_id=help_.pk, entry__reversed_by__isnull=True
    ).filter(
        Q(period_start__gte=start, period_end__lte=end)
        | Q(period_start__isnull=True, paid_on__gte=start, paid_on__lte=end)
    )


def help_paid_in_period(*, help_: Help, start: datetime.date, end: datetime.date) -> Decimal:
    total = help_payments_in_period(help_=help_, start=start, end=end).aggregate(
        total=Sum("amount")
    )["total"]
    # SQLite sums decimals as floats: round to cents (PostgreSQL's sum is exact already).
    return money_round(total) if total is not None else ZERO


def live_receipts(claim: ReimbursementClaim) -> QuerySet[ClaimReceipt]:
    """The claim's receipts whose income entry has not been reversed."""
    return claim.receipts.filter(entry__reversed_by__isnull=True)


def claim_received_total(claim: ReimbursementClaim) -> Decimal:
    total = live_receipts(claim).aggregate(total=Sum("amount"))["total"]
    return money_round(total) if total is not None else ZERO


# Offices ---------------------------------------------------------------------------------------


def offices_for_user(user: User) -> QuerySet[YouthOffice]:
    if not may_manage_claims(user):
        return YouthOffice.objects.none()
    return YouthOffice.objects.all()


def office_for_user(user: User, pk: int) -> YouthOffice:
    office = offices_for_user(user).filter(pk=pk).first()
    if office is None:
        raise Http404("Jugendamt nicht gefunden.")
    return office


# Our claims ------------------------------------------------------------------------------------


def claims_visible_to(user: User) -> QuerySet[ReimbursementClaim]:
    claims = ReimbursementClaim.objects.select_related("help__case", "help__help_type", "office")
    if _is_planning(user):
        return claims
    if has_role(user, *HELP_READERS):
        return claims.filter(help__case__in=cases_visible_to(user))
    return claims.none()


def claims_managed_by(user: User) -> QuerySet[ReimbursementClaim]:
    """The claims of the list page: planners all, a team lead her region's."""
    if _is_planning(user):
        return claims_visible_to(user)
    region_id = region_of_asd(user)
    if has_role(user, Role.TEAM_LEAD) and region_id is not None:
        return claims_visible_to(user).filter(help__case__region_id=region_id)
    return ReimbursementClaim.objects.none()


def claim_for_user(user: User, pk: int, *, for_change: bool = False) -> ReimbursementClaim:
    """The claim if the user may see it (404), 403 when a change is asked and not allowed."""
    claim = claims_visible_to(user).filter(pk=pk).first()
    if claim is None:
        raise Http404("Anspruch nicht gefunden.")
    if for_change and not may_manage_help(user, claim.help):
        raise PermissionDenied(
            "Sie können diesen Anspruch einsehen, aber nicht bearbeiten: das tun die "
            "Jugendhilfeplanung und die Teamleitung der Region."
        )
    return claim


def help_for_claim(user: User, pk: int) -> Help:
    """The help a new claim is made for: planners any, a team lead her region's (404)."""
    help_ = Help.objects.select_related("case", "help_type").filter(pk=pk).first()
    if help_ is None or not may_manage_help(user, help_):
        raise Http404("Hilfe nicht gefunden.")
    return help_


def _helps_for_claims(user: User) -> QuerySet[Help]:
    """The helps the user may make a new claim for: all for planning, the region's for its team
    lead, none for anyone else."""
    helps = Help.objects.select_related("case", "help_type").order_by("starts_on", "pk")
    if _is_planning(user):
        return helps
    region_id = region_of_asd(user)
    if has_role(user, Role.TEAM_LEAD) and region_id is not None:
        return helps.filter(case__region_id=region_id)
    return Help.objects.none()


def helps_of_case_number(user: User, number: str) -> QuerySet[Help]:
    """For a planner's new claim: the helps of the case with this number (type and dates only)."""
    return _helps_for_claims(user).filter(case__number=number.strip())


def helps_of_case(user: User, case_id: int) -> QuerySet[Help]:
    """The same helps, by the case's id: the lookup's result page carries the id in its URL, not
    the case number (docs/datenschutz.md)."""
    return _helps_for_claims(user).filter(case_id=case_id)


def claims_of_help(help_: Help) -> QuerySet[ReimbursementClaim]:
    """For the help's page, behind the case check of the view."""
    return (
        ReimbursementClaim.objects.filter(help=help_)
        .select_related("office")
        .order_by("period_start", "pk")
    )


# Claims received from other offices ----------------------------------------------------------


def case_for_received_claim(user: User, number: str) -> Case | None:
    """The case another office's claim is for, by its number: planners any, a team lead her
    region's; None when there is no such case for the user."""
    cases = Case.objects.filter(number=number.strip())
    if _is_planning(user):
        return cases.first()
    region_id = region_of_asd(user)
    if has_role(user, Role.TEAM_LEAD) and region_id is not None:
        return cases.filter(region_id=region_id).first()
    return None


def received_claims_visible_to(user: User) -> QuerySet[ReceivedClaim]:
    claims = ReceivedClaim.objects.select_related("case", "office", "payment_order")
    if _is_planning(user):
        return claims
    region_id = region_of_asd(user)
    if has_role(user, Role.TEAM_LEAD) and region_id is not None:
        return claims.filter(case__region_id=region_id)
    if has_role(user, Role.CASEWORKER):
        return claims.filter(case__in=cases_visible_to(user))
    return claims.none()


def received_claim_for_user(user: User, pk: int) -> ReceivedClaim:
    claim = received_claims_visible_to(user).filter(pk=pk).first()
    if claim is None:
        raise Http404("Forderung nicht gefunden.")
    return claim


def received_claims_to_check(user: User) -> QuerySet[ReceivedClaim]:
    """The open received claims of the team lead's region, oldest first."""
    if not has_role(user, Role.TEAM_LEAD):
        return ReceivedClaim.objects.none()
    return received_claims_visible_to(user).filter(status=ReceivedStatus.RECEIVED)


# Privacy ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReimbursementRow:
    """One claim about a case, for the subject-access export (Art. 15 DSGVO)."""

    direction: str
    office: str
    legal_basis: str
    period_start: datetime.date
    period_end: datetime.date
    amount: Decimal
    status: str
    texts: tuple[str, ...]
    sent: bool  # the other office received data about the person


def reimbursements_of_case(case_id: int) -> list[ReimbursementRow]:
    """Claims to and from other offices about the case, with their free texts; no access check
    (the privacy pages check who asks)."""
    rows = [
        ReimbursementRow(
            direction="Anspruch an ein anderes Jugendamt",
            office=claim.office.name,
            legal_basis=claim.get_legal_basis_display(),
            period_start=claim.period_start,
            period_end=claim.period_end,
            amount=claim.amount,
            status=claim.get_status_display(),
            texts=tuple(t for t in (claim.dispute_reason, claim.settlement_note) if t),
            sent=claim.sent_on is not None,
        )
        for claim in ReimbursementClaim.objects.filter(help__case_id=case_id)
        .select_related("office")
        .order_by("period_start", "pk")
    ]
    rows += [
        ReimbursementRow(
            direction="Forderung eines anderen Jugendamts",
            office=claim.office.name,
            legal_basis=claim.get_legal_basis_display(),
            period_start=claim.period_start,
            period_end=claim.period_end,
            amount=claim.claimed_amount,
            status=claim.get_status_display(),
            texts=tuple(t for t in (claim.decision_reason,) if t),
            sent=False,
        )
        for claim in ReceivedClaim.objects.filter(case_id=case_id)
        .select_related("office")
        .order_by("period_start", "pk")
    ]
    return rows
