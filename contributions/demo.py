"""The demo town's cost contributions: one placement with an income evidence, a contribution from
the official table, its claims of this year, a partial receipt, a full one and a waiver.
Idempotent: nothing is added when the town has a contribution already."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from budgets.models import Commitment
from cases.models import Help, PersonRole
from contributions.models import ContributionClaim, CostContribution
from contributions.services import (
    claim_create,
    contribution_set,
    evidence_record,
    receipt_record,
    waiver_record,
)
from contributions.table_seed import official_table_load

# The demo accounts a person logs in with first: their own cases carry a contribution, so each
# region's caseworker and team lead find every page of it (and the accessibility crawl does too).
FIRST_ACCOUNTS = ("asd-nord", "asd-sued")


def _placements(today: datetime.date) -> list[Help]:
    """Per region, a running placement of this year with a commitment and a guardian on the case,
    steered by the region's first demo account where it steers one."""
    bound = Commitment.objects.filter(
        budget__fiscal_year__year=today.year, is_cancelled=False
    ).values("assignment__help_id")
    candidates = (
        Help.objects.filter(
            pk__in=bound,
            help_type__is_placement=True,
            starts_on__lte=today - datetime.timedelta(days=30),  # a few months to claim
            ended_on__isnull=True,
            case__persons__role=PersonRole.GUARDIAN,
            case__steering_caseworker__isnull=False,
        )
        .annotate(
            first_account=Case(
                When(case__steering_caseworker__username__in=FIRST_ACCOUNTS, then=0),
                default=1,
            )
        )
        .select_related("case__steering_caseworker", "help_type")
        .order_by("first_account", "pk")
    )
    chosen: dict[int, Help] = {}
    for help_ in candidates:
        chosen.setdefault(help_.case.region_id, help_)
    return list(chosen.values())


@transaction.atomic
def demo_build() -> None:
    official_table_load()
    if CostContribution.objects.exists():
        return
    today = timezone.localdate()
    for help_ in _placements(today):
        try:
            with transaction.atomic():
                _contribution_build(help_, today)
        except ValidationError:
            # The demo town of another day may not fit (no budget of the year yet): leave it out.
            continue


def _contribution_build(help_: Help, today: datetime.date) -> None:
    case = help_.case
    user = case.steering_caseworker
    assert user is not None
    guardian = case.persons.filter(role=PersonRole.GUARDIAN).order_by("pk").first()
    assert guardian is not None
    evidence = evidence_record(
        case=case,
        person=guardian,
        monthly_income=Decimal("2850.00"),
        period_start=datetime.date(today.year - 1, 1, 1),
        period_end=datetime.date(today.year - 1, 12, 31),
        submitted_on=max(help_.starts_on, today - datetime.timedelta(days=80)),
        note="Lohnabrechnungen des Vorjahres",
        user=user,
    )
    starts_on = max(help_.starts_on, today.replace(day=1) - datetime.timedelta(days=62))
    contribution = contribution_set(
        help=help_, evidence=evidence, stage=1, starts_on=starts_on, user=user
    )
    month = starts_on.replace(day=1)
    while month <= today:
        claim_create(contribution=contribution, month=month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    claims = list(ContributionClaim.objects.filter(contribution=contribution).order_by("month"))
    if claims and contribution.amount > 0:
        first = claims[0]
        receipt_record(
            claim=first,
            amount=(first.amount / 2).quantize(Decimal("0.01")),
            received_on=min(today, first.due_on),
            user=user,
        )
    if len(claims) > 1:
        receipt_record(
            claim=claims[1], amount=claims[1].amount, received_on=today, user=user,
            reference=f"DEMO-{claims[1].pk}",
        )  # fmt: skip
    if len(claims) > 2:
        waiver_record(
            claim=claims[2],
            amount=claims[2].amount,
            reason="Härtefall: Umzugskosten im Monat der Unterbringung (§ 92 Abs. 5 SGB VIII).",
            user=user,
        )
