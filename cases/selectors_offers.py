""" "Angebote in der Nähe": network offers that fit a family, for its case's resources section.

Ideas for this family, not free places: offers of partners and providers in the case's
Sozialraum and the neighbouring ones, suitable for the age of at least one of its children,
those in the family's own Sozialraum first.
"""

import datetime
from collections.abc import Iterable

from django.db.models import BooleanField, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase

from cases.models import Case, Person, PersonRole
from network.models import Offer
from network.selectors import offers_search
from sozialraum.figures import figures_cached

# How many the case page shows; the full list is one click away.
ON_CASE_PAGE = 6


def children_ages(persons: Iterable[Person], on: datetime.date) -> list[int]:
    """Ages of the case's children with a known birth date, youngest first, each once."""
    ages = {
        person.age_on(on)
        for person in persons
        if person.role == PersonRole.CHILD and person.birth_date
    }
    return sorted(age for age in ages if age is not None and age >= 0)


def offers_near_case_page(
    case: Case, persons: Iterable[Person], *, on: datetime.date
) -> list[Offer]:
    """The first offers near the family, for the case page: only the columns its table shows
    (templates/network/partials/offer_table.html). The partner, provider and Sozialraum rows
    are wide, and naming all their columns was a third of the page's query building.

    The list depends only on the Sozialraum, the children's ages and the day, and the same
    offers suit many families of a Sozialraum: it is kept as the area figures are
    (FIGURES_CACHE_SECONDS), so a new offer shows at the latest after that long. The key names
    a Sozialraum, a day and ages, never a person or a case."""
    if case.sozialraum_id is None:
        return []
    ages = "-".join(str(age) for age in children_ages(persons, on))
    return figures_cached(
        f"case_offers:{case.sozialraum_id}:{on.isoformat()}:{ages}",
        lambda: list(
            offers_near_case(case, persons, on=on).only(*OFFER_TABLE_COLUMNS)[:ON_CASE_PAGE]
        ),
    )


OFFER_TABLE_COLUMNS = (
    "title",
    "referral_required",
    "partner_id",
    "partner__name",
    "partner__sozialraum_id",
    "partner__sozialraum__name",
    "provider_id",
    "provider__name",
    "sozialraum_id",
    "sozialraum__name",
    "target_group",
    "age_min",
    "age_max",
    "languages",
    "is_free",
    "fee_note",
    "schedule",
)


def offers_near_case(
    case: Case,
    persons: Iterable[Person],
    *,
    on: datetime.date,
    target_group: str = "",
    language: str = "",
    free_only: bool = False,
    text: str = "",
) -> QuerySet[Offer]:
    """Offers for the family in and around its Sozialraum; none for a case without one."""
    if case.sozialraum_id is None:
        return Offer.objects.none()
    own = Q(sozialraum_id=case.sozialraum_id) | Q(
        sozialraum__isnull=True, partner__sozialraum_id=case.sozialraum_id
    )
    return (
        offers_search(
            sozialraum=case.sozialraum,
            include_neighbours=True,
            ages=children_ages(persons, on),
            target_group=target_group,
            language=language,
            free_only=free_only,
            text=text,
            on=on,
        )
        .annotate(
            in_own_sozialraum=SqlCase(
                When(own, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by("-in_own_sozialraum", "title", "pk")
    )
