"""Reads of the ground floor: responsibility for an address, Sozialräume valid on a date."""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from sozialraum.addresses import POSTCODE, parse_house_number, street_key
from sozialraum.models import (
    ASD_ROLES,
    AsdTeam,
    Deputy,
    Population,
    Provider,
    Region,
    RegionProvider,
    Role,
    Sozialraum,
    StreetSegment,
    User,
)


class AddressStatus(StrEnum):
    FOUND = "found"
    INVALID = "invalid"
    UNKNOWN_STREET = "unknown_street"
    UNKNOWN_NUMBER = "unknown_number"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Responsibility:
    """The answer to "who is responsible for this address on this date"."""

    status: AddressStatus
    message: str
    sozialraum: Sozialraum | None = None
    candidates: tuple[Sozialraum, ...] = ()
    suggestions: tuple[str, ...] = field(default=())

    @property
    def found(self) -> bool:
        return self.status == AddressStatus.FOUND

    @property
    def region(self) -> Region | None:
        return self.sozialraum.region if self.sozialraum else None

    @property
    def asd_team(self) -> AsdTeam | None:
        return self.sozialraum.asd_team if self.sozialraum else None


def address_resolve(
    *,
    street: str,
    house_number: str,
    postcode: str = "",
    on: datetime.date | None = None,
) -> Responsibility:
    """Find the Sozialraum, region and ASD team responsible for an address on a day (or today).

    Never raises for bad input: every outcome carries a German message a caseworker can act on.
    """
    day = on or timezone.localdate()
    when = date_format(day, "j. F Y")
    street = (street or "").strip()
    postcode = (postcode or "").strip()
    if not street_key(street):
        return Responsibility(AddressStatus.INVALID, "Bitte geben Sie eine Straße an.")
    number = parse_house_number(house_number)
    if number is None:
        return Responsibility(
            AddressStatus.INVALID, "Bitte geben Sie eine Hausnummer an, zum Beispiel 12 oder 12a."
        )
    if postcode and not POSTCODE.match(postcode):
        return Responsibility(AddressStatus.INVALID, "Die Postleitzahl hat fünf Ziffern.")

    key = street_key(street)
    segments = StreetSegment.objects.filter(street_key=key)
    if postcode:
        segments = segments.filter(postcode=postcode)
    on_day = [
        segment
        for segment in segments.valid_on(day).select_related(
            "sozialraum__region", "sozialraum__asd_team"
        )
        if segment.sozialraum.is_valid_on(day)
    ]
    if not on_day:
        where = f"{street} ({postcode})" if postcode else street
        if segments.exists():
            message = f"„{where}“ ist am {when} keinem Sozialraum zugeordnet."
        else:
            message = f"„{where}“ steht nicht im Straßenverzeichnis."
        return Responsibility(
            AddressStatus.UNKNOWN_STREET, message, suggestions=_street_suggestions(key, day)
        )

    matches: dict[int, Sozialraum] = {}
    for segment in on_day:
        if segment.covers(number):
            matches.setdefault(segment.sozialraum_id, segment.sozialraum)
    if not matches:
        return Responsibility(
            AddressStatus.UNKNOWN_NUMBER,
            f"Die Hausnummer {house_number.strip()} der Straße „{street}“ ist am {when} "
            "keinem Sozialraum zugeordnet.",
        )
    if len(matches) > 1:
        candidates = tuple(sorted(matches.values(), key=lambda s: s.name))
        names = ", ".join(s.name for s in candidates)
        hint = (
            "Bitte prüfen Sie das Straßenverzeichnis."
            if postcode
            else "Bitte geben Sie die Postleitzahl an."
        )
        return Responsibility(
            AddressStatus.AMBIGUOUS,
            f"Die Adresse passt zu mehreren Sozialräumen ({names}). {hint}",
            candidates=candidates,
        )
    sozialraum = next(iter(matches.values()))
    return Responsibility(
        AddressStatus.FOUND,
        f"Zuständig: Sozialraum {sozialraum.name}, Region {sozialraum.region.name}, "
        f"{sozialraum.asd_team.name}.",
        sozialraum=sozialraum,
        candidates=(sozialraum,),
    )


def _street_suggestions(key: str, day: datetime.date, limit: int = 5) -> tuple[str, ...]:
    """Streets valid on the day that start like the unknown one, as a "did you mean"."""
    if len(key) < 4:
        return ()
    names = (
        StreetSegment.objects.valid_on(day)
        .filter(street_key__startswith=key[:4])
        .values_list("street", flat=True)
        .distinct()
        .order_by("street")[:limit]
    )
    return tuple(names)


def sozialraeume_valid_on(day: datetime.date | None = None) -> QuerySet[Sozialraum]:
    return (
        Sozialraum.objects.valid_on(day or timezone.localdate())
        .select_related("region", "asd_team")
        .order_by("region__name", "code")
    )


def regions_with_sozialraeume(day: datetime.date | None = None) -> QuerySet[Region]:
    """Regions with the Sozialräume valid on the day and their latest population figures."""
    day = day or timezone.localdate()
    sozialraeume = sozialraeume_valid_on(day).prefetch_related(
        Prefetch(
            "populations",
            queryset=Population.objects.filter(year__lte=day.year).order_by("-year"),
            to_attr="population_history",
        )
    )
    return Region.objects.prefetch_related(
        Prefetch("sozialraeume", queryset=sozialraeume, to_attr="current_sozialraeume"),
        Prefetch(
            "region_providers",
            queryset=RegionProvider.objects.valid_on(day).select_related("provider"),
            to_attr="current_providers",
        ),
    ).order_by("name")


def providers_with_roles(
    day: datetime.date | None = None, *, active_only: bool = True
) -> QuerySet[Provider]:
    """Providers (by default only active ones) with their region roles and alliances on the day."""
    day = day or timezone.localdate()
    providers = Provider.objects.filter(is_active=True) if active_only else Provider.objects.all()
    return providers.prefetch_related(
        Prefetch(
            "region_roles",
            queryset=RegionProvider.objects.valid_on(day).select_related("region"),
            to_attr="current_roles",
        ),
        "alliances",
    ).order_by("name")


def sozialraeume_former(day: datetime.date | None = None) -> QuerySet[Sozialraum]:
    """Sozialräume whose validity ended before the day, with the areas that replaced them."""
    return (
        Sozialraum.objects.filter(valid_until__lt=day or timezone.localdate())
        .select_related("region")
        .prefetch_related("successors")
        .order_by("region__name", "code", "valid_from")
    )


def street_segments_search(
    *, query: str = "", sozialraum: Sozialraum | None = None, on: datetime.date | None = None
) -> QuerySet[StreetSegment]:
    """The street directory valid on a day, optionally narrowed to a street name or Sozialraum."""
    segments = StreetSegment.objects.valid_on(on or timezone.localdate()).select_related(
        "sozialraum__region"
    )
    if key := street_key(query):
        segments = segments.filter(street_key__contains=key)
    if sozialraum is not None:
        segments = segments.filter(sozialraum=sozialraum)
    return segments.order_by("street_key", "postcode", "number_from")


def admin_overview() -> dict:
    """Counts for the administrators' start page."""
    today = timezone.localdate()
    counts = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(count=Count("pk"))
        .values_list("role", "count")
    )
    return {
        "users_by_role": {role.label: counts.get(role.value, 0) for role in Role},
        "sozialraum_count": sozialraeume_valid_on(today).count(),
        "street_segment_count": StreetSegment.objects.valid_on(today).count(),
        "provider_count": Provider.objects.filter(is_active=True).count(),
    }


def deputyships_visible_to(user: User) -> QuerySet[Deputy]:
    """Deputyships the user may see: her own (covered or covering) and, for a team lead, those
    of her team's members; newest period first."""
    if user.effective_role not in ASD_ROLES:
        return Deputy.objects.none()
    scope = Q(absent=user) | Q(deputy=user)
    if user.effective_role == Role.TEAM_LEAD and user.asd_team_id is not None:
        scope |= Q(absent__asd_team_id=user.asd_team_id)
    return (
        Deputy.objects.filter(scope)
        .select_related("absent", "deputy__asd_team", "set_by", "ended_by")
        .order_by("-starts_on", "-id")
    )


def deputyship_for_user(user: User, pk: int) -> Deputy:
    """One deputyship the user may see (404 otherwise)."""
    deputyship = deputyships_visible_to(user).filter(pk=pk).first()
    if deputyship is None:
        raise Http404("Vertretung nicht gefunden.")
    return deputyship


def deputy_absent_choices(user: User) -> QuerySet[User]:
    """Whom the user may set a deputy for: herself; a team lead also her team's members."""
    people = User.objects.filter(is_active=True, role__in=ASD_ROLES)
    if user.effective_role == Role.TEAM_LEAD and user.asd_team_id is not None:
        people = people.filter(asd_team_id=user.asd_team_id)
    else:
        people = people.filter(pk=user.pk)
    return people.order_by("last_name", "first_name")


def deputy_candidates(user: User) -> QuerySet[User]:
    """Who may be chosen as a deputy: active ASD staff of the user's region; a team lead may
    choose ASD staff of any region."""
    people = User.objects.filter(is_active=True, role__in=ASD_ROLES).select_related(
        "asd_team__region"
    )
    if user.effective_role != Role.TEAM_LEAD:
        if user.asd_team is None:
            return User.objects.none()
        people = people.filter(asd_team__region_id=user.asd_team.region_id)
    return people.order_by("asd_team__region__name", "last_name", "first_name")
