"""Reads for the overview pages: one Sozialraum, one region, as aggregate figures.

The overview sits on top of the house plan and reads through the selectors (and models) of the
apps below. These pages carry no personal case data, so every staff role may see them; all
figures are counts from aggregate queries, and the number of queries does not depend on how many
partners, offers or conferences there are.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.figures import (
    HelpTypeCount,
    SozialraumCaseFigures,
    case_figures_by_sozialraum,
    populations_latest,
)
from network.maps import MapFigure, SvgMap, map_build
from network.models import (
    Conference,
    ConferenceAgreement,
    Offer,
    Partner,
    PartnerType,
    RegionBoundary,
    TargetGroup,
)
from network.selectors import (
    agreements_open_for_area,
    boundaries_valid_on,
    conferences_for_area,
    offers_search,
    sozialraum_neighbours,
)
from sozialraum.access import ALL_ROLES, has_role
from sozialraum.models import Population, Region, Sozialraum, User

RECENT_CONFERENCES = 5

# Figures the map can be shaded by: key (URL value) → label.
MAP_FIGURES = {
    "hilfen": "laufende Hilfen je 1.000 Minderjährige",
    "partner": "aktive Netzwerkpartner",
    "angebote": "Angebote je 1.000 Minderjährige",
    "minderjaehrige": "Minderjährige",
}


@dataclass(frozen=True)
class Count_:
    label: str
    count: int


@dataclass(frozen=True)
class PartnerRow:
    """One row of the Sozialraum page's partner table, as the template shows it."""

    url: str
    name: str
    type_label: str
    address: str
    accessibility: str
    offer_count: int


@dataclass
class SozialraumFigures:
    """The Sozialraum page's counts, partners and map: the same for every reader."""

    sozialraum: Sozialraum
    on: datetime.date
    population: Population | None
    partners_by_type: list[Count_]
    partner_count: int
    partners: Sequence[Partner]
    # The table's rows, links and labels included: kept with the figures (FIGURES_CACHE_SECONDS),
    # so a request renders plain strings instead of fifty URL patterns and choice labels.
    partner_rows: list[PartnerRow]
    offers_by_target_group: list[Count_]
    offer_count: int
    neighbours: list[Sozialraum]
    svg_map: SvgMap
    # Running helps by type, placements near home, projects: counts of the day, no case data.
    case_figures: SozialraumCaseFigures

    def _per_1000(self, count: int) -> Decimal | None:
        return self.population.per_1000_minors(count) if self.population else None

    @property
    def offers_per_1000_minors(self) -> Decimal | None:
        return self._per_1000(self.offer_count)

    @property
    def helps_per_1000_minors(self) -> Decimal | None:
        return self._per_1000(self.case_figures.helps_running)

    @property
    def helps_by_type(self) -> list[tuple[HelpTypeCount, Decimal | None]]:
        """Running helps per help type with their rate per 1,000 minors."""
        return [(t, self._per_1000(t.count)) for t in self.case_figures.running_by_help_type]


@dataclass
class AreaMeetings:
    """Conferences of a Sozialraum or region and the agreements still open (read live: the page
    lets people mark agreements done)."""

    recent_conferences: list[Conference]
    upcoming_conferences: list[Conference]
    open_agreements: list[ConferenceAgreement]

    def conference_ids(self) -> set[int]:
        """Every conference the page names, to ask which of them the reader may open."""
        listed = [*self.recent_conferences, *self.upcoming_conferences]
        return {c.pk for c in listed} | {a.conference_id for a in self.open_agreements}


def sozialraum_for_user(user: User, pk: int) -> Sozialraum:
    """Any Sozialraum (also a former one) for every staff role: its page shows no personal
    data. 404 for an unknown one and for an account without a role."""
    sozialraum = None
    if has_role(user, *ALL_ROLES):
        sozialraum = Sozialraum.objects.select_related("region", "asd_team").filter(pk=pk).first()
    if sozialraum is None:
        raise Http404("Diesen Sozialraum gibt es nicht.")
    return sozialraum


def region_for_user(user: User, pk: int) -> Region:
    """Any region for every staff role, as `sozialraum_for_user`; 404 for an unknown one."""
    region = Region.objects.filter(pk=pk).first() if has_role(user, *ALL_ROLES) else None
    if region is None:
        raise Http404("Diese Region gibt es nicht.")
    return region


def _counts_by(queryset: QuerySet, field_name: str, choices) -> tuple[list[Count_], int]:
    """Counts per choice (those with any), and the total of all rows from the same query."""
    counts = dict(
        queryset.order_by()
        .values_list(field_name)
        .annotate(count=Count("pk"))
        .values_list(field_name, "count")
    )
    listed = [Count_(label, counts[value]) for value, label in choices if counts.get(value)]
    return listed, sum(counts.values())


def map_figure(key: str, on: datetime.date) -> MapFigure | None:
    """One figure for every Sozialraum valid on the day, in three aggregate queries at most."""
    if key not in MAP_FIGURES:
        return None
    ids = list(Sozialraum.objects.valid_on(on).values_list("pk", flat=True))
    if key == "partner":
        counts = dict(
            Partner.objects.filter(is_active=True, sozialraum__in=ids)
            .order_by()
            .values_list("sozialraum")
            .annotate(n=Count("pk"))
            .values_list("sozialraum", "n")
        )
        return MapFigure(MAP_FIGURES[key], {pk: counts.get(pk, 0) for pk in ids})
    populations = populations_latest(ids, on.year)
    if key == "hilfen":
        figures = case_figures_by_sozialraum(on, on, ids)
        return MapFigure(
            MAP_FIGURES[key],
            {
                pk: populations[pk].per_1000_minors(figures[pk].helps_running)
                if pk in populations
                else None
                for pk in ids
            },
        )
    if key == "minderjaehrige":
        return MapFigure(
            MAP_FIGURES[key],
            {pk: populations[pk].minors if pk in populations else None for pk in ids},
        )
    counts = _offer_counts(ids, on)
    return MapFigure(
        MAP_FIGURES[key],
        {
            pk: populations[pk].per_1000_minors(counts.get(pk, 0)) if pk in populations else None
            for pk in ids
        },
    )


def _offer_counts(ids: list[int], on: datetime.date) -> dict[int, int]:
    """Offers valid on the day per Sozialraum (the offer's own, else its partner's)."""
    counts: dict[int, int] = {}
    rows = (
        offers_search(on=on)
        .order_by()
        .values_list("sozialraum", "partner__sozialraum")
        .annotate(n=Count("pk"))
    )
    for own, partners, n in rows:
        place = own or partners
        if place in ids:
            counts[place] = counts.get(place, 0) + n
    return counts


def sozialraum_figures(
    *, sozialraum: Sozialraum, on: datetime.date | None = None, figure: str = ""
) -> SozialraumFigures:
    """The Sozialraum page's figures, partners and map, as aggregate queries."""
    day = on or timezone.localdate()
    offers = offers_search(sozialraum=sozialraum, on=day)
    valid_offers = Offer.objects.valid_on(day)
    partners = list(
        Partner.objects.filter(sozialraum=sozialraum, is_active=True)
        .annotate(offer_count=Count("offers", filter=Q(offers__in=valid_offers.values("pk"))))
        .order_by("partner_type", "name")
    )
    svg_map = map_build(
        boundaries=boundaries_valid_on(day),
        title=f"Karte der Sozialräume, hervorgehoben: {sozialraum.name}",
        highlight=sozialraum,
        partners=partners,
        figure=map_figure(figure, day),
        link=lambda s: reverse("overview:sozialraum_detail", args=[s.pk]),
    )
    offers_by_target_group, offer_count = _counts_by(offers, "target_group", TargetGroup.choices)
    by_type: dict[str, int] = {}
    for partner in partners:
        by_type[partner.partner_type] = by_type.get(partner.partner_type, 0) + 1
    return SozialraumFigures(
        sozialraum=sozialraum,
        on=day,
        population=populations_latest([sozialraum.pk], day.year).get(sozialraum.pk),
        partners_by_type=[
            Count_(label, by_type[value])
            for value, label in PartnerType.choices
            if value in by_type
        ],
        partner_count=len(partners),
        partners=partners,
        partner_rows=[
            PartnerRow(
                url=reverse("network:partner_detail", args=[partner.pk]),
                name=partner.name,
                type_label=partner.get_partner_type_display(),
                address=partner.address,
                accessibility=partner.accessibility,
                offer_count=partner.offer_count,
            )
            for partner in partners
        ],
        offers_by_target_group=offers_by_target_group,
        offer_count=offer_count,
        neighbours=sozialraum_neighbours(sozialraum),
        svg_map=svg_map,
        case_figures=case_figures_by_sozialraum(day, day, [sozialraum.pk])[sozialraum.pk],
    )


def sozialraum_successors(sozialraum: Sozialraum, on: datetime.date) -> list[Sozialraum]:
    """Today's Sozialräume that took over a former one's area; none for a current one."""
    if sozialraum.valid_until and sozialraum.valid_until < on:
        return list(sozialraum.successors.all())
    return []


def _conferences_counted(**area: int) -> QuerySet[Conference]:
    return conferences_for_area(**area).annotate(
        open_agreement_count=Count("agreements", filter=Q(agreements__done_on__isnull=True))
    )


def area_meetings(
    *, on: datetime.date, sozialraum: Sozialraum | None = None, region: Region | None = None
) -> AreaMeetings:
    """Conferences of the Sozialraum (with its region's) or of the region (with its
    Sozialräume'), and their agreements still open."""
    if sozialraum is not None:
        area = {"region_id": sozialraum.region_id, "sozialraum_id": sozialraum.pk}
    else:
        assert region is not None  # asked for a Sozialraum or for a region
        area = {"region_id": region.pk}
    return AreaMeetings(
        recent_conferences=list(
            _conferences_counted(**area)
            .filter(date__lt=on)
            .order_by("-date", "-pk")[:RECENT_CONFERENCES]
        ),
        upcoming_conferences=list(
            _conferences_counted(**area).filter(date__gte=on).order_by("date", "pk")
        ),
        open_agreements=list(agreements_open_for_area(**area)),
    )


@dataclass(frozen=True)
class SozialraumRow:
    sozialraum: Sozialraum
    population: Population | None
    partner_count: int
    offer_count: int
    helps_running: int

    @property
    def helps_per_1000_minors(self) -> Decimal | None:
        return self.population.per_1000_minors(self.helps_running) if self.population else None


@dataclass
class RegionFigures:
    region: Region
    on: datetime.date
    rows: list[SozialraumRow]
    svg_map: SvgMap


def region_figures(
    *, region: Region, on: datetime.date | None = None, figure: str = ""
) -> RegionFigures:
    """The region page's table of Sozialräume and its map, as aggregate queries."""
    day = on or timezone.localdate()
    sozialraeume = list(Sozialraum.objects.valid_on(day).filter(region=region).order_by("code"))
    ids = [s.pk for s in sozialraeume]
    populations = populations_latest(ids, day.year)
    case_figures = case_figures_by_sozialraum(day, day, ids)
    # The map needs the partners anyway; counting them here saves a query.
    partners = list(Partner.objects.filter(is_active=True, sozialraum__in=ids))
    partner_counts: dict[int | None, int] = {}
    for partner in partners:
        partner_counts[partner.sozialraum_id] = partner_counts.get(partner.sozialraum_id, 0) + 1
    offer_counts = _offer_counts(ids, day)
    return RegionFigures(
        region=region,
        on=day,
        rows=[
            SozialraumRow(
                s,
                populations.get(s.pk),
                partner_counts.get(s.pk, 0),
                offer_counts.get(s.pk, 0),
                case_figures[s.pk].helps_running,
            )
            for s in sozialraeume
        ],
        svg_map=map_build(
            boundaries=boundaries_valid_on(day).filter(sozialraum__region=region),
            regions=RegionBoundary.objects.filter(region=region),
            title=f"Karte der Region {region.name} mit ihren Sozialräumen",
            partners=partners,
            figure=map_figure(figure, day),
            link=lambda s: reverse("overview:sozialraum_detail", args=[s.pk]),
        ),
    )
