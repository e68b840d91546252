"""The minutes of a meeting as a PDF for one reader.

Rendered on request, synchronously, for the person asking: a meeting has a handful of items, so
WeasyPrint needs well under a second, and a PDF built per reader contains only what that reader
may see (pseudonymised items for Träger staff whose Träger is not commissioned). Nothing is
stored: no second copy of case data lies in the file storage, and a later commission or
correction shows in the next download.
"""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction
from meetings.models import TeamMeeting
from meetings.selectors import agenda_for, attendees_of
from sozialraum.models import User

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def minutes_html(*, user: User, meeting: TeamMeeting) -> str:
    return render_to_string(
        "meetings/pdf/minutes.html",
        {
            "meeting": meeting,
            "items": agenda_for(user=user, meeting=meeting),
            "attendees": attendees_of(meeting),
            "reader": user,
            "printed_at": timezone.localtime(),
        },
    )


def minutes_pdf(*, user: User, meeting: TeamMeeting) -> bytes:
    """The minutes as `user` may read them; each case in them is audited as exported."""
    from weasyprint import HTML  # heavy: only where PDFs are made

    html = minutes_html(user=user, meeting=meeting)
    data = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    for item in meeting.items.select_related("case"):
        audit_record(
            user=user, action=AuditAction.EXPORT, obj=item.case, detail="Protokoll Teamsitzung"
        )
    return data
