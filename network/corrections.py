"""Berichtigung of a conference agreement: who may, and the correction itself.

The person who recorded it corrects it within `SOZIALRAUM_CORRECTION_DAYS`, the team lead of the
conference's region after that (and agreements recorded before authors were kept); the earlier
version stays in the agreement's history (`corrections.Correction`). Conferences hold no case
data, so the case audit log is not involved: the history itself names who changed what, when
and why.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from corrections.models import Correction
from corrections.selectors import (
    CorrectionState,
    correction_state,
    corrections_of,
    record_key,
)
from corrections.services import (
    correction_record,
    correction_refusal,
    reason_clean,
    record_snapshot,
)
from network.models import Conference, ConferenceAgreement
from sozialraum.models import Role, User


def _region_id(agreement: ConferenceAgreement) -> int | None:
    conference = agreement.conference
    if conference.region_id is not None:
        return conference.region_id
    return conference.sozialraum.region_id if conference.sozialraum is not None else None


def agreement_correction_refusal(user: User, agreement: ConferenceAgreement) -> str | None:
    """Why the user may not correct the agreement, or None."""
    is_team_lead = (
        user.effective_role == Role.TEAM_LEAD
        and user.asd_team is not None
        and user.asd_team.region_id == _region_id(agreement)
    )
    recorded_at = agreement.recorded_at
    return correction_refusal(
        user=user,
        author_id=agreement.recorded_by_id,
        recorded_on=timezone.localdate(recorded_at) if recorded_at else None,
        is_team_lead=is_team_lead,
    )


@transaction.atomic
def agreement_correct(
    *,
    user: User,
    agreement: ConferenceAgreement,
    text: str,
    owner: User,
    due_on: datetime.date,
    reason: str,
) -> Correction:
    """Correct an agreement's text, owner or due date; its history keeps the earlier version."""
    refusal = agreement_correction_refusal(user, agreement)
    if refusal:
        raise PermissionDenied(refusal)
    reason = reason_clean(reason)
    agreement = ConferenceAgreement.objects.select_for_update().get(pk=agreement.pk)
    if due_on < agreement.conference.date:
        raise ValidationError(
            {"due_on": "Die Fälligkeit liegt vor der Konferenz, die sie vereinbart hat."}
        )
    if not text.strip():
        raise ValidationError({"text": "Bitte beschreiben Sie die Vereinbarung."})
    before = record_snapshot(agreement)
    agreement.text, agreement.owner, agreement.due_on = text.strip(), owner, due_on
    agreement.full_clean()
    agreement.save()
    return correction_record(user=user, record=agreement, before=before, reason=reason)


def agreement_correction_states(user: User, conference: Conference) -> dict[str, CorrectionState]:
    """For the conference page: per agreement the link to correct it (or why not) and its
    history (one query for all histories)."""
    agreements = list(conference.agreements.all())
    history = corrections_of(agreements)
    states = {}
    for agreement in agreements:
        agreement.conference = conference  # already loaded: no query per agreement
        states[record_key(agreement)] = correction_state(
            record=agreement,
            url=reverse("network:agreement_correct", args=[agreement.pk]),
            refusal=agreement_correction_refusal(user, agreement),
            history=history,
        )
    return states
