"""Writes of the network: partners, offers, conferences and agreements, CSV and GeoJSON imports.

Each service validates with `full_clean()` inside a transaction; German ValidationErrors go back
to the form that called it.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from network import geo, imports
from network.models import (
    Conference,
    ConferenceAgreement,
    Offer,
    Partner,
    RegionBoundary,
    SozialraumBoundary,
)
from sozialraum.csv_import import ImportInvalid, LineError, csv_decode
from sozialraum.models import Provider, Region, Sozialraum, User
from sozialraum.plausibility import Checks
from sozialraum.selectors import address_resolve

__all__ = [
    "BoundariesInvalid",
    "ImportInvalid",
    "agreement_add",
    "agreement_complete",
    "boundaries_import",
    "conference_save",
    "offer_delete",
    "offer_save",
    "offers_import",
    "partner_save",
    "partners_import",
]

BoundariesInvalid = geo.BoundariesInvalid

# What a person may set on a partner or an offer: the services store these, the forms show them.
PARTNER_FIELDS = (
    "name",
    "partner_type",
    "street",
    "house_number",
    "postcode",
    "city",
    "contact_person",
    "phone",
    "email",
    "website",
    "reachability",
    "accessibility",
    "longitude",
    "latitude",
    "is_active",
)


def partner_place(partner: Partner, *, sozialraum: Sozialraum | None) -> None:
    """Set the partner's Sozialraum: the one given by hand, else the street directory's.

    Raises a ValidationError on `sozialraum` (with the directory's German reason) when the
    address does not lead to exactly one Sozialraum and none was given by hand.
    """
    if sozialraum is not None:
        partner.sozialraum = sozialraum
        partner.sozialraum_overridden = True
        return
    partner.sozialraum_overridden = False
    if not partner.street and not partner.house_number:
        raise ValidationError(
            {"sozialraum": "Ohne Adresse wählen Sie bitte den Sozialraum selbst."}
        )
    result = address_resolve(
        street=partner.street, house_number=partner.house_number, postcode=partner.postcode
    )
    if not result.found:
        raise ValidationError(
            {"sozialraum": f"{result.message} Bitte wählen Sie den Sozialraum selbst."}
        )
    partner.sozialraum = result.sozialraum


def partner_save(
    *, data: dict[str, Any], sozialraum: Sozialraum | None = None, partner: Partner | None = None
) -> Partner:
    """Create (or update) a partner; its Sozialraum follows the address unless given."""
    partner = partner or Partner()
    for name in PARTNER_FIELDS:
        if name in data:
            setattr(partner, name, data[name])
    with transaction.atomic():
        partner_validate(partner, sozialraum=sozialraum)
        partner.save()
    return partner


def partner_validate(partner: Partner, *, sozialraum: Sozialraum | None) -> None:
    """Place the partner (`partner_place`) and check it, every problem at once: a PLZ of five
    digits, an address that leads to a Sozialraum, the model's own rules. The page and the CSV
    import use it alike."""
    checks = Checks()
    checks.postcode("postcode", partner.postcode)
    if not checks.refuses("postcode"):  # a wrong PLZ would only repeat as an address error
        try:
            partner_place(partner, sozialraum=sozialraum)
        except ValidationError as error:
            checks.add(error)
    try:
        partner.full_clean(exclude=["sozialraum"] if checks.refused else None)
    except ValidationError as error:
        checks.add(error)
    checks.raise_if_any()


OFFER_FIELDS = (
    "title",
    "description",
    "partner",
    "provider",
    "sozialraum",
    "target_group",
    "age_min",
    "age_max",
    "languages",
    "is_free",
    "fee_note",
    "schedule",
    "place",
    "referral_required",
    "capacity",
    "places_free",
    "valid_from",
    "valid_until",
)


def offer_save(*, data: dict[str, Any], offer: Offer | None = None) -> Offer:
    """Create (or update) an offer of a partner or of a provider (exactly one)."""
    offer = offer or Offer()
    for name in OFFER_FIELDS:
        if name in data:
            setattr(offer, name, data[name])
    if offer.is_free:
        offer.fee_note = ""
    with transaction.atomic():
        offer.full_clean()
        offer.save()
    return offer


def offer_delete(*, offer: Offer) -> None:
    offer.delete()


def conference_save(
    *,
    data: dict[str, Any],
    conference: Conference | None = None,
    relations: dict[str, Iterable[Any]] | None = None,
) -> Conference:
    """Create (or update) a conference and set who was invited and who came."""
    conference = conference or Conference()
    for name in ("date", "title", "sozialraum", "region", "agenda", "minutes"):
        if name in data:
            setattr(conference, name, data[name])
    with transaction.atomic():
        conference.full_clean()
        conference.save()
        for name, values in (relations or {}).items():
            getattr(conference, name).set(values)
    return conference


def agreement_add(
    *,
    conference: Conference,
    text: str,
    owner: User,
    due_on: datetime.date,
    user: User | None = None,
) -> ConferenceAgreement:
    """An agreement of a conference: due no earlier than the conference that made it."""
    checks = Checks()
    checks.not_before(
        "due_on",
        due_on,
        conference.date,
        what="Die Fälligkeit",
        earliest_what="der Konferenz, die sie vereinbart hat",
    )
    agreement = ConferenceAgreement(
        conference=conference,
        text=text,
        owner=owner,
        due_on=due_on,
        recorded_by=user,
        recorded_at=timezone.now() if user is not None else None,
    )
    try:
        agreement.full_clean()
    except ValidationError as error:
        checks.add(error)
    checks.raise_if_any()
    with transaction.atomic():
        agreement.save()
    return agreement


def agreement_complete(
    *, agreement: ConferenceAgreement, on: datetime.date | None = None
) -> ConferenceAgreement:
    """Mark an agreement done (today unless given); marking it again changes nothing."""
    if agreement.done_on is None:
        agreement.done_on = on or timezone.localdate()
        agreement.save(update_fields=["done_on"])
    return agreement


def agreement_reopen(*, agreement: ConferenceAgreement) -> ConferenceAgreement:
    agreement.done_on = None
    agreement.save(update_fields=["done_on"])
    return agreement


# --- Imports ------------------------------------------------------------------------------


def partners_import(*, data: bytes, dry_run: bool = False) -> int:
    """Import partners from CSV all or nothing; return the number of partners.

    Raises ImportInvalid naming each bad line (with its number) when any line is wrong.
    """
    text = csv_decode(data)
    with transaction.atomic():
        parsed, errors = imports.partners_parse(text)
        for line, partner, sozialraum in parsed:
            try:
                partner_validate(partner, sozialraum=sozialraum)
            except ValidationError as invalid:
                errors.append(LineError(line, " ".join(invalid.messages)))
        if errors:
            raise ImportInvalid(errors)
        if not dry_run:
            for _line, partner, _sozialraum in parsed:
                partner.save()
    return len(parsed)


def offers_import(*, data: bytes, dry_run: bool = False) -> int:
    """Import offers from CSV all or nothing; return the number of offers."""
    text = csv_decode(data)
    with transaction.atomic():
        parsed, errors = imports.offers_parse(text)
        for line, offer in parsed:
            try:
                offer.full_clean()
            except ValidationError as invalid:
                errors.append(LineError(line, " ".join(invalid.messages)))
        if errors:
            raise ImportInvalid(errors)
        if not dry_run:
            Offer.objects.bulk_create([offer for _line, offer in parsed])
    return len(parsed)


def boundaries_import(*, data: bytes, on: datetime.date | None = None) -> geo.ImportResult:
    """Import Sozialraum and region boundaries from GeoJSON, all or nothing.

    Each feature names its area in `properties`: `sozialraum` (Kürzel of the Sozialraum valid
    on `on`, default today) or `region` (Kürzel). Existing boundaries of the named areas are
    replaced; neighbours are derived again from shared edges of all stored boundaries.
    """
    day = on or timezone.localdate()
    with transaction.atomic():
        parsed = geo.features_parse(
            data,
            sozialraeume={s.code.casefold(): s for s in Sozialraum.objects.valid_on(day)},
            regions={r.code.casefold(): r for r in Region.objects.all()},
        )
        for area, geometry in parsed.sozialraeume:
            SozialraumBoundary.objects.update_or_create(
                sozialraum=area, defaults={"geometry": geometry}
            )
        for area, geometry in parsed.regions:
            RegionBoundary.objects.update_or_create(region=area, defaults={"geometry": geometry})
        _neighbours_derive()
    return geo.ImportResult(
        sozialraum_count=len(parsed.sozialraeume), region_count=len(parsed.regions)
    )


def _neighbours_derive() -> None:
    boundaries = list(SozialraumBoundary.objects.all())
    edges = {b.pk: geo.edges_of(b.geometry) for b in boundaries}
    through = SozialraumBoundary.neighbours.through
    through.objects.all().delete()
    pairs = []
    for index, first in enumerate(boundaries):
        for second in boundaries[index + 1 :]:
            if edges[first.pk] & edges[second.pk]:
                pairs.append((first.pk, second.pk))
    through.objects.bulk_create(
        [through(from_sozialraumboundary_id=a, to_sozialraumboundary_id=b) for a, b in pairs]
        + [through(from_sozialraumboundary_id=b, to_sozialraumboundary_id=a) for a, b in pairs]
    )


def provider_choices() -> list[Provider]:
    return list(Provider.objects.filter(is_active=True).order_by("name"))
