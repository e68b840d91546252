"""Rate agreements (Entgeltvereinbarungen, §§ 78a ff. SGB VIII): which rate holds on which day.

A provider's rate for a kind of service (Fachleistungsstunde, Tagessatz, Monatspauschale,
Gruppensitzung) is valid from its date until the next rate of the same kind begins. Planners enter
rates; a rate is never changed afterwards: a new rate from a date takes over from that day. An
hourly commitment takes the rate valid at its start and follows each change from its date
(`budgets.calculations.hours_cost`, `rate_changes`); Leistungsnachweise are priced day by day with
the rate of that day (`billing.statements`). Without any agreement of the kind, the old
behaviour holds: the hourly rate of the provider's `sozialraum.Agreement`.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from budgets.models import RateAgreement, ServiceUnit
from sozialraum.access import has_role
from sozialraum.models import Provider, Role, User
from sozialraum.money import money_format, money_round

RATE_EDITORS: tuple[str, ...] = (Role.PLANNER, Role.ADMIN)


def rate_agreements_visible_to(user: User) -> QuerySet[RateAgreement]:
    """Planners and administrators see every rate; a provider's staff see their own."""
    rates = RateAgreement.objects.select_related("provider")
    if has_role(user, *RATE_EDITORS):
        return rates
    if has_role(user, Role.PROVIDER_STAFF) and user.provider_id:
        return rates.filter(provider_id=user.provider_id)
    return rates.none()


def rate_on(*, provider_id: int, unit: str, day: datetime.date) -> RateAgreement | None:
    """The agreement of that kind valid on `day`: the latest one that began by then."""
    return (
        RateAgreement.objects.filter(provider_id=provider_id, unit=unit, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def rate_schedule(
    *, provider_id: int, unit: str, first: datetime.date, last: datetime.date
) -> list[RateAgreement]:
    """The agreements of that kind that hold on some day of [first, last], oldest first."""
    current = rate_on(provider_id=provider_id, unit=unit, day=first)
    later = RateAgreement.objects.filter(
        provider_id=provider_id, unit=unit, valid_from__gt=first, valid_from__lte=last
    ).order_by("valid_from")
    return ([current] if current else []) + list(later)


def rate_for_day(schedule: list[RateAgreement], day: datetime.date) -> RateAgreement | None:
    """From a schedule (oldest first) the agreement that holds on `day`."""
    chosen = None
    for agreement in schedule:
        if agreement.valid_from <= day:
            chosen = agreement
    return chosen


def hourly_rate_changes(
    *, provider_id: int, after: datetime.date
) -> list[tuple[datetime.date, Decimal]]:
    """(first day, rate) of each hourly rate of the provider that begins after `after`."""
    return list(
        RateAgreement.objects.filter(
            provider_id=provider_id, unit=ServiceUnit.HOURLY, valid_from__gt=after
        )
        .order_by("valid_from")
        .values_list("valid_from", "rate")
    )


@transaction.atomic
def rate_agreement_add(
    *,
    user: User,
    provider: Provider,
    unit: str,
    valid_from: datetime.date,
    rate: Decimal,
    travel_billable: bool = False,
    absence_percent: Decimal = Decimal("0"),
    note: str = "",
) -> RateAgreement:
    """Enter a provider's rate from a date. Earlier rates stay as they were: the new one takes
    over from `valid_from`. Refused with a German message for a second rate from the same day
    (an agreement in force is never overwritten)."""
    if not has_role(user, *RATE_EDITORS):
        raise ValidationError("Entgeltvereinbarungen trägt die Jugendhilfeplanung ein.")
    errors: dict[str, str] = {}
    if unit not in ServiceUnit.values:
        errors["unit"] = "Unbekannte Leistungsart."
    if rate is None or rate <= 0:
        errors["rate"] = "Der Satz muss größer als null sein."
    if absence_percent < 0 or absence_percent > 100:
        errors["absence_percent"] = "Der Anteil liegt zwischen 0 und 100 Prozent."
    if errors:
        raise ValidationError(errors)
    existing = RateAgreement.objects.filter(
        provider=provider, unit=unit, valid_from=valid_from
    ).first()
    if existing is not None:
        raise ValidationError(
            {
                "valid_from": f"Ab dem {valid_from:%d.%m.%Y} gilt schon ein Satz von "
                f"{money_format(existing.rate)}. Eine Vereinbarung wird nicht geändert; "
                "tragen Sie den neuen Satz ab einem anderen Tag ein."
            }
        )
    agreement = RateAgreement(
        provider=provider,
        unit=unit,
        valid_from=valid_from,
        rate=money_round(rate),
        travel_billable=travel_billable and unit == ServiceUnit.HOURLY,
        absence_percent=absence_percent if unit == ServiceUnit.DAILY else Decimal("0"),
        note=note.strip(),
        created_by=user,
    )
    agreement.full_clean()
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:  # the same rate entered twice at the same moment
        raise ValidationError(
            {"valid_from": "Ab diesem Tag ist gerade ein anderer Satz eingetragen worden."}
        ) from None
    return agreement
