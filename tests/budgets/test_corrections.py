"""Corrections that move money (issue 24, part 1): a help's hours or a commission's period are
corrected through the ledger — a reversal of the old booking and a new booking that sum to the
corrected amount, never an edited entry — and a case created by mistake is withdrawn by the team
lead, its binding reversed in the same step, gone from the list, kept in the audit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budgets.corrections import assignment_correct, case_withdraw, help_correct
from budgets.models import Commitment, EntryKind, LedgerEntry, TransferStatus
from budgets.selectors import budget_figures
from budgets.services import reserve_transfer_decide, reserve_transfer_request
from cases.models import AuditEntry, Case
from corrections.models import Correction, CorrectionKind
from sozialraum.money import money_format
from tests.budgets.test_assignment_commitments import START, commission, decided, hours_cost  # noqa: F401
from tests.factories import UserFactory

YEAR_END = datetime.date(2026, 12, 31)


@pytest.fixture
def commissioned(users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a):  # noqa: F811
    return commission(users["caseworker"], decided, provider_a)


def _help_args(help_, **changes):
    args = {
        "starts_on": help_.starts_on,
        "planned_end_on": help_.planned_end_on,
        "hours_per_week": help_.hours_per_week,
        "monthly_cost": None,
        "placement_location": "",
        "rationale": help_.rationale,
        "reason": "Stunden vertippt",
    }
    return {**args, **changes}


def test_correcting_a_helps_hours_reverses_the_booking_and_books_the_corrected_amount(
    users, budget_nord, commissioned
):
    help_ = commissioned.help
    commitment = Commitment.objects.get(assignment=commissioned)
    old = commitment.entries.get(kind=EntryKind.COMMITMENT)

    correction = help_correct(
        user=users["caseworker"], help_=help_, **_help_args(help_, hours_per_week=Decimal("4"))
    )

    corrected = hours_cost(START, YEAR_END, hours=Decimal(4))
    entries = list(commitment.entries.order_by("pk"))
    assert [(e.kind, e.amount) for e in entries] == [
        (EntryKind.COMMITMENT, old.amount),
        (EntryKind.REVERSAL, -old.amount),
        (EntryKind.COMMITMENT, corrected),
    ]
    assert entries[1].reverses == old and entries[1].reason == "Stunden vertippt"
    assert sum(e.amount for e in entries) == corrected
    commitment.refresh_from_db()
    assert commitment.cached_bound == corrected and commitment.hours_per_week == Decimal(4)
    assert budget_figures([budget_nord])[budget_nord.pk].committed == corrected
    assert correction.changes[0]["label"] == "Fachleistungsstunden pro Woche"
    assert correction.changes[0]["before"] == "5" and correction.changes[0]["after"] == "4"
    assert AuditEntry.objects.filter(
        object_type="help", object_id=help_.pk, detail="Hilfe berichtigt"
    ).exists()


def test_correcting_a_commissions_period_rebooks_it_for_the_corrected_period(
    users, budget_nord, commissioned
):
    commitment = Commitment.objects.get(assignment=commissioned)
    old = commitment.cached_bound
    end = datetime.date(2026, 6, 30)

    assignment_correct(
        user=users["caseworker"],
        assignment=commissioned,
        starts_on=commissioned.starts_on,
        ends_on=end,
        provider_contact="Herr Neu",
        instructions=commissioned.instructions,
        reason="Ende falsch übernommen",
    )

    commitment.refresh_from_db()
    corrected = hours_cost(START, end)
    assert commitment.cached_bound == corrected
    reversal = commitment.entries.get(kind=EntryKind.REVERSAL)
    new = commitment.entries.filter(kind=EntryKind.COMMITMENT).latest("pk")
    assert old + reversal.amount + new.amount == corrected
    history = Correction.objects.get(object_id=commissioned.pk)
    assert {c["field"] for c in history.changes} == {"ends_on", "provider_contact"}


def test_a_correction_that_changes_no_money_books_nothing(users, commissioned):
    commitment = Commitment.objects.get(assignment=commissioned)
    help_correct(
        user=users["caseworker"],
        help_=commissioned.help,
        **_help_args(commissioned.help, rationale="Begründung ergänzt", reason="ergänzt"),
    )
    assert commitment.entries.count() == 1


def test_help_correction_by_a_colleague_is_403_and_after_the_period_needs_the_team_lead(
    client, users, team_nord, commissioned, settings
):
    help_ = commissioned.help
    url = reverse("budgets:help_correct", args=[help_.case_id, help_.pk])
    client.force_login(UserFactory(role="caseworker", asd_team=team_nord))
    assert client.get(url).status_code == 403
    type(help_).objects.filter(pk=help_.pk).update(
        decided_at=help_.decided_at - datetime.timedelta(days=settings.CORRECTION_DAYS + 1)
    )
    help_.refresh_from_db()
    with pytest.raises(PermissionDenied):
        help_correct(
            user=users["caseworker"], help_=help_, **_help_args(help_, hours_per_week=Decimal(4))
        )
    help_correct(
        user=users["team_lead"], help_=help_, **_help_args(help_, hours_per_week=Decimal(4))
    )
    client.force_login(users["caseworker"])
    response = client.get(url)
    assert response.status_code == 403
    assert "Berichtigung nur durch die Teamleitung nach 14 Tagen" in response.content.decode()


def test_help_correction_form_posts_with_german_decimal_and_shows_the_history(
    client, users, commissioned
):
    help_ = commissioned.help
    client.force_login(users["caseworker"])
    url = reverse("budgets:help_correct", args=[help_.case_id, help_.pk])
    data = {
        "hours_per_week": "4,5",
        "starts_on": help_.starts_on.isoformat(),
        "planned_end_on": help_.planned_end_on.isoformat(),
        "rationale": "",
        "reason": "",
    }
    response = client.post(url, data)
    assert (
        response.status_code == 422 and "Bitte geben Sie den Grund an." in response.content.decode()
    )
    response = client.post(url, {**data, "reason": "Stunden vertippt"})
    assert response.status_code == 302
    help_.refresh_from_db()
    assert help_.hours_per_week == Decimal("4.5")
    page = client.get(reverse("cases:detail", args=[help_.case_id])).content.decode()
    assert "Grund: <span" in page and "Stunden vertippt" in page


def test_withdrawing_a_case_reverses_its_binding_and_removes_it_from_lists_not_the_audit(
    client, users, budget_nord, commissioned
):
    case = commissioned.case
    client.force_login(users["team_lead"])
    url = reverse("budgets:case_withdraw", args=[case.pk])
    bound = Commitment.objects.get(assignment=commissioned).cached_bound
    page = client.get(url).content.decode()
    assert f"Die Bindung von {money_format(bound)} wird aufgelöst" in page

    refused = client.post(url, {"reason": ""})
    assert (
        refused.status_code == 422 and "Bitte geben Sie den Grund an." in refused.content.decode()
    )

    assert client.post(url, {"reason": "irrtümlich angelegt"}).status_code == 302

    assert not Case.objects.filter(pk=case.pk).exists()
    withdrawn = Case.all_objects.get(pk=case.pk)
    assert withdrawn.withdrawal_reason == "irrtümlich angelegt"
    assert withdrawn.withdrawn_by == users["team_lead"]
    assert budget_figures([budget_nord])[budget_nord.pk].committed == Decimal("0.00")
    assert Commitment.objects.get(assignment=commissioned).is_cancelled
    assert Correction.objects.filter(kind=CorrectionKind.WITHDRAWAL, object_id=case.pk).exists()
    assert AuditEntry.objects.filter(case_number=case.number, detail="Fall zurückgenommen").exists()
    client.get(reverse("cases:list"))  # shows (and uses up) the success message
    listing = client.get(reverse("cases:list")).content.decode()
    assert case.number not in listing
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_only_the_team_lead_withdraws_a_case(client, users, commissioned):
    with pytest.raises(PermissionDenied):
        case_withdraw(user=users["caseworker"], case=commissioned.case, reason="irrtümlich")
    client.force_login(users["caseworker"])
    assert (
        client.get(reverse("budgets:case_withdraw", args=[commissioned.case_id])).status_code == 403
    )


def test_a_case_with_payments_is_not_withdrawn(users, commissioned):
    from budgets.services import payment_book

    commitment = Commitment.objects.get(assignment=commissioned)
    payment_book(
        commitment=commitment, amount=Decimal("100"), paid_on=START, by=users["caseworker"]
    )
    with pytest.raises(ValidationError, match="gezahlt"):
        case_withdraw(user=users["team_lead"], case=commissioned.case, reason="irrtümlich")


# Decisions with reasons (issue 24, part 4): the planners' decision on reserve money.


@pytest.fixture
def transfer(users, budget_nord):
    return reserve_transfer_request(
        budget=budget_nord,
        amount=Decimal("5000"),
        justification="Zuzug zweier Familien",
        by=users["team_lead"],
    )


def test_refusing_a_reserve_request_without_reason_is_a_german_message(client, users, transfer):
    with pytest.raises(ValidationError) as refused:
        reserve_transfer_decide(request=transfer, approve=False, by=users["planner"])
    assert "Bitte begründen Sie die Ablehnung" in refused.value.messages[0]
    client.force_login(users["planner"])
    url = reverse("budgets:transfer_decide", args=[transfer.pk])
    response = client.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 422
    assert "Bitte begründen Sie die Ablehnung" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING


def test_a_refusal_shows_its_consequences_first_and_is_saved_only_when_confirmed(
    client, users, transfer
):
    client.force_login(users["planner"])
    url = reverse("budgets:transfer_decide", args=[transfer.pk])
    data = {"decision": "reject", "note": "Das Regionalbudget reicht noch."}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "wird abgelehnt; es wird nichts gebucht" in page.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING
    assert client.post(url, {**data, "confirmed": "True"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REJECTED
    assert transfer.decision_note == "Das Regionalbudget reicht noch."


def test_a_refused_request_is_re_decided_and_the_old_decision_stays_in_the_history(
    client, users, budget_nord, transfer
):
    reserve_transfer_decide(request=transfer, approve=False, by=users["planner"], note="Nein")
    allocated = budget_figures([budget_nord])[budget_nord.pk].allocated

    reserve_transfer_decide(
        request=transfer, approve=True, by=users["admin"], note="Neue Zahlen zum Zuzug"
    )

    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED and transfer.decided_by == users["admin"]
    assert budget_figures([budget_nord])[budget_nord.pk].allocated == allocated + Decimal("5000")
    history = Correction.objects.get(kind=CorrectionKind.DECISION, object_id=transfer.pk)
    assert history.reason == "Neue Zahlen zum Zuzug"
    assert {c["field"]: c["before"] for c in history.changes}["status"] == "abgelehnt"
    assert history.before["decision_note"] == "Nein"
    client.force_login(users["planner"])
    page = client.get(reverse("budgets:transfer_decide", args=[transfer.pk])).content.decode()
    assert "Frühere Entscheidungen" in page and "Neue Zahlen zum Zuzug" in page


def test_an_approval_revisited_as_refusal_reverses_the_transfer(users, budget_nord, transfer):
    reserve_transfer_decide(request=transfer, approve=True, by=users["planner"], note="")
    allocated = budget_figures([budget_nord])[budget_nord.pk].allocated

    reserve_transfer_decide(
        request=transfer, approve=False, by=users["planner"], note="Doppelt beantragt"
    )

    assert budget_figures([budget_nord])[budget_nord.pk].allocated == allocated - Decimal("5000")
    reversals = LedgerEntry.objects.filter(transfer_request=transfer, kind=EntryKind.REVERSAL)
    assert reversals.count() == 2
    assert sum(e.amount for e in LedgerEntry.objects.filter(transfer_request=transfer)) == 0
    with pytest.raises(ValidationError, match="neu entscheiden"):
        reserve_transfer_decide(request=transfer, approve=True, by=users["planner"])


# Decisions with reasons: ending a help and closing a case show what will happen first.


def test_ending_a_help_shows_the_freed_money_first_and_needs_a_reason(
    client, users, budget_nord, commissioned
):
    help_ = commissioned.help
    ended_on = datetime.date(2026, 6, 30)
    bound = Commitment.objects.get(assignment=commissioned).cached_bound
    freed = bound - hours_cost(START, ended_on)
    client.force_login(users["caseworker"])
    url = reverse("budgets:help_end", args=[help_.case_id, help_.pk])

    refused = client.post(url, {"ended_on": "30.06.2026", "reason": ""})
    assert refused.status_code == 422
    assert "Bitte geben Sie den Grund an." in refused.content.decode()

    preview = client.post(url, {"ended_on": "30.06.2026", "reason": "Ziele erreicht"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert f"wird um {money_format(freed)} verringert" in html
    assert "Die Falldurchführung durch" in html
    help_.refresh_from_db()
    assert help_.ended_on is None

    done = client.post(
        url, {"ended_on": "30.06.2026", "reason": "Ziele erreicht", "confirmed": "True"}
    )
    assert done.status_code == 302
    help_.refresh_from_db()
    assert help_.ended_on == ended_on
    assert help_.case.status_changes.filter(reason__contains="Ziele erreicht").exists()
    assert budget_figures([budget_nord])[budget_nord.pk].committed == bound - freed


def test_closing_a_case_needs_a_reason_and_names_the_helps_it_ends(
    client, users, budget_nord, commissioned
):
    case = commissioned.case
    client.force_login(users["caseworker"])
    url = reverse("budgets:case_transition", args=[case.pk])
    data = {"to_status": "closed", "end_reason": "goals_reached", "reason": ""}
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "Bitte begründen Sie, warum der Fall endet." in refused.content.decode()

    preview = client.post(url, {**data, "reason": "Familie kommt zurecht"}).content.decode()
    assert "Der Fall wechselt von „laufend“ zu „beendet“." in preview
    assert f"Die Hilfe „{commissioned.help.help_type}“ endet am" in preview
    case.refresh_from_db()
    assert case.status == "running"


def test_correcting_an_ended_help_rebooks_only_up_to_its_end(users, budget_nord, commissioned):
    """The issue's example: a help mistyped with too many hours, already ended."""
    from budgets.commissioning import help_end

    ended_on = datetime.date(2026, 6, 30)
    help_end(user=users["caseworker"], help_=commissioned.help, ended_on=ended_on)
    commitment = Commitment.objects.get(assignment=commissioned)
    help_ = commissioned.help
    help_.refresh_from_db()

    help_correct(
        user=users["caseworker"], help_=help_, **_help_args(help_, hours_per_week=Decimal("3"))
    )

    commitment.refresh_from_db()
    corrected = hours_cost(START, ended_on, hours=Decimal(3))
    assert commitment.cached_bound == corrected
    assert sum(e.amount for e in commitment.entries.all()) == corrected
    kinds = list(commitment.entries.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["commitment", "release", "reversal", "reversal", "commitment"]
    assert commitment.ended_on == ended_on


def test_a_help_correction_follows_the_decisions_plausibility_rules(
    client, users, commissioned, settings
):
    """The office's hours maximum refuses, its warning threshold asks for a confirmation."""
    help_ = commissioned.help
    with pytest.raises(ValidationError) as refused:
        help_correct(
            user=users["caseworker"],
            help_=help_,
            **_help_args(help_, hours_per_week=Decimal(settings.HOURS_PER_WEEK_MAX + 1)),
        )
    assert "nicht möglich" in refused.value.message_dict["hours_per_week"][0]
    warned_hours = Decimal(settings.HOURS_PER_WEEK_WARNING + 1)
    client.force_login(users["caseworker"])
    url = reverse("budgets:help_correct", args=[help_.case_id, help_.pk])
    data = {
        "hours_per_week": str(warned_hours),
        "starts_on": help_.starts_on.isoformat(),
        "planned_end_on": help_.planned_end_on.isoformat(),
        "reason": "Umfang erhöht",
    }
    warned = client.post(url, data)
    assert warned.status_code == 422 and "Trotzdem speichern" in warned.content.decode()
    assert client.post(url, {**data, "confirmed_warnings": "on"}).status_code == 302
    help_.refresh_from_db()
    assert help_.hours_per_week == warned_hours


def test_a_commission_corrected_beyond_its_help_is_refused_in_german(users, commissioned):
    help_ = commissioned.help
    with pytest.raises(ValidationError) as refused:
        assignment_correct(
            user=users["caseworker"],
            assignment=commissioned,
            starts_on=help_.starts_on - datetime.timedelta(days=1),
            ends_on=help_.planned_end_on + datetime.timedelta(days=1),
            provider_contact="",
            instructions="",
            reason="Zeitraum",
        )
    errors = refused.value.message_dict
    assert "vor dem Beginn der Hilfe" in errors["starts_on"][0]
    assert "Berichtigen Sie zuerst die Hilfe" in errors["ends_on"][0]
