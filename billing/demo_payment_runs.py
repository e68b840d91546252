"""Demo payment run of Lindenau: the open payment orders (of the approved Leistungsnachweise, or
where the demo has none yet, three orders for last month's help of the Schwerpunktträger) go
into one numbered run for the cash office. For `billing.demo.demo_build` to call after the
statements; idempotent (nothing when a run exists)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from billing.models import PaymentRun
from billing.payment_orders import payment_order_book
from billing.payment_runs import payment_orders_open, payment_run_create
from budgets.models import Commitment, CostBasis
from sozialraum.models import User

ORDER_AMOUNT = Decimal("1250.00")


@transaction.atomic
def payment_runs_demo_build() -> None:
    if PaymentRun.objects.exists():
        return
    planner = User.objects.filter(username="planung").first()
    if planner is None:
        return
    if not payment_orders_open().exists():
        today = timezone.localdate()
        period_end = today.replace(day=1) - datetime.timedelta(days=1)
        period_start = period_end.replace(day=1)
        commitments = (
            Commitment.objects.filter(
                budget__fiscal_year__year=period_end.year,
                assignment__isnull=False,
                provider__isnull=False,
                is_cancelled=False,
                basis__in=[CostBasis.HOURS, CostBasis.MONTHLY],
                cached_bound__gte=F("cached_paid") + ORDER_AMOUNT,
                starts_on__lte=period_start,
            )
            .exclude(provider__iban="")
            .order_by("pk")[:3]
        )
        for commitment in commitments:
            payment_order_book(
                commitment=commitment,
                amount=ORDER_AMOUNT,
                period_start=period_start,
                period_end=period_end,
                purpose=f"Leistungsnachweis {period_start:%m/%Y}",
                approved_by=planner,
            )
    if payment_orders_open().exists():
        payment_run_create(by=planner)
