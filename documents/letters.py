"""Writes for letters: the templates (first use, new versions), sending a letter (rendered, kept
as a document on the case, audited), the Bescheid, the batches of invitations and the family's
agreement to its Hilfeplan.

A letter once sent is a PDF stored through `documents.services.document_store` (kind "letter
sent") and never changed: sending again makes a new document that replaces the earlier one. So
a template an administrator breaks later can refuse new letters, but never touches a sent one.
"""

import datetime
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.audit import audit_record
from cases.models import (
    Assignment,
    AuditAction,
    Case,
    Help,
    HelpPlan,
    HelpPlanReview,
    HelpType,
    Person,
)
from cases.permissions import can_change_case, cases_visible_to
from documents import uploads
from documents.letter_templates import (
    LetterParts,
    LetterSheet,
    letter_html,
    letter_pdf,
    part_render,
    template_parts_check,
)
from documents.letters_defaults import DEFAULTS
from documents.letters_schema import LetterKind, parts_of, sample_context
from documents.models import (
    AgreementWay,
    BatchState,
    DecisionNotice,
    DecisionOutcome,
    DocumentKind,
    HelpPlanAgreement,
    LetterBatch,
    LetterTemplate,
    LetterTemplateVersion,
    SentLetter,
)
from documents.selectors_letters import (
    commission_notice_context,
    decision_notice_context,
    help_plan_letter_context,
    invitation_context,
    letter_latest,
    template_current,
)
from documents.services import document_share_allowed, document_shares_set, document_store
from sozialraum.models import User

logger = logging.getLogger(__name__)

BROKEN_TEMPLATE = (
    "Die Briefvorlage „{label}“ ist fehlerhaft, deshalb kann der Brief gerade nicht erstellt "
    "werden. Bereits versandte Briefe sind davon nicht betroffen. Bitte wenden Sie sich an die "
    "Administration (Briefvorlagen)."
)
NO_LEGAL_BASIS = (
    "Ein Bescheid ohne Rechtsgrundlage kann nicht erstellt werden. Bitte tragen Sie die "
    "Rechtsgrundlage ein (z. B. „§§ 27, 31 SGB VIII“)."
)


# Templates ---------------------------------------------------------------------------------------


def letter_templates_ensure() -> None:
    """Create the shipped templates as version 1 where a kind has none yet (idempotent)."""
    if LetterTemplateVersion.objects.filter(number=1).count() >= len(LetterKind.values):
        return
    with transaction.atomic():
        for kind in LetterKind.values:
            template, _ = LetterTemplate.objects.get_or_create(kind=kind)
            if not template.versions.exists():
                LetterTemplateVersion.objects.create(
                    template=template, number=1, note="mitgelieferte Fassung", **DEFAULTS[kind]
                )


def letter_template_save(
    *, user: User, kind: str, parts: dict[str, str], note: str = ""
) -> LetterTemplateVersion:
    """Store a new version of a template after checking every part (German refusals keyed by
    part, naming the line). The earlier versions stay; letters already sent are untouched."""
    if kind not in LetterKind.values:
        raise ValidationError("Diese Briefvorlage gibt es nicht.")
    cleaned = {part: (parts.get(part) or "").replace("\r\n", "\n") for part in parts_of(kind)}
    template_parts_check(kind=kind, parts=cleaned)
    letter_templates_ensure()
    with transaction.atomic():
        template = LetterTemplate.objects.select_for_update().get(kind=kind)
        number = (template.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = LetterTemplateVersion(
            template=template, number=number, note=note.strip()[:200], created_by=user, **cleaned
        )
        version.full_clean()
        version.save()
    logger.info("letter template %s: version %s by user %s", kind, number, user.pk)
    return version


def _compiled(version: LetterTemplateVersion) -> dict:
    try:
        return template_parts_check(kind=version.template.kind, parts=version.parts())
    except ValidationError:
        raise ValidationError(
            BROKEN_TEMPLATE.format(label=version.template.get_kind_display())
        ) from None


@dataclass(frozen=True)
class RenderedLetter:
    html: str
    subject: str
    template_version: LetterTemplateVersion
    layout_version: LetterTemplateVersion
    sheet: LetterSheet


def letter_render(
    *,
    kind: str,
    context: dict,
    version: LetterTemplateVersion | None = None,
    layout: LetterTemplateVersion | None = None,
) -> RenderedLetter:
    """The letter as HTML from the current (or given) template versions; a broken template
    refuses with a German message and renders nothing."""
    letter_templates_ensure()
    version = version or template_current(kind)
    layout = layout or template_current(LetterKind.LAYOUT)
    assert version is not None and layout is not None  # letter_templates_ensure made them
    parts = LetterParts(**_compiled(layout), **_compiled(version))
    subject = part_render(parts.subject, context)
    return RenderedLetter(
        html=letter_html(parts=parts, context=context, title=subject),
        subject=subject,
        template_version=version,
        layout_version=layout,
        sheet=LetterSheet(parts=parts, context=context),
    )


def letter_template_preview(*, kind: str, parts: dict[str, str]) -> LetterSheet:
    """Parts typed in the editor, checked and rendered with sample data, not stored. The
    layout is shown around the Hilfeplan letter; a letter inside the current layout."""
    cleaned = {part: (parts.get(part) or "").replace("\r\n", "\n") for part in parts_of(kind)}
    compiled = template_parts_check(kind=kind, parts=cleaned)
    letter_templates_ensure()
    letter_kind = LetterKind.HELP_PLAN if kind == LetterKind.LAYOUT else kind
    other = template_current(letter_kind if kind == LetterKind.LAYOUT else LetterKind.LAYOUT)
    assert other is not None  # letter_templates_ensure made it
    layout, letter = (compiled, _compiled(other))
    if kind != LetterKind.LAYOUT:
        layout, letter = (_compiled(other), compiled)
    return LetterSheet(parts=LetterParts(**layout, **letter), context=sample_context(letter_kind))


# Sending -----------------------------------------------------------------------------------------


def _send(
    *,
    user: User,
    kind: str,
    case: Case,
    context: dict,
    title: str,
    subject: dict,
    help_plan: HelpPlan | None = None,
    person: Person | None = None,
    batch: LetterBatch | None = None,
    share_with: Assignment | None = None,
    today: datetime.date,
) -> SentLetter:
    rendered = letter_render(kind=kind, context=context)
    pdf = letter_pdf(rendered.html)
    previous = letter_latest(case=case, kind=kind, **subject)
    with transaction.atomic():
        document = document_store(
            case=case,
            title=(rendered.subject or title)[:200],
            kind=DocumentKind.LETTER_SENT,
            content=pdf,
            file_name=f"{kind}-{case.number}-{today:%Y%m%d}.pdf",
            mime=uploads.PDF,
            dated_on=today,
            source=f"{settings.OFFICE_NAME} (Brief aus Vorlage)",
            created_by=user,
            person=person,
            help_plan=help_plan,
            replaces=previous.document if previous else None,
        )
        letter = SentLetter.objects.create(
            kind=kind,
            case=case,
            document=document,
            template_version=rendered.template_version,
            layout_version=rendered.layout_version,
            batch=batch,
            created_by=user,
            **subject,
        )
        audit_record(user=user, action=AuditAction.CREATE, obj=letter, detail="Brief erstellt")
        if share_with is not None and not document_share_allowed(
            document=document, assignment=share_with
        ):
            # The Träger's copy: shared with its own running assignment only.
            document_shares_set(user=user, document=document, assignments=[share_with])
    logger.info("letter %s (%s) made for case %s by user %s", letter.pk, kind, case.pk, user.pk)
    return letter


def _require_change(user: User, case: Case) -> None:
    # The views load the case for a change already; a batch re-checks each case this way,
    # since a deputyship may have ended between request and run.
    if not cases_visible_to(user).filter(pk=case.pk).exists() or not can_change_case(user, case):
        raise ValidationError("Für diesen Fall dürfen Sie keine Briefe erstellen.")


def help_plan_letter_send(*, user: User, plan: HelpPlan) -> SentLetter:
    """The Hilfeplan as a letter to the family, kept on the case (linked to the help plan)."""
    _require_change(user, plan.case)
    today = timezone.localdate()
    return _send(
        user=user,
        kind=LetterKind.HELP_PLAN,
        case=plan.case,
        context=help_plan_letter_context(plan=plan, today=today),
        title="Hilfeplan für die Familie",
        subject={"help_plan": plan},
        help_plan=plan,
        today=today,
    )


def invitation_send(
    *, user: User, review: HelpPlanReview, batch: LetterBatch | None = None
) -> SentLetter:
    """The invitation to a Hilfeplangespräch still to hold."""
    _require_change(user, review.case)
    if review.held_on is not None or review.cancelled_on is not None:
        raise ValidationError("Zu einem erfassten oder abgesagten Gespräch wird nicht eingeladen.")
    today = timezone.localdate()
    return _send(
        user=user,
        kind=LetterKind.INVITATION,
        case=review.case,
        context=invitation_context(review=review, today=today),
        title="Einladung zum Hilfeplangespräch",
        subject={"review": review},
        help_plan=review.help_plan,
        batch=batch,
        today=today,
    )


def decision_notice_send(*, user: User, notice: DecisionNotice) -> SentLetter:
    """The Bescheid; refused without a legal basis (an administrative act needs one)."""
    if not notice.legal_basis.strip():
        raise ValidationError({"legal_basis": NO_LEGAL_BASIS})
    _require_change(user, notice.case)
    today = timezone.localdate()
    return _send(
        user=user,
        kind=LetterKind.DECISION_NOTICE,
        case=notice.case,
        context=decision_notice_context(notice=notice, today=today),
        title="Bescheid",
        subject={"decision_notice": notice},
        person=notice.recipient,
        today=today,
    )


def commission_notice_send(*, user: User, assignment: Assignment) -> SentLetter:
    """The notice to the Träger of its commission (the Träger reads it for its own assignment
    only: `selectors_letters.commission_letter_for_user`)."""
    _require_change(user, assignment.case)
    today = timezone.localdate()
    return _send(
        user=user,
        kind=LetterKind.COMMISSION_NOTICE,
        case=assignment.case,
        context=commission_notice_context(assignment=assignment, today=today),
        title="Mitteilung an den Träger",
        subject={"assignment": assignment},
        help_plan=HelpPlan.objects.filter(help_id=assignment.help_id).first(),
        share_with=assignment,
        today=today,
    )


def decision_notice_create(
    *,
    user: User,
    case: Case,
    outcome: str,
    help_type: HelpType,
    help: Help | None,
    recipient: Person | None,
    legal_basis: str,
    reasons: str,
    applied_on: datetime.date | None,
    decided_on: datetime.date,
) -> DecisionNotice:
    """Record a Bescheid on a case. The legal basis defaults to the help type's paragraph; a
    Bescheid may be recorded without one, but its letter cannot be made (see above)."""
    _require_change(user, case)
    errors: dict[str, list[str]] = {}
    if help is not None and help.case_id != case.pk:
        errors.setdefault("help", []).append("Diese Hilfe gehört nicht zu diesem Fall.")
    if recipient is not None and recipient.case_id != case.pk:
        errors.setdefault("recipient", []).append("Diese Person gehört nicht zu diesem Fall.")
    if outcome == DecisionOutcome.GRANTED and help is None:
        errors.setdefault("help", []).append(
            "Bei einer Bewilligung wählen Sie bitte die entschiedene Hilfe."
        )
    if applied_on and applied_on > decided_on:
        errors.setdefault("applied_on", []).append(
            "Der Antrag kann nicht nach der Entscheidung gestellt worden sein."
        )
    if errors:
        raise ValidationError(errors)
    notice = DecisionNotice(
        case=case,
        outcome=outcome,
        help_type=help_type,
        help=help,
        recipient=recipient,
        legal_basis=(legal_basis.strip() or help_type.paragraph).strip(),
        reasons=reasons.strip(),
        applied_on=applied_on,
        decided_on=decided_on,
        created_by=user,
    )
    with transaction.atomic():
        notice.full_clean()
        notice.save()
        audit_record(user=user, action=AuditAction.CREATE, obj=notice, detail="Bescheid")
    return notice


# The family's agreement to its Hilfeplan ---------------------------------------------------------

AGREEMENT_TYPES = frozenset({uploads.PDF, uploads.PNG, uploads.JPEG})


def help_plan_agreement_record(
    *,
    user: User,
    plan: HelpPlan,
    way: str,
    given_on: datetime.date,
    given_by: str,
    note: str = "",
    uploaded: UploadedFile | None = None,
) -> HelpPlanAgreement:
    """Record the family's agreement: signed on paper (the scan is kept as a document on the
    help plan) or given in the meeting (date and who). Tied to the newest Hilfeplan letter."""
    _require_change(user, plan.case)
    errors: dict[str, list[str]] = {}
    if given_on > timezone.localdate():
        errors.setdefault("given_on", []).append("Das Datum liegt in der Zukunft.")
    if not given_by.strip():
        errors.setdefault("given_by", []).append("Bitte geben Sie an, wer zugestimmt hat.")
    checked = None
    if way == AgreementWay.PAPER:
        if uploaded is None:
            errors.setdefault("file", []).append(
                "Bitte laden Sie den unterschriebenen Hilfeplan hoch (PDF, PNG oder JPEG)."
            )
        else:
            try:
                checked = uploads.upload_check(
                    uploaded=uploaded,
                    allowed=AGREEMENT_TYPES,
                    max_bytes=settings.DOCUMENTS_MAX_BYTES,
                )
            except ValidationError as error:
                errors.setdefault("file", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    letter = letter_latest(case=plan.case, kind=LetterKind.HELP_PLAN, help_plan=plan)
    with transaction.atomic():
        document = None
        if checked is not None and uploaded is not None:
            uploaded.seek(0)
            document = document_store(
                case=plan.case,
                title="Hilfeplan, von der Familie unterschrieben",
                kind=DocumentKind.CONSENT,
                content=uploaded.read(),
                file_name=checked.name,
                mime=checked.mime,
                dated_on=given_on,
                source="Familie",
                created_by=user,
                help_plan=plan,
            )
        agreement = HelpPlanAgreement(
            case=plan.case,
            help_plan=plan,
            way=way,
            given_on=given_on,
            given_by=given_by.strip()[:300],
            note=note.strip(),
            document=document,
            letter=letter,
            recorded_by=user,
        )
        agreement.full_clean()
        agreement.save()
        audit_record(
            user=user, action=AuditAction.CREATE, obj=agreement, detail="Zustimmung zum Hilfeplan"
        )
    return agreement


# Batches -----------------------------------------------------------------------------------------


def letter_batch_request(
    *, user: User, reviews: list[HelpPlanReview], with_combined: bool
) -> LetterBatch:
    """Queue the invitations to the given reviews as one background run (ids only)."""
    if not reviews:
        raise ValidationError(
            "Es gibt keine überfälligen Hilfeplangespräche, zu denen einzuladen ist."
        )
    with transaction.atomic():
        batch = LetterBatch.objects.create(
            kind=LetterKind.INVITATION,
            requested_by=user,
            review_ids=[review.pk for review in reviews],
            with_combined=with_combined,
            total=len(reviews),
            step="Wartet auf den Hintergrunddienst",
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: letter_batch_enqueue(batch_id))
    logger.info(
        "letter batch %s requested by user %s (%s letters)", batch_id, user.pk, len(reviews)
    )
    return batch


def letter_batch_enqueue(batch_id: int) -> bool:
    """Hand the batch to the broker; False (and the batch still without `queued_at`) when the
    broker is away: `letter_batches_check` tries again a minute later."""
    from documents.tasks import letter_batch_run  # tasks import this module

    try:
        letter_batch_run.apply_async(args=(batch_id,), retry=False)
    except Exception as problem:  # kombu, redis and socket errors alike: the broker is away
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("letter batch %s: broker unreachable (%s)", batch_id, type(problem).__name__)
        return False
    # Only a batch still waiting: with tasks run in-process, the run has already finished.
    LetterBatch.objects.filter(pk=batch_id, state=BatchState.WAITING).update(
        queued_at=timezone.now()
    )
    return True


# The task's hard time limit (documents.tasks.letter_batch_run), and how often a batch whose
# runs were all killed is tried before it fails.
BATCH_TIME_LIMIT = 3600
BATCH_MAX_ATTEMPTS = 3
BATCH_ATTEMPTS_MESSAGE = (
    "Der Briefstapel wurde {attempts}-mal unterbrochen und nicht fertig. Die erstellten Briefe "
    "liegen in den Fallakten; bitte starten Sie die übrigen erneut."
)


def batch_lease_seconds() -> int:
    """How long a run holds its batch: the task's hard time limit plus a margin. After that the
    run that claimed it is certainly over (finished, failed or killed)."""
    return BATCH_TIME_LIMIT + 60


@dataclass(frozen=True)
class BatchCheck:
    queued: int
    resumed: int
    failed: int


def letter_batches_check(*, now: datetime.datetime | None = None) -> BatchCheck:
    """Every minute (celery beat): queue the batches that never reached the broker, or whose
    message was lost (queued longer ago than a run may take), and those a killed worker left
    running once their lease is over; a batch interrupted `BATCH_MAX_ATTEMPTS` times fails with
    a message. A second message for a batch is harmless: the run claims it under a lock."""
    now = now or timezone.now()
    resumed, failed = 0, 0
    with transaction.atomic():
        for batch in LetterBatch.objects.select_for_update(skip_locked=True).filter(
            state=BatchState.RUNNING, lease_until__lt=now
        ):
            if batch.attempts >= BATCH_MAX_ATTEMPTS:
                batch.state = BatchState.FAILED
                batch.error = BATCH_ATTEMPTS_MESSAGE.format(attempts=batch.attempts)
                batch.finished_at = now
                failed += 1
            else:
                batch.state = BatchState.WAITING
                batch.step = "Nach einer Unterbrechung erneut eingereiht"
                batch.queued_at = None
                resumed += 1
            batch.lease_until = None
            batch.save(
                update_fields=["state", "error", "finished_at", "step", "queued_at", "lease_until"]
            )
            logger.warning(
                "letter batch %s: stuck run found (attempt %s)", batch.pk, batch.attempts
            )
    lost = now - datetime.timedelta(seconds=batch_lease_seconds())
    waiting = list(
        LetterBatch.objects.filter(state=BatchState.WAITING)
        .exclude(queued_at__gte=lost)
        .values_list("pk", flat=True)
    )
    queued = sum(letter_batch_enqueue(pk) for pk in waiting)
    return BatchCheck(queued=queued, resumed=resumed, failed=failed)


def _batch_progress(batch_id: int, **values: object) -> None:
    # Outside any transaction, so the status page sees it at once.
    LetterBatch.objects.filter(pk=batch_id).update(**values)


def letter_batch_run(*, batch_id: int, progress_every: int = 10) -> LetterBatch | None:
    """Make the batch's letters one by one (each its own document and audit entry), then the
    combined PDF. A review held, cancelled or out of the requester's reach meanwhile is
    skipped. Idempotent: a finished batch is left alone; a second run skips letters made."""
    from pypdf import PdfWriter

    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.state in (BatchState.DONE, BatchState.FAILED):
            return batch
        now = timezone.now()
        if batch.state == BatchState.RUNNING and batch.lease_until and batch.lease_until > now:
            # Another run holds it (a second message for the same batch): it makes the letters.
            logger.info("letter batch %s: already running, message dropped", batch_id)
            return batch
        batch.state = BatchState.RUNNING
        batch.step = "Die Briefe werden erstellt"
        batch.lease_until = now + datetime.timedelta(seconds=batch_lease_seconds())
        batch.attempts += 1
        batch.save(update_fields=["state", "step", "lease_until", "attempts"])
    user = batch.requested_by
    done_ids = set(SentLetter.objects.filter(batch=batch).values_list("review_id", flat=True))
    writer = PdfWriter() if batch.with_combined else None
    made = skipped = 0
    total = len(batch.review_ids)
    report: Callable[[int], None] = lambda index: _batch_progress(  # noqa: E731
        batch_id,
        progress=min(95, int(index * 95 / max(total, 1))),
        made=made,
        skipped=skipped,
        step=f"{index} von {total} Briefen bearbeitet",
    )
    try:
        reviews = {
            review.pk: review
            for review in HelpPlanReview.objects.filter(pk__in=batch.review_ids).select_related(
                "case__steering_caseworker__asd_team",
                "help_plan__help__help_type",
                "invited_provider",
            )
        }
        for index, review_id in enumerate(batch.review_ids, start=1):
            review = reviews.get(review_id)
            if review is None or review_id in done_ids:
                skipped += review is None
                continue
            try:
                letter = invitation_send(user=user, review=review, batch=batch)
            except ValidationError as refusal:
                logger.info(
                    "letter batch %s: review %s skipped (%s)",
                    batch_id,
                    review_id,
                    refusal.messages[0][:60],
                )
                skipped += 1
            else:
                made += 1
                if writer is not None:
                    with letter.document.file.open("rb") as handle:
                        writer.append(io.BytesIO(handle.read()))
            if index % progress_every == 0:
                report(index)
        if writer is not None and len(writer.pages):
            _batch_progress(batch_id, progress=97, step="Das Sammel-PDF wird zusammengestellt")
            buffer = io.BytesIO()
            writer.write(buffer)
            batch.refresh_from_db()
            batch.combined.save(f"{batch.pk}.pdf", ContentFile(buffer.getvalue()), save=False)
            LetterBatch.objects.filter(pk=batch_id).update(combined=batch.combined.name)
    except Exception:
        logger.exception("letter batch %s failed", batch_id)
        _batch_progress(
            batch_id,
            state=BatchState.FAILED,
            made=made,
            skipped=skipped,
            error=(
                f"Der Briefstapel wurde nach {made} Briefen abgebrochen. Die erstellten Briefe "
                "liegen in den Fallakten; bitte starten Sie die übrigen erneut."
            ),
            finished_at=timezone.now(),
            lease_until=None,
        )
        return LetterBatch.objects.get(pk=batch_id)
    _batch_progress(
        batch_id,
        state=BatchState.DONE,
        progress=100,
        made=made + len(done_ids),
        skipped=skipped,
        step="",
        finished_at=timezone.now(),
        lease_until=None,
    )
    return LetterBatch.objects.get(pk=batch_id)
