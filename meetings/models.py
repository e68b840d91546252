"""The Sozialraumteam: its meetings (Teamsitzung / Fallverteilung) and the Familienrat.

A meeting belongs to a region and usually to one of its Sozialräume. Its agenda items are cases
of that Sozialraum waiting for a decision; the Träger staff present see each item pseudonymised
until their Träger is commissioned for the case (`meetings.pseudonyms`). A decision lands on the
case as a `cases.AllocationProposal` that the responsible caseworker confirms.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import AllocationKind, AllocationProposal, Case
from network.models import Offer, Partner
from sozialraum.models import Provider, Region, Sozialraum


class TeamMeeting(models.Model):
    """One meeting of a Sozialraumteam (ASD and Träger staff, guests of partners)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="team_meetings", verbose_name="Region"
    )
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="team_meetings",
        null=True,
        blank=True,
        verbose_name="Sozialraum",
        help_text="Leer: eine Sitzung für die ganze Region.",
    )
    date = models.DateField("Datum")
    place = models.CharField("Ort", max_length=200, blank=True)
    # Set when the meeting took place; attendees added after it do not read its minutes.
    held_at = models.DateTimeField("durchgeführt am", null=True, blank=True)
    minutes_note = models.TextField("Allgemeines zum Protokoll", blank=True)
    # Set when the team lead closes the minutes: from then on they are the record.
    minutes_closed_at = models.DateTimeField("Protokoll abgeschlossen am", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Teamsitzung"
        verbose_name_plural = "Teamsitzungen"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["region", "date"], name="meeting_region_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_closed_at__isnull=True) | Q(held_at__isnull=False),
                name="meeting_minutes_after_held",
                violation_error_message="Ein Protokoll gibt es erst, wenn die Sitzung stattfand.",
            )
        ]

    def __str__(self) -> str:
        return f"Teamsitzung {self.date:%d.%m.%Y}"

    @property
    def area_name(self) -> str:
        return self.sozialraum.name if self.sozialraum else f"Region {self.region.name}"


class Attendee(models.Model):
    """Someone at the meeting: staff with an account (ASD or Träger), or a partner's guest."""

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
        null=True,
        blank=True,
        verbose_name="Fachkraft",
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Gast von Netzwerkpartner",
    )
    guest_name = models.CharField("Name des Gastes", max_length=120, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Teilnehmende"
        verbose_name_plural = "Teilnehmende"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, partner__isnull=True, guest_name="")
                | Q(user__isnull=True, partner__isnull=False),
                name="attendee_staff_or_guest",
                violation_error_message=(
                    "Bitte wählen Sie entweder eine Fachkraft oder einen Netzwerkpartner."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendee_once_per_meeting",
                violation_error_message="Diese Fachkraft steht schon auf der Liste.",
            ),
        ]

    def __str__(self) -> str:
        return f"Teilnahme {self.pk}"


class AgendaReason(models.TextChoices):
    INTAKE = "intake", "neuer Fall"
    REVIEW = "review", "Hilfeplangespräch fällig"
    CONSULTATION = "consultation", "kollegiale Beratung erbeten"
    OTHER = "other", "weiterer Anlass"


class AgendaItem(models.Model):
    """One case on the agenda. Träger staff whose Träger is not commissioned read it
    pseudonymised (`meetings.pseudonyms`): initials and ages are derived when shown, and the
    family's own words reach them only as the ASD's presentation without names
    (`provider_summary`), written and released by the team lead. A scrubber replaces the names
    the case records, but a grandmother or a teacher the family names is recorded nowhere."""

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("Anlass", max_length=20, choices=AgendaReason.choices)
    position = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    discussion = models.TextField("Beratung (ohne Namen)", blank=True)
    provider_summary = models.TextField("Fallvorstellung für die Träger (ohne Namen)", blank=True)
    provider_summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="freigegeben von",
    )
    provider_summary_at = models.DateTimeField("freigegeben am", null=True, blank=True)

    class Meta:
        verbose_name = "Tagesordnungspunkt"
        verbose_name_plural = "Tagesordnungspunkte"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"],
                name="agenda_case_once_per_meeting",
                violation_error_message="Dieser Fall steht schon auf der Tagesordnung.",
            )
        ]

    def __str__(self) -> str:
        return f"TOP {self.position}"


class Idea(models.Model):
    """ "Ideen für diese Familie": what the Sozialraum could offer, linked to a partner or offer."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ideas")
    text = models.TextField("Idee")
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Netzwerkpartner",
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Angebot",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Idee"
        verbose_name_plural = "Ideen"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Idee {self.pk}"


class AllocationDecision(models.Model):
    """The team's decision on an agenda item; its proposal on the case carries it to the
    responsible caseworker."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision")
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
        Offer,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Angebot",
    )
    note = models.TextField("Begründung", blank=True)
    # CASCADE: the retention job erases a case whole, its proposal and this decision with it.
    proposal = models.OneToOneField(
        AllocationProposal, on_delete=models.CASCADE, related_name="meeting_decision"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Entscheidung (Fallverteilung)"
        verbose_name_plural = "Entscheidungen (Fallverteilung)"

    def __str__(self) -> str:
        return f"Entscheidung {self.pk}"


class ConsultationRequest(models.Model):
    """A caseworker puts a case forward for the next meeting (kollegiale Beratung)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    question = models.TextField("Fragestellung (ohne Namen)")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Set when the case is put on an agenda; the request then no longer waits.
    taken_up_in = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, related_name="requests", null=True, blank=True
    )

    class Meta:
        verbose_name = "Vorlage zur kollegialen Beratung"
        verbose_name_plural = "Vorlagen zur kollegialen Beratung"
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"Vorlage {self.pk}"


class FamilyGroupConference(models.Model):
    """Familienrat: the family and its network make their own plan; an independent coordinator
    prepares it. When the office agrees, the plan's goals become the case's Grobziele."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    coordinator_name = models.CharField("Koordination (Name)", max_length=120)
    coordinator_organisation = models.CharField("Koordination (Organisation)", max_length=200)
    preparation_on = models.DateField("Vorbereitung ab", null=True, blank=True)
    information_on = models.DateField("Informationsphase am", null=True, blank=True)
    family_time_on = models.DateField("Family-Time am", null=True, blank=True)
    presentation_on = models.DateField("Vorstellung des Plans am", null=True, blank=True)
    participants = models.TextField(
        "Teilnehmende aus Familie und Netzwerk",
        blank=True,
        help_text="z. B. „Mutter, Oma, Nachbarin, Trainer“",
    )
    plan = models.TextField("Plan der Familie (in ihren Worten)", blank=True)
    plan_goals = models.TextField(
        "Ziele aus dem Plan",
        blank=True,
        help_text="Ein Ziel je Zeile; sie werden mit der Zustimmung zu Grobzielen.",
    )
    agreed_at = models.DateTimeField("Zustimmung des Jugendamts am", null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Familienrat"
        verbose_name_plural = "Familienräte"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | Q(agreed_by__isnull=False),
                name="fgc_agreement_has_person",
            )
        ]

    def __str__(self) -> str:
        return f"Familienrat {self.pk}"

    @property
    def goal_lines(self) -> list[str]:
        return [line.strip() for line in self.plan_goals.splitlines() if line.strip()]
