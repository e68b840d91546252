"""Reads of the privacy app: what each retention class makes due, holds, run reports, and
everything stored about one person for a subject access request (Art. 15 DSGVO)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from budgets.models import LedgerText
from budgets.selectors import ledger_texts_naming
from cases.models import (
    AuditEntry,
    Case,
    CaseKind,
    CaseStatus,
    Goal,
    Help,
    Note,
    PeerConsultation,
    Person,
    PersonRole,
    RiskAssessment,
)
from cases.names import name_part_key
from cases.services import add_months
from contributions.selectors import ContributionRow, contributions_of_case
from documents.models import Document
from privacy.anonymise import PLACEHOLDER
from privacy.models import (
    Action,
    Anchor,
    LegalHold,
    RecordType,
    RetentionClass,
    RetentionRun,
)
from reimbursements.selectors import ReimbursementRow, reimbursements_of_case
from reports.models import ReportRequest, ReportState
from sozialraum.models import Role, User

CASE_TYPES = (RecordType.CASE_WITH_HELP, RecordType.CASE_WITHOUT_HELP, RecordType.PROJECT)
# Parts of a case file first: a "with the case" period reads the children's birth dates, which
# anonymising the case coarsens to the year.
RUN_ORDER = (
    RecordType.NOTE,
    RecordType.RISK_ASSESSMENT,
    *CASE_TYPES,
    RecordType.REPORT_FILE,
    RecordType.AUDIT_ENTRY,
)


# --- Retention ---------------------------------------------------------------------------------


def retention_classes() -> dict[str, RetentionClass]:
    return {c.record_type: c for c in RetentionClass.objects.all()}


def period_cutoff(*, on_day: datetime.date, years: int, months: int) -> datetime.date:
    """The latest start day whose period has run out on `on_day`."""
    return add_months(on_day, -(years * 12 + months))


def last_year_end(day: datetime.date) -> datetime.date:
    """The last 31 December on or before `day`."""
    return day if (day.month, day.day) == (12, 31) else datetime.date(day.year - 1, 12, 31)


def _day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after `day`, local time: `timestamp < _day_end(day)` is "on or before"."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def held_case_ids() -> QuerySet:
    return LegalHold.objects.filter(lifted_at__isnull=True).values("case_id")


def cases_of_type(record_type: str) -> QuerySet[Case]:
    """Closed cases of one case record type. Open cases are never due, whatever their age.
    A case withdrawn as created by mistake counts as closed on the day of its withdrawal: kept
    for the audit until its period has run out (the default manager leaves it out)."""
    closed = Case.all_objects.filter(
        Q(status=CaseStatus.CLOSED) | Q(withdrawn_at__isnull=False), closed_on__isnull=False
    )
    with_help = Exists(Help.objects.filter(case=OuterRef("pk")))
    if record_type == RecordType.CASE_WITH_HELP:
        return closed.filter(with_help, kind=CaseKind.INDIVIDUAL)
    if record_type == RecordType.CASE_WITHOUT_HELP:
        return closed.filter(~with_help, kind=CaseKind.INDIVIDUAL)
    if record_type == RecordType.PROJECT:
        return closed.exclude(kind=CaseKind.INDIVIDUAL)
    raise ValueError(f"not a case record type: {record_type}")


def cases_past_period(record_type: str, *, anchor: str, cutoff: datetime.date) -> QuerySet[Case]:
    """Closed cases of the type whose period (ending on `cutoff` as start day) has run out."""
    cases = cases_of_type(record_type)
    if anchor == Anchor.YOUNGEST_CHILD_BIRTH:
        youngest = (
            Person.objects.filter(
                case=OuterRef("pk"), role=PersonRole.CHILD, birth_date__isnull=False
            )
            .order_by("-birth_date")
            .values("birth_date")[:1]
        )
        # A case without a child's birth date has no start day: it is never due (safe side).
        return cases.annotate(youngest_child_born=Subquery(youngest)).filter(
            youngest_child_born__lte=cutoff
        )
    if anchor == Anchor.CLOSED:
        return cases.filter(closed_on__lte=cutoff)
    if anchor == Anchor.CLOSED_YEAR_END:
        return cases.filter(closed_on__lte=last_year_end(cutoff))
    raise ValueError(f"start {anchor} does not fit {record_type}")


def _class_cutoff(
    retention_class: RetentionClass, *, on_day: datetime.date, extra: RetentionClass | None = None
) -> datetime.date:
    years, months = retention_class.period_years, retention_class.period_months
    if extra is not None:
        years, months = years + extra.period_years, months + extra.period_months
    return period_cutoff(on_day=on_day, years=years, months=months)


def _record_cutoff(retention_class: RetentionClass, *, on_day: datetime.date) -> datetime.date:
    """The last day a record (outside any case) may date from and be due."""
    cutoff = _class_cutoff(retention_class, on_day=on_day)
    return last_year_end(cutoff) if retention_class.anchor == Anchor.RECORD_YEAR_END else cutoff


@dataclass(frozen=True)
class Due:
    """Rows whose period has run out: `rows` still to act on, `held` left alone by a hold."""

    rows: QuerySet
    held: int
    cutoff: datetime.date
    case_field: str  # the path from a row to its case ("pk" for cases), for per-case locking


_PART_MODELS: dict[str, tuple[type[Note] | type[RiskAssessment], str, str]] = {
    # record type: (model, date field, field made anonymous)
    RecordType.NOTE: (Note, "created_at", "text"),
    RecordType.RISK_ASSESSMENT: (RiskAssessment, "assessed_at", "facts"),
}


def _parts_past_period(
    retention_class: RetentionClass, *, on_day: datetime.date, classes: dict[str, RetentionClass]
) -> tuple[QuerySet, datetime.date]:
    model, date_field, _text = _PART_MODELS[retention_class.record_type]
    cutoff = _class_cutoff(retention_class, on_day=on_day)
    parts = model.objects.filter(case__status=CaseStatus.CLOSED, case__closed_on__isnull=False)
    anchor = retention_class.anchor
    if anchor == Anchor.WITH_CASE:
        due_cases = Q(pk__in=[])
        for record_type in CASE_TYPES:
            case_class = classes.get(record_type)
            if case_class is None:
                continue
            case_cutoff = _class_cutoff(case_class, on_day=on_day, extra=retention_class)
            due_cases |= Q(
                case__in=cases_past_period(
                    record_type, anchor=case_class.anchor, cutoff=case_cutoff
                ).values("pk")
            )
        return parts.filter(due_cases), cutoff
    if anchor == Anchor.CLOSED:
        return parts.filter(case__closed_on__lte=cutoff), cutoff
    if anchor == Anchor.CLOSED_YEAR_END:
        return parts.filter(case__closed_on__lte=last_year_end(cutoff)), cutoff
    if anchor == Anchor.RECORD:
        return parts.filter(**{f"{date_field}__lt": _day_end(cutoff)}), cutoff
    if anchor == Anchor.RECORD_YEAR_END:
        return parts.filter(**{f"{date_field}__lt": _day_end(last_year_end(cutoff))}), cutoff
    raise ValueError(f"start {anchor} does not fit {retention_class.record_type}")


def retention_due(
    retention_class: RetentionClass,
    *,
    on_day: datetime.date,
    classes: dict[str, RetentionClass],
) -> Due:
    """What the class makes due on `on_day`, without what is done already or held."""
    record_type = retention_class.record_type
    held = held_case_ids()
    if record_type in CASE_TYPES:
        cutoff = _class_cutoff(retention_class, on_day=on_day)
        cases = cases_past_period(record_type, anchor=retention_class.anchor, cutoff=cutoff).filter(
            anonymised_at__isnull=True
        )
        return Due(
            rows=cases.exclude(pk__in=held),
            held=cases.filter(pk__in=held).count(),
            cutoff=cutoff,
            case_field="pk",
        )
    if record_type in _PART_MODELS:
        parts, cutoff = _parts_past_period(retention_class, on_day=on_day, classes=classes)
        if retention_class.action == Action.ANONYMISE:
            text_field = _PART_MODELS[record_type][2]
            parts = parts.exclude(**{text_field: PLACEHOLDER})
        return Due(
            rows=parts.exclude(case_id__in=held),
            held=parts.filter(case_id__in=held).count(),
            cutoff=cutoff,
            case_field="case_id",
        )
    if record_type == RecordType.AUDIT_ENTRY:
        cutoff = _record_cutoff(retention_class, on_day=on_day)
        entries = AuditEntry.objects.filter(at__lt=_day_end(cutoff))
        held_numbers = Case.objects.filter(pk__in=held).values("number")
        return Due(
            rows=entries.exclude(case_number__in=held_numbers),
            held=entries.filter(case_number__in=held_numbers).count(),
            cutoff=cutoff,
            case_field="",
        )
    if record_type == RecordType.REPORT_FILE:
        cutoff = _record_cutoff(retention_class, on_day=on_day)
        # Waiting and running reports are never due: a worker may be writing the file.
        reports = ReportRequest.objects.filter(
            state__in=[ReportState.DONE, ReportState.FAILED], requested_at__lt=_day_end(cutoff)
        )
        return Due(rows=reports, held=0, cutoff=cutoff, case_field="")
    raise ValueError(f"unknown record type {record_type}")


@dataclass(frozen=True)
class ReportRow:
    record_type: str
    label: str
    action_label: str
    is_active: bool
    cutoff: datetime.date | None
    due: int
    held: int
    done: int


def run_report(run: RetentionRun) -> list[ReportRow]:
    labels = dict(RecordType.choices)
    actions = dict(Action.choices)
    return [
        ReportRow(
            record_type=row["record_type"],
            label=labels.get(row["record_type"], row["record_type"]),
            action_label=actions.get(row["action"], row["action"]),
            is_active=row["is_active"],
            cutoff=datetime.date.fromisoformat(row["cutoff"]) if row.get("cutoff") else None,
            due=row["due"],
            held=row["held"],
            done=row["done"],
        )
        for row in run.results
    ]


def runs_recent(limit: int = 20) -> list[RetentionRun]:
    return list(RetentionRun.objects.select_related("started_by")[:limit])


# --- Who may act on which cases -----------------------------------------------------------------


def cases_in_privacy_scope(user: User) -> QuerySet[Case]:
    """Cases for legal holds and subject access: a team lead's own region; the administration
    the whole office (one office answers a request for access, whichever region holds the data).
    """
    role = getattr(user, "effective_role", "") if user.is_authenticated else ""
    if role == Role.ADMIN:
        return Case.objects.all()
    if role == Role.TEAM_LEAD and user.asd_team is not None:
        return Case.objects.filter(region_id=user.asd_team.region_id)
    return Case.objects.none()


def legal_holds_visible_to(user: User) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case__in=cases_in_privacy_scope(user)).select_related(
        "case__region", "placed_by", "lifted_by"
    )


def legal_hold_get(user: User, pk: int) -> LegalHold:
    """An active hold the user may lift (404 otherwise)."""
    try:
        return legal_holds_visible_to(user).get(pk=pk, lifted_at__isnull=True)
    except LegalHold.DoesNotExist:
        raise Http404("Löschsperre nicht gefunden.") from None


# --- Subject access (Art. 15 DSGVO) -------------------------------------------------------------

SEARCH_LIMIT = 100


def subject_persons_in_scope(user: User) -> QuerySet[Person]:
    return Person.objects.filter(case__in=cases_in_privacy_scope(user)).exclude(name_key="")


def subject_persons_find(
    *, user: User, last_name: str, first_name: str = "", birth_date: datetime.date | None = None
) -> list[Person]:
    """Person records that may belong to the requester; staff confirm which ones really do."""
    last = name_part_key(last_name)
    if not last:
        return []
    persons = subject_persons_in_scope(user)
    first = name_part_key(first_name)
    if first:
        persons = persons.filter(name_key=f"{last}|{first}")
    else:
        persons = persons.filter(name_key__startswith=f"{last}|")
    if birth_date:
        persons = persons.filter(birth_date=birth_date)
    return list(
        persons.select_related("case__region", "case__sozialraum").order_by(
            "name_key", "birth_date", "case__number", "pk"
        )[:SEARCH_LIMIT]
    )


@dataclass
class CaseRecord:
    """Everything stored in one case about the requester (third parties only by role)."""

    case: Case
    subjects: list[Person]
    others: list[Person]
    retention: RetentionClass | None
    recipients: list[str] = field(default_factory=list)
    # Free texts of the case's ledger entries that name a requester (`ledger_texts_naming`).
    ledger_texts: list[LedgerText] = field(default_factory=list)
    # Claims between youth offices about the case (§§ 89 ff.); the offices a claim went to are
    # recipients as well.
    reimbursements: list[ReimbursementRow] = field(default_factory=list)
    # Cost contributions (§§ 91 ff.): the liable persons' income evidence and the claims.
    contributions: list[ContributionRow] = field(default_factory=list)


def _case_record_type(case: Case) -> str:
    if case.kind != CaseKind.INDIVIDUAL:
        return RecordType.PROJECT
    return RecordType.CASE_WITH_HELP if case.helps.all() else RecordType.CASE_WITHOUT_HELP


def subject_access_records(persons: list[Person]) -> list[CaseRecord]:
    """The cases of the selected person records, with every part of the file, in case order."""
    subject_ids = {p.pk for p in persons}
    cases = (
        Case.objects.filter(pk__in={p.case_id for p in persons})
        .select_related("region", "sozialraum", "steering_caseworker")
        .prefetch_related(
            "persons",
            "resources__partner",
            Prefetch("goals", queryset=Goal.objects.prefetch_related("steps")),
            Prefetch(
                "helps",
                queryset=Help.objects.select_related("help_type").prefetch_related(
                    "assignments__provider", "help_plan__reviews"
                ),
            ),
            Prefetch("notes", queryset=Note.objects.order_by("created_at", "pk")),
            Prefetch(
                "risk_assessments",
                queryset=RiskAssessment.objects.prefetch_related("protection_measures").order_by(
                    "assessed_at", "pk"
                ),
            ),
            Prefetch("consultations", queryset=PeerConsultation.objects.order_by("held_on", "pk")),
            "status_changes",
            "sharings__provider",
            # Art. 15 (3): the documents on the case are listed; copies go out on request.
            Prefetch("documents", queryset=Document.objects.order_by("dated_on", "pk")),
        )
        .order_by("opened_on", "number")
    )
    classes = retention_classes()
    records = []
    for case in cases:
        providers = {a.provider.name for h in case.helps.all() for a in h.assignments.all()}
        # Art. 15 (1) c: also whoever got data through a recorded sharing (school, doctor …).
        shared_with = {s.provider.name if s.provider else s.recipient for s in case.sharings.all()}
        subjects = [p for p in case.persons.all() if p.pk in subject_ids]
        reimbursements = reimbursements_of_case(case.pk)
        shared_with |= {row.office for row in reimbursements if row.sent}
        records.append(
            CaseRecord(
                case=case,
                subjects=subjects,
                others=[p for p in case.persons.all() if p.pk not in subject_ids],
                retention=classes.get(_case_record_type(case)),
                recipients=sorted(providers | shared_with),
                reimbursements=reimbursements,
                contributions=[
                    row for row in contributions_of_case(case.pk) if row.person_id in subject_ids
                ],
                ledger_texts=ledger_texts_naming(
                    case_id=case.pk,
                    names=[n for p in subjects for n in (p.first_name, p.last_name) if n],
                ),
            )
        )
    return records
