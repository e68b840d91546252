"""§ 42 / § 42a: the Inobhutnahme as casework (pages, rules, access) and its statistics record
(counted in the year it ended), tables and plausibility report."""

import datetime

import pytest
from django.urls import reverse

from cases.kjh_protection_items import (
    ProtectionInitiator,
    ProtectionKind,
    ProtectionOutcome,
    ProtectionReason,
)
from cases.models import AuditEntry, PersonRole, ProtectionMeasure
from corrections.models import Correction
from kjhstat.survey import SURVEYS
from kjhstat.surveys import protection_measures  # noqa: F401  registers the survey
from tests.kjhstat.protection_world import child, custody, family


@pytest.fixture
def mia(users, sozialraum_nord):
    return family(
        user=users["caseworker"], sozialraum=sozialraum_nord, children=[child("Mia", "2012-03-14")]
    )


def test_an_inobhutnahme_over_new_year_belongs_to_the_year_it_ended(users, mia):
    custody(user=users["caseworker"], case=mia, started_on="2024-12-28", ended_on="2025-01-03")
    assert list(SURVEYS["42"].rows(2024)) == []
    rows = list(SURVEYS["42"].rows(2025))
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("berichtsjahr", "beginn_jahr", "beginn_monat", "ende_monat")} == {
        "berichtsjahr": "2025",
        "beginn_jahr": "2024",
        "beginn_monat": "12",
        "ende_monat": "1",
    }
    assert row["dauer_tage"] == "6"


def test_exact_delivery_row(users, mia):
    custody(
        user=users["caseworker"],
        case=mia,
        started_on="2025-05-02",
        ended_on="2025-05-20",
        outcome=ProtectionOutcome.RESIDENTIAL_HELP,
    )
    (row,) = SURVEYS["42"].rows(2025)
    expected = {
        "lfd_nr": "1",
        "berichtsjahr": "2025",
        "art": "2",
        "geschlecht": "2",
        "geburtsmonat": "3",
        "geburtsjahr": "2012",
        "alter": "13",
        "beginn_monat": "5",
        "beginn_jahr": "2025",
        "ende_monat": "5",
        "dauer_tage": "18",
        "angeregt_durch": "4",
        **{f"anlass_{n}": "2" for n in range(1, 15)},
        "anlass_1": "1",
        "anlass_3": "1",
        "aufenthalt_vorher": "3",
        "unterbringung": "1",
        "widerspruch": "2",
        "familiengericht": "2",
        "ende": "5",
    }
    assert row == expected
    assert list(row) == [column.key for column in SURVEYS["42"].columns]


def test_tables_by_initiator_reason_and_outcome(users, mia, sozialraum_nord):
    user = users["caseworker"]
    custody(user=user, case=mia, started_on="2025-05-02", ended_on="2025-05-02")
    other = family(user=user, sozialraum=sozialraum_nord, children=[child("Ali", "2009-01-01")])
    custody(
        user=user,
        case=other,
        started_on="2025-07-01",
        ended_on="2025-07-10",
        kind=ProtectionKind.PRELIMINARY,
        initiator=ProtectionInitiator.YOUNG_PERSON,
        reasons=[ProtectionReason.UNACCOMPANIED],
        parents_informed_on=None,
        parents_object=None,
        outcome=ProtectionOutcome.OTHER_OFFICE,
    )
    by_initiator, by_reason, by_outcome = SURVEYS["42"].tables(2025)
    assert by_initiator.cells[0] == [0, 1, 1]  # the young person, unaccompanied
    assert by_initiator.cells[3] == [1, 0, 1]  # police
    assert by_reason.cells[0] == [1, 0, 1]  # overburdened parents
    assert by_reason.cells[7] == [0, 1, 1]  # unaccompanied entry
    assert by_outcome.cells[0] == [1, 0, 0, 0, 0, 1]  # return to parents, within a day
    assert by_outcome.cells[2] == [0, 0, 1, 0, 0, 1]  # other office, 9 days


def test_plausibility_finds_each_seeded_problem_and_nothing_in_a_clean_set(
    users, mia, sozialraum_nord
):
    user = users["caseworker"]
    custody(user=user, case=mia, started_on="2025-05-02", ended_on="2025-05-20")
    assert list(SURVEYS["42"].plausibility(2025)) == []
    second = family(user=user, sozialraum=sozialraum_nord, children=[child("Ben", "2010-01-01")])
    backwards = custody(user=user, case=second, started_on="2025-03-10", ended_on="2025-03-12")
    ProtectionMeasure.objects.filter(pk=backwards.pk).update(ended_on=datetime.date(2025, 3, 1))
    third = family(user=user, sozialraum=sozialraum_nord, children=[child("Ida", "2011-01-01")])
    objected = custody(
        user=user, case=third, started_on="2025-04-01", ended_on="2025-04-09", parents_object=True
    )
    fourth = family(user=user, sozialraum=sozialraum_nord, children=[child("Ole", "2013-01-01")])
    open_long = custody(user=user, case=fourth, started_on="2025-08-01")
    findings = {f.fix_url: f for f in SURVEYS["42"].plausibility(2025)}
    assert set(findings) == {
        reverse("cases:custody_correct", args=[backwards.pk]),
        reverse("cases:custody_correct", args=[objected.pk]),
        reverse("cases:custody_end", args=[open_long.pk]),
    }
    assert (
        "vor dem Beginn" in findings[reverse("cases:custody_correct", args=[backwards.pk])].problem
    )
    assert (
        "Familiengericht" in findings[reverse("cases:custody_correct", args=[objected.pk])].problem
    )
    assert findings[reverse("cases:custody_end", args=[open_long.pk])].severity == "warning"


def _post(case, **changes):
    data = {
        "child": str(case.persons.get(role=PersonRole.CHILD).pk),
        "kind": "2",
        "started_on": "2025-05-02",
        "started_time": "22:15",
        "taken_by": "ASD, Frau Roth",
        "initiator": "4",
        "reasons": ["3"],
        "residence_before": "1",
        "placement": "1",
        "placement_name": "Kinderschutzstelle",
        "parents_informed_on": "2025-05-03",
        "parents_object": "no",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_record_correct_and_end_through_the_pages(client, users, mia):
    client.force_login(users["caseworker"])
    response = client.post(reverse("cases:custody_add", args=[mia.pk]), _post(mia))
    assert response.status_code == 302
    measure = ProtectionMeasure.objects.get(case=mia)
    assert (measure.started_time, measure.reasons) == (datetime.time(22, 15), ["3"])
    detail = client.get(reverse("cases:custody_detail", args=[measure.pk]))
    assert "Anzeichen für körperliche Misshandlung" in detail.content.decode()
    assert AuditEntry.objects.filter(object_id=str(measure.pk), detail="Inobhutnahme").exists()
    correct = reverse("cases:custody_correct", args=[measure.pk])
    assert client.post(correct, _post(mia, placement="2")).status_code == 422  # no reason
    response = client.post(correct, _post(mia, placement="2", reason="Bereitschaftspflege"))
    assert response.status_code == 302
    assert Correction.objects.filter(object_id=measure.pk, reason="Bereitschaftspflege").exists()
    end = reverse("cases:custody_end", args=[measure.pk])
    response = client.post(end, {"ended_on": "2025-04-30", "outcome": "1"})
    assert response.status_code == 422
    assert "vor dem Beginn" in response.content.decode()
    assert client.post(end, {"ended_on": "2025-05-09", "outcome": "1"}).status_code == 302
    measure.refresh_from_db()
    assert (measure.placement, measure.ended_on, measure.outcome) == (
        "2",
        datetime.date(2025, 5, 9),
        "1",
    )


def test_bad_input_is_refused_in_german_and_kept(client, users, mia):
    client.force_login(users["caseworker"])
    url = reverse("cases:custody_add", args=[mia.pk])
    response = client.post(
        url,
        _post(
            mia,
            reasons=None,
            initiator="99",
            taken_by="Polizei X",
            parents_informed_on="2025-04-01",
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "mindestens einen Anlass" in html
    assert "vor dem Beginn" in html
    assert 'value="Polizei X"' in html
    response = client.post(url, _post(mia, kind="4", reasons=["3"]))
    assert response.status_code == 422
    assert "unbegleitete Einreise aus dem Ausland" in response.content.decode()
    assert not ProtectionMeasure.objects.exists()


def test_access_provider_staff_and_other_region(client, users, mia):
    measure = custody(user=users["caseworker"], case=mia, started_on="2025-05-02")
    urls = [
        reverse("cases:custody_add", args=[mia.pk]),
        reverse("cases:custody_detail", args=[measure.pk]),
        reverse("cases:custody_correct", args=[measure.pk]),
        reverse("cases:custody_end", args=[measure.pk]),
    ]
    for role, status in (("provider_staff", 403), ("caseworker_sued", 404), ("planner", 403)):
        client.force_login(users[role])
        for url in urls:
            assert client.get(url).status_code == status, (role, url)
    client.force_login(users["team_lead"])
    for url in urls:
        assert client.get(url).status_code == 200, url
