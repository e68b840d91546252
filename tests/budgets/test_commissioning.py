"""Commissioning is one explicit service call (budgets.commissioning): the assignment and its
commitment in one transaction, or neither. Two commissions at the same moment that together need
more than is free: one is refused, nothing is over-committed (PostgreSQL row locks)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from budgets.commissioning import assignment_commission
from budgets.models import Commitment
from budgets.selectors import budget_figures
from cases.models import Assignment, CaseStatus
from cases.services import case_transition
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
