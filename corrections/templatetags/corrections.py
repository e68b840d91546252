"""`{% correction_state record as state %}`: the state the view prepared for a record."""

from typing import Any

from django import template
from django.db import models

from corrections.selectors import CorrectionState, record_key

register = template.Library()


@register.simple_tag(takes_context=True)
def correction_state(context: dict[str, Any], record: models.Model) -> CorrectionState | None:
    """Looked up in the view's `correction_states` (no query here); None where it has none."""
    states = context.get("correction_states") or {}
    return states.get(record_key(record))
