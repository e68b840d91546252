"""Template helpers of case work."""

import datetime

from django import template

from cases.models import Person

register = template.Library()


@register.filter
def age_on(person: Person, day: datetime.date) -> int | None:
    return person.age_on(day)
