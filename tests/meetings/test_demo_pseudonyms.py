"""Issue 22 on the demo town: every Sozialraum has a past meeting with minutes and the next one
with a proposed agenda; one case has a Familienrat. The Träger attendee (traeger-a, KJH
Lindenau) reads the meeting page and the minutes PDF without any name, address or exact birth
date of a family whose case KJH Lindenau is not commissioned for — searched in the rendered HTML
and in the PDF's text (pypdf)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import AssignmentStatus, Case, Person
from meetings.models import FamilyGroupConference, TeamMeeting
from sozialraum.models import Sozialraum, User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo town once for the module (built twice: the demo is idempotent), rolled back at
    its end."""
    from django.conf import settings
    from django.db import transaction

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo_town", verbosity=0)
            call_command("demo_town", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.MEDIA_ROOT = media


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def _identifying(case: Case) -> list[str]:
    """What identifies the family: names, street, birth dates in every common spelling."""
    data = [case.street]
    for person in Person.objects.filter(case=case):
        data += [person.first_name, person.last_name]
        if person.birth_date:
            data += [
                f"{person.birth_date:%d.%m.%Y}",
                f"{person.birth_date:%Y-%m-%d}",
                f"{person.birth_date.day}.{person.birth_date.month}.{person.birth_date.year}",
            ]
    return [d for d in data if d]


def _contains(text: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is not None


def test_each_sozialraum_has_a_past_meeting_with_minutes_and_a_next_one_with_agenda(demo):
    for sozialraum in Sozialraum.objects.valid_on(timezone.localdate()):
        meetings = TeamMeeting.objects.filter(sozialraum=sozialraum)
        past = meetings.filter(minutes_closed_at__isnull=False)
        upcoming = meetings.filter(held_at__isnull=True)
        assert past.count() == 1, sozialraum
        assert upcoming.count() == 1, sozialraum
        assert upcoming.get().items.exists(), f"{sozialraum}: no proposed agenda"
    agreed, waiting = FamilyGroupConference.objects.order_by("pk")
    assert agreed.agreed_at is not None
    goals = set(agreed.case.goals.values_list("text", flat=True))
    assert set(agreed.goal_lines) <= goals
    # The second waits for the office: its goals are not the case's yet.
    assert waiting.case == agreed.case and waiting.agreed_at is None
    assert not set(waiting.goal_lines) & goals


def test_provider_attendee_reads_no_identifying_data_of_uncommissioned_cases(client, demo):
    staff = User.objects.get(username="traeger-a")
    client.force_login(staff)
    meetings = TeamMeeting.objects.filter(attendees__user=staff)
    assert meetings.exists()
    checked_foreign = checked_own = 0
    for meeting in meetings:
        html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        pages = [html]
        for item in meeting.items.all():
            pages.append(
                client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode()
            )
        if meeting.minutes_closed_at:
            response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
            assert response.status_code == 200
            pages.append(_pdf_text(response.content))
        for item in meeting.items.select_related("case"):
            commissioned = item.case.assignments.filter(
                provider_id=staff.provider_id, status=AssignmentStatus.ACTIVE
            ).exists()
            for text in pages:
                for needle in _identifying(item.case):
                    if commissioned:
                        continue
                    assert not _contains(text, needle), (meeting, item.case.number, needle)
                if not commissioned:
                    assert item.case.number not in text
            if commissioned:
                checked_own += 1
                last = Person.objects.filter(case=item.case).first().last_name
                assert last in pages[0]
            else:
                checked_foreign += 1
    assert checked_foreign, "the demo should show traeger-a a case of another Träger"
    assert checked_own, "the demo should show traeger-a a case of its own Träger"
