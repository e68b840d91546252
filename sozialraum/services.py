"""Writes of the ground floor."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from sozialraum import street_directory
from sozialraum.csv_import import ImportInvalid, LineError, csv_decode
from sozialraum.models import ASD_ROLES, Deputy, Role, Sozialraum, StreetSegment, User

__all__ = ["ImportInvalid", "street_directory_import"]


def street_directory_import(*, data: bytes, dry_run: bool = False) -> int:
    """Import a street directory CSV file all or nothing; return the number of segments.

    Raises ImportInvalid with one entry per bad line when any line is wrong; then
    nothing is stored.
    """
    text = csv_decode(data)
    with transaction.atomic():
        _lock_street_directory()
        parsed = street_directory.parse(text, Sozialraum.objects.all())
        segments = [item.segment for item in parsed]
        errors = []
        for item in parsed:
            try:
                item.segment.full_clean(exclude=["street_key"], validate_unique=False)
            except ValidationError as invalid:
                errors.append(LineError(item.line, " ".join(invalid.messages)))
        if errors:
            raise ImportInvalid(errors)
        if not dry_run:
            StreetSegment.objects.bulk_create(segments)
    return len(segments)


def _lock_street_directory() -> None:
    """Two imports must not both pass the overlap check, even into an empty directory.

    PostgreSQL: a table lock that readers pass but other writers wait for. SQLite serialises
    writing transactions by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(StreetSegment._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def deputies_manageable_by(user: User, absent: User) -> bool:
    """Who sets and ends a deputyship: the absent person herself, or a team lead for the
    members of her team."""
    if user.effective_role not in ASD_ROLES:
        return False
    if user.pk == absent.pk:
        return True
    return (
        user.effective_role == Role.TEAM_LEAD
        and user.asd_team_id is not None
        and absent.asd_team_id == user.asd_team_id
    )


@transaction.atomic
def deputy_set(
    *,
    user: User,
    absent: User,
    deputy: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Deputy:
    """Set a deputy (Vertretung) for `absent` from `starts_on` to `ends_on` (inclusive).

    The deputy is active ASD staff; a caseworker chooses one of her own region, a team lead any
    region's (see `Deputy`). Periods of one person do not overlap: the absent person's row is
    locked while the check runs, so two requests cannot both pass it."""
    if not deputies_manageable_by(user, absent):
        raise ValidationError(
            {
                "absent": "Sie können eine Vertretung nur für sich selbst oder als Teamleitung "
                "für Mitglieder Ihres Teams eintragen."
            }
        )
    if deputy.effective_role not in ASD_ROLES or not deputy.is_active or deputy.asd_team is None:
        raise ValidationError({"deputy": "Vertreten kann nur eine aktive Fachkraft des ASD."})
    if user.effective_role != Role.TEAM_LEAD and (
        user.asd_team is None or deputy.asd_team.region_id != user.asd_team.region_id
    ):
        raise ValidationError(
            {
                "deputy": "Bitte wählen Sie eine Fachkraft des ASD Ihrer Region. Eine Vertretung "
                "aus einer anderen Region trägt die Teamleitung ein."
            }
        )
    if starts_on <= ends_on < timezone.localdate():  # an end before the start: full_clean()
        raise ValidationError({"ends_on": "Das Ende der Vertretung liegt in der Vergangenheit."})
    User.objects.select_for_update().filter(pk=absent.pk).first()
    deputyship = Deputy(
        absent=absent, deputy=deputy, starts_on=starts_on, ends_on=ends_on, set_by=user
    )
    deputyship.full_clean()
    deputyship.save()
    return deputyship


@transaction.atomic
def deputy_end(*, user: User, deputyship: Deputy) -> Deputy:
    """End a deputyship now: the deputy's access ends at once; what she recorded stays."""
    deputyship = Deputy.objects.select_for_update().get(pk=deputyship.pk)
    if not deputies_manageable_by(user, deputyship.absent):
        raise ValidationError("Diese Vertretung können Sie nicht beenden.")
    if deputyship.ended_at is not None or deputyship.ends_on < timezone.localdate():
        raise ValidationError("Diese Vertretung ist bereits beendet.")
    deputyship.ended_at = timezone.now()
    deputyship.ended_by = user
    deputyship.full_clean()
    deputyship.save(update_fields=["ended_at", "ended_by"])
    return deputyship
