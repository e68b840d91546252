"""The Kostenbeitragsbescheid as a PDF (WeasyPrint), made on request and never stored: the
figures come from the contribution as it stands, the text from one template
(templates/contributions/pdf/notice.html). The documents app's versioned letter templates are
the place for it once an office wants to edit the wording (docs/contributions.md)."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction
from contributions.models import CostContribution
from sozialraum.models import User

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def notice_html(*, contribution: CostContribution) -> str:
    return render_to_string(
        "contributions/pdf/notice.html",
        {"contribution": contribution, "today": timezone.localdate()},
    )


def notice_pdf(*, user: User, contribution: CostContribution) -> bytes:
    """The notice of a contribution; audited as an export of the case record."""
    from weasyprint import HTML  # heavy: only where PDFs are made

    data = HTML(
        string=notice_html(contribution=contribution), base_url=str(settings.BASE_DIR)
    ).write_pdf()
    audit_record(
        user=user, action=AuditAction.EXPORT, obj=contribution, detail="Kostenbeitragsbescheid"
    )
    return data
