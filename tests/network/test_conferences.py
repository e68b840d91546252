"""Conferences and their agreements: listed for the owner and on the Sozialraum page."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from network.models import Conference
from network.selectors import agreements_open_for
from network.services import agreement_complete, conference_save
from tests.conftest import SecondFactorClient
from tests.network.factories import AgreementFactory, ConferenceFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_conference_is_for_a_sozialraum_or_a_region_not_both(town):
    with pytest.raises(ValidationError):
        conference_save(
            data={
                "date": datetime.date(2026, 1, 1),
                "sozialraum": town["N1"],
                "region": town["N1"].region,
            }
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(date=datetime.date(2026, 1, 1))


def test_open_agreements_for_their_owner_only_and_in_due_order(users, town):
    me = users["caseworker"]
    later = AgreementFactory(owner=me, due_on=datetime.date(2026, 5, 1), text="später")
    sooner = AgreementFactory(owner=me, due_on=datetime.date(2026, 4, 1), text="früher")
    done = AgreementFactory(owner=me, text="erledigt")
    agreement_complete(agreement=done)
    AgreementFactory(owner=users["team_lead"], text="fremd")
    assert list(agreements_open_for(me)) == [sooner, later]


def test_owner_sees_open_agreement_on_start_page_and_can_mark_it_done(client, users, town):
    owner = users["caseworker"]
    conference = ConferenceFactory(sozialraum=town["N1"])
    agreement = AgreementFactory(conference=conference, owner=owner, text="Raum klären")
    AgreementFactory(conference=conference, owner=users["team_lead"], text="Flyer drucken")
    client.force_login(owner)
    html = client.get(reverse("asd_home")).content.decode()
    assert "Raum klären" in html
    assert "Flyer drucken" not in html
    response = client.post(
        reverse("network:agreement_done", args=[agreement.pk]), {"next": reverse("asd_home")}
    )
    assert response.status_code == 302 and response.url == reverse("asd_home")
    assert "Raum klären" not in client.get(reverse("asd_home")).content.decode()


@pytest.mark.parametrize(
    ("role", "page"), [("provider_staff", "provider_home"), ("planner", "planning_home")]
)
def test_provider_and_planning_start_pages_list_own_open_agreements(
    client, users, town, role, page
):
    AgreementFactory(owner=users[role], text="Meine Aufgabe", conference__sozialraum=town["S1"])
    client.force_login(users[role])
    assert "Meine Aufgabe" in client.get(reverse(page)).content.decode()


def test_someone_else_cannot_mark_an_agreement_done(client, users, town):
    agreement = AgreementFactory(owner=users["provider_staff"])
    client.force_login(users["provider_staff_b"])
    response = client.post(reverse("network:agreement_done", args=[agreement.pk]))
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.done_on is None


def test_sozialraum_page_lists_open_agreements_of_its_and_its_regions_conferences(
    client, users, town
):
    AgreementFactory(conference__sozialraum=town["N1"], text="Aus N1")
    AgreementFactory(
        conference__sozialraum=None, conference__region=town["N1"].region, text="Aus Nord"
    )
    AgreementFactory(conference__sozialraum=town["N2"], text="Aus N2")
    done = AgreementFactory(conference__sozialraum=town["N1"], text="Schon erledigt")
    agreement_complete(agreement=done)
    client.force_login(users["provider_staff"])
    html = client.get(reverse("overview:sozialraum_detail", args=[town["N1"].pk])).content.decode()
    assert "Aus N1" in html and "Aus Nord" in html
    assert "Aus N2" not in html and "Schon erledigt" not in html


def test_create_conference_and_add_agreement_through_the_pages(client, users, town):
    partner = PartnerFactory(sozialraum=town["N1"])
    client.force_login(users["team_lead"])
    response = client.post(
        reverse("network:conference_create"),
        {
            "date": "2026-09-01",
            "title": "Sozialraumkonferenz",
            "sozialraum": town["N1"].pk,
            "invited_partners": [partner.pk],
            "invited_staff": [users["caseworker"].pk],
            "agenda": "1. Begrüßung",
        },
    )
    assert response.status_code == 302, response.content.decode()
    conference = Conference.objects.get()
    assert list(conference.invited_partners.all()) == [partner]
    response = client.post(
        reverse("network:agreement_create", args=[conference.pk]),
        {"text": "Einladung verschicken", "owner": users["caseworker"].pk, "due_on": "2026-09-15"},
    )
    assert response.status_code == 302
    assert conference.agreements.get().owner == users["caseworker"]


def test_conference_form_errors_are_german_and_keep_input(client, users, town):
    client.force_login(users["planner"])
    response = client.post(
        reverse("network:conference_create"),
        {
            "date": "kein Datum",
            "title": "Meine Konferenz",
            "sozialraum": town["N1"].pk,
            "region": town["N1"].region.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "genau eines" in html
    assert "Meine Konferenz" in html
    assert not Conference.objects.exists()


def test_provider_staff_see_only_conferences_their_provider_was_invited_to(client, users, town):
    mine = ConferenceFactory(sozialraum=town["N1"], title="Mit uns")
    mine.invited_providers.add(users["provider_staff"].provider)
    other = ConferenceFactory(sozialraum=town["N1"], title="Ohne uns")
    client.force_login(users["provider_staff"])
    assert client.get(reverse("network:conference_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("network:conference_detail", args=[other.pk])).status_code == 404
    html = client.get(reverse("network:conference_list")).content.decode()
    assert "Mit uns" in html and "Ohne uns" not in html
    assert client.get(reverse("network:conference_create")).status_code == 403


def test_region_page_rows_mark_overdue_and_offer_done_only_to_the_owner(users, town):
    """The rows are written in Python (network/templatetags/meeting_rows.py): the owner's form
    posts with the page's token and comes back to the page; others see the row without it."""
    owner = users["caseworker"]
    conference = ConferenceFactory(
        region=town["N1"].region, sozialraum=None, title="Konferenz <Nord>"
    )
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    agreement = AgreementFactory(
        conference=conference, owner=owner, text="Räume & Zeiten klären", due_on=yesterday
    )
    AgreementFactory(conference=conference, owner=users["team_lead"], text="Flyer drucken")
    page = reverse("overview:region_detail", args=[town["N1"].region_id])
    client = SecondFactorClient(enforce_csrf_checks=True)
    client.force_login(owner)
    html = client.get(page).content.decode()
    assert "<td>Räume &amp; Zeiten klären</td>" in html
    assert f"{yesterday:%d.%m.%Y}" + ' <span class="badge text-bg-danger">überfällig</span>' in html
    assert "Konferenz &lt;Nord&gt; Region" in html
    assert html.count('<button type="submit" class="btn btn-outline-primary btn-sm">Erledigt') == 1
    action = reverse("network:agreement_done", args=[agreement.pk])
    form = re.search(rf'<form [^>]*action="{action}"[^>]*>(.*?)</form>', html).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert f'name="next" value="{page}"' in form
    response = client.post(action, {"csrfmiddlewaretoken": token, "next": page})
    assert response.status_code == 302 and response.url == page
    agreement.refresh_from_db()
    assert agreement.done_on is not None


def test_area_pages_link_only_conferences_the_reader_may_open(client, users, town):
    """Provider staff see every conference of the area listed, but a link only where their
    provider was invited (the conference page answers 404 otherwise); office roles all."""
    staff = users["provider_staff"]
    invited = ConferenceFactory(sozialraum=town["N1"], title="Mit Träger A")
    invited.invited_providers.add(staff.provider)
    other = ConferenceFactory(sozialraum=town["N1"], title="Ohne Träger A")
    AgreementFactory(conference=other, owner=users["caseworker"], text="Nur das ASD")
    page = reverse("overview:sozialraum_detail", args=[town["N1"].pk])

    def links(user) -> set[str]:
        client.force_login(user)
        html = client.get(page).content.decode()
        assert "Mit Träger A" in html and "Ohne Träger A" in html
        found = set(re.findall(r'href="(/[^"]*konferenzen/\d+/)"', html))
        for url in found:  # every link shown opens
            assert client.get(url).status_code == 200, url
        return found

    detail = reverse("network:conference_detail", args=[invited.pk])
    other_detail = reverse("network:conference_detail", args=[other.pk])
    assert links(staff) == {detail}
    assert links(users["caseworker"]) == {detail, other_detail}
