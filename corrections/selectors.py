"""Reads of corrections: the history of records, for the pages that show them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from corrections.models import Correction


def record_key(record: models.Model) -> str:
    """The key of a record in the result of `corrections_of`: "<app>.<model>:<id>"."""
    return f"{record._meta.label_lower}:{record.pk}"


def corrections_of(records: Iterable[models.Model]) -> dict[str, list[Correction]]:
    """The corrections of these records, oldest first, by `record_key` (one query)."""
    by_type: dict[type[models.Model], list[int]] = defaultdict(list)
    for record in records:
        by_type[type(record)].append(record.pk)
    if not by_type:
        return {}
    # By app label and model name (a join), not by content type ids: no lookup of the types.
    wanted = Q()
    for model, ids in by_type.items():
        wanted |= Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id__in=ids,
        )
    history: dict[str, list[Correction]] = defaultdict(list)
    entries = Correction.objects.filter(wanted).select_related("corrected_by", "content_type")
    for entry in entries:
        label = f"{entry.content_type.app_label}.{entry.content_type.model}"
        history[f"{label}:{entry.object_id}"].append(entry)
    return dict(history)


@dataclass(frozen=True)
class CorrectionState:
    """What a page shows beside a record: the link to correct it (or why not), its history."""

    url: str = ""
    refusal: str = ""
    history: list[Correction] = field(default_factory=list)


def correction_state(
    *, record: models.Model, url: str, refusal: str | None, history: dict[str, list[Correction]]
) -> CorrectionState:
    """The state of one record: `url` when the user may correct it, else `refusal`."""
    return CorrectionState(
        url="" if refusal else url,
        refusal=refusal or "",
        history=history.get(record_key(record), []),
    )
