"""The official income table of the Kostenbeitragsverordnung and the child benefit amounts, as data.

The table is the Anlage (zu § 1) of the KostenbeitragsV in the Fassung of Art. 1 of the
Verordnung of 20 December 2023 (BGBl. 2023 I Nr. 396, S. 2), in force from 1 January 2024:
14 income groups × 4 Beitragsstufen, kept in `contributions/data/kostenbeitragsv_2024.csv` with its
Fundstelle in the header. The rules of §§ 4–6 are data of the rows and the table too (groups lower
per maintenance obligation, the group of a young adult's parent, the percentages above the top
group). `official_table_load()` writes it once (idempotent); the command `load_income_table`
calls it. An administrator edits the table or adds the next Fassung in the admin
(docs/contributions.md).
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.db import transaction

from contributions.models import ChildBenefitRate, IncomeBracket, IncomeTable

OFFICIAL_CSV = Path(__file__).resolve().parent / "data" / "kostenbeitragsv_2024.csv"
OFFICIAL_NAME = "Kostenbeitragstabelle nach KostenbeitragsV (Fassung vom 20.12.2023)"
OFFICIAL_SOURCE = "BGBl. 2023 I Nr. 396, S. 2"
OFFICIAL_VALID_FROM = datetime.date(2024, 1, 1)
# The name of the sample table seeded by earlier versions (made-up amounts): replaced on load.
SAMPLE_NAME_PREFIX = "Mustertabelle"
# § 5 KostenbeitragsV: share of the income above the top group per Beitragsstufe
# (vollstationär first/second/third person 25/15/10 %, teilstationär 5 %).
OFFICIAL_ABOVE_TOP_PERCENT = (Decimal("25"), Decimal("15"), Decimal("10"), Decimal("5"))

# Kindergeld per child and month (§ 66 EStG, § 6 BKGG), the basis of § 94 Abs. 3 SGB VIII.
_ESTG_2022 = "§ 66 Abs. 1 EStG (Inflationsausgleichsgesetz 2022)"
_ESTG_2024 = "§ 66 Abs. 1 EStG (Steuerfortentwicklungsgesetz 2024)"
CHILD_BENEFIT_RATES = (
    (datetime.date(2023, 1, 1), Decimal("250.00"), _ESTG_2022),
    (datetime.date(2025, 1, 1), Decimal("255.00"), _ESTG_2024),
    (datetime.date(2026, 1, 1), Decimal("259.00"), _ESTG_2024),
)


class Row(NamedTuple):
    group: int
    income_from: Decimal
    income_to: Decimal
    amounts: tuple[Decimal, Decimal, Decimal, Decimal]
    groups_lower_per_dependant: int
    young_adult_group: int | None


def official_rows(path: Path = OFFICIAL_CSV) -> list[Row]:
    """The rows of the data file (lines starting with # are the Fundstelle and notes)."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = []
    for record in csv.DictReader(lines, delimiter=";"):
        rows.append(
            Row(
                group=int(record["group"]),
                income_from=Decimal(record["income_from"]),
                income_to=Decimal(record["income_to"]),
                amounts=(
                    Decimal(record["stage_1"]),
                    Decimal(record["stage_2"]),
                    Decimal(record["stage_3"]),
                    Decimal(record["stage_4"]),
                ),
                groups_lower_per_dependant=int(record["groups_lower_per_dependant"]),
                young_adult_group=int(record["young_adult_group"])
                if record["young_adult_group"]
                else None,
            )
        )
    return rows


@transaction.atomic
def official_table_load() -> IncomeTable:
    """The 2024 Fassung of the table (once: a second call returns the table as it is, so an
    administrator's corrections in the admin stay) and the child benefit amounts."""
    child_benefit_rates_load()
    table, created = IncomeTable.objects.get_or_create(
        valid_from=OFFICIAL_VALID_FROM,
        defaults={
            "name": OFFICIAL_NAME,
            "source": OFFICIAL_SOURCE,
            "above_top_percent_1": OFFICIAL_ABOVE_TOP_PERCENT[0],
            "above_top_percent_2": OFFICIAL_ABOVE_TOP_PERCENT[1],
            "above_top_percent_3": OFFICIAL_ABOVE_TOP_PERCENT[2],
            "above_top_percent_4": OFFICIAL_ABOVE_TOP_PERCENT[3],
        },
    )
    if not created and table.name.startswith(SAMPLE_NAME_PREFIX):
        # The sample table seeded before the official one was known: replaced by it. Its
        # contributions keep the amounts they were set with (their notices said so).
        table.name, table.source = OFFICIAL_NAME, OFFICIAL_SOURCE
        for stage, percent in enumerate(OFFICIAL_ABOVE_TOP_PERCENT, start=1):
            setattr(table, f"above_top_percent_{stage}", percent)
        table.save()
        table.brackets.all().delete()
        created = True
    if created:
        IncomeBracket.objects.bulk_create(
            IncomeBracket(
                table=table,
                group=row.group,
                income_from=row.income_from,
                income_to=row.income_to,
                stage_1=row.amounts[0],
                stage_2=row.amounts[1],
                stage_3=row.amounts[2],
                stage_4=row.amounts[3],
                groups_lower_per_dependant=row.groups_lower_per_dependant,
                young_adult_group=row.young_adult_group,
            )
            for row in official_rows()
        )
    return table


def child_benefit_rates_load() -> int:
    """The child benefit amounts not yet stored (idempotent); returns how many were new."""
    created = 0
    for valid_from, amount, source in CHILD_BENEFIT_RATES:
        _, new = ChildBenefitRate.objects.get_or_create(
            valid_from=valid_from, defaults={"amount": amount, "source": source}
        )
        created += new
    return created
