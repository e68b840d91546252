"""Proposals of the Sozialraumteam on a case (Fallverteilung) and their confirmation.

The meeting (app `meetings`, above this one) decides; `allocation_propose` is what its service
calls in the same transaction, so the decision is on the case at once. The responsible
caseworker (or whoever may change the case) confirms it here. Confirming an individual help
does not decide the help itself: the caseworker goes on to the help decision and the
commissioning step, prefilled with the proposed Träger (`allocation_next_step`).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_record
from cases.corrections import decision_log
from cases.models import (
    AllocationKind,
    AllocationProposal,
    AssignmentStatus,
    AuditAction,
    Case,
    CaseStatus,
)
from cases.permissions import can_change_case
from cases.services import case_require_open, resource_link_offer
from network.models import Offer
from sozialraum.models import ASD_ROLES, Provider, User

NO_RESPONSIBLE = (
    "Bitte wählen Sie die verantwortliche Fachkraft: ohne sie bestätigt niemand die Entscheidung."
)


def proposal_responsible_errors(*, case: Case, responsible: User | None) -> dict[str, str]:
    """The responsible caseworker must be active ASD staff of the case's region."""
    if responsible is None:
        return {"responsible": NO_RESPONSIBLE}
    if (
        not responsible.is_active
        or responsible.role not in ASD_ROLES
        or responsible.asd_team is None
        or responsible.asd_team.region_id != case.region_id
    ):
        return {
            "responsible": "Die verantwortliche Fachkraft muss zum ASD der Region des Falls "
            "gehören und ein aktives Konto haben."
        }
    return {}


@transaction.atomic
def allocation_propose(
    *,
    user: User,
    case: Case,
    kind: str,
    responsible: User | None,
    provider: Provider | None = None,
    offer: Offer | None = None,
    text: str = "",
    proposed_on: datetime.date | None = None,
) -> AllocationProposal:
    """Put a decision of the Sozialraumteam on the case as a proposal to confirm."""
    case_require_open(case)
    errors = proposal_responsible_errors(case=case, responsible=responsible)
    if kind == AllocationKind.INDIVIDUAL_HELP and provider is None:
        errors["provider"] = "Für eine Einzelhilfe wählen Sie bitte den vorgeschlagenen Träger."
    if kind in (AllocationKind.PARTNER_OFFER, AllocationKind.GROUP_OFFER) and offer is None:
        errors["offer"] = "Bitte wählen Sie das Angebot, an das die Familie vermittelt wird."
    if errors:
        raise ValidationError(errors)
    proposal = AllocationProposal(
        case=case,
        kind=kind,
        provider=provider if kind == AllocationKind.INDIVIDUAL_HELP else None,
        offer=offer if kind in (AllocationKind.PARTNER_OFFER, AllocationKind.GROUP_OFFER) else None,
        text=text.strip(),
        responsible=responsible,
        proposed_on=proposed_on or timezone.localdate(),
        proposed_by=user,
    )
    proposal.full_clean()
    proposal.save()
    audit_record(
        user=user, action=AuditAction.CREATE, obj=proposal, detail="Vorschlag Sozialraumteam"
    )
    return proposal


def can_confirm_proposal(user: User, proposal: AllocationProposal) -> bool:
    return proposal.confirmed_at is None and (
        proposal.responsible_id == user.pk or can_change_case(user, proposal.case)
    )


@transaction.atomic
def allocation_confirm(*, user: User, proposal: AllocationProposal) -> AllocationProposal:
    """The responsible caseworker confirms the team's proposal. An offer it names becomes one of
    the case's resources; the case's history keeps the confirmation."""
    proposal = (
        AllocationProposal.objects.select_for_update(of=("self",))
        .select_related("case", "provider", "offer")
        .get(pk=proposal.pk)
    )
    if proposal.confirmed_at is not None:
        raise ValidationError("Dieser Vorschlag ist bereits bestätigt.")
    if not can_confirm_proposal(user, proposal):
        raise PermissionDenied(
            "Bestätigen dürfen die verantwortliche Fachkraft, die fallsteuernde Fachkraft und "
            "die Teamleitung."
        )
    case = proposal.case
    case_require_open(case)
    proposal.confirmed_at = timezone.now()
    proposal.confirmed_by = user
    proposal.save(update_fields=["confirmed_at", "confirmed_by"])
    if proposal.offer is not None and not case.resources.filter(offer=proposal.offer).exists():
        resource_link_offer(user=user, case=case, offer=proposal.offer)
    label = proposal.get_kind_display()
    if proposal.provider is not None:
        label += f" ({proposal.provider.short_name})"
    decision_log(user=user, case=case, text=f"Vorschlag des Sozialraumteams bestätigt: {label}")
    audit_record(user=user, action=AuditAction.CHANGE, obj=proposal, detail="Vorschlag bestätigt")
    return proposal


def allocation_proposals_of_case(case: Case) -> QuerySet[AllocationProposal]:
    return case.allocation_proposals.select_related(
        "provider", "offer", "responsible", "confirmed_by", "proposed_by"
    )


@dataclass(frozen=True)
class NextStep:
    url: str
    label: str


def allocation_next_step(*, proposal: AllocationProposal) -> NextStep | None:
    """Where a confirmed individual-help proposal leads: commissioning the proposed Träger for
    a help without a running commission, else deciding the help first."""
    if proposal.kind != AllocationKind.INDIVIDUAL_HELP or proposal.provider_id is None:
        return None
    case = proposal.case
    if case.assignments.filter(
        provider_id=proposal.provider_id, status=AssignmentStatus.ACTIVE
    ).exists():
        return None
    open_help = (
        case.helps.filter(ended_on__isnull=True)
        .exclude(assignments__status=AssignmentStatus.ACTIVE)
        .order_by("-starts_on", "-id")
        .first()
    )
    name = proposal.provider.short_name if proposal.provider else ""
    if open_help is not None:
        url = reverse("budgets:commission", args=[case.pk, open_help.pk])
        return NextStep(url=f"{url}?traeger={proposal.provider_id}", label=f"{name} beauftragen")
    if case.status in (CaseStatus.CLARIFICATION, CaseStatus.HELP_DECIDED, CaseStatus.RUNNING):
        return NextStep(
            url=reverse("cases:help_decide", args=[case.pk]),
            label="Hilfe entscheiden (danach den Träger beauftragen)",
        )
    return NextStep(
        url=reverse("budgets:case_transition", args=[case.pk]),
        label="Fall in die Klärung nehmen (dann Hilfe entscheiden)",
    )


def proposals_unconfirmed_of_region(region_id: int) -> QuerySet[AllocationProposal]:
    return AllocationProposal.objects.filter(
        case__region_id=region_id, confirmed_at__isnull=True
    ).select_related("case", "responsible", "provider")


def proposal_for_user(case: Case, pk: int) -> AllocationProposal:
    """One proposal of a case the user already reached through `case_for_user` (404 else)."""
    proposal = allocation_proposals_of_case(case).filter(pk=pk).first()
    if proposal is None:
        raise Http404("Vorschlag nicht gefunden.")
    return proposal


@dataclass(frozen=True)
class ProposalRow:
    proposal: AllocationProposal
    can_confirm: bool
    next_step: NextStep | None


def proposal_rows(*, user: User, case: Case) -> list[ProposalRow]:
    """The case page's list: each proposal, whether the user may confirm it, and (once
    confirmed) the next step of an individual help."""
    rows = []
    for proposal in allocation_proposals_of_case(case)[:20]:
        proposal.case = case  # the page's case, already loaded with its scope
        rows.append(
            ProposalRow(
                proposal=proposal,
                can_confirm=can_confirm_proposal(user, proposal),
                next_step=allocation_next_step(proposal=proposal)
                if proposal.is_confirmed
                else None,
            )
        )
    return rows
