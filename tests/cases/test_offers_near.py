""" "Angebote in der Nähe": offers for the family's children around its Sozialraum, one click to a
resource of the case."""

import datetime
import re

import pytest
from django.urls import reverse

from cases.models import AuditEntry, CaseKind, CaseStatus, EndReason, PersonRole, Resource
from cases.services import PersonInput, case_project_open, case_transition
from network.models import TargetGroup
from tests.cases.conftest import GUARDIAN, intake
from tests.conftest import SecondFactorClient
from tests.factories import UserFactory
from tests.network.factories import OfferFactory, PartnerFactory


def nine_year_old(first_name: str, last_name: str) -> PersonInput:
    birth_date = datetime.date(datetime.date.today().year - 9, 1, 1)
    return PersonInput(
        role=PersonRole.CHILD, first_name=first_name, last_name=last_name, birth_date=birth_date
    )


@pytest.fixture
def family(users, town):
    """A family in N1 with a nine-year-old (N1 borders N2 and S1, not S2)."""
    child = nine_year_old("Lena", "Nahkind")
    return intake(user=users["caseworker"], sozialraum=town["N1"], persons=[child, GUARDIAN])


@pytest.fixture
def offers(town):
    def offer(code, title, age_min, age_max, **extra):
        partner = extra.pop("partner", None) or PartnerFactory(sozialraum=town[code])
        return OfferFactory(partner=partner, title=title, age_min=age_min, age_max=age_max, **extra)

    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    return {
        "own": offer("N1", "Zirkus im Quartier", 6, 12),
        "neighbour": offer("N2", "Hausaufgabenhilfe", 6, 14),
        "across_region": offer("S1", "Leseclub", 8, 10),
        "far": offer("S2", "Fußball für Kids", 6, 12),
        "too_old": offer("N1", "Jugendtreff", 14, 21),
        "inactive": offer(
            "N1",
            "Bastelgruppe",
            0,
            12,
            partner=PartnerFactory(sozialraum=town["N1"], is_active=False),
        ),
        "ended": offer("N1", "Ferienfreizeit", 6, 12, valid_until=yesterday),
        "all_ages": offer("N2", "Elterncafé", None, None, target_group=TargetGroup.FAMILIES),
    }


def _nearby_titles(html: str) -> list[str]:
    section = html.split('id="angebote-titel"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', section)


def test_the_case_page_suggests_offers_for_the_childrens_age_nearby_own_sozialraum_first(
    client, users, family, offers
):
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[family.pk])).content.decode()

    titles = _nearby_titles(html)
    assert titles == ["Zirkus im Quartier", "Elterncafé", "Hausaufgabenhilfe", "Leseclub"]
    assert "im Alter von 9 Jahren" in html


def test_one_click_takes_an_offer_into_the_resources(client, users, family, offers):
    client.force_login(users["caseworker"])
    offer = offers["neighbour"]
    response = client.post(
        reverse("cases:offer_link", args=[family.pk, offer.pk]), {"zurueck": "akte"}, follow=True
    )

    resource = Resource.objects.get(case=family, offer=offer)
    assert resource.kind == "sozialraum"
    assert resource.partner == offer.partner
    assert "Hausaufgabenhilfe" in resource.description
    html = response.content.decode()
    assert "ist als Ressource der Familie erfasst" in html
    assert "als Ressource erfasst" in html.split('id="angebote-titel"', 1)[1]
    assert AuditEntry.objects.filter(detail="Angebot als Ressource").count() == 1


def test_the_same_offer_is_not_taken_twice(client, users, family, offers):
    client.force_login(users["caseworker"])
    url = reverse("cases:offer_link", args=[family.pk, offers["own"].pk])
    client.post(url)
    response = client.post(url, follow=True)

    assert Resource.objects.filter(case=family, offer=offers["own"]).count() == 1
    assert "ist bereits eine Ressource dieses Falls" in response.content.decode()


def test_an_ended_offer_cannot_be_linked(client, users, family, offers):
    client.force_login(users["caseworker"])
    url = reverse("cases:offer_link", args=[family.pk, offers["ended"].pk])
    assert client.post(url).status_code == 404
    assert not Resource.objects.filter(offer=offers["ended"]).exists()


def test_a_closed_case_takes_no_new_resources(client, users, family, offers):
    family = case_transition(
        user=users["caseworker"],
        case=family,
        to_status=CaseStatus.CLOSED,
        end_reason=EndReason.NO_HELP_NEEDED,
    )
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[family.pk])).content.decode()
    assert 'id="angebote-titel"' not in html

    response = client.post(
        reverse("cases:offer_link", args=[family.pk, offers["own"].pk]), follow=True
    )
    assert "Der Fall ist beendet" in response.content.decode()
    assert not Resource.objects.filter(offer=offers["own"]).exists()


def test_the_full_list_filters_and_is_audited(client, users, family, offers):
    client.force_login(users["caseworker"])
    url = reverse("cases:offers_near", args=[family.pk])

    html = client.get(url, {"text": "Eltern"}).content.decode()
    assert "Elterncafé" in html
    assert "Zirkus im Quartier" not in html
    assert AuditEntry.objects.filter(detail="Angebote in der Nähe").count() == 1

    html = client.get(url, {"zielgruppe": "", "target_group": TargetGroup.FAMILIES}).content
    assert "Elterncafé" in html.decode()
    assert "Hausaufgabenhilfe" not in html.decode()


def test_bad_filters_get_a_german_message_not_an_error(client, users, family, offers):
    client.force_login(users["caseworker"])
    response = client.get(
        reverse("cases:offers_near", args=[family.pk]),
        {"text": "x" * 300, "target_group": "<script>"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "höchstens 100 Zeichen" in html
    assert "ist keine gültige Auswahl" in html
    assert "x" * 300 in html  # what was typed stays in the form


def test_projects_have_no_offer_suggestions(client, users, town, offers):
    project = case_project_open(
        user=users["caseworker"],
        kind=CaseKind.CROSS_CASE,
        title="Elterngruppe",
        sozialraum=town["N1"],
        steering_caseworker=users["caseworker"],
        opened_on=datetime.date.today(),
        participants_count=8,
    )
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[project.pk])).content.decode()
    assert 'id="angebote-titel"' not in html


def test_offers_near_fit_each_family_and_show_a_changed_offer_at_once(
    client, users, town, family, offers
):
    client.force_login(users["caseworker"])
    url = reverse("cases:detail", args=[family.pk])
    first = _nearby_titles(client.get(url).content.decode())
    # A second family of the same Sozialraum with a child of the same age: the same offers.
    child = nine_year_old("Jonas", "Zweitfamilie")
    other = intake(user=users["caseworker"], sozialraum=town["N1"], persons=[child])
    html = client.get(reverse("cases:detail", args=[other.pk])).content.decode()
    assert _nearby_titles(html) == first
    assert "Lena" not in html and "Nahkind" not in html  # nothing of the first family

    offers["own"].title = "Zirkus im Quartier (neu: samstags)"
    offers["own"].save()
    OfferFactory(
        partner=PartnerFactory(sozialraum=town["N1"]), title="Akrobatik", age_min=8, age_max=10
    )
    assert _nearby_titles(client.get(url).content.decode())[:2] == [
        "Akrobatik",
        "Zirkus im Quartier (neu: samstags)",
    ]


def test_the_take_over_button_of_the_page_works_with_its_own_token(users, family, offers):
    """Each offer row's form posts to its offer with the page's token; a read-only colleague
    sees no button."""
    offers["own"].title = "Zirkus <im> Quartier & mehr"
    offers["own"].save()
    client = SecondFactorClient(enforce_csrf_checks=True)
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[family.pk])).content.decode()
    section = html.split('id="angebote-titel"', 1)[1].split("</table>", 1)[0]
    assert "Zirkus &lt;im&gt; Quartier &amp; mehr</a>" in section
    action = reverse("cases:offer_link", args=[family.pk, offers["own"].pk])
    form = re.search(rf'<form [^>]*action="{action}"[^>]*>(.*?)</form>', section).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert 'name="zurueck" value="akte"' in form
    response = client.post(action, {"csrfmiddlewaretoken": token, "zurueck": "akte"})
    assert response.status_code == 302
    assert Resource.objects.filter(case=family, offer=offers["own"]).exists()

    colleague = UserFactory(role="caseworker", asd_team=users["caseworker"].asd_team)
    client.force_login(colleague)
    html = client.get(reverse("cases:detail", args=[family.pk])).content.decode()
    section = html.split('id="angebote-titel"', 1)[1].split("</table>", 1)[0]
    assert "als Ressource erfasst" in section and "Als Ressource übernehmen" not in section
