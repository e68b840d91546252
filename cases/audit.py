"""The audit trail of case records: one append-only entry per view or change.

An entry names the user, the action, the kind of object, its ID and the (non-personal) case
number. It never holds names, texts or addresses, so the trail itself is not a second copy of
the Sozialdaten.
"""

from django.db import models

from cases.models import AuditAction, AuditEntry, Case
from cases.permissions import deputy_acting_for
from sozialraum.models import User


def _case_of(obj: models.Model) -> Case | None:
    if isinstance(obj, Case):
        return obj
    case = getattr(obj, "case", None)
    return case if isinstance(case, Case) else None


def audit_record(
    *,
    user: User,
    action: AuditAction,
    obj: models.Model,
    detail: str = "",
    acting_for: int | bool | None = False,
) -> None:
    """Write one audit entry. `detail` is a fixed label of the step (e.g. "Statuswechsel"),
    never free text typed by a user. A deputy's entry names the person she covers
    (`on_behalf_of`, "in Vertretung"; `acting_for` as `deputy_acting_for` gives it when the
    caller has asked already, else it is asked here)."""
    case = _case_of(obj)
    if acting_for is False:
        acting_for = deputy_acting_for(user, case) if case is not None else None
    AuditEntry.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower.split(".")[1],
        object_id=obj.pk,
        case_number=case.number if case is not None else "",
        detail=detail,
        on_behalf_of_id=acting_for,
    )
