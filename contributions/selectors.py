"""Reads of the cost contributions. Objects are reached through the case they belong to: who may
see the case sees its contributions (the region's ASD), who may change it changes them; provider
staff and planners reach no contribution record (planners see the sums in the budgets)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Help
from cases.permissions import cases_visible_to, of_visible_case_for_user
from contributions.models import (
    ContributionClaim,
    ContributionReceipt,
    ContributionWaiver,
    CostContribution,
    IncomeEvidence,
    IncomeTable,
)
from sozialraum.models import User
from sozialraum.money import money_format, money_round

ZERO = Decimal("0.00")


def _sum_of(
    model: type[ContributionReceipt] | type[ContributionWaiver], field: str = "amount"
) -> Coalesce:
    rows = (
        model.objects.filter(claim_id=OuterRef("pk"))
        .values("claim_id")
        .annotate(s=Sum(field))
        .values("s")
    )
    return Coalesce(
        Subquery(rows, output_field=DecimalField(max_digits=14, decimal_places=2)),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def claims_with_figures(claims: QuerySet[ContributionClaim]) -> QuerySet[ContributionClaim]:
    """Claims with what was received (`received_sum`), waived (`waived_sum`) and is left open
    (`open_sum`) on them."""
    return claims.annotate(
        received_sum=_sum_of(ContributionReceipt), waived_sum=_sum_of(ContributionWaiver)
    ).annotate(
        open_sum=ExpressionWrapper(
            F("amount") - F("received_sum") - F("waived_sum"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def claim_open_amount(claim: ContributionClaim) -> Decimal:
    """What a claim leaves open: claimed minus received minus waived (never below 0)."""
    received = claim.receipts.aggregate(s=Sum("amount"))["s"] or ZERO
    waived = claim.waivers.aggregate(s=Sum("amount"))["s"] or ZERO
    return max(ZERO, money_round(claim.amount - received - waived))


# Access -----------------------------------------------------------------------------------------


def help_for_user(user: User, *, case_pk: int, help_pk: int, for_change: bool = False) -> Help:
    """A help of a case the user sees (404 otherwise); 403 when a change is asked and the user
    may only read the case."""
    return of_visible_case_for_user(
        Help.objects.select_related("case", "help_type").filter(case_id=case_pk),
        user,
        help_pk,
        missing="Hilfe nicht gefunden.",
        for_change=for_change,
    )


def contribution_for_user(user: User, pk: int, *, for_change: bool = False) -> CostContribution:
    return of_visible_case_for_user(
        CostContribution.objects.select_related(
            "case", "help__help_type", "person", "evidence", "table"
        ),
        user,
        pk,
        missing="Kostenbeitrag nicht gefunden.",
        for_change=for_change,
    )


def claim_for_user(user: User, pk: int, *, for_change: bool = False) -> ContributionClaim:
    return of_visible_case_for_user(
        ContributionClaim.objects.select_related(
            "contribution__case", "contribution__help__help_type", "contribution__person"
        ),
        user,
        pk,
        missing="Forderung nicht gefunden.",
        via="contribution__case",
        for_change=for_change,
    )


# Pages ------------------------------------------------------------------------------------------


def contributions_of_help(help_: Help) -> QuerySet[CostContribution]:
    return help_.contributions.select_related("person", "table").order_by("-starts_on", "-pk")


def evidence_of_case(case_id: int) -> QuerySet[IncomeEvidence]:
    return IncomeEvidence.objects.filter(case_id=case_id).select_related("person")


def claims_of(contribution: CostContribution) -> list[ContributionClaim]:
    return list(
        claims_with_figures(contribution.claims.all())
        .prefetch_related("receipts", "waivers")
        .order_by("month")
    )


@dataclass(frozen=True)
class ContributionTotals:
    claimed: Decimal
    received: Decimal
    waived: Decimal

    @property
    def open(self) -> Decimal:
        return self.claimed - self.received - self.waived


def contribution_totals(contribution: CostContribution) -> ContributionTotals:
    """Claimed, received and waived over all claims of a contribution (three sums)."""
    return ContributionTotals(
        claimed=money_round(contribution.claims.aggregate(s=Sum("amount", default=ZERO))["s"]),
        received=money_round(
            ContributionReceipt.objects.filter(claim__contribution=contribution).aggregate(
                s=Sum("amount", default=ZERO)
            )["s"]
        ),
        waived=money_round(
            ContributionWaiver.objects.filter(claim__contribution=contribution).aggregate(
                s=Sum("amount", default=ZERO)
            )["s"]
        ),
    )


def arrears_visible_to(user: User, *, on: datetime.date | None = None) -> list[ContributionClaim]:
    """Claims due before `on` (today) that are not fully received or waived, oldest first."""
    today = on or timezone.localdate()
    claims = claims_with_figures(
        ContributionClaim.objects.filter(
            due_on__lt=today, contribution__case__in=cases_visible_to(user)
        ).select_related("contribution__case", "contribution__help__help_type")
    )
    open_claims = claims.filter(amount__gt=F("received_sum") + F("waived_sum"))
    return list(open_claims.order_by("due_on", "pk"))


def tables() -> QuerySet[IncomeTable]:
    return IncomeTable.objects.prefetch_related("brackets").order_by("-valid_from")


# Subject access (Art. 15 DSGVO) -----------------------------------------------------------------


@dataclass(frozen=True)
class ContributionRow:
    """A liable person's data in the contributions: evidence and contributions, with claims."""

    person_id: int
    what: str
    period: str
    amount: Decimal
    text: str


def _sums_by_claim(
    model: type[ContributionReceipt] | type[ContributionWaiver], case_id: int
) -> dict[int, Decimal]:
    rows = (
        model.objects.filter(claim__contribution__case_id=case_id)
        .values("claim_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    return {row["claim_id"]: money_round(row["s"]) for row in rows}


def contributions_of_case(case_id: int) -> list[ContributionRow]:
    """Every income evidence and contribution of a case, for the subject-access export. No
    access check: the privacy office's export decides who receives it."""
    rows = [
        ContributionRow(
            e.person_id,
            "Einkommensnachweis",
            f"{e.period_start:%d.%m.%Y} – {e.period_end:%d.%m.%Y}",
            e.monthly_income,
            e.note,
        )
        for e in IncomeEvidence.objects.filter(case_id=case_id).order_by("submitted_on", "pk")
    ]
    received = _sums_by_claim(ContributionReceipt, case_id)
    waived = _sums_by_claim(ContributionWaiver, case_id)
    claims = ContributionClaim.objects.filter(contribution__case_id=case_id).select_related(
        "contribution"
    )
    for claim in claims.order_by("month", "pk"):
        rows.append(
            ContributionRow(
                claim.contribution.person_id,
                f"Kostenbeitrag Nr. {claim.contribution_id}, Forderung",
                f"{claim.month:%m/%Y}",
                claim.amount,
                f"eingegangen {money_format(received.get(claim.pk, ZERO))}, "
                f"erlassen {money_format(waived.get(claim.pk, ZERO))}",
            )
        )
    return rows
