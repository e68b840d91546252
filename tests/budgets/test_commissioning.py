"""Commissioning is one explicit service call (budgets.commissioning): the assignment and its
commitment in one transaction, or neither. Within the free budget the commitment is booked; over
it a caseworker is refused in German and a team lead may commission with a reason, which the
commitment keeps and shows. Two commissions at the same moment that together need more than is
free: one is refused, nothing is over-committed (PostgreSQL row locks)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from budgets.commissioning import assignment_commission
from budgets.models import Commitment, EntryKind
from budgets.selectors import budget_figures
from cases.models import Assignment, CaseStatus
from cases.services import case_transition
from sozialraum.money import money_format
from tests.budgets.factories import fiscal_year_build, region_budget
from tests.budgets.test_assignment_commitments import START, hours_cost
from tests.cases.conftest import decide, intake

YEAR_END = datetime.date(2026, 12, 31)


@pytest.fixture
def tight_budget(users):
    """Nord has room for one help's 2026 share (about 13,600 €), not for two."""
    fiscal_year = fiscal_year_build(
        planner=users["planner"],
        total=Decimal("40000"),
        reserve_percentage=Decimal("0"),
        shares={"N": Decimal("20000"), "S": Decimal("20000")},
    )
    return region_budget(fiscal_year, "N")


def _decided_help(user, sozialraum, help_type):
    case = intake(user=user, sozialraum=sozialraum, opened_on=datetime.date(2026, 2, 2))
    case = case_transition(user=user, case=case, to_status=CaseStatus.CLARIFICATION)
    return decide(
        user=user,
        case=case,
        help_type=help_type,
        starts_on=START,
        planned_end_on=datetime.date(2027, 2, 28),
    )


def _commission(user, help_, provider, **extra):
    return assignment_commission(
        user=user,
        help_=help_,
        provider=provider,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
        **extra,
    )


def test_within_the_free_budget_the_commitment_is_booked_with_its_amount(
    users, tight_budget, sozialraum_nord, spfh, provider_a, provider_a_in_nord, agreement_a
):
    help_ = _decided_help(users["caseworker"], sozialraum_nord, spfh)
    share = hours_cost(START, YEAR_END)

    commissioned = _commission(users["caseworker"], help_, provider_a)

    commitment = Commitment.objects.get(assignment=commissioned.assignment)
    booked = commitment.entries.get(kind=EntryKind.COMMITMENT).amount
    assert isinstance(booked, Decimal)
    assert booked == share
    assert commitment.override_by is None and commitment.override_reason == ""
    figures = budget_figures([tight_budget])[tight_budget.pk]
    assert figures.committed == share
    assert figures.free == Decimal("20000.00") - share
    # What the person who commissioned is told comes back with the result, not on the model.
    assert commissioned.notices == [
        f"Bewilligt: {money_format(share)} aus dem Budget der Region 2026."
    ]
    assert not hasattr(commissioned.assignment, "notices")


def test_over_the_free_budget_a_caseworker_is_refused_and_nothing_is_stored(
    users, tight_budget, sozialraum_nord, spfh, provider_a, provider_a_in_nord, agreement_a
):
    first, second = (_decided_help(users["caseworker"], sozialraum_nord, spfh) for _ in range(2))
    _commission(users["caseworker"], first, provider_a)
    share = hours_cost(START, YEAR_END)

    with pytest.raises(ValidationError) as refusal:
        _commission(users["caseworker"], second, provider_a, override_reason="Dringend")

    free = Decimal("20000.00") - share
    assert refusal.value.messages == [
        f"Die Bewilligung über {money_format(share)} übersteigt das freie Budget der Region "
        f"Nord ({money_format(free)}). Eine Überschreitung kann nur die Teamleitung der Region "
        "mit Begründung freigeben."
    ]
    assert not Assignment.objects.filter(help=second).exists()
    assert Commitment.objects.count() == 1
    assert budget_figures([tight_budget])[tight_budget.pk].committed == share


def test_over_the_free_budget_a_team_lead_is_asked_for_a_reason(
    users, tight_budget, sozialraum_nord, spfh, provider_a, provider_a_in_nord, agreement_a
):
    first, second = (_decided_help(users["caseworker"], sozialraum_nord, spfh) for _ in range(2))
    _commission(users["caseworker"], first, provider_a)

    with pytest.raises(ValidationError) as refusal:
        _commission(users["team_lead"], second, provider_a, override_reason="   ")

    assert "Bitte begründen Sie die Überschreitung." in refusal.value.messages[0]
    assert not Assignment.objects.filter(help=second).exists()
    assert Commitment.objects.count() == 1


def test_a_team_lead_commissions_over_the_free_budget_with_a_reason_that_is_kept_and_shown(
    client, users, tight_budget, sozialraum_nord, spfh, provider_a, provider_a_in_nord, agreement_a
):
    first, second = (_decided_help(users["caseworker"], sozialraum_nord, spfh) for _ in range(2))
    _commission(users["caseworker"], first, provider_a)
    reason = "Kinderschutz: keine andere geeignete Hilfe verfügbar"

    client.force_login(users["team_lead"])
    response = client.post(
        reverse("budgets:commission", args=[second.case.pk, second.pk]),
        {
            "provider": provider_a.pk,
            "starts_on": f"{second.starts_on:%d.%m.%Y}",
            "ends_on": f"{second.planned_end_on:%d.%m.%Y}",
            "override_reason": f"  {reason} ",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Träger A ist mit der Falldurchführung beauftragt. Bewilligt:" in (
        response.content.decode()
    )
    commitment = Commitment.objects.get(assignment__help=second)
    assert commitment.override_by == users["team_lead"]
    assert commitment.override_reason == reason
    assert budget_figures([tight_budget])[tight_budget.pk].free < 0
    page = client.get(reverse("budgets:commitment_detail", args=[commitment.pk])).content.decode()
    assert "Überschreitung freigegeben" in page
    assert reason in page
    budget_page = client.get(reverse("budgets:budget_detail", args=[tight_budget.pk]))
    row = next(
        row
        for row in budget_page.content.decode().split("<tr>")
        if reverse("budgets:commitment_detail", args=[commitment.pk]) in row
    )
    assert "Überschreitung freigegeben" in row
    assert f"<td>{commitment.provider.short_name}</td>" in row
    assert "<td>fallspezifisch</td>" in row


@pytest.mark.django_db(transaction=True)
def test_parallel_commissions_beyond_the_free_budget_refuse_one_and_keep_the_budget(
    users, tight_budget, sozialraum_nord, spfh, provider_a, provider_a_in_nord, agreement_a
):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers by locking the file.")
    helps = [_decided_help(users["caseworker"], sozialraum_nord, spfh) for _ in range(2)]
    share = hours_cost(START, YEAR_END)
    assert share < Decimal("20000") < 2 * share  # one fits, two do not
    start = threading.Barrier(2)
    done, refused, errors = [], [], []

    def commission(help_):
        try:
            start.wait()
            try:
                assignment_commission(
                    user=users["caseworker"],
                    help_=help_,
                    provider=provider_a,
                    starts_on=help_.starts_on,
                    ends_on=help_.planned_end_on,
                )
                done.append(help_.pk)
            except ValidationError as refusal:
                refused.append(" ".join(refusal.messages))
        except Exception as error:  # surfaced below; a thread must not swallow it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commission, args=(help_,)) for help_ in helps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(done) == 1 and len(refused) == 1
    assert "frei" in refused[0]  # the German reason: more than the free budget
    # The refused commission left nothing behind: no assignment, no commitment.
    assert list(Assignment.objects.values_list("help_id", flat=True)) == done
    assert Commitment.objects.count() == 1
    figures = budget_figures([tight_budget])[tight_budget.pk]
    assert figures.committed == share
    assert figures.free >= 0


@pytest.mark.django_db
def test_a_refused_commission_keeps_neither_assignment_nor_case_status(
    users, tight_budget, sozialraum_nord, spfh, provider_a, provider_a_in_nord, agreement_a
):
    """The casework half is rolled back with the money half: the case stays "help decided"."""
    first, second = (_decided_help(users["caseworker"], sozialraum_nord, spfh) for _ in range(2))
    assignment_commission(
        user=users["caseworker"],
        help_=first,
        provider=provider_a,
        starts_on=first.starts_on,
        ends_on=first.planned_end_on,
    )
    with pytest.raises(ValidationError):
        assignment_commission(
            user=users["caseworker"],
            help_=second,
            provider=provider_a,
            starts_on=second.starts_on,
            ends_on=second.planned_end_on,
        )
    second.case.refresh_from_db()
    assert second.case.status == CaseStatus.HELP_DECIDED
    assert not Assignment.objects.filter(help=second).exists()


def test_ending_a_help_on_its_page_frees_what_it_no_longer_needs(
    client, users, tight_budget, sozialraum_nord, spfh, provider_a, provider_a_in_nord, agreement_a
):
    """The help's end page calls budgets.commissioning.help_end: the casework step and the
    release of its commitment in one call, no signal in between."""
    help_ = _decided_help(users["caseworker"], sozialraum_nord, spfh)
    _commission(users["caseworker"], help_, provider_a)
    ended_on = datetime.date(2026, 6, 30)

    client.force_login(users["caseworker"])
    response = client.post(
        reverse("budgets:help_end", args=[help_.case.pk, help_.pk]),
        {"ended_on": f"{ended_on:%d.%m.%Y}", "reason": "Ziele erreicht", "confirmed": "True"},
    )

    assert response.status_code == 302
    assert Assignment.objects.get(help=help_).ended_on == ended_on
    figures = budget_figures([tight_budget])[tight_budget.pk]
    assert figures.committed == hours_cost(START, ended_on)
    assert figures.free == Decimal("20000.00") - hours_cost(START, ended_on)
