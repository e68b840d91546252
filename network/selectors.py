"""Reads of the network: resource search, partners, conferences and their open agreements.

Every object a view shows is loaded here with the user, so that the scope rule lives in one place:
all staff may read partners and offers; provider staff may change only their own provider's
offers (404 for others); office roles may change everything in the network.
"""

import datetime
import re
from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from network.models import (
    Conference,
    ConferenceAgreement,
    Offer,
    Partner,
    PartnerType,
    SozialraumBoundary,
)
from sozialraum.access import OFFICE, has_role
from sozialraum.models import Role, Sozialraum, User

_WORD = re.compile(r"\w+", re.UNICODE)
FULLTEXT_CONFIG = "german"


def offer_search_vector() -> SearchVector:
    """The German full-text vector over title and description (also the GIN index's expression)."""
    return SearchVector("title", "description", config=FULLTEXT_CONFIG)


def _prefix_query(text: str) -> SearchQuery | None:
    """ "Eltern treff" → eltern:* & treff:* (German stemming, prefix match on every word).

    Only word characters reach the raw tsquery, so no input can break its syntax.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config=FULLTEXT_CONFIG
    )


def sozialraum_neighbours(sozialraum: Sozialraum) -> list[Sozialraum]:
    """Sozialräume sharing a boundary with this one (derived at boundary import, editable)."""
    return list(
        Sozialraum.objects.filter(boundary__neighbours__sozialraum=sozialraum)
        .exclude(pk=sozialraum.pk)
        .distinct()
        .order_by("code")
    )


def offers_search(
    *,
    sozialraum: Sozialraum | None = None,
    include_neighbours: bool = False,
    target_group: str = "",
    ages: Sequence[int] = (),
    age_from: int | None = None,
    age_to: int | None = None,
    language: str = "",
    free_only: bool = False,
    text: str = "",
    on: datetime.date | None = None,
) -> QuerySet[Offer]:
    """Offers valid on a day (default today) of active partners and providers, filtered.

    - `sozialraum` (+ `include_neighbours`): where the offer takes place (the offer's own
      Sozialraum, else its partner's).
    - `ages`: offers suitable for at least one of these ages (e.g. the children of a case).
    - `age_from`/`age_to`: offers whose age range overlaps this range (either end may be open).
    - `language`: the offer lists this language (case-insensitive part of the list).
    - `text`: PostgreSQL German full-text search with prefix matching ("Eltern" finds
      "Elterncafé"); on SQLite a plain case-insensitive substring search.

    "Angebote in der Nähe" of a case: `offers_search(sozialraum=case_sozialraum,
    include_neighbours=True, ages=[ages of the case's children])`.
    """
    day = on or timezone.localdate()
    offers: QuerySet[Offer] = (
        Offer.objects.valid_on(day)
        .filter(
            Q(partner__is_active=True, provider__isnull=True)
            | Q(provider__is_active=True, partner__isnull=True)
        )
        .select_related("partner__sozialraum", "provider", "sozialraum")
    )
    if sozialraum is not None:
        # The neighbours as a subquery, not a list: one query less on every case page.
        places = Q(pk=sozialraum.pk)
        if include_neighbours:
            places |= Q(boundary__neighbours__sozialraum=sozialraum)
        place_ids = Sozialraum.objects.filter(places).values("pk")
        offers = offers.filter(
            Q(sozialraum__in=place_ids)
            | Q(sozialraum__isnull=True, partner__sozialraum__in=place_ids)
        )
    if target_group:
        offers = offers.filter(target_group=target_group)
    if ages:
        suitable = Q()
        for age in ages:
            suitable |= _age_overlap(age, age)
        offers = offers.filter(suitable)
    if age_from is not None or age_to is not None:
        offers = offers.filter(_age_overlap(age_from, age_to))
    if language.strip():
        offers = offers.filter(languages__icontains=language.strip())
    if free_only:
        offers = offers.filter(is_free=True)
    if text.strip():
        offers = _text_filter(offers, text)
    return offers.order_by("title", "pk")


def _age_overlap(low: int | None, high: int | None) -> Q:
    """Offers whose [age_min, age_max] (open ends = unlimited) overlaps [low, high]."""
    condition = Q()
    if high is not None:
        condition &= Q(age_min__isnull=True) | Q(age_min__lte=high)
    if low is not None:
        condition &= Q(age_max__isnull=True) | Q(age_max__gte=low)
    return condition


def _text_filter(offers: QuerySet[Offer], text: str) -> QuerySet[Offer]:
    if connection.vendor == "postgresql":
        query = _prefix_query(text)
        if query is None:
            return offers
        return offers.annotate(fulltext=offer_search_vector()).filter(fulltext=query)
    condition = Q()
    for word in _WORD.findall(text):
        condition &= Q(title__icontains=word) | Q(description__icontains=word)
    return offers.filter(condition)


def offer_for_user(user: User, pk: int, *, for_change: bool = False) -> Offer:
    """Any staff member may read any offer. `for_change`: office roles change every offer,
    provider staff only their own provider's (`offer_may_change`); others get 404."""
    offers = Offer.objects.select_related("partner__sozialraum", "provider", "sozialraum")
    if for_change and not has_role(user, *OFFICE):
        if not (has_role(user, Role.PROVIDER_STAFF) and user.provider_id):
            raise Http404("Dieses Angebot gibt es nicht.")
        offers = offers.filter(provider_id=user.provider_id)
    try:
        return offers.get(pk=pk)
    except Offer.DoesNotExist:
        raise Http404("Dieses Angebot gibt es nicht.") from None


def offer_may_change(user: User, offer: Offer) -> bool:
    """The rule of `offer_for_user(..., for_change=True)` for an offer already loaded."""
    if has_role(user, *OFFICE):
        return True
    return has_role(user, Role.PROVIDER_STAFF) and offer.provider_id == user.provider_id


def partners_search(
    *,
    sozialraum: Sozialraum | None = None,
    partner_type: str = "",
    text: str = "",
    active_only: bool = True,
) -> QuerySet[Partner]:
    partners = Partner.objects.select_related("sozialraum").annotate(
        offer_count=Count("offers", distinct=True)
    )
    if active_only:
        partners = partners.filter(is_active=True)
    if sozialraum is not None:
        partners = partners.filter(sozialraum=sozialraum)
    if partner_type:
        partners = partners.filter(partner_type=partner_type)
    if text.strip():
        partners = partners.filter(
            Q(name__icontains=text.strip()) | Q(contact_person__icontains=text.strip())
        )
    return partners.order_by("name")


def partner_for_user(user: User, pk: int) -> Partner:
    """Partners are read by every staff role; the page shows their offers valid today."""
    offers = Offer.objects.valid_on(timezone.localdate()).select_related("sozialraum")
    try:
        return (
            Partner.objects.select_related("sozialraum__region")
            .prefetch_related(Prefetch("offers", queryset=offers, to_attr="current_offers"))
            .get(pk=pk)
        )
    except Partner.DoesNotExist:
        raise Http404("Diesen Netzwerkpartner gibt es nicht.") from None


def partner_type_label(value: str) -> str:
    return PartnerType(value).label if value in PartnerType.values else value


# --- Conferences ---------------------------------------------------------------------------


def conferences_visible_to(user: User) -> QuerySet[Conference]:
    """Office roles see every conference; provider staff those their provider was invited to
    or attended; nobody else any."""
    conferences = Conference.objects.select_related("sozialraum", "region").annotate(
        open_agreement_count=Count("agreements", filter=Q(agreements__done_on__isnull=True))
    )
    if has_role(user, *OFFICE):
        return conferences
    if has_role(user, Role.PROVIDER_STAFF) and user.provider_id:
        invited = _conferences_of_provider_staff(user.provider_id, user.pk).values("pk")
        return conferences.filter(pk__in=invited)
    return conferences.none()


def _conferences_of_provider_staff(provider_id: int, user_id: int) -> QuerySet[Conference]:
    """The conferences provider staff may open: their provider was invited or attended, or
    they own one of its agreements (the rule of `conferences_visible_to`)."""
    return Conference.objects.filter(
        Q(invited_providers=provider_id)
        | Q(present_providers=provider_id)
        | Q(agreements__owner=user_id)
    )


def conferences_openable(user: User, conference_ids: Iterable[int]) -> set[int] | None:
    """Which of these conferences the user may open (`conference_for_user`), for pages that list
    an area's conferences to everyone: None for the office roles, who open every one; provider
    staff only those their provider was invited to or attended, or where they own an agreement."""
    if has_role(user, *OFFICE):
        return None
    ids = sorted(set(conference_ids))
    if not ids or not (has_role(user, Role.PROVIDER_STAFF) and user.provider_id):
        return set()
    return set(
        _conferences_of_provider_staff(user.provider_id, user.pk)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def conference_for_user(user: User, pk: int) -> Conference:
    try:
        return (
            conferences_visible_to(user)
            .prefetch_related(
                "invited_partners",
                "present_partners",
                "invited_providers",
                "present_providers",
                "invited_staff",
                "present_staff",
                Prefetch(
                    "agreements",
                    queryset=ConferenceAgreement.objects.select_related("owner"),
                ),
            )
            .get(pk=pk)
        )
    except Conference.DoesNotExist:
        raise Http404("Diese Konferenz gibt es nicht.") from None


def conferences_for_area(
    *, region_id: int, sozialraum_id: int | None = None
) -> QuerySet[Conference]:
    """Conferences of a Sozialraum and of its region (`region_id`: the Sozialraum's), or,
    without a Sozialraum, of the region and its Sozialräume."""
    conferences = Conference.objects.select_related("sozialraum", "region")
    if sozialraum_id is not None:
        return conferences.filter(Q(sozialraum_id=sozialraum_id) | Q(region_id=region_id))
    return conferences.filter(Q(region_id=region_id) | Q(sozialraum__region_id=region_id))


def agreements_open_for(user: User) -> QuerySet[ConferenceAgreement]:
    """Open agreements this person owns, the earliest due first (for their start page)."""
    return (
        ConferenceAgreement.objects.filter(owner=user, done_on__isnull=True)
        .select_related("conference__sozialraum", "conference__region", "owner")
        .order_by("due_on", "pk")
    )


def agreements_open_for_area(
    *, region_id: int, sozialraum_id: int | None = None
) -> QuerySet[ConferenceAgreement]:
    """Open agreements of the conferences of a Sozialraum (and its region) or of a region."""
    conferences = conferences_for_area(region_id=region_id, sozialraum_id=sozialraum_id)
    return (
        ConferenceAgreement.objects.filter(
            done_on__isnull=True, conference__in=conferences.values("pk")
        )
        .select_related("conference__sozialraum", "conference__region", "owner")
        .order_by("due_on", "pk")
    )


def agreement_for_user(user: User, pk: int) -> ConferenceAgreement:
    """An agreement to mark done: its owner's or, for the office roles, any; others get 404.
    (The agreements are read on their conference's page, through `conference_for_user`.)"""
    agreements = ConferenceAgreement.objects.select_related("conference")
    if not has_role(user, *OFFICE):
        agreements = agreements.filter(owner=user)
    try:
        return agreements.get(pk=pk)
    except ConferenceAgreement.DoesNotExist:
        raise Http404("Diese Vereinbarung gibt es nicht.") from None


def staff_for_conferences() -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(role="").order_by("last_name", "username")


def boundaries_valid_on(day: datetime.date | None = None) -> QuerySet[SozialraumBoundary]:
    """Boundaries of the Sozialräume valid on the day, with their Sozialraum and region."""
    day = day or timezone.localdate()
    return (
        SozialraumBoundary.objects.filter(sozialraum__in=Sozialraum.objects.valid_on(day))
        .select_related("sozialraum__region")
        .order_by("sozialraum__region__name", "sozialraum__code")
    )
