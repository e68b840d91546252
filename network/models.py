"""Network: partners in the Sozialräume, their offers, Sozialraum conferences, boundaries.

The network sits just above the ground floor: it refers to `sozialraum` (Sozialraum, Region,
Provider, User) and is referred to by `cases` (a resource can be an offer), never the other way.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from sozialraum.models import Provider, Region, Sozialraum


class PartnerType(models.TextChoices):
    KITA = "kita", "Kita"
    SCHOOL = "school", "Schule"
    YOUTH_CENTRE = "youth_centre", "Jugendhaus/OKJA"
    SPORTS_CLUB = "sports_club", "Sportverein"
    PARISH = "parish", "Kirchengemeinde"
    LIBRARY = "library", "Bücherei"
    SENIOR_CENTRE = "senior_centre", "Altentagesstätte"
    FAMILY_CENTRE = "family_centre", "Familienzentrum"
    COUNSELLING = "counselling", "Beratungsstelle"
    VOLUNTEER = "volunteer", "Ehrenamt/Initiative"
    OTHER = "other", "Sonstige"


class Partner(models.Model):
    """A network partner: an organisation in a Sozialraum (school, Kita, club, library …).

    The Sozialraum follows the address through the street directory unless someone set it by
    hand (`sozialraum_overridden`), e.g. for a partner whose street is missing in the directory.
    """

    name = models.CharField("Name", max_length=200)
    partner_type = models.CharField("Art", max_length=20, choices=PartnerType.choices)
    street = models.CharField("Straße", max_length=120, blank=True)
    house_number = models.CharField("Hausnummer", max_length=10, blank=True)
    postcode = models.CharField("PLZ", max_length=5, blank=True)
    city = models.CharField("Ort", max_length=80, blank=True)
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="partners",
        null=True,
        blank=True,
        verbose_name="Sozialraum",
    )
    sozialraum_overridden = models.BooleanField(
        "Sozialraum von Hand gesetzt",
        default=False,
        help_text="Sonst ergibt sich der Sozialraum aus dem Straßenverzeichnis.",
    )
    contact_person = models.CharField("Ansprechperson", max_length=120, blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)
    email = models.EmailField("E-Mail", blank=True)
    website = models.URLField("Website", blank=True)
    reachability = models.TextField(
        "Erreichbarkeit", blank=True, help_text="Sprechzeiten, Anfahrt, Bus und Bahn."
    )
    accessibility = models.TextField(
        "Barrierefreiheit", blank=True, help_text="Zugang mit Rollstuhl, Aufzug, Hörschleife …"
    )
    # Map point in the same coordinates as the imported boundaries (WGS 84, degrees).
    longitude = models.DecimalField(
        "Längengrad", max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        "Breitengrad", max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_active = models.BooleanField("aktiv", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "Netzwerkpartner"
        verbose_name_plural = "Netzwerkpartner"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="partner_unique_name",
                violation_error_message="Einen Netzwerkpartner mit diesem Namen gibt es schon.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True, latitude__isnull=True)
                | Q(longitude__isnull=False, latitude__isnull=False),
                name="partner_coordinates_both_or_none",
                violation_error_message="Bitte geben Sie Längen- und Breitengrad zusammen an.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        first = f"{self.street} {self.house_number}".strip()
        second = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in (first, second) if part)


class TargetGroup(models.TextChoices):
    CHILDREN = "children", "Kinder"
    YOUTH = "youth", "Jugendliche"
    YOUNG_ADULTS = "young_adults", "junge Volljährige"
    PARENTS = "parents", "Eltern"
    FAMILIES = "families", "Familien"
    INTERGENERATIONAL = "intergenerational", "generationenübergreifend"
    EVERYONE = "everyone", "alle"


class OfferQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "OfferQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class Offer(models.Model):
    """What a partner or a provider offers (exactly one of them)."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="offers",
        null=True,
        blank=True,
        verbose_name="Netzwerkpartner",
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="offers",
        null=True,
        blank=True,
        verbose_name="Träger",
    )
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="offers",
        null=True,
        blank=True,
        verbose_name="Sozialraum",
        help_text="Wo das Angebot stattfindet; leer = beim Partner.",
    )
    title = models.CharField("Titel", max_length=200)
    description = models.TextField("Beschreibung", blank=True)
    target_group = models.CharField("Zielgruppe", max_length=20, choices=TargetGroup.choices)
    age_min = models.PositiveSmallIntegerField("Alter von", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("Alter bis", null=True, blank=True)
    languages = models.CharField(
        "Sprachen",
        max_length=200,
        blank=True,
        default="Deutsch",
        help_text="Kommagetrennt, z. B. „Deutsch, Türkisch, Arabisch“.",
    )
    is_free = models.BooleanField("kostenfrei", default=True)
    fee_note = models.CharField(
        "Kosten", max_length=200, blank=True, help_text="Nur bei kostenpflichtigen Angeboten."
    )
    schedule = models.CharField(
        "Zeiten", max_length=200, blank=True, help_text="Zum Beispiel „dienstags 15–17 Uhr“."
    )
    place = models.CharField("Ort", max_length=200, blank=True)
    referral_required = models.BooleanField("Zuweisung nötig", default=False)
    # A group offer has places; the Sozialraumteam's week shows the free ones (meetings).
    capacity = models.PositiveSmallIntegerField(
        "Plätze (Gruppenangebot)", null=True, blank=True, help_text="Leer: kein Gruppenangebot."
    )
    places_free = models.PositiveSmallIntegerField("davon frei", null=True, blank=True)
    valid_from = models.DateField("gültig ab", null=True, blank=True)
    valid_until = models.DateField("gültig bis", null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "Angebot"
        verbose_name_plural = "Angebote"
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False, provider__isnull=True)
                | Q(partner__isnull=True, provider__isnull=False),
                name="offer_partner_xor_provider",
                violation_error_message=(
                    "Ein Angebot gehört entweder zu einem Netzwerkpartner oder zu einem Träger."
                ),
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_max__gte=models.F("age_min")),
                name="offer_age_order",
                violation_error_message="„Alter bis“ liegt unter „Alter von“.",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="offer_validity_order",
                violation_error_message="Das Ende liegt vor dem Beginn der Gültigkeit.",
            ),
            models.CheckConstraint(
                condition=Q(places_free__isnull=True)
                | Q(capacity__isnull=False, places_free__lte=models.F("capacity")),
                name="offer_places_free_within_capacity",
                violation_error_message="Es sind mehr Plätze frei, als das Angebot hat.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        return str(self.partner or self.provider or "")

    @property
    def age_display(self) -> str:
        if self.age_min is None and self.age_max is None:
            return "alle Altersgruppen"
        if self.age_max is None:
            return f"ab {self.age_min} Jahren"
        if self.age_min is None:
            return f"bis {self.age_max} Jahre"
        return f"{self.age_min}–{self.age_max} Jahre"

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if bool(self.partner_id) == bool(self.provider_id):
            errors["__all__"] = (
                "Bitte wählen Sie entweder einen Netzwerkpartner oder einen Träger (genau einen)."
            )
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = "„Alter bis“ liegt unter „Alter von“."
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "Das Ende liegt vor dem Beginn der Gültigkeit."
        if self.places_free is not None and (
            self.capacity is None or self.places_free > self.capacity
        ):
            errors["places_free"] = "Es sind mehr Plätze frei, als das Angebot hat."
        if self.provider_id and not self.sozialraum_id:
            errors["sozialraum"] = "Bei Angeboten eines Trägers geben Sie bitte den Sozialraum an."
        if errors:
            raise ValidationError(errors)


class Conference(models.Model):
    """A Sozialraumkonferenz: the actors of a Sozialraum (or a whole region) meeting."""

    date = models.DateField("Datum")
    title = models.CharField("Titel", max_length=200, default="Sozialraumkonferenz")
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
        verbose_name="Sozialraum",
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
        verbose_name="Region",
    )
    invited_partners = models.ManyToManyField(
        Partner, blank=True, related_name="conferences_invited", verbose_name="eingeladene Partner"
    )
    present_partners = models.ManyToManyField(
        Partner, blank=True, related_name="conferences_attended", verbose_name="anwesende Partner"
    )
    invited_providers = models.ManyToManyField(
        Provider, blank=True, related_name="conferences_invited", verbose_name="eingeladene Träger"
    )
    present_providers = models.ManyToManyField(
        Provider, blank=True, related_name="conferences_attended", verbose_name="anwesende Träger"
    )
    invited_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="conferences_invited",
        verbose_name="eingeladene Fachkräfte",
    )
    present_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="conferences_attended",
        verbose_name="anwesende Fachkräfte",
    )
    agenda = models.TextField("Tagesordnung", blank=True)
    minutes = models.TextField(
        "Protokoll", blank=True, help_text="Bitte keine personenbezogenen Falldaten."
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = "Sozialraumkonferenz"
        verbose_name_plural = "Sozialraumkonferenzen"
        constraints = [
            models.CheckConstraint(
                condition=Q(sozialraum__isnull=False, region__isnull=True)
                | Q(sozialraum__isnull=True, region__isnull=False),
                name="conference_sozialraum_xor_region",
                violation_error_message=(
                    "Eine Konferenz gilt entweder einem Sozialraum oder einer Region."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.area} am {self.date:%d.%m.%Y}"

    @property
    def area(self) -> Sozialraum | Region | None:
        return self.sozialraum or self.region

    @property
    def area_label(self) -> str:
        if self.sozialraum is not None:
            return f"Sozialraum {self.sozialraum.name}"
        return f"Region {self.region.name}" if self.region is not None else ""

    def clean(self) -> None:
        super().clean()
        if bool(self.sozialraum_id) == bool(self.region_id):
            raise ValidationError(
                "Bitte wählen Sie entweder einen Sozialraum oder eine Region (genau eines)."
            )


class ConferenceAgreement(models.Model):
    """An agreement made at a conference: who does what by when."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="agreements", verbose_name="Konferenz"
    )
    text = models.TextField("Vereinbarung")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conference_agreements",
        verbose_name="verantwortlich",
    )
    due_on = models.DateField("fällig am")
    done_on = models.DateField("erledigt am", null=True, blank=True)
    # Who wrote it down and when: the author may correct it within the office's period
    # (network.corrections). Empty on agreements recorded before issue 24.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name="erfasst von",
    )
    recorded_at = models.DateTimeField("erfasst am", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "Vereinbarung aus einer Konferenz"
        verbose_name_plural = "Vereinbarungen aus Konferenzen"
        indexes = [models.Index(fields=["owner", "done_on"], name="agreement_owner_open")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.done_on is None


class SozialraumBoundary(models.Model):
    """The imported outline of a Sozialraum (GeoJSON geometry, WGS 84).

    Kept here rather than on the ground floor: only the network and the pages above it draw maps.
    `neighbours` is derived at import from shared boundary edges and may be corrected by hand
    in the admin; the resource search uses it for "and neighbouring Sozialräume".
    """

    sozialraum = models.OneToOneField(
        Sozialraum, on_delete=models.CASCADE, related_name="boundary", verbose_name="Sozialraum"
    )
    geometry = models.JSONField("Geometrie (GeoJSON)")
    neighbours = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name="benachbarte Sozialräume"
    )
    imported_at = models.DateTimeField("importiert am", auto_now=True)

    class Meta:
        verbose_name = "Sozialraumgrenze"
        verbose_name_plural = "Sozialraumgrenzen"

    def __str__(self) -> str:
        return f"Grenze {self.sozialraum}"


class RegionBoundary(models.Model):
    """The imported outline of a region (GeoJSON geometry, WGS 84)."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="boundary", verbose_name="Region"
    )
    geometry = models.JSONField("Geometrie (GeoJSON)")
    imported_at = models.DateTimeField("importiert am", auto_now=True)

    class Meta:
        verbose_name = "Regionsgrenze"
        verbose_name_plural = "Regionsgrenzen"

    def __str__(self) -> str:
        return f"Grenze {self.region}"
