"""A starting income table for the demo, the tests and a new installation.

The values are in the SHAPE of the Anlage zu § 1 KostenbeitragsV (income groups of monthly net
income, four Beitragsstufen, the top group open) but are NOT the official figures: the published
table could not be checked while this was built. An administrator enters the table in force
from the Bundesgesetzblatt (Admin → Kostenbeitragstabellen) before contributions are set for
real; the seeded table is named „Mustertabelle“ so that nobody mistakes it (docs/contributions.md).
"""

import datetime
from decimal import Decimal

from django.db import transaction

from contributions.models import IncomeBracket, IncomeTable

SAMPLE_NAME = "Mustertabelle nach dem Aufbau der KostenbeitragsV (Werte nicht amtlich)"
SAMPLE_SOURCE = (
    "Aufbau: Anlage zu § 1 KostenbeitragsV; Beträge: Muster, vor dem Echtbetrieb durch die "
    "amtliche Fassung (Bundesgesetzblatt) zu ersetzen"
)
SAMPLE_VALID_FROM = datetime.date(2024, 1, 1)


def sample_rows() -> list[tuple[int, Decimal, Decimal | None, tuple[Decimal, ...]]]:
    """(group, income from, income to, amounts of Beitragsstufe 1–4): 200 € steps up to
    5.000 €, then 500 € steps up to 10.000 €, then the open top group."""
    bounds: list[Decimal] = [Decimal(0), Decimal("1200")]
    while bounds[-1] < 5000:
        bounds.append(bounds[-1] + 200)
    while bounds[-1] < 10000:
        bounds.append(bounds[-1] + 500)
    rows: list[tuple[int, Decimal, Decimal | None, tuple[Decimal, ...]]] = []
    for index, lower in enumerate(bounds):
        group = index + 1
        upper = bounds[index + 1] - Decimal("0.01") if index + 1 < len(bounds) else None
        amounts: tuple[Decimal, ...]
        if group == 1:
            amounts = (Decimal(0),) * 4
        else:
            base = (lower * Decimal("0.30")).quantize(Decimal("1"))
            shares = (Decimal("1"), Decimal("0.8"), Decimal("0.6"), Decimal("0.4"))
            amounts = tuple((base * share).quantize(Decimal("1")) for share in shares)
        rows.append((group, lower, upper, amounts))
    return rows


@transaction.atomic
def sample_table_create() -> IncomeTable:
    """The sample table (once; a second call returns the existing one)."""
    table, created = IncomeTable.objects.get_or_create(
        valid_from=SAMPLE_VALID_FROM, defaults={"name": SAMPLE_NAME, "source": SAMPLE_SOURCE}
    )
    if created:
        IncomeBracket.objects.bulk_create(
            IncomeBracket(
                table=table,
                group=group,
                income_from=lower,
                income_to=upper,
                stage_1=amounts[0],
                stage_2=amounts[1],
                stage_3=amounts[2],
                stage_4=amounts[3],
            )
            for group, lower, upper, amounts in sample_rows()
        )
    return table
