"""Receipts from the cash office's CSV file, checked first in a dry run.

One line per payment: `forderung;betrag;eingang;buchungszeichen` (the claim's number as the
contribution page shows it, the amount, TT.MM.JJJJ, the cash office's booking reference). The
dry run says per line what will be booked and why a line is refused; taking the file books each
good line through `receipt_record`, which checks again with the claim locked. A line whose
booking reference is already recorded is refused, so a file imported twice books nothing twice.
A payment below the claim is kept as a partial payment; above what is open it is refused.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.permissions import can_change_case, cases_visible_to
from contributions.models import ContributionClaim, ContributionReceipt, ReceiptSource
from contributions.selectors import claim_open_amount
from contributions.services import receipt_record
from sozialraum.csv_import import LineError, Row, csv_date, csv_decimal, csv_decode, csv_rows
from sozialraum.models import User
from sozialraum.money import money_format
from sozialraum.plausibility import date_de

COLUMNS = ("forderung", "betrag", "eingang", "buchungszeichen")
MAX_LINES = 20_000


@dataclass(frozen=True)
class ReceiptLine:
    line: int
    claim_id: int
    amount: Decimal
    received_on: datetime.date
    reference: str


@dataclass
class DryRun:
    messages: list[tuple[int, bool, str]] = field(default_factory=list)  # line, taken, note
    lines: list[ReceiptLine] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return len(self.lines)

    @property
    def refused(self) -> int:
        return sum(1 for _, taken, _ in self.messages if not taken)


def _claim_number(raw: str) -> str:
    """The claim number of a cell: "17", "Nr. 17" or "Nr.17" give "17"."""
    return re.sub(r"^(nr\.?)\s*", "", raw.strip(), flags=re.IGNORECASE)


def rows_read(data: bytes) -> tuple[list[Row], list[LineError]]:
    """The file's rows (raises `sozialraum.csv_import.ImportInvalid` for an unreadable file)."""
    return csv_rows(csv_decode(data), columns=COLUMNS, required=COLUMNS)


def receipts_dry_run(*, user: User, rows: list[Row], errors: list[LineError]) -> DryRun:
    """What taking the file would book, line by line, with a German reason for each refusal."""
    result = DryRun()
    for error in errors:
        result.messages.append((error.line, False, error.reason))
    if len(rows) > MAX_LINES:
        result.messages.append((1, False, f"Höchstens {MAX_LINES} Zeilen je Datei."))
        return result
    ids = []
    for row in rows:
        raw = _claim_number(row.values.get("forderung", ""))
        if raw.isdigit():
            ids.append(int(raw))
    claims = {
        c.pk: c
        for c in ContributionClaim.objects.filter(
            pk__in=ids, contribution__case__in=cases_visible_to(user)
        ).select_related("contribution__case")
    }
    known = set(
        ContributionReceipt.objects.filter(
            reference__in=[r.values.get("buchungszeichen", "").strip() for r in rows]
        ).values_list("reference", flat=True)
    )
    pending: dict[int, Decimal] = {}
    seen: set[str] = set()
    for row in rows:
        values = row.values
        raw_claim = _claim_number(values.get("forderung", ""))
        reference = values.get("buchungszeichen", "").strip()
        try:
            amount = csv_decimal(values.get("betrag", ""))
            received_on = csv_date(values.get("eingang", ""))
        except ValueError as error:
            result.messages.append((row.line, False, str(error)))
            continue
        if received_on > timezone.localdate():
            result.messages.append(
                (row.line, False, f"Der Eingang am {date_de(received_on)} liegt in der Zukunft.")
            )
            continue
        claim = claims.get(int(raw_claim)) if raw_claim.isdigit() else None
        if claim is None:
            result.messages.append(
                (row.line, False, f"Forderung „{raw_claim}“ gibt es nicht (oder nicht für Sie).")
            )
            continue
        if not can_change_case(user, claim.contribution.case):
            result.messages.append(
                (row.line, False, "Diese Forderung dürfen Sie nicht buchen (anderer Fall).")
            )
            continue
        if not reference:
            result.messages.append((row.line, False, "Das Buchungszeichen fehlt."))
            continue
        if reference in known or reference in seen:
            result.messages.append(
                (row.line, False, f"Buchungszeichen {reference} ist schon erfasst.")
            )
            continue
        open_amount = claim_open_amount(claim) - pending.get(claim.pk, Decimal(0))
        if amount <= 0:
            result.messages.append((row.line, False, "Der Betrag muss größer als null sein."))
            continue
        if amount > open_amount:
            result.messages.append(
                (
                    row.line,
                    False,
                    f"{money_format(amount)} ist mehr als offen ({money_format(open_amount)}); "
                    "bitte mit der Stadtkasse klären.",
                )
            )
            continue
        seen.add(reference)
        pending[claim.pk] = pending.get(claim.pk, Decimal(0)) + amount
        note = (
            "Teilzahlung" if amount < open_amount else "begleicht die Forderung"
        ) + f": {money_format(amount)} am {date_de(received_on)}"
        result.messages.append((row.line, True, note))
        result.lines.append(ReceiptLine(row.line, claim.pk, amount, received_on, reference))
    result.messages.sort()
    return result


@transaction.atomic
def receipts_import(*, user: User, rows: list[Row], errors: list[LineError]) -> int:
    """Book the good lines of the dry run (all or none); returns how many were booked."""
    dry_run = receipts_dry_run(user=user, rows=rows, errors=errors)
    for line in dry_run.lines:
        claim = ContributionClaim.objects.get(pk=line.claim_id)
        try:
            receipt_record(
                claim=claim,
                amount=line.amount,
                received_on=line.received_on,
                user=user,
                source=ReceiptSource.CASH_OFFICE,
                reference=line.reference,
            )
        except ValidationError as error:
            raise ValidationError(f"Zeile {line.line}: {' '.join(error.messages)}") from None
    return dry_run.taken
