"""Reads of the audit trail (administrators only)."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from cases.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""
    case_number: str = ""
    action: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_entries(
    *, filters: AuditFilter, after: int | None = None, page_size: int | None = None
) -> tuple[list[AuditEntry], int | None]:
    """Newest first, paged by id."""
    size = page_size or settings.CASE_LIST_PAGE_SIZE
    entries = AuditEntry.objects.select_related("user", "on_behalf_of")
    if filters.user:
        entries = entries.filter(user__username__iexact=filters.user.strip())
    if filters.case_number:
        entries = entries.filter(case_number__iexact=filters.case_number.strip())
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__date__lte=filters.until)
    if after is not None:
        entries = entries.filter(id__lt=after)
    rows = list(entries.order_by("-id")[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)
