"""The ground floor: space (regions, Sozialräume, streets), providers, people and roles."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sozialraum import banking
from sozialraum.addresses import street_key


class ValidityQuerySet(models.QuerySet):
    """Rows that carry `valid_from` / `valid_until` (inclusive; open when empty)."""

    def valid_on(self, day: datetime.date) -> "ValidityQuerySet":
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day
        )


class Validity(models.Model):
    valid_from = models.DateField("gültig ab")
    valid_until = models.DateField(
        "gültig bis", null=True, blank=True, help_text="Letzter Gültigkeitstag; leer = unbefristet."
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def overlaps(self, other: "Validity") -> bool:
        far = datetime.date.max
        return self.valid_from <= (other.valid_until or far) and other.valid_from <= (
            self.valid_until or far
        )

    def clean(self) -> None:
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "Das Ende liegt vor dem Beginn der Gültigkeit."})


def validity_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
        name=name,
        violation_error_message="Das Ende liegt vor dem Beginn der Gültigkeit.",
    )


class Region(models.Model):
    """Part of the town with its own ASD team(s) and its own budget."""

    code = models.CharField("Kürzel", max_length=10, unique=True)
    name = models.CharField("Name", max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "Region"
        verbose_name_plural = "Regionen"

    def __str__(self) -> str:
        return self.name


class AsdTeam(models.Model):
    """An ASD team of a region; every Sozialraum names the team responsible for it."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="asd_teams", verbose_name="Region"
    )
    name = models.CharField("Name", max_length=120)
    email = models.EmailField("E-Mail", blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = "ASD-Team"
        verbose_name_plural = "ASD-Teams"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="asdteam_unique_name_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Sozialraum(Validity):
    """A residential quarter of a region.

    Boundaries change: a redrawn Sozialraum is a new row with its own validity (and its
    predecessors named), so cases and figures of earlier years keep pointing at the area that was
    valid then.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="sozialraeume", verbose_name="Region"
    )
    asd_team = models.ForeignKey(
        AsdTeam,
        on_delete=models.PROTECT,
        related_name="sozialraeume",
        verbose_name="zuständiges ASD-Team",
    )
    code = models.CharField("Kürzel", max_length=20)
    name = models.CharField("Name", max_length=120)
    description = models.TextField("Beschreibung", blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name="Vorgänger (bei Neuzuschnitt)",
    )

    class Meta:
        ordering = ["region__name", "code", "valid_from"]
        verbose_name = "Sozialraum"
        verbose_name_plural = "Sozialräume"
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="sozialraum_unique_code_start"
            ),
            validity_check("sozialraum_validity_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.asd_team_id and self.region_id and self.asd_team.region_id != self.region_id:
            raise ValidationError({"asd_team": "Das ASD-Team gehört zu einer anderen Region."})
        if self.code and self.valid_from:
            same_code = Sozialraum.objects.filter(code=self.code).exclude(pk=self.pk)
            if any(self.overlaps(other) for other in same_code):
                raise ValidationError(
                    {"valid_from": "Für dieses Kürzel gibt es im Zeitraum schon einen Sozialraum."}
                )


class Population(models.Model):
    """Residents of a Sozialraum in one year, the base of every per-1,000 figure."""

    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.CASCADE, related_name="populations", verbose_name="Sozialraum"
    )
    year = models.PositiveSmallIntegerField("Jahr")
    minors = models.PositiveIntegerField("Minderjährige (unter 18)")
    young_adults = models.PositiveIntegerField("junge Volljährige (18 bis unter 21)")

    class Meta:
        ordering = ["sozialraum", "-year"]
        verbose_name = "Bevölkerungszahl"
        verbose_name_plural = "Bevölkerungszahlen"
        constraints = [
            models.UniqueConstraint(fields=["sozialraum", "year"], name="population_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.sozialraum} {self.year}"

    def per_1000_minors(self, count: int) -> Decimal | None:
        """`count` per 1,000 minors, one decimal place; None where there are no minors."""
        if not self.minors:
            return None
        return (Decimal(count) * 1000 / Decimal(self.minors)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


class Parity(models.TextChoices):
    ALL = "all", "alle"
    ODD = "odd", "ungerade"
    EVEN = "even", "gerade"


class StreetSegment(Validity):
    """One line of the street directory: a street (part) that belongs to a Sozialraum."""

    street = models.CharField("Straße", max_length=120)
    # Normalised form used for look-ups ("Lindenstr." and "Lindenstraße" are the same street).
    street_key = models.CharField(max_length=120, editable=False, db_index=True)
    postcode = models.CharField("PLZ", max_length=5)
    number_from = models.PositiveIntegerField("Hausnummer von", null=True, blank=True)
    number_to = models.PositiveIntegerField("Hausnummer bis", null=True, blank=True)
    parity = models.CharField("Seite", max_length=4, choices=Parity.choices, default=Parity.ALL)
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="street_segments",
        verbose_name="Sozialraum",
    )

    class Meta:
        ordering = ["street_key", "postcode", "number_from"]
        verbose_name = "Straßenabschnitt"
        verbose_name_plural = "Straßenverzeichnis"
        indexes = [models.Index(fields=["street_key", "postcode"], name="streetsegment_lookup")]
        constraints = [
            validity_check("streetsegment_validity_order"),
            models.CheckConstraint(
                condition=Q(number_from__isnull=True)
                | Q(number_to__isnull=True)
                | Q(number_to__gte=models.F("number_from")),
                name="streetsegment_number_order",
                violation_error_message="Die Hausnummer „bis“ liegt vor „von“.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.numbers_display()} ({self.postcode})"

    def save(self, *args, **kwargs) -> None:
        # Derived column, not business logic: the key must always match the street as stored.
        self.street_key = street_key(self.street)
        super().save(*args, **kwargs)

    def numbers_display(self) -> str:
        if self.number_from is None and self.number_to is None:
            text = "alle Nummern"
        else:
            text = f"{self.number_from or 1}–{self.number_to or '∞'}"
        return text if self.parity == Parity.ALL else f"{text}, {self.get_parity_display()}"

    def covers(self, number: int) -> bool:
        if self.number_from is not None and number < self.number_from:
            return False
        if self.number_to is not None and number > self.number_to:
            return False
        if self.parity == Parity.ODD:
            return number % 2 == 1
        if self.parity == Parity.EVEN:
            return number % 2 == 0
        return True


class Provider(models.Model):
    """A free youth-welfare provider (Träger)."""

    name = models.CharField("Name", max_length=200, unique=True)
    short_name = models.CharField("Kurzname", max_length=40, unique=True)
    legal_form = models.CharField("Rechtsform", max_length=40, blank=True)
    street = models.CharField("Straße und Hausnummer", max_length=120, blank=True)
    postcode = models.CharField("PLZ", max_length=5, blank=True)
    city = models.CharField("Ort", max_length=80, blank=True)
    contact_person = models.CharField("Ansprechperson", max_length=120, blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)
    email = models.EmailField("E-Mail", blank=True)
    website = models.URLField("Website", blank=True)
    is_active = models.BooleanField("aktiv", default=True)
    # KJH statistics: helps carried out by a public provider (e.g. the town's own counselling
    # centre) are reported as "öffentlicher Träger", all others as "freier Träger".
    is_public = models.BooleanField(
        "öffentlicher Träger",
        default=False,
        help_text="Nur ankreuzen, wenn der Träger ein öffentlicher Träger (z. B. städtisch) ist.",
    )
    # Master data for the town's cash office (payment orders); the IBAN is kept without blanks.
    iban = models.CharField("IBAN", max_length=34, blank=True, validators=[banking.iban_validate])
    bic = models.CharField("BIC", max_length=11, blank=True, validators=[banking.bic_validate])
    creditor_number = models.CharField("Kreditorennummer der Stadtkasse", max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "Träger"
        verbose_name_plural = "Träger"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.iban = banking.iban_normalise(self.iban)
        self.bic = self.bic.strip().upper()


class RegionProvider(Validity):
    """A provider working in a region; `is_lead` marks the region's Schwerpunktträger."""

    MAX_LEADS = 2

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="region_providers", verbose_name="Region"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="region_roles", verbose_name="Träger"
    )
    is_lead = models.BooleanField("Schwerpunktträger", default=False)

    class Meta:
        ordering = ["region__name", "-is_lead", "provider__name"]
        verbose_name = "Träger in der Region"
        verbose_name_plural = "Träger in den Regionen"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "provider", "valid_from"], name="regionprovider_unique_start"
            ),
            validity_check("regionprovider_validity_order"),
        ]

    def __str__(self) -> str:
        role = "Schwerpunktträger" if self.is_lead else "Träger"
        return f"{self.provider} ({role} {self.region})"

    def clean(self) -> None:
        super().clean()
        if not (self.is_lead and self.region_id and self.valid_from):
            return
        others = [
            lead
            for lead in RegionProvider.objects.filter(
                region_id=self.region_id, is_lead=True
            ).exclude(pk=self.pk)
            if lead.overlaps(self)
        ]
        # The most leads at once is reached on a day when one of them starts.
        days = {self.valid_from} | {o.valid_from for o in others if o.valid_from > self.valid_from}
        if any(sum(o.is_valid_on(day) for o in others) >= self.MAX_LEADS for day in days):
            raise ValidationError(
                {"is_lead": "Eine Region hat höchstens zwei Schwerpunktträger zur selben Zeit."}
            )


class ProviderAlliance(Validity):
    """A Trägerverbund: providers acting together in a region, one of them leading."""

    name = models.CharField("Name", max_length=200, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="alliances", verbose_name="Region"
    )
    lead_provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="led_alliances",
        verbose_name="federführender Träger",
    )
    members = models.ManyToManyField(Provider, related_name="alliances", verbose_name="Mitglieder")

    class Meta:
        ordering = ["name"]
        verbose_name = "Trägerverbund"
        verbose_name_plural = "Trägerverbünde"
        constraints = [validity_check("alliance_validity_order")]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    COOPERATION = "cooperation", "Kooperationsvereinbarung (§ 77 SGB VIII)"
    SERVICE = "service", "Leistungsvereinbarung (§ 78b SGB VIII)"
    FEE = "fee", "Entgeltvereinbarung (§ 78b SGB VIII)"
    QUALITY = "quality", "Qualitätsentwicklungsvereinbarung (§ 78b SGB VIII)"


class Agreement(Validity):
    """An agreement between the office and a provider, with the hourly rate where it sets one."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="agreements", verbose_name="Träger"
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="agreements",
        null=True,
        blank=True,
        verbose_name="Region",
        help_text="Leer, wenn die Vereinbarung für alle Regionen gilt.",
    )
    kind = models.CharField("Art", max_length=20, choices=AgreementKind.choices)
    title = models.CharField("Titel", max_length=200)
    hourly_rate = models.DecimalField(
        "Fachleistungsstunde (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["provider__name", "-valid_from"]
        verbose_name = "Vereinbarung"
        verbose_name_plural = "Vereinbarungen"
        constraints = [
            validity_check("agreement_validity_order"),
            models.CheckConstraint(
                condition=Q(hourly_rate__isnull=True) | Q(hourly_rate__gt=0),
                name="agreement_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.provider.short_name})"


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "ASD-Fachkraft"
    TEAM_LEAD = "team_lead", "ASD-Teamleitung"
    PROVIDER_STAFF = "provider_staff", "Fachkraft eines Trägers"
    PLANNER = "planner", "Jugendhilfeplanung"
    ADMIN = "admin", "Administration"


ASD_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD)


def person_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """A person's name as the pages show it: as `User.get_full_name`, else the user name. For
    rows read as values, where no `User` instance is at hand."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


class User(AbstractUser):
    """A person who logs in. The role decides navigation and access; memberships decide scope."""

    role = models.CharField("Rolle", max_length=20, choices=Role.choices, blank=True)
    asd_team = models.ForeignKey(
        AsdTeam,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        verbose_name="ASD-Team",
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name="Träger",
    )
    is_demo_account = models.BooleanField(
        "Demo-Konto",
        default=False,
        help_text="Ein Konto der Demo-Stadt: darf sich nur im Demo-Modus ohne zweiten Faktor "
        "anmelden, nie im Betrieb.",
    )

    # django-stubs do not declare AbstractUser.Meta, which Django documents for extending it.
    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = "Benutzerkonto"
        verbose_name_plural = "Benutzerkonten"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=ASD_ROLES, asd_team__isnull=False, provider__isnull=True)
                    | Q(role=Role.PROVIDER_STAFF, provider__isnull=False, asd_team__isnull=True)
                    | Q(
                        role__in=[Role.PLANNER, Role.ADMIN, ""],
                        asd_team__isnull=True,
                        provider__isnull=True,
                    )
                ),
                name="user_membership_matches_role",
                violation_error_message=(
                    "ASD-Fachkräfte brauchen ein ASD-Team, Träger-Fachkräfte einen Träger; "
                    "andere Rollen haben keines von beiden."
                ),
            )
        ]

    @property
    def effective_role(self) -> str:
        """The role that counts; a superuser without a role acts as administrator."""
        if self.role:
            return self.role
        return Role.ADMIN if self.is_superuser else ""

    @property
    def region(self) -> Region | None:
        return self.asd_team.region if self.asd_team is not None else None


class DeputyQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "DeputyQuerySet":
        """Deputyships running on `day`: inside the period and not ended early."""
        return self.filter(starts_on__lte=day, ends_on__gte=day, ended_at__isnull=True)


class Deputy(models.Model):
    """Vertretung: `deputy` covers the cases `absent` steers, from `starts_on` to `ends_on`
    (both days included).

    The deputy is ASD staff. A caseworker chooses a deputy of her own region; a team lead may
    choose ASD staff of any region (cover across regions in the holiday season). Either way the
    deputyship gives access only to the cases the absent person steers, and only during the
    period: a deputy from another region has no other way to a case of this region.
    Ending a deputyship early sets `ended_at`; the row stays, as do the records made under it.
    """

    absent = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="deputyships_as_absent",
        verbose_name="vertretene Fachkraft",
    )
    deputy = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="deputyships", verbose_name="Vertretung"
    )
    starts_on = models.DateField("von")
    ends_on = models.DateField("bis (einschließlich)")
    set_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="eingetragen von"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField("vorzeitig beendet am", null=True, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = "Vertretung"
        verbose_name_plural = "Vertretungen"
        ordering = ["starts_on", "id"]
        indexes = [
            # Access checks ask "whom does this person cover today?" on every case page.
            models.Index(fields=["deputy", "ends_on"], name="deputy_deputy_ends"),
            models.Index(fields=["absent", "ends_on"], name="deputy_absent_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="deputy_period_order",
                violation_error_message="Das Ende der Vertretung liegt vor ihrem Beginn.",
            ),
            models.CheckConstraint(
                condition=~Q(deputy=models.F("absent")),
                name="deputy_not_self",
                violation_error_message="Eine Fachkraft kann sich nicht selbst vertreten.",
            ),
        ]

    def __str__(self) -> str:
        return f"Vertretung {self.pk}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Das Ende der Vertretung liegt vor ihrem Beginn."
        if self.absent_id and self.deputy_id == self.absent_id:
            errors["deputy"] = "Eine Fachkraft kann sich nicht selbst vertreten."
        if errors:
            raise ValidationError(errors)
        if self.absent_id and self.starts_on and self.ends_on and self.ended_at is None:
            overlapping = (
                Deputy.objects.filter(
                    absent_id=self.absent_id,
                    ended_at__isnull=True,
                    starts_on__lte=self.ends_on,
                    ends_on__gte=self.starts_on,
                )
                .exclude(pk=self.pk)
                .select_related("deputy")
                .first()
            )
            if overlapping is not None:
                deputy = overlapping.deputy
                raise ValidationError(
                    {
                        "starts_on": "Für diesen Zeitraum ist schon eine Vertretung eingetragen: "
                        f"{deputy.get_full_name() or deputy.username} vom "
                        f"{overlapping.starts_on:%d.%m.%Y} bis {overlapping.ends_on:%d.%m.%Y}. "
                        "Bitte beenden Sie diese zuerst oder wählen Sie einen anderen Zeitraum."
                    }
                )
