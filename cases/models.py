"""Cases: intake, steering, helps, Falldurchführung, help plans, § 8a, peer consultation, audit.

Personal data is kept minimal and only where the work needs it (`Person`, the case address, free
texts). Everything that is read or changed goes through `cases.permissions` (who may see what) and
leaves an `AuditEntry` (who did what to which object, never the data itself).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases import kjh_items
from cases import kjh_protection_items as kjh_protection
from sozialraum.models import Provider, ProviderAlliance, Region, Sozialraum
from sozialraum.money import MONEY


class CaseKind(models.TextChoices):
    INDIVIDUAL = "individual", "fallspezifisch"
    CROSS_CASE = "cross_case", "fallübergreifend"
    CASE_INDEPENDENT = "case_independent", "fallunabhängig"


class CaseStatus(models.TextChoices):
    INTAKE = "intake", "Eingang"
    CLARIFICATION = "clarification", "Klärung"
    HELP_DECIDED = "help_decided", "Hilfe entschieden"
    NO_HELP = "no_help", "keine Hilfe erforderlich"
    RUNNING = "running", "laufend"
    CLOSED = "closed", "beendet"


class EndReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", "Ziele erreicht"
    NO_HELP_NEEDED = "no_help_needed", "keine Hilfe erforderlich"
    ENDED_BY_FAMILY = "ended_by_family", "Beendigung durch die Familie"
    ENDED_BY_OFFICE = "ended_by_office", "Beendigung durch das Jugendamt"
    TRANSFERRED = "transferred", "Zuständigkeitswechsel (Umzug, andere Stelle)"
    PROJECT_COMPLETED = "project_completed", "Projekt abgeschlossen"
    OTHER = "other", "anderer Grund"


class CaseQuerySet(models.QuerySet):
    def in_force(self) -> "CaseQuerySet":
        """Cases not withdrawn as created by mistake."""
        return self.filter(withdrawn_at__isnull=True)


class CaseManager(models.Manager.from_queryset(CaseQuerySet)):  # type: ignore[misc]
    """The default manager leaves out withdrawn cases, so that no list, start page or figure
    counts them; `Case.all_objects` (admin, audit, retention) still reaches them."""

    def get_queryset(self) -> CaseQuerySet:
        return super().get_queryset().in_force()


class Case(models.Model):
    """A piece of work of one of three kinds; `region` is kept for access checks and lists."""

    number = models.CharField("Fallnummer", max_length=20, unique=True, editable=False)
    kind = models.CharField("Art", max_length=20, choices=CaseKind.choices)
    status = models.CharField(
        "Status", max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cases", verbose_name="Region"
    )
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="cases", verbose_name="Sozialraum"
    )
    sozialraum_override_reason = models.TextField(
        "Begründung für abweichenden Sozialraum", blank=True
    )
    steering_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="steered_cases",
        verbose_name="fallsteuernde Fachkraft",
    )
    title = models.CharField(
        "Titel",
        max_length=200,
        blank=True,
        help_text=(
            "Für fallübergreifende und fallunabhängige Arbeit, z. B. „Gruppe für Alleinerziehende“."
        ),
    )
    opened_on = models.DateField("Falleingang am")
    closed_on = models.DateField("beendet am", null=True, blank=True)
    # The day the earliest open Hilfeplangespräch is due, empty without one: the case list's
    # "HPG überfällig" filter reads it with the case instead of searching every open review of
    # the city. The services that plan, move, hold or cancel reviews keep it, in their
    # transaction (cases.services.case_review_due_refresh); `manage.py reconcile_cases` checks it.
    review_due_on = models.DateField(
        "nächstes Hilfeplangespräch fällig am", null=True, blank=True, editable=False
    )
    end_reason = models.CharField(
        "Beendigungsgrund", max_length=30, choices=EndReason.choices, blank=True
    )
    # The family's own words, asked for its concern, not its problems.
    concern = models.TextField("Anliegen (in den Worten der Familie)", blank=True)
    will = models.TextField("Wille (in den Worten der Familie)", blank=True)
    # Address of an individual case: only what the street directory needs.
    street = models.CharField("Straße", max_length=120, blank=True)
    house_number = models.CharField("Hausnummer", max_length=10, blank=True)
    postcode = models.CharField("PLZ", max_length=5, blank=True)
    # Cross-case and case-independent work: no personal data, only numbers and descriptions.
    target_group = models.CharField("Zielgruppe", max_length=200, blank=True)
    participants_count = models.PositiveIntegerField(
        "Zahl der Teilnehmenden", null=True, blank=True
    )
    project_goals = models.TextField("Ziele", blank=True)
    outcome = models.TextField("Ergebnis", blank=True)
    providers = models.ManyToManyField(
        Provider, blank=True, related_name="projects", verbose_name="beteiligte Träger"
    )
    partners = models.ManyToManyField(
        "network.Partner",
        blank=True,
        related_name="projects",
        verbose_name="beteiligte Netzwerkpartner",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Set by the retention job (privacy app) once names, addresses and free texts are gone; the
    # figures (kind, Sozialraum, helps, dates, money) stay for statistics.
    anonymised_at = models.DateTimeField("anonymisiert am", null=True, blank=True, editable=False)
    # A case created by mistake is withdrawn by the team lead (cases.corrections.case_withdraw):
    # gone from lists and figures through the default manager, kept for the audit.
    withdrawn_at = models.DateTimeField("zurückgenommen am", null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name="zurückgenommen von",
    )
    withdrawal_reason = models.TextField("Grund der Rücknahme", blank=True, editable=False)

    objects = CaseManager()
    # ruff's DJ012 takes CaseManager() for a field; the order is deliberate: the first manager
    # is Django's default, and the default leaves withdrawn cases out.
    all_objects = models.Manager()  # noqa: DJ012

    class Meta:
        verbose_name = "Fall"
        verbose_name_plural = "Fälle"
        ordering = ["-id"]
        indexes = [
            # The case list pages by id within a region, optionally narrowed by the filters.
            # Only cases not withdrawn (what `Case.objects` reads): the index alone then answers
            # which ids of the region come next, without a visit to each row.
            models.Index(
                fields=["region", "-id"],
                condition=Q(withdrawn_at__isnull=True),
                name="case_region_live_id",
            ),
            # The few withdrawn cases, whose commissions every assignment list leaves out.
            models.Index(
                fields=["id"], condition=Q(withdrawn_at__isnull=False), name="case_withdrawn"
            ),
            # "HPG überfällig": the region's cases with an open review, newest first, with its
            # day in the index, so the page is read from the index until it is full.
            models.Index(
                fields=["region", "-id", "review_due_on"],
                condition=Q(withdrawn_at__isnull=True, review_due_on__isnull=False),
                name="case_region_review_due",
            ),
            models.Index(fields=["region", "status", "-id"], name="case_region_status_id"),
            models.Index(fields=["region", "kind", "-id"], name="case_region_kind_id"),
            models.Index(fields=["sozialraum", "-id"], name="case_sozialraum_id"),
            # A caseworker's own cases ("meine Fälle", her start page's alerts): the index
            # alone gives their ids, newest first.
            models.Index(
                fields=["steering_caseworker", "region", "-id"],
                condition=Q(withdrawn_at__isnull=True),
                name="case_steering_region_live_id",
            ),
            # The Sozialraum figures: intakes of a period and the projects (cases/figures.py).
            models.Index(
                fields=["sozialraum", "kind", "opened_on"], name="case_sozialraum_kind_opened"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | ~Q(end_reason=""),
                name="case_closed_has_end_reason",
                violation_error_message="Ein beendeter Fall braucht einen Beendigungsgrund.",
            ),
            models.CheckConstraint(
                condition=Q(kind=CaseKind.INDIVIDUAL) | ~Q(title=""),
                name="case_project_has_title",
                violation_error_message=(
                    "Fallübergreifende und fallunabhängige Arbeit braucht einen Titel."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="case_withdrawn_has_reason",
                violation_error_message="Eine Rücknahme braucht einen Grund.",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_individual(self) -> bool:
        return self.kind == CaseKind.INDIVIDUAL

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseNumberSequence(models.Model):
    """The last serial handed out per region and year; locked while a number is drawn."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="case_number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class CaseStatusChange(models.Model):
    """The history of a case's status: who moved it, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    reason = models.TextField("Begründung", blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    # Set when a deputy moved the case: the absent steering caseworker she covered (Vertretung).
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="in Vertretung für",
    )

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class PersonRole(models.TextChoices):
    CHILD = "child", "Kind / Jugendliche(r)"
    GUARDIAN = "guardian", "Sorgeberechtigte(r)"
    OTHER = "other", "weitere Person"


class Person(models.Model):
    """Someone involved in an individual case, with the least data the work needs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField("Rolle", max_length=20, choices=PersonRole.choices)
    first_name = models.CharField("Vorname", max_length=80)
    last_name = models.CharField("Nachname", max_length=80)
    birth_date = models.DateField("Geburtsdatum", null=True, blank=True)
    relation = models.CharField(
        "Beziehung", max_length=80, blank=True, help_text="z. B. Mutter, Großvater, Nachbarin"
    )
    phone = models.CharField("Telefon", max_length=40, blank=True)
    # Items of the KJH statistics Teil I about the young person (cases.kjh_items); empty = not
    # yet known, shown in the plausibility report.
    sex = models.CharField("Geschlecht", max_length=1, choices=kjh_items.Sex.choices, blank=True)
    parent_foreign_origin = models.CharField(
        "ausländische Herkunft mindestens eines Elternteils",
        max_length=1,
        choices=kjh_items.YesNoUnknown.choices,
        blank=True,
    )
    german_at_home = models.CharField(
        "in der Familie wird vorrangig Deutsch gesprochen",
        max_length=1,
        choices=kjh_items.YesNoUnknown.choices,
        blank=True,
    )
    # Normalised name ("Müller" = "Mueller") for the duplicate check and the name search.
    name_key = models.CharField(max_length=170, editable=False, db_index=True)

    class Meta:
        verbose_name = "Person"
        verbose_name_plural = "Personen"
        ordering = ["role", "birth_date", "id"]
        indexes = [models.Index(fields=["name_key", "birth_date"], name="person_duplicate_key")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=PersonRole.CHILD) | Q(birth_date__isnull=False),
                name="person_child_has_birth_date",
                violation_error_message="Für Kinder und Jugendliche ist das Geburtsdatum nötig.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class SearchWord(models.Model):
    """A word the case list's search finds a case by: a word of a person's normalised name
    (`Person.name_key`), or of a project's title (no person), with the case and its region.

    The search finds the cases with a word beginning with each word typed, newest case first,
    fifty to a page. From this table that is one range of an index (region, word, case, person)
    per word, sorted by case; a trigram index on the names had to find every match of the
    region first, and the titles were searched by walking the region's newest cases (13 ms of
    SQL for "Müller" at 1,000,000 cases, 3 ms now). Kept by the services that write a person or
    a project's title (`cases.services.case_search_words_keep`); `manage.py reconcile_cases`
    checks it.
    """

    # Indexed, as every foreign key: erasing a case deletes its words by it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    word = models.CharField(max_length=170)

    class Meta:
        verbose_name = "Suchwort"
        verbose_name_plural = "Suchwörter"
        indexes = [
            # varchar_pattern_ops: a prefix (LIKE 'muel%') reads a range whatever the database's
            # collation (PostgreSQL; other databases ignore the operator classes). With the case
            # and the person, a search of several words is answered from the index alone.
            models.Index(
                fields=["region", "word", "case", "person"],
                name="search_word_region",
                opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
            # The search of a user who sees more than one region (a deputy).
            models.Index(
                fields=["word", "case", "person"],
                name="search_word",
                opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.word


class ResourceKind(models.TextChoices):
    PERSONAL = "personal", "der Person"
    SOCIAL = "social", "des sozialen Umfelds"
    SOZIALRAUM = "sozialraum", "des Sozialraums"


class Resource(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField("Art der Ressource", max_length=20, choices=ResourceKind.choices)
    description = models.TextField("Beschreibung")
    partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.SET_NULL,
        related_name="case_resources",
        null=True,
        blank=True,
        verbose_name="Netzwerkpartner",
    )
    # Set when the resource was linked from "Angebote in der Nähe"; the text stays a copy, so
    # the case record still reads right when the offer ends or changes.
    offer = models.ForeignKey(
        "network.Offer",
        on_delete=models.SET_NULL,
        related_name="case_resources",
        null=True,
        blank=True,
        verbose_name="Angebot",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Ressource"
        verbose_name_plural = "Ressourcen"
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "offer"], name="resource_offer_once_per_case")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Goal(models.Model):
    """A rough goal (Grobziel) set with the family; the help plan breaks it into action steps."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField("Ziel (in den Worten der Familie)")
    achieved_on = models.DateField("erreicht am", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Grobziel"
        verbose_name_plural = "Grobziele"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Grobziel {self.pk}"


class StepOwner(models.TextChoices):
    FAMILY = "family", "Familie"
    ASD = "asd", "ASD"
    PROVIDER = "provider", "Träger"
    OTHER = "other", "andere"


class ActionStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.TextField("Handlungsschritt")
    owner = models.CharField("Wer", max_length=20, choices=StepOwner.choices)
    due_on = models.DateField("bis", null=True, blank=True)
    done_on = models.DateField("erledigt am", null=True, blank=True)

    class Meta:
        verbose_name = "Handlungsschritt"
        verbose_name_plural = "Handlungsschritte"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Handlungsschritt {self.pk}"


class HelpType(models.Model):
    """The catalogue of helps: SGB VIII's legal bases and the office's own Sozialraum offers."""

    code = models.CharField("Kürzel", max_length=20, unique=True)
    paragraph = models.CharField("Rechtsgrundlage", max_length=40, blank=True)
    name = models.CharField("Bezeichnung", max_length=120)
    is_placement = models.BooleanField(
        "Unterbringung", default=False, help_text="Das Kind lebt außerhalb der Familie."
    )
    is_sozialraum_offer = models.BooleanField("eigenes Sozialraumangebot", default=False)
    active = models.BooleanField("aktiv", default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "Hilfeart"
        verbose_name_plural = "Hilfearten"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label_of(self.paragraph, self.name)

    @staticmethod
    def label_of(paragraph: str | None, name: str | None) -> str:
        """ "§ 31 SGB VIII Sozialpädagogische Familienhilfe": the type as every page names it,
        also for rows read as values."""
        return f"{paragraph or ''} {name or ''}".strip()

    @property
    def takes_cost_contribution(self) -> bool:
        """§ 91 SGB VIII: parents contribute to placements (vollstationär) and to a Tagesgruppe
        (teilstationär, § 32); the case page links these helps' Kostenbeitrag."""
        return (
            self.is_placement or kjh_items.help_kind_of(self.code) == kjh_items.HelpKind.DAY_GROUP
        )


class PlacementLocation(models.TextChoices):
    """Where a placed child lives, from the family's point of view: the "near home" figure."""

    SOZIALRAUM = "sozialraum", "im eigenen Sozialraum"
    REGION = "region", "in der eigenen Region"
    TOWN = "town", "im Stadtgebiet"
    OUTSIDE = "outside", "außerhalb der Stadt"


class Help(models.Model):
    """The ASD's decision on a help: which, how much, from when to when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="helps")
    # The case's Sozialraum, copied (see save()): the Sozialraum and region pages count running
    # helps per Sozialraum on every view, and joining every help of the city to its case made
    # that cost grow with the city; with the copy it is one index range per Sozialraum.
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # The case's region, copied (see save()), and moved with the case
    # (`case_region_follow`); `manage.py reconcile_cases` checks it. The case list filtered by
    # a help type reads the region's helps of that type from one index, newest case first; from
    # the case's side PostgreSQL walked the region's newest cases, which have no help yet.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    help_type = models.ForeignKey(
        HelpType, on_delete=models.PROTECT, related_name="helps", verbose_name="Hilfeart"
    )
    hours_per_week = models.DecimalField(
        "Fachleistungsstunden pro Woche", max_digits=5, decimal_places=2, null=True, blank=True
    )
    monthly_cost = models.DecimalField("Kosten pro Monat", **MONEY, null=True, blank=True)
    placement_location = models.CharField(
        "Ort der Unterbringung", max_length=20, choices=PlacementLocation.choices, blank=True
    )
    starts_on = models.DateField("Beginn")
    planned_end_on = models.DateField("geplantes Ende")
    ended_on = models.DateField("tatsächliches Ende", null=True, blank=True)
    rationale = models.TextField("Begründung der Entscheidung", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # Items of the KJH statistics Teil I (cases.kjh_items; codes of the questionnaire, see
    # docs/statistics.md). Empty = not yet known; the plausibility report lists what is missing.
    young_person = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="junger Mensch, für den die Hilfe ist",
    )
    residence_before = models.CharField(
        "Aufenthaltsort vor der Hilfe",
        max_length=2,
        choices=kjh_items.ResidenceBefore.choices,
        blank=True,
    )
    family_situation = models.CharField(
        "Situation der Herkunftsfamilie",
        max_length=1,
        choices=kjh_items.FamilySituation.choices,
        blank=True,
    )
    transfer_payments = models.CharField(
        "Familie lebt ganz oder teilweise von Transferleistungen",
        max_length=1,
        choices=kjh_items.YesNoUnknown.choices,
        blank=True,
    )
    suggested_by = models.CharField(
        "Anregung der Hilfe durch", max_length=1, choices=kjh_items.SuggestedBy.choices, blank=True
    )
    reason_main = models.CharField(
        "Hauptgrund der Hilfe", max_length=2, choices=kjh_items.HelpReason.choices, blank=True
    )
    reason_second = models.CharField(
        "zweiter Grund", max_length=2, choices=kjh_items.HelpReason.choices, blank=True
    )
    reason_third = models.CharField(
        "dritter Grund", max_length=2, choices=kjh_items.HelpReason.choices, blank=True
    )
    previous_help = models.CharField(
        "vorher bereits eine Hilfe zur Erziehung erhalten",
        max_length=1,
        choices=kjh_items.YesNoUnknown.choices,
        blank=True,
    )
    end_reason = models.CharField(
        "Grund der Beendigung", max_length=1, choices=kjh_items.HelpEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = "Hilfe"
        verbose_name_plural = "Hilfen"
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["help_type", "case"], name="help_type_case"),
            models.Index(fields=["region", "help_type", "case"], name="help_region_type_case"),
            models.Index(fields=["sozialraum", "starts_on"], name="help_sozialraum_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__gte=models.F("starts_on")),
                name="help_end_after_start",
                violation_error_message="Das geplante Ende liegt vor dem Beginn.",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=False) | Q(monthly_cost__isnull=False),
                name="help_has_scope",
                violation_error_message=(
                    "Bitte geben Sie den Umfang an: Fachleistungsstunden pro Woche "
                    "oder die monatlichen Kosten einer Unterbringung."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.help_type} ab {self.starts_on:%d.%m.%Y}"

    def save(self, *args, **kwargs) -> None:
        # Copies that must never differ from the case's: set here, where every help is saved.
        # (The Sozialraum stays the one the help was decided in; the region moves with the case,
        # `case_region_follow`; bulk writes set both themselves.)
        if self._state.adding or self.sozialraum_id is None:
            self.sozialraum_id = self.case.sozialraum_id
        if self._state.adding or self.region_id is None:
            self.region_id = self.case.region_id
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", "laufend"
    ENDED = "ended", "beendet"


class Assignment(models.Model):
    """Falldurchführung: a provider commissioned to carry out a help. `case` is kept for access."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    help = models.ForeignKey(Help, on_delete=models.CASCADE, related_name="assignments")
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="assignments", verbose_name="Träger"
    )
    alliance = models.ForeignKey(
        ProviderAlliance,
        on_delete=models.PROTECT,
        related_name="assignments",
        null=True,
        blank=True,
        verbose_name="über den Trägerverbund",
    )
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    starts_on = models.DateField("Beginn")
    ends_on = models.DateField("geplantes Ende")
    ended_on = models.DateField("beendet am", null=True, blank=True)
    provider_contact = models.CharField("Ansprechperson beim Träger", max_length=120, blank=True)
    instructions = models.TextField("Auftrag an den Träger", blank=True)
    # Set when commissioning: the help is carried out (partly) at the family's home, so the
    # commission (§ 36 SGB VIII) covers the family's address while the assignment runs
    # (`cases.selectors_sharing`). On the assignment, not the help type: the same § 31 help
    # may or may not include home visits.
    with_home_visits = models.BooleanField(
        "mit Hausbesuchen",
        default=False,
        help_text="Der Träger sieht die Anschrift der Familie, solange die Falldurchführung läuft.",
    )
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    commissioned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Falldurchführung"
        verbose_name_plural = "Falldurchführungen"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["provider", "status", "-id"], name="assignment_provider_list"),
        ]
        constraints = [
            # One provider at a time carries a help out; a change of provider ends the first.
            models.UniqueConstraint(
                fields=["help"],
                condition=Q(status=AssignmentStatus.ACTIVE),
                name="assignment_one_active_per_help",
                violation_error_message="Diese Hilfe ist bereits einem Träger übertragen.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.provider.short_name}"

    @property
    def is_active(self) -> bool:
        return self.status == AssignmentStatus.ACTIVE


class NoteKind(models.TextChoices):
    ASD = "asd", "Vermerk ASD"
    PROGRESS = "progress", "Verlaufsnotiz"
    REPORT = "report", "Bericht"


class ContactKind(models.TextChoices):
    """How the contact a note records took place; empty for a note without a contact (a file
    note, a report), which is also what notes written before the field have."""

    HOME_VISIT = "home_visit", "Hausbesuch"
    PHONE = "phone", "Telefonat"
    OFFICE = "office", "Gespräch im Amt"
    VIDEO = "video", "Videogespräch"
    LETTER = "letter", "Brief/E-Mail"
    THIRD_PARTIES = "third_parties", "Gespräch mit Dritten/Helferkonferenz"


class Note(models.Model):
    """A written record on a case. Notes are never edited: a correction is a new note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="notes", null=True, blank=True
    )
    kind = models.CharField("Art", max_length=10, choices=NoteKind.choices)
    text = models.TextField("Text")
    internal = models.BooleanField(
        "nur für den ASD",
        default=True,
        help_text="Interne Vermerke sehen Träger nie.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When and with whom (issue 25). Empty on notes written before these fields existed.
    contact_on = models.DateField("Datum des Kontakts", null=True, blank=True)
    contact_kind = models.CharField(
        "Art des Kontakts", max_length=20, choices=ContactKind.choices, blank=True
    )
    persons_present = models.ManyToManyField(
        Person, blank=True, related_name="notes_present", verbose_name="anwesende Personen"
    )
    others_present = models.CharField("weitere Anwesende", max_length=300, blank=True)
    # Set when a deputy wrote the note: the absent steering caseworker she covered.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="in Vertretung für",
    )

    class Meta:
        verbose_name = "Notiz"
        verbose_name_plural = "Notizen"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=NoteKind.ASD) | Q(assignment__isnull=False, internal=False),
                name="note_provider_notes_belong_to_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class HelpPlan(models.Model):
    """§ 36 SGB VIII: the plan of a help, opened with the decision and reviewed at the
    Hilfeplangespräche (at the latest every `HELP_PLAN_REVIEW_MONTHS`)."""

    help = models.OneToOneField(Help, on_delete=models.CASCADE, related_name="help_plan")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="help_plans")
    # The case's Grobziele this help works on (a case's goals may span several helps).
    goals = models.ManyToManyField(
        Goal, related_name="help_plans", blank=True, verbose_name="Ziele dieser Hilfe"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Hilfeplan"
        verbose_name_plural = "Hilfepläne"

    def __str__(self) -> str:
        return f"Hilfeplan {self.pk}"


class HelpPlanReviewQuerySet(models.QuerySet):
    def still_open(self) -> "HelpPlanReviewQuerySet":
        """Hilfeplangespräche still to hold: neither recorded nor cancelled. The one definition
        of "open" for the start pages, the case list and `Case.review_due_on`."""
        return self.filter(held_on__isnull=True, cancelled_on__isnull=True)


class HelpPlanReview(models.Model):
    """A help plan meeting (Hilfeplangespräch): first an appointment (date, and once scheduled a
    time, place and invitations), then the record of the meeting (held on, participants,
    result). An appointment that is no longer needed is cancelled with a reason, never deleted.
    """

    help_plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="reviews")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField("Termin am")
    # Empty while the date is only planned; set when the appointment is scheduled.
    time = models.TimeField("Uhrzeit", null=True, blank=True)
    place = models.CharField("Ort", max_length=200, blank=True)
    invited_persons = models.ManyToManyField(
        Person, related_name="+", blank=True, verbose_name="eingeladene Personen"
    )
    invited_provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="eingeladener Träger",
    )
    invited_others = models.TextField("weitere Eingeladene", blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    cancelled_on = models.DateField("abgesagt am", null=True, blank=True)
    cancel_reason = models.TextField("Grund der Absage", blank=True)
    held_on = models.DateField("stattgefunden am", null=True, blank=True)
    participants = models.TextField("Teilnehmende", blank=True)
    summary = models.TextField("Ergebnis", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = HelpPlanReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "Hilfeplangespräch"
        verbose_name_plural = "Hilfeplangespräche"
        ordering = ["due_on", "id"]
        indexes = [
            # The start pages' overdue and coming reviews in their order (day, time): a day of a
            # large city has hundreds of reviews, which an index of the day alone left to sort.
            models.Index(
                fields=["due_on", "time", "id"],
                condition=Q(held_on__isnull=True),
                name="review_open_due_time",
            ),
            # A case's open reviews (the case list's "HPG überfällig" and its row marks).
            models.Index(
                fields=["case"],
                condition=Q(held_on__isnull=True, cancelled_on__isnull=True),
                name="review_open_case",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True)
                | (Q(held_on__isnull=True) & ~Q(cancel_reason="")),
                name="review_cancelled_with_reason_not_held",
                violation_error_message=(
                    "Ein abgesagtes Gespräch braucht einen Grund "
                    "und kann nicht stattgefunden haben."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Hilfeplangespräch am {self.due_on:%d.%m.%Y}"

    @property
    def is_open(self) -> bool:
        return self.held_on is None and self.cancelled_on is None

    @property
    def is_scheduled(self) -> bool:
        return self.time is not None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today


class HelpPlanReviewChange(models.Model):
    """A moved appointment: the earlier date and time and why it moved (kept, never edited)."""

    review = models.ForeignKey(HelpPlanReview, on_delete=models.CASCADE, related_name="changes")
    from_date = models.DateField("bisher am")
    from_time = models.TimeField("bisher um", null=True, blank=True)
    to_date = models.DateField("neu am")
    to_time = models.TimeField("neu um", null=True, blank=True)
    reason = models.TextField("Grund der Verschiebung")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Verschiebung eines Hilfeplangesprächs"
        verbose_name_plural = "Verschiebungen von Hilfeplangesprächen"
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"Verschiebung {self.pk}"


class RiskLevel(models.TextChoices):
    """The result of a § 8a assessment: the four outcomes the KJH statistics ask for."""

    NONE = "none", "keine Gefährdung"
    HELP_NEEDED = "help_needed", "keine Gefährdung, aber Hilfebedarf"
    LATENT = "latent", "latente Gefährdung"
    ACUTE = "acute", "akute Gefährdung"


# Results that the steering caseworker and the team lead must acknowledge.
RISK_LEVELS_ACKNOWLEDGED = (RiskLevel.LATENT, RiskLevel.ACUTE)


class ConcernChannel(models.TextChoices):
    """How the concern reached the office or the provider."""

    PHONE = "phone", "telefonisch"
    IN_PERSON = "in_person", "persönlich"
    WRITING = "writing", "schriftlich (Brief, E-Mail, Fax)"
    OWN_OBSERVATION = "own", "eigene Wahrnehmung (Hausbesuch, Termin)"
    OTHER = "other", "auf anderem Weg"


class ConcernSource(models.TextChoices):
    """Who brought the concern forward."""

    SCHOOL = "school", "Schule"
    KITA = "kita", "Kita / Kindertagespflege"
    POLICE = "police", "Polizei, Gericht, Staatsanwaltschaft"
    HEALTH = "health", "Hebamme, Ärztin/Arzt, Klinik, Gesundheitsamt"
    YOUTH_WELFARE = "youth_welfare", "Träger oder Einrichtung der Jugendhilfe"
    NEIGHBOUR = "neighbour", "Nachbarschaft, Bekannte"
    RELATIVES = "relatives", "Verwandte"
    PARENTS = "parents", "Eltern / Sorgeberechtigte"
    CHILD = "child", "das Kind / die oder der Jugendliche selbst"
    ANONYMOUS = "anonymous", "anonym"
    OTHER = "other", "andere"


class RiskAssessment(models.Model):
    """§ 8a SGB VIII: the assessment of a risk to one child, from the concern becoming known to
    its result. Reported with an empty `level`; the result is recorded by several staff together
    (`assessors`, and for a provider its *insoweit erfahrene Fachkraft*)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="risk_assessments",
        null=True,
        blank=True,
    )
    # Empty on assessments recorded before issue 25 (one per case, not per child).
    child = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        related_name="risk_assessments",
        null=True,
        blank=True,
        verbose_name="Kind",
    )
    # Empty while the concern is reported but not yet assessed.
    level = models.CharField("Ergebnis", max_length=20, choices=RiskLevel.choices, blank=True)
    # "§ 8a offen": not yet assessed, or a latent or acute result that waits for a team lead
    # (`cases.protection.risk_waits_for_team_lead`). Kept by the services that write the
    # assessment, its acknowledgements and its Schutzplan (`risk_open_refresh`), so the case
    # list and the start pages find the few open ones by an index instead of testing every
    # assessment of a region.
    is_open = models.BooleanField("§ 8a offen", default=True, editable=False)
    # The order of the start pages' § 8a alerts: acute (0), not yet assessed (1), latent (2).
    # Kept with `is_open` by `risk_open_refresh`, so that a team lead's first alerts come from
    # an index in that order instead of sorting every open assessment of the city.
    alert_rank = models.PositiveSmallIntegerField(default=1, editable=False)
    facts = models.TextField("Gewichtige Anhaltspunkte / Sachverhalt")
    known_on = models.DateField("bekannt geworden am", null=True, blank=True)
    known_channel = models.CharField(
        "wie bekannt geworden", max_length=20, choices=ConcernChannel.choices, blank=True
    )
    source = models.CharField(
        "Hinweis von", max_length=20, choices=ConcernSource.choices, blank=True
    )
    source_detail = models.CharField(
        "Hinweisgebende Stelle oder Person", max_length=200, blank=True
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name="gemeinsam eingeschätzt von",
    )
    experienced_professional = models.CharField(
        "insoweit erfahrene Fachkraft (§ 8a Abs. 4)", max_length=120, blank=True
    )
    child_seen = models.BooleanField("Kind in Augenschein genommen", null=True, blank=True)
    child_seen_on = models.DateField("Kind gesehen am", null=True, blank=True)
    child_seen_by = models.CharField("Kind gesehen von", max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    concluded_at = models.DateTimeField("Ergebnis erfasst am", null=True, blank=True)
    family_court_on = models.DateField(
        "Familiengericht angerufen am (§ 8a Abs. 2)", null=True, blank=True
    )
    family_court = models.CharField("Gericht und Aktenzeichen", max_length=200, blank=True)
    # Items of the § 8a survey about the moment of the assessment (cases.kjh_protection_items);
    # the child's sex and origin are the person's. Empty = not yet known (plausibility report).
    family_situation = models.CharField(
        "Situation der Eltern",
        max_length=2,
        choices=kjh_items.FamilySituation.choices,
        blank=True,
    )
    usual_residence = models.CharField(
        "Aufenthalt des Kindes (gewöhnlich)",
        max_length=2,
        choices=kjh_items.ResidenceBefore.choices,
        blank=True,
    )
    prior_help = models.CharField(
        "Leistung bei Beginn der Einschätzung",
        max_length=2,
        choices=kjh_protection.PriorHelp.choices,
        blank=True,
    )
    endangerment_neglect = models.BooleanField("Anzeichen für Vernachlässigung", default=False)
    endangerment_physical = models.BooleanField(
        "Anzeichen für körperliche Misshandlung", default=False
    )
    endangerment_psychological = models.BooleanField(
        "Anzeichen für psychische Misshandlung", default=False
    )
    endangerment_sexual = models.BooleanField("Anzeichen für sexuelle Gewalt", default=False)
    consequence_new_help = models.BooleanField("neue Hilfe eingeleitet", default=False)
    consequence_continued_help = models.BooleanField(
        "bestehende Hilfe fortgesetzt oder angepasst", default=False
    )
    consequence_other_service = models.BooleanField("andere Leistung", default=False)
    consequence_none = models.BooleanField("keine weitere Maßnahme", default=False)

    class Meta:
        verbose_name = "Gefährdungseinschätzung (§ 8a)"
        verbose_name_plural = "Gefährdungseinschätzungen (§ 8a)"
        ordering = ["-assessed_at", "-id"]
        indexes = [
            # Reported and not yet assessed, or a risk whose acknowledgements may be due.
            models.Index(
                fields=["case"],
                condition=Q(level__in=["", "latent", "acute"]),
                name="risk_attention",
            ),
            models.Index(fields=["case"], condition=Q(is_open=True), name="risk_open"),
            models.Index(
                fields=["alert_rank", "assessed_at", "id"],
                condition=Q(is_open=True),
                name="risk_open_by_rank",
            ),
            # The Sozialraum figures count the assessments of a period.
            models.Index(fields=["assessed_at"], name="risk_assessed_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="") | Q(concluded_at__isnull=False),
                name="risk_result_has_time",
                violation_error_message=(
                    "Ein Ergebnis braucht den Zeitpunkt, zu dem es erfasst ist."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(child_seen=True) | Q(child_seen_on__isnull=False),
                name="risk_child_seen_has_date",
                violation_error_message="Bitte geben Sie an, wann das Kind gesehen wurde.",
            ),
            models.CheckConstraint(
                condition=Q(family_court_on__isnull=True) | ~Q(family_court=""),
                name="risk_family_court_named",
                violation_error_message="Bitte nennen Sie das Gericht und das Aktenzeichen.",
            ),
        ]

    def __str__(self) -> str:
        return f"§ 8a {self.get_level_display() or 'offen'} ({self.pk})"

    @property
    def is_concluded(self) -> bool:
        return self.level != ""

    @property
    def needs_acknowledgement(self) -> bool:
        return self.level in RISK_LEVELS_ACKNOWLEDGED

    @property
    def author_ids(self) -> set[int]:
        """Who wrote the assessment: who reported it and who recorded its result. They never
        acknowledge it themselves."""
        return {pk for pk in (self.assessed_by_id, self.concluded_by_id) if pk is not None}


class AcknowledgementRole(models.TextChoices):
    STEERING = "steering", "fallsteuernde Fachkraft"
    TEAM_LEAD = "team_lead", "Teamleitung"


class RiskAcknowledgement(models.Model):
    """One role's acknowledgement of a § 8a result: the steering caseworker and the team lead
    each acknowledge, once per assessment."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    role = models.CharField("als", max_length=20, choices=AcknowledgementRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("zur Kenntnis genommen am", default=timezone.now)

    class Meta:
        verbose_name = "Kenntnisnahme (§ 8a)"
        verbose_name_plural = "Kenntnisnahmen (§ 8a)"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "role"],
                name="risk_acknowledgement_once_per_role",
                violation_error_message=(
                    "Diese Rolle hat die Einschätzung bereits zur Kenntnis genommen."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Kenntnisnahme {self.pk}"


class SafetyPlan(models.Model):
    """Schutzplan: the measures agreed after a § 8a assessment and the date it is reviewed."""

    assessment = models.OneToOneField(
        RiskAssessment, on_delete=models.CASCADE, related_name="safety_plan"
    )
    # The assessment's case, kept for access checks and the start pages' lists.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_plans")
    review_on = models.DateField("Überprüfung am", null=True, blank=True)
    closed_on = models.DateField("abgeschlossen am", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Schutzplan"
        verbose_name_plural = "Schutzpläne"
        indexes = [
            models.Index(
                fields=["review_on"],
                condition=Q(closed_on__isnull=True),
                name="safety_plan_open_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Schutzplan {self.pk}"


class SafetyMeasure(models.Model):
    """One measure of a Schutzplan: what, who, by when, and when it was done."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField("Maßnahme")
    responsible = models.CharField("Wer", max_length=200)
    due_on = models.DateField("bis")
    done_on = models.DateField("erledigt am", null=True, blank=True)

    class Meta:
        verbose_name = "Maßnahme des Schutzplans"
        verbose_name_plural = "Maßnahmen des Schutzplans"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Maßnahme des Schutzplans {self.pk}"


class ProtectionMeasure(models.Model):
    """§ 42 SGB VIII: a child taken into care (Inobhutnahme). The one record of it: the
    statistics (issue 19) add their survey items here."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="protection_measures")
    child = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        related_name="protection_measures",
        null=True,
        blank=True,
        verbose_name="Kind",
    )
    assessment = models.ForeignKey(
        RiskAssessment,
        on_delete=models.SET_NULL,
        related_name="protection_measures",
        null=True,
        blank=True,
        verbose_name="Gefährdungseinschätzung",
    )
    started_on = models.DateField("in Obhut genommen am")
    # The casework of the Inobhutnahme and the items of the § 42 survey
    # (cases.kjh_protection_items). Empty = not yet known (plausibility report).
    kind = models.CharField(
        "Art der Maßnahme",
        max_length=2,
        choices=kjh_protection.ProtectionKind.choices,
        default=kjh_protection.ProtectionKind.URGENT_DANGER,
    )
    started_time = models.TimeField("Uhrzeit", null=True, blank=True)
    taken_by = models.CharField("in Obhut genommen von", max_length=200, blank=True)
    initiator = models.CharField(
        "angeregt von",
        max_length=2,
        choices=kjh_protection.ProtectionInitiator.choices,
        blank=True,
    )
    # Codes of `ProtectionReason`, several possible.
    reasons = models.JSONField("Anlässe", default=list, blank=True)
    residence_before = models.CharField(
        "Aufenthalt vor der Maßnahme",
        max_length=2,
        choices=kjh_items.ResidenceBefore.choices,
        blank=True,
    )
    placement = models.CharField(
        "untergebracht in",
        max_length=2,
        choices=kjh_protection.ProtectionPlacement.choices,
        blank=True,
    )
    placement_name = models.CharField("Name der Stelle", max_length=200, blank=True)
    parents_informed_on = models.DateField("Sorgeberechtigte informiert am", null=True, blank=True)
    parents_object = models.BooleanField("Sorgeberechtigte widersprechen", null=True, blank=True)
    family_court_on = models.DateField(
        "Familiengericht angerufen am (§ 42 Abs. 3)", null=True, blank=True
    )
    ended_on = models.DateField("beendet am", null=True, blank=True)
    outcome = models.CharField(
        "Ende der Maßnahme",
        max_length=2,
        choices=kjh_protection.ProtectionOutcome.choices,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Inobhutnahme (§ 42)"
        verbose_name_plural = "Inobhutnahmen (§ 42)"
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"Inobhutnahme {self.pk}"


class PeerConsultation(models.Model):
    """Kollegiale Beratung: a team's thinking about a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField("am")
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name="Teilnehmende"
    )
    question = models.TextField("Fragestellung")
    ideas = models.TextField("Ideen und Hypothesen")
    next_step = models.TextField("vereinbarter nächster Schritt")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Kollegiale Beratung"
        verbose_name_plural = "Kollegiale Beratungen"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Kollegiale Beratung {self.held_on:%d.%m.%Y}"


class AllocationKind(models.TextChoices):
    """What the Sozialraumteam decides for a case (Fallverteilung): the Sozialraum's ideas first,
    an individual help only after them."""

    NO_HELP = "no_help", "keine Hilfe erforderlich"
    PARTNER_OFFER = "partner_offer", "Angebot eines Netzwerkpartners"
    GROUP_OFFER = "group_offer", "Gruppenangebot"
    INDIVIDUAL_HELP = "individual_help", "Einzelhilfe mit vorgeschlagenem Träger"
    CLARIFICATION = "clarification", "weitere Klärung"


class AllocationProposal(models.Model):
    """A decision of the Sozialraumteam as it lands on the case: a proposal the responsible
    caseworker confirms. Written by `meetings` (through `cases.proposals`) in the same
    transaction as the meeting's decision; kept here so the case page shows it without
    importing the higher app."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocation_proposals")
    kind = models.CharField("Entscheidung", max_length=20, choices=AllocationKind.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="vorgeschlagener Träger",
    )
    offer = models.ForeignKey(
        "network.Offer",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Angebot",
    )
    text = models.TextField("Begründung und Ideen", blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="allocation_proposals",
        null=True,
        blank=True,
        verbose_name="verantwortliche Fachkraft",
    )
    proposed_on = models.DateField("vorgeschlagen am")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("bestätigt am", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = "Vorschlag des Sozialraumteams"
        verbose_name_plural = "Vorschläge des Sozialraumteams"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="individual_help") | Q(provider__isnull=False),
                name="proposal_individual_help_has_provider",
                violation_error_message=(
                    "Für eine Einzelhilfe braucht es den vorgeschlagenen Träger."
                ),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="proposal_confirmed_has_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Vorschlag {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class AuditAction(models.TextChoices):
    VIEW = "view", "angesehen"
    CREATE = "create", "angelegt"
    CHANGE = "change", "geändert"
    EXPORT = "export", "exportiert"


class AuditEntry(models.Model):
    """Who did what to which case-related object, and when. Append-only, and never the data."""

    at = models.DateTimeField("Zeitpunkt", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        verbose_name="Benutzer",
        # No index of its own: `audit_user_id` (user, newest first) starts with it, and every
        # opened case record writes one entry, so a second index was a second write for nothing.
        db_index=False,
    )
    action = models.CharField("Aktion", max_length=10, choices=AuditAction.choices)
    object_type = models.CharField("Objektart", max_length=40)
    object_id = models.PositiveBigIntegerField("Objekt-ID")
    case_number = models.CharField("Fallnummer", max_length=20, blank=True, db_index=True)
    detail = models.CharField("Vorgang", max_length=80, blank=True)
    # Set when the user acted as a deputy: the absent steering caseworker she covered.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="in Vertretung für",
    )

    class Meta:
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Zugriffsprotokoll"
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "-id"], name="audit_user_id")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.action} {self.object_type} {self.object_id}"

    # Integrity, not business logic: the trail must not be rewritten, not even by mistake.
    # (On PostgreSQL a trigger refuses it in the database as well.)
    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Protokolleinträge können nicht geändert werden.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Protokolleinträge können nicht gelöscht werden.")


class SharingBasis(models.TextChoices):
    COMMISSION = "commission", "Auftrag nach § 36 SGB VIII (Hilfeplan, Beauftragung)"
    CONSENT = "consent", "Einwilligung"
    CHILD_PROTECTION = "child_protection", "Kinderschutz nach § 8a SGB VIII"


class SharingCategory(models.TextChoices):
    """What a sharing covers; each value has its flag `covers_<value>` on `Sharing`."""

    ADDRESS = "address", "Adresse und Kontaktdaten"
    RESOURCES = "resources", "Ressourcen"
    GOALS = "goals", "Hilfeplanziele"
    NOTES = "notes", "Notizen"


SHARING_STATUS = {
    "valid": "gültig",
    "expired": "abgelaufen",
    "withdrawn": "widerrufen",
    "pending": "noch nicht gültig",
}


class Sharing(models.Model):
    """A sharing of case data beyond the ASD (Datenweitergabe) and its legal basis; on the
    basis of consent (Einwilligung) also who gave it, when and until when. Never deleted and
    never edited, except that a consent's withdrawal is recorded on it once (`withdrawn_on`).

    A consent given to a provider extends what that provider's staff see on its running
    assignments of the case (`cases.selectors_sharing`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sharings")
    basis = models.CharField("Rechtsgrundlage", max_length=20, choices=SharingBasis.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Träger",
    )
    recipient = models.CharField(
        "andere Stelle", max_length=200, blank=True, help_text="z. B. Schule, Kinderarzt"
    )
    covers_address = models.BooleanField("Adresse und Kontaktdaten", default=False)
    covers_resources = models.BooleanField("Ressourcen", default=False)
    covers_goals = models.BooleanField("Hilfeplanziele", default=False)
    covers_notes = models.BooleanField("Notizen", default=False)
    purpose = models.TextField("Zweck")
    # RESTRICT, not PROTECT: the case's deletion (retention) takes both away together.
    given_by = models.ForeignKey(
        Person,
        on_delete=models.RESTRICT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="erteilt von",
    )
    given_on = models.DateField("am")
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    withdrawn_on = models.DateField("widerrufen am", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Widerruf erfasst von",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Datenweitergabe"
        verbose_name_plural = "Datenweitergaben"
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["case", "provider"], name="sharing_case_provider")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(provider__isnull=False) & Q(recipient=""))
                | (Q(provider__isnull=True) & ~Q(recipient="")),
                name="sharing_one_recipient",
                violation_error_message=(
                    "Bitte wählen Sie entweder einen Träger oder nennen Sie eine andere Stelle."
                ),
            ),
            models.CheckConstraint(
                condition=Q(covers_address=True)
                | Q(covers_resources=True)
                | Q(covers_goals=True)
                | Q(covers_notes=True),
                name="sharing_has_scope",
                violation_error_message="Bitte wählen Sie mindestens eine Art von Daten.",
            ),
            models.CheckConstraint(
                condition=~Q(basis="consent") | Q(given_by__isnull=False),
                name="sharing_consent_has_giver",
                violation_error_message="Bitte geben Sie an, wer die Einwilligung erteilt hat.",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="sharing_until_after_given",
                violation_error_message="„Gültig bis“ liegt vor dem Datum der Erteilung.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | Q(
                    basis="consent",
                    withdrawn_on__gte=models.F("given_on"),
                    withdrawn_by__isnull=False,
                ),
                name="sharing_withdrawal_of_consent",
                violation_error_message=(
                    "Nur eine Einwilligung kann widerrufen werden, und nicht vor ihrer Erteilung."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} {self.pk}"

    @property
    def categories(self) -> list[str]:
        """The labels of the data it covers, in the order of `SharingCategory`."""
        return [
            label for value, label in SharingCategory.choices if getattr(self, f"covers_{value}")
        ]

    def status_on(self, day: datetime.date) -> str:
        """One of `SHARING_STATUS`: withdrawn, expired, pending (given for a later day), valid."""
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return "withdrawn"
        if self.valid_until is not None and self.valid_until < day:
            return "expired"
        if self.given_on > day:
            return "pending"
        return "valid"
