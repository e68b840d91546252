"""Free text beside the append-only ledger (issue 27): the retention run erases a ledger entry's
text while the entry, its amount and every sum stay, and the database still refuses to change
the entry. Runs on SQLite and on PostgreSQL (DATABASE_URL) like tests/budgets/test_ledger.py."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from budgets.models import Budget, Commitment, EntryKind, ErasureGround, LedgerEntry, LedgerText
from budgets.selectors import budget_figures, ledger_texts_naming
from budgets.services import entry_reverse, ledger_texts_erase
from privacy.selectors import subject_access_records
from sozialraum.models import Agreement, AgreementKind, Provider
from tests.budgets.factories import fiscal_year_build
from tests.privacy.test_retention import dated, run, ten_years  # noqa: F401 (fixtures)

TABLE = LedgerEntry._meta.db_table


@pytest.fixture
def booked(dated, users):  # noqa: F811 (the imported fixture)
    """The due case's help bound in its year, and the binding reversed with a reason that
    names the child, as people do type."""
    case = dated["due"]
    assignment = case.assignments.get()
    for provider in Provider.objects.all():
        Agreement.objects.create(
            provider=provider,
            kind=AgreementKind.SERVICE,
            title="Leistungsvereinbarung",
            hourly_rate=Decimal("60.00"),
            valid_from=datetime.date(2000, 1, 1),
        )
    fiscal_year_build(
        planner=users["planner"],
        year=assignment.starts_on.year,
        shares={"N": Decimal("500000.00"), "S": Decimal("400000.00")},
    )
    commitment = Commitment.objects.get(assignment=assignment)
    reversal = entry_reverse(
        entry=commitment.entries.get(kind=EntryKind.COMMITMENT),
        by=users["caseworker"],
        reason="Doppelt gebucht für Mia Faellig",
    )
    return case, reversal


def _figures():
    budgets = list(Budget.objects.all())
    return {pk: vars(f) for pk, f in budget_figures(budgets).items()}


def test_retention_run_erases_the_ledger_text_and_leaves_the_ledger_and_its_trigger(booked, today):
    case, reversal = booked
    person = case.persons.get(first_name="Mia")
    # Before: the subject-access export shows the text that names her.
    (record,) = subject_access_records([person])
    assert [t.entry_id for t in record.ledger_texts] == [reversal.pk]
    ledger_before = list(LedgerEntry.objects.order_by("pk").values())
    figures_before = _figures()

    result = run()

    texts = LedgerText.objects.filter(entry__in=[reversal.pk, reversal.reverses_id])
    assert {(t.text, t.reason, t.erased_on, t.erased_because) for t in texts} == {
        ("", "", today, ErasureGround.RETENTION)
    }
    entry = LedgerEntry.objects.select_related("free_text").get(pk=reversal.pk)
    assert entry.text == f"Text gelöscht am {today:%d.%m.%Y} (Aufbewahrungsfrist)"
    assert entry.reason == ""
    # The booking and its sums are untouched; the trigger is still there.
    assert list(LedgerEntry.objects.order_by("pk").values()) == ledger_before
    assert _figures() == figures_before
    assert result.status == "done"
    with pytest.raises(DatabaseError) as refused:  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET amount = 1 WHERE id = %s", [reversal.pk])  # noqa: S608
    assert type(refused.value) is IntegrityError
    assert f"Buchungen sind unveränderlich: UPDATE auf {TABLE} abgelehnt" in str(refused.value)
    assert LedgerEntry.objects.get(pk=reversal.pk).amount == reversal.amount
    # Nothing left to show in the export, and nothing more to erase.
    assert not ledger_texts_naming(case_id=case.pk, names=["Mia"])
    assert not ledger_texts_erase(
        entries=LedgerEntry.objects.filter(pk=reversal.pk), ground=ErasureGround.REQUEST
    )


def test_an_erasure_request_empties_the_text_and_says_why(booked, today, client, users):
    _case, reversal = booked
    before = LedgerEntry.objects.filter(pk=reversal.pk).values().get()
    erased = ledger_texts_erase(
        entries=LedgerEntry.objects.filter(pk=reversal.pk), ground=ErasureGround.REQUEST
    )
    assert erased == 1
    entry = LedgerEntry.objects.get(pk=reversal.pk)
    assert entry.text == (
        f"Text gelöscht am {today:%d.%m.%Y} (Löschung auf Antrag (Art. 17 DSGVO, § 84 SGB X))"
    )
    assert LedgerEntry.objects.filter(pk=reversal.pk).values().get() == before
    # The ledger tables of the budget and of the commitment say the same in the entry's row.
    client.force_login(users["planner"])
    for url in (
        reverse("budgets:budget_detail", args=[entry.budget_id]),
        reverse("budgets:commitment_detail", args=[entry.commitment_id]),
    ):
        html = client.get(url).content.decode()
        row = next(row for row in html.split("<tr>") if f"<td>{entry.pk}</td>" in row)
        assert "Text gelöscht am" in row
        assert "Begründung" not in row


def test_name_match_needs_the_whole_name(booked):
    case, _reversal = booked
    assert ledger_texts_naming(case_id=case.pk, names=["faellig"])  # case-insensitive
    assert not ledger_texts_naming(case_id=case.pk, names=["Fall"])  # part of a word
    assert not ledger_texts_naming(case_id=case.pk, names=["Mi"])  # too short to mean a name


def test_subject_access_export_page_lists_the_ledger_text_naming_the_person(client, users, booked):
    case, _reversal = booked
    mia = case.persons.get(first_name="Mia")
    sandra = case.persons.exclude(pk=mia.pk).get(first_name="Sandra")
    client.force_login(users["team_lead"])
    url = reverse("privacy:subject_export")
    html = client.post(url, {"persons": [mia.pk], "output": "html"}).content.decode()
    assert "Buchungstexte, die Sie nennen" in html
    assert "Doppelt gebucht für Mia Faellig" in html
    # Sandra shares the family name: the text names her family, so it is hers to see as well;
    # a person of another family would not get it.
    html = client.post(url, {"persons": [sandra.pk], "output": "html"}).content.decode()
    assert "Doppelt gebucht für Mia Faellig" in html
