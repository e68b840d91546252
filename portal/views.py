"""Pages of the portal as a whole: the operators' status page and the accessibility statement."""

import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from portal.health import broker_status
from sozialraum.access import AuthenticatedHttpRequest, role_required
from sozialraum.models import Role


@role_required(Role.ADMIN)
def system_status(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/system_status.html",
        {
            "database": connection.vendor,
            "broker": broker_status(),
            "mode": settings.MODE,
        },
    )


# The day this statement was prepared (and last reviewed): update it with every review.
ACCESSIBILITY_STATEMENT_PREPARED_ON = datetime.date(2026, 11, 23)


def accessibility_statement(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Erklärung zur Barrierefreiheit (BITV 2.0 § 7): public, linked from every page's footer."""
    return render(
        request,
        "portal/accessibility_statement.html",
        {
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED_ON,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
            "enforcement_name": settings.ACCESSIBILITY_ENFORCEMENT_NAME,
            "enforcement_url": settings.ACCESSIBILITY_ENFORCEMENT_URL,
        },
    )
