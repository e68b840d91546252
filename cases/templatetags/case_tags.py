"""Template helpers of case work, and the case blocks of the start pages.

The start pages live in the ground floor (`sozialraum`), which must not import cases; they pull
these blocks in through template tags instead.
"""

import datetime
from typing import Any

from django import template

from cases.models import Person
from cases.selectors import (
    assignment_list,
    cases_steered_count,
    reviews_overdue_for,
    risks_open_for,
)

register = template.Library()


@register.filter
def age_on(person: Person, day: datetime.date) -> int | None:
    return person.age_on(day)


@register.inclusion_tag("cases/partials/asd_start.html")
def asd_case_alerts(user: Any) -> dict:
    """§ 8a alerts first (acute on top), then overdue help plan reviews and own cases."""
    return {
        "risks": risks_open_for(user),
        "reviews": reviews_overdue_for(user),
        "steered_count": cases_steered_count(user),
        "is_team_lead": user.effective_role == "team_lead",
    }


@register.inclusion_tag("cases/partials/provider_start.html")
def provider_assignments(user: Any) -> dict:
    rows, more = assignment_list(user=user, page_size=10)
    return {"assignments": rows, "more": more is not None}
