"""Who reaches which data-protection page: retention for the administration, holds and subject
access also for team leads, nothing for anyone else."""

import pytest
from django.urls import reverse

from privacy.models import LegalHold, RecordType, RetentionClass, RetentionRun, RunTrigger
from privacy.services import legal_hold_place, retention_classes_ensure
from tests.cases.factories import CaseFactory

ROLES = ("caseworker", "team_lead", "provider_staff", "planner", "admin")
# url name → roles that get the page (200; the POST-only export: 422 for an empty form);
# every other role gets 403.
PAGES = {
    "home": {"team_lead", "admin"},
    "retention_class_edit": {"admin"},
    "run_list": {"admin"},
    "run_detail": {"admin"},
    "holds": {"team_lead", "admin"},
    "hold_lift": {"team_lead", "admin"},
    "subject_search": {"team_lead", "admin"},
    "subject_export": {"team_lead", "admin"},
}


@pytest.fixture
def objects(users, sozialraum_nord):
    retention_classes_ensure()
    case = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"])
    legal_hold_place(user=users["team_lead"], case_number=case.number, reason="Prüfung")
    return {
        "retention_class_edit": RetentionClass.objects.get(
            record_type=RecordType.CASE_WITH_HELP
        ).pk,
        "run_detail": RetentionRun.objects.create(
            trigger=RunTrigger.COMMAND, on_day=case.opened_on
        ).pk,
        "hold_lift": LegalHold.objects.get().pk,
    }


def url(name, objects):
    return reverse(f"privacy:{name}", args=[objects[name]] if name in objects else [])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_roles(client, users, objects, role, name):
    client.force_login(users[role])
    post_only = name == "subject_export"
    response = (client.post if post_only else client.get)(url(name, objects))
    if role not in PAGES[name]:
        assert response.status_code == 403
    else:
        assert response.status_code == (422 if post_only else 200)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_login(client, objects, name):
    response = client.get(url(name, objects))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


def test_covers_every_privacy_url():
    from privacy.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(PAGES)


@pytest.mark.parametrize(
    ("role", "shown"), [("admin", "Aufbewahrungsfristen"), ("team_lead", "Löschsperren")]
)
def test_navigation_and_home(client, users, objects, role, shown):
    client.force_login(users[role])
    html = client.get(reverse("privacy:home")).content.decode()
    assert shown in html
    assert f'href="{reverse("privacy:home")}"' in html
    assert ("Aufbewahrungsfristen" in html) == (role == "admin")


def test_home_lists_every_record_type_as_not_yet_released(client, users, objects):
    client.force_login(users["admin"])
    html = client.get(reverse("privacy:home")).content.decode()
    for label in RecordType.labels:
        assert label in html
    assert html.count("nicht freigegeben") == len(RecordType.values)
