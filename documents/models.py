"""Documents on a case (reports received, letters sent, court orders, consents, hand-over
packages) and the hand-over when a family moves.

A document's file lives in the private document storage (`documents.storage`), never under a
public URL; the row keeps what the list and the audit need (title, kind, date, source, real
content type, size, SHA-256). A letter sent again is a new document that `replaces` the
earlier one: a sent letter itself is never changed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import (
    Assignment,
    Case,
    Help,
    HelpPlan,
    HelpPlanReview,
    HelpType,
    Person,
    RiskAssessment,
)
from documents.letters_schema import LetterKind, parts_of
from documents.storage import document_storage
from sozialraum.models import AsdTeam, Sozialraum


class DocumentKind(models.TextChoices):
    REPORT = "report", "Bericht (Schule, Arzt, Polizei, Träger …)"
    LETTER_RECEIVED = "letter_received", "Schreiben (eingegangen)"
    LETTER_SENT = "letter_sent", "Schreiben (versandt)"
    COURT_ORDER = "court_order", "Gerichtsbeschluss"
    CONSENT = "consent", "Einwilligung / Unterschrift"
    HELP_PLAN = "help_plan", "Hilfeplan"
    HANDOVER = "handover", "Übergabe bei Zuständigkeitswechsel"
    OTHER = "other", "Sonstiges"


def _upload_to(instance: "Document", filename: str) -> str:
    # The stored name never carries the person's file name (that stays in `file_name`):
    # the case id and a random part only, so names cannot collide or reveal anything.
    import uuid

    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"fall-{instance.case_id}/{uuid.uuid4().hex}.{extension}"


class Document(models.Model):
    """One file on a case, optionally tied to a person, a § 8a assessment or a help plan."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="documents", verbose_name="Fall"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name="Person",
    )
    assessment = models.ForeignKey(
        RiskAssessment,
        on_delete=models.SET_NULL,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name="Gefährdungseinschätzung",
    )
    help_plan = models.ForeignKey(
        HelpPlan,
        on_delete=models.SET_NULL,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name="Hilfeplan",
    )
    title = models.CharField("Titel", max_length=200)
    kind = models.CharField("Art", max_length=20, choices=DocumentKind.choices)
    dated_on = models.DateField("Datum des Dokuments")
    source = models.CharField(
        "Herkunft", max_length=200, blank=True, help_text="z. B. Schule, Kinderarzt, Amtsgericht"
    )
    file = models.FileField("Datei", storage=document_storage, upload_to=_upload_to, max_length=300)
    file_name = models.CharField("Dateiname", max_length=200)
    mime = models.CharField("Dateiformat", max_length=100)
    size = models.PositiveBigIntegerField("Größe in Bytes")
    sha256 = models.CharField("SHA-256", max_length=64)
    # A letter sent again: the new version names the one it replaces (kept unchanged).
    version = models.PositiveIntegerField("Version", default=1)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        null=True,
        blank=True,
        verbose_name="ersetzt",
    )
    shared_with: "models.ManyToManyField[Assignment, DocumentShare]" = models.ManyToManyField(
        Assignment,
        through="DocumentShare",
        related_name="shared_documents",
        blank=True,
        verbose_name="freigegeben für",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Dokument"
        verbose_name_plural = "Dokumente"
        ordering = ["-dated_on", "-id"]
        indexes = [models.Index(fields=["case", "-dated_on"], name="document_case_dated")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_inline(self) -> bool:
        """Only PDFs and images may be shown in the browser; everything else is downloaded."""
        return self.mime in {"application/pdf", "image/png", "image/jpeg"}


class DocumentShare(models.Model):
    """The ASD shares a document with a provider's running assignment (on the basis of the
    commission or the family's consent; `documents.services.document_share` checks it)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="shares")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="document_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Freigabe eines Dokuments"
        verbose_name_plural = "Freigaben von Dokumenten"
        constraints = [
            models.UniqueConstraint(fields=["document", "assignment"], name="documentshare_unique")
        ]

    def __str__(self) -> str:
        return f"Dokument {self.document_id} → Falldurchführung {self.assignment_id}"


class Handover(models.Model):
    """§ 86 SGB VIII: the family moved out of town; the case went to the receiving office.

    What was handed over is kept as the list of parts (`parts`, ids only) and as the package
    itself: a PDF and a JSON stored as documents of kind hand-over on the (closed) case."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="handover", verbose_name="Fall"
    )
    moved_on = models.DateField("Umzug am")
    receiving_office = models.CharField("übernehmendes Jugendamt", max_length=200)
    receiving_address = models.TextField("Anschrift des übernehmenden Jugendamts", blank=True)
    receiving_reference = models.CharField(
        "Aktenzeichen / Ansprechperson dort", max_length=200, blank=True
    )
    handed_over_on = models.DateField("übergeben am")
    include_assessments = models.BooleanField("§ 8a-Einschätzungen übergeben", default=False)
    selected_documents = models.ManyToManyField(
        Document, related_name="handovers", blank=True, verbose_name="übergebene Dokumente"
    )
    parts = models.JSONField("übergebene Teile (IDs)", default=dict)
    package_pdf = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    package_json = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Übergabe bei Zuständigkeitswechsel"
        verbose_name_plural = "Übergaben bei Zuständigkeitswechsel"

    def __str__(self) -> str:
        return f"Übergabe {self.case_id} an {self.receiving_office}"


class MoveStatus(models.TextChoices):
    PROPOSED = "proposed", "vorgeschlagen"
    CONFIRMED = "confirmed", "bestätigt"
    REJECTED = "rejected", "abgelehnt"


class CaseMove(models.Model):
    """A move inside the town: the new address, the Sozialraum and ASD team the street
    directory proposes, and the team lead's decision. Kept as history; helps continue."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="moves")
    moved_on = models.DateField("Umzug am")
    street = models.CharField("Straße", max_length=120)
    house_number = models.CharField("Hausnummer", max_length=10)
    postcode = models.CharField("PLZ", max_length=5, blank=True)
    previous_street = models.CharField(max_length=120, blank=True)
    previous_house_number = models.CharField(max_length=10, blank=True)
    previous_postcode = models.CharField(max_length=5, blank=True)
    previous_sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="+", verbose_name="bisher"
    )
    proposed_sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="vorgeschlagener Sozialraum",
    )
    proposed_team = models.ForeignKey(
        AsdTeam,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="vorgeschlagenes ASD-Team",
    )
    status = models.CharField(
        max_length=10, choices=MoveStatus.choices, default=MoveStatus.PROPOSED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("Anmerkung", blank=True)

    class Meta:
        verbose_name = "Umzug innerhalb der Stadt"
        verbose_name_plural = "Umzüge innerhalb der Stadt"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="proposed"),
                name="casemove_one_open_per_case",
                violation_error_message="Für diesen Fall liegt bereits ein offener Umzug vor.",
            )
        ]

    def __str__(self) -> str:
        return f"Umzug {self.case_id} am {self.moved_on:%d.%m.%Y}"


# Letters from templates (issue 21, part 2) and the family's agreement to its Hilfeplan (part 3).
# The rules of the templates are in `documents.letter_templates`, the writes in
# `documents.letters`.


class LetterTemplate(models.Model):
    """One template per kind of letter (and one for the layout all letters share); its text
    lives in versions, so a change never rewrites what an earlier letter was made from."""

    kind = models.CharField("Art", max_length=30, choices=LetterKind.choices, unique=True)

    class Meta:
        verbose_name = "Briefvorlage"
        verbose_name_plural = "Briefvorlagen"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class LetterTemplateVersion(models.Model):
    """A saved state of a template, checked by `letter_templates.template_parts_check` before
    it is stored. The newest version is used; the older ones stay for the record."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("Version")
    letterhead = models.TextField("Briefkopf", blank=True)
    address_block = models.TextField("Anschriftfeld", blank=True)
    signature = models.TextField("Grußformel und Unterschrift", blank=True)
    footer = models.TextField("Fußzeile", blank=True)
    subject = models.TextField("Betreff", blank=True)
    body = models.TextField("Brieftext", blank=True)
    note = models.CharField("Anmerkung zur Änderung", max_length=200, blank=True)
    # Empty for the versions the portal ships (created on first use).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Version einer Briefvorlage"
        verbose_name_plural = "Versionen von Briefvorlagen"
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="lettertemplateversion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} · Version {self.number}"

    def parts(self) -> dict[str, str]:
        return {part: getattr(self, part) for part in parts_of(self.template.kind)}


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", "Bewilligung"
    REFUSED = "refused", "Ablehnung"


class DecisionNotice(models.Model):
    """Bescheid: the administrative act granting or refusing a help. Its letter can only be
    made with a legal basis (`documents.letters.decision_notice_send`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decision_notices")
    outcome = models.CharField("Entscheidung", max_length=10, choices=DecisionOutcome.choices)
    help_type = models.ForeignKey(
        HelpType, on_delete=models.PROTECT, related_name="+", verbose_name="beantragte Hilfe"
    )
    help = models.ForeignKey(
        Help,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="bewilligte Hilfe",
    )
    recipient = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Empfänger/in (antragstellende Person)",
    )
    legal_basis = models.CharField("Rechtsgrundlage", max_length=200, blank=True)
    reasons = models.TextField("Begründung")
    applied_on = models.DateField("Antrag vom", null=True, blank=True)
    decided_on = models.DateField("Entscheidung vom")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Bescheid"
        verbose_name_plural = "Bescheide"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Bescheid {self.pk}"


class SentLetter(models.Model):
    """A letter as it was made: the stored PDF (a `Document`, never changed), the template
    versions it came from and what it was about. Sending again makes a new one whose
    document replaces the earlier document."""

    kind = models.CharField("Art", max_length=30, choices=LetterKind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sent_letters")
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="sent_letter", verbose_name="Dokument"
    )
    template_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="+"
    )
    layout_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="+"
    )
    help_plan = models.ForeignKey(
        HelpPlan, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    review = models.ForeignKey(
        HelpPlanReview, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    decision_notice = models.ForeignKey(
        DecisionNotice, on_delete=models.CASCADE, related_name="letters", null=True, blank=True
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    batch = models.ForeignKey(
        "LetterBatch", on_delete=models.SET_NULL, related_name="letters", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "versandter Brief"
        verbose_name_plural = "versandte Briefe"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "kind", "-id"], name="sentletter_case_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class BatchState(models.TextChoices):
    WAITING = "waiting", "wartet"
    RUNNING = "running", "läuft"
    DONE = "done", "fertig"
    FAILED = "failed", "fehlgeschlagen"


def _batch_upload_to(instance: "LetterBatch", filename: str) -> str:
    return f"briefstapel/{instance.pk}.pdf"


class LetterBatch(models.Model):
    """Many letters in one background run (Celery, `documents.tasks`): e.g. the invitations
    to all overdue Hilfeplangespräche of a team. One document per case; optionally one
    combined PDF for printing, kept here (it spans cases, so it is no case document)."""

    kind = models.CharField("Art", max_length=30, choices=LetterKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The reviews to invite to, by id only (the batch's task reads them again, scoped).
    review_ids = models.JSONField(default=list)
    with_combined = models.BooleanField("zusätzlich ein Sammel-PDF zum Drucken", default=False)
    state = models.CharField(max_length=10, choices=BatchState.choices, default=BatchState.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    total = models.PositiveIntegerField(default=0)
    made = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    combined = models.FileField(
        storage=document_storage, upload_to=_batch_upload_to, blank=True, max_length=300
    )
    # The day the combined PDF was deleted (`documents.print_files`); the letters stay in the
    # case files.
    combined_removed_on = models.DateField("Sammel-PDF gelöscht am", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the batch last reached the broker (empty: never, e.g. Redis was down), and until when
    # the run that claimed it holds it (`documents.letters.letter_batch_run`). The check every
    # minute (`letter_batches_check`) queues what never arrived or was lost, and what a killed
    # worker left running; the lease keeps a second message from making the letters twice.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "Briefstapel"
        verbose_name_plural = "Briefstapel"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Briefstapel {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in (BatchState.WAITING, BatchState.RUNNING)


class AgreementWay(models.TextChoices):
    PAPER = "paper", "auf Papier unterschrieben (hochgeladen)"
    MEETING = "meeting", "im Gespräch mündlich gegeben"


class HelpPlanAgreement(models.Model):
    """The family's agreement to its Hilfeplan, part of the record: signed on paper (the scan
    is a document on the help plan) or given in the meeting (when, who)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    help_plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="agreements")
    way = models.CharField("Wie", max_length=10, choices=AgreementWay.choices)
    given_on = models.DateField("Zustimmung am")
    given_by = models.CharField("Wer hat zugestimmt", max_length=300)
    # With its scan when retention deletes the case's documents (privacy): the record of a
    # signature without the signed paper would name people for nothing.
    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="unterschriebener Hilfeplan",
    )
    # The letter the family agreed to, when it was sent from the portal.
    letter = models.ForeignKey(
        SentLetter,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="zugestimmte Fassung",
    )
    note = models.TextField("Anmerkung", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Zustimmung zum Hilfeplan"
        verbose_name_plural = "Zustimmungen zum Hilfeplan"
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(way="paper") | Q(document__isnull=False),
                name="helpplanagreement_paper_has_document",
                violation_error_message="Für eine Unterschrift auf Papier fehlt der Scan.",
            )
        ]

    def __str__(self) -> str:
        return f"Zustimmung {self.pk}"
