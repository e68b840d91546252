"""Demo: released retention classes, one legal hold and a preview eleven years ahead, so the
data-protection pages show something. Only the demo releases the defaults; a real office's
data-protection officer releases them after checking (docs/datenschutz.md)."""

import datetime

from django.utils import timezone

from cases.models import Case, CaseKind, CaseStatus
from privacy.models import LegalHold, RetentionClass, RetentionRun, RunTrigger
from privacy.services import (
    legal_hold_place,
    retention_classes_ensure,
    retention_run_create,
    retention_run_execute,
)
from sozialraum.models import User


def demo_build() -> None:
    retention_classes_ensure()
    RetentionClass.objects.update(is_active=True)
    if LegalHold.objects.exists() or RetentionRun.objects.exists():
        return
    lead = User.objects.filter(username="leitung-nord").first()
    case = (
        Case.objects.filter(
            kind=CaseKind.INDIVIDUAL, status=CaseStatus.CLOSED, region__asd_teams__members=lead
        )
        .order_by("pk")
        .first()
    )
    if lead is None or case is None:
        return
    legal_hold_place(
        user=lead,
        case_number=case.number,
        reason="Beschwerdeverfahren der Familie, Az. DS-2025-017 (Beispiel)",
    )
    preview_day = timezone.localdate() + datetime.timedelta(days=11 * 366)
    run = retention_run_create(trigger=RunTrigger.COMMAND, preview=True, on_day=preview_day)
    retention_run_execute(run_id=run.pk)
