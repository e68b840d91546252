"""Issue 22: the Sozialraumteam's meeting from agenda to the caseworker's confirmation, the
pseudonymised view of the Träger staff (page and minutes PDF), access per role, the rule on
attendees added after the meeting, bad input, the team's week and the Familienrat."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import AllocationKind, AllocationProposal, AssignmentStatus, Goal
from cases.proposals import allocation_confirm, allocation_next_step
from cases.services import assignment_create, case_transition
from meetings import services
from meetings.models import AgendaReason, AllocationDecision, Attendee, TeamMeeting
from meetings.selectors import agenda_candidates, team_week
from network.models import Offer
from tests.cases.conftest import decide, intake
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDENTIFYING = ["Beispielkind", "Mia", "Sandra", "Lindenweg", "14.03.2015", "2015-03-14"]


def _pdf_text(data: bytes) -> str:
    return re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    )


def _no_identifying(text: str) -> None:
    for needle in IDENTIFYING:
        assert re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is None, needle


# --- Agenda, ideas, decision, confirmation -----------------------------------------------------


def test_agenda_proposes_intakes_reviews_due_and_cases_put_forward(
    users, meeting, family_case, sozialraum_nord, sozialraum_sued, spfh_help_case
):
    forward = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
    forward = case_transition(user=users["caseworker"], case=forward, to_status="clarification")
    services.case_put_forward(user=users["caseworker"], case=forward, question="Ideen?")
    intake(user=users["caseworker_sued"], sozialraum=sozialraum_sued)  # other region: never
    reasons = {c.case.pk: c.reason for c in agenda_candidates(meeting)}
    assert reasons[family_case.pk] == AgendaReason.INTAKE
    assert reasons[forward.pk] == AgendaReason.CONSULTATION
    assert reasons[spfh_help_case.pk] == AgendaReason.REVIEW
    assert len(reasons) == 3


@pytest.fixture
def spfh_help_case(users, sozialraum_nord):
    """A Nord case with a help whose first review is due within the meeting's horizon."""
    case = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
    case = case_transition(user=users["caseworker"], case=case, to_status="clarification")
    from cases.models import HelpType

    help_ = decide(
        user=users["caseworker"],
        case=case,
        help_type=HelpType.objects.get(code="31"),
        first_review_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    return help_.case


def test_decision_lands_on_the_case_and_the_caseworker_confirms_it(
    users, meeting, item, partners, group_offer, provider_a
):
    lead = users["team_lead"]
    services.idea_add(
        user=users["provider_staff"], item=item, text="Sportverein", partner=partners[0]
    )
    services.idea_add(user=lead, item=item, text="", offer=group_offer)
    assert [i.partner for i in item.ideas.all()] == partners
    decision = services.decision_record(
        user=lead,
        item=item,
        kind=AllocationKind.INDIVIDUAL_HELP,
        responsible=users["caseworker"],
        provider=provider_a,
        note="Zuerst das Elterncafé, parallel SPFH.",
    )
    proposal = decision.proposal
    assert (proposal.case, proposal.provider, proposal.confirmed_at) == (
        item.case,
        provider_a,
        None,
    )
    with pytest.raises(PermissionDenied):
        allocation_confirm(user=users["caseworker_sued"], proposal=proposal)
    proposal = allocation_confirm(user=users["caseworker"], proposal=proposal)
    assert proposal.confirmed_by == users["caseworker"]
    step = allocation_next_step(proposal=proposal)
    assert step is not None and step.url == reverse("cases:help_decide", args=[item.case.pk])
    decide(user=users["caseworker"], case=item.case, help_type=spfh())
    step = allocation_next_step(proposal=proposal)
    assert step is not None and f"?traeger={provider_a.pk}" in step.url
    assert "beauftragen" in step.label


def spfh():
    from cases.models import HelpType

    return HelpType.objects.get(code="31")


def test_commission_page_comes_prefilled_with_the_proposed_provider(
    client, users, family_case, provider_a, provider_a_in_nord
):
    help_ = decide(user=users["caseworker"], case=family_case, help_type=spfh())
    client.force_login(users["caseworker"])
    url = reverse("budgets:commission", args=[family_case.pk, help_.pk])
    html = client.get(f"{url}?traeger={provider_a.pk}").content.decode()
    assert re.search(rf'<option value="{provider_a.pk}"[^>]*selected', html)


def test_confirming_an_offer_makes_it_a_resource_of_the_case(users, meeting, item, group_offer):
    decision = services.decision_record(
        user=users["team_lead"],
        item=item,
        kind=AllocationKind.GROUP_OFFER,
        responsible=users["caseworker"],
        offer=group_offer,
    )
    allocation_confirm(user=users["team_lead"], proposal=decision.proposal)
    assert item.case.resources.filter(offer=group_offer).exists()


def test_decision_without_responsible_caseworker_is_refused_and_stores_nothing(
    client, users, meeting, item
):
    client.force_login(users["team_lead"])
    url = reverse("meetings:decide", args=[meeting.pk, item.pk])
    response = client.post(
        url, {"kind": "clarification", "responsible": "", "note": "Bitte klären"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte wählen Sie die verantwortliche Fachkraft" in html
    assert "Bitte klären" in html  # what was typed stays
    assert not AllocationDecision.objects.exists() and not AllocationProposal.objects.exists()


def test_individual_help_without_provider_is_refused(users, meeting, item):
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            user=users["team_lead"],
            item=item,
            kind=AllocationKind.INDIVIDUAL_HELP,
            responsible=users["caseworker"],
        )
    assert "vorgeschlagenen Träger" in str(error.value)
    assert not AllocationProposal.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2026", "gültiges Datum"),
        ("morgen", "gültiges Datum"),
        ("1900-01-01", "mehr als ein Jahr zurück"),
        ("2999-01-01", "mehr als ein Jahr in der Zukunft"),
        ("", "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_meeting_date_nonsense_gets_a_german_message(client, users, value, message):
    client.force_login(users["team_lead"])
    response = client.post(reverse("meetings:create"), {"date": value, "place": "Raum 7"})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html, html[:3000]
    assert "Raum 7" in html
    assert not TeamMeeting.objects.exists()


# --- Pseudonymisation ---------------------------------------------------------------------------


def _close_minutes(users, meeting, item, provider=None):
    services.idea_add(user=users["team_lead"], item=item, text="Mia könnte in den Sportverein.")
    services.meeting_hold(user=users["team_lead"], meeting=meeting)
    services.decision_record(
        user=users["team_lead"],
        item=item,
        kind=AllocationKind.CLARIFICATION,
        responsible=users["caseworker"],
        note="Frau Beispielkind wird zum Lindenweg eingeladen.",
    )
    services.minutes_close(user=users["team_lead"], meeting=meeting)


def test_provider_attendee_sees_the_case_pseudonymised_in_page_and_pdf(
    client, users, meeting, item
):
    _close_minutes(users, meeting, item)
    client.force_login(users["provider_staff"])
    pages = [
        client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode(),
        client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode(),
    ]
    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pages.append(_pdf_text(pdf.content))
    for text in pages:
        _no_identifying(text)
        assert item.case.number not in text
        assert "M. B." in text  # initials
    assert "Sportverein" in pages[1]


def test_the_family_words_reach_the_provider_only_as_the_released_presentation(
    client, users, meeting, item
):
    """A name the case records nowhere (the grandmother, the teacher) would pass the scrubber:
    Träger staff read the team lead's released presentation instead of the family's words."""
    case = item.case
    case.concern = "Oma Hildegard holt Mia ab; Frau Kowalski von der Schule sorgt sich."
    case.save(update_fields=["concern"])
    item_url = reverse("meetings:item", args=[meeting.pk, item.pk])
    client.force_login(users["provider_staff"])
    before = client.get(item_url).content.decode()
    assert "Hildegard" not in before and "Kowalski" not in before
    assert "noch nicht freigegeben" in before

    client.force_login(users["team_lead"])
    edit = reverse("meetings:provider_summary", args=[meeting.pk, item.pk])
    draft = client.get(edit).content.decode()
    # The draft replaces what the case records (Mia), not what it does not (Hildegard).
    assert "Hildegard" in draft and "M. " in draft and "Mia" not in draft
    typed = "Die Großmutter holt M. ab, die Schule sorgt sich; Sandra wünscht Ruhe."
    refused = client.post(edit, {"text": typed})
    assert refused.status_code == 422  # refused, with what was typed still in the form
    html = refused.content.decode()
    assert "„Sandra“" in html and typed.replace("„", "") in html.replace("„", "")
    item.refresh_from_db()
    assert item.provider_summary == ""
    summary = "Die Großmutter holt M. ab, die Schule sorgt sich; die Mutter wünscht Ruhe."
    assert client.post(edit, {"text": summary}).status_code == 302
    item.refresh_from_db()
    assert (item.provider_summary, item.provider_summary_by) == (summary, users["team_lead"])

    client.force_login(users["provider_staff"])
    pages = [
        client.get(item_url).content.decode(),
        client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode(),
    ]
    for page in pages:
        assert "die Mutter wünscht Ruhe" in page
        assert "Hildegard" not in page and "Kowalski" not in page
        _no_identifying(page)
    # The ASD reads the family's words and sees what was released.
    client.force_login(users["caseworker"])
    asd = client.get(item_url).content.decode()
    assert "Oma Hildegard" in asd and "die Mutter wünscht Ruhe" in asd


def test_the_presentation_is_released_by_the_team_lead_with_a_text(users, meeting, item):
    with pytest.raises(PermissionDenied):
        services.item_provider_summary_release(user=users["caseworker"], item=item, text="Text")
    with pytest.raises(ValidationError) as empty:
        services.item_provider_summary_release(user=users["team_lead"], item=item, text="  ")
    assert "zusammen" in str(empty.value)
    with pytest.raises(ValidationError) as dated:
        services.item_provider_summary_release(
            user=users["team_lead"], item=item, text="Geboren am 14.03.2015."
        )
    assert "ein Datum" in str(dated.value)


def test_erasure_empties_the_released_presentation(users, meeting, item):
    services.item_provider_summary_release(
        user=users["team_lead"], item=item, text="Die Mutter wünscht Ruhe."
    )
    services.meetings_erase_for_cases(case_ids=[item.case_id], placeholder="[gelöscht]")
    item.refresh_from_db()
    assert item.provider_summary == ""


def test_provider_sees_names_once_commissioned(client, users, meeting, item, provider_a):
    help_ = decide(user=users["caseworker"], case=item.case, help_type=spfh())
    assignment_create(
        user=users["caseworker"],
        help_=help_,
        provider=provider_a,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
    )
    assert item.case.assignments.filter(status=AssignmentStatus.ACTIVE).exists()
    client.force_login(users["provider_staff"])
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Mia Beispielkind" in html


def test_asd_reads_the_case_with_names(client, users, meeting, item):
    client.force_login(users["caseworker"])
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Mia Beispielkind" in html and item.case.number in html


def test_attendee_added_after_the_meeting_does_not_read_the_minutes(client, users, meeting, item):
    late = UserFactory(role="provider_staff", provider=users["provider_staff"].provider)
    services.meeting_hold(user=users["team_lead"], meeting=meeting)
    services.attendee_add(user=users["team_lead"], meeting=meeting, staff=late)
    services.minutes_close(user=users["team_lead"], meeting=meeting)
    client.force_login(late)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "nicht rückwirkend" in text
    _no_identifying(text)
    client.force_login(users["provider_staff"])  # on the list before: reads them
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).status_code == 200


# --- Access per role ----------------------------------------------------------------------------

READ = ["list", "detail", "item", "minutes_pdf"]
MANAGE = ["create", "attendee_add", "agenda", "decide", "discussion", "minutes_close"]


def _urls(meeting, item):
    return {
        "list": reverse("meetings:list"),
        "week": reverse("meetings:week"),
        "detail": reverse("meetings:detail", args=[meeting.pk]),
        "item": reverse("meetings:item", args=[meeting.pk, item.pk]),
        "minutes_pdf": reverse("meetings:minutes_pdf", args=[meeting.pk]),
        "create": reverse("meetings:create"),
        "attendee_add": reverse("meetings:attendee_add", args=[meeting.pk]),
        "agenda": reverse("meetings:agenda", args=[meeting.pk]),
        "decide": reverse("meetings:decide", args=[meeting.pk, item.pk]),
        "discussion": reverse("meetings:discussion", args=[meeting.pk, item.pk]),
        "minutes_close": reverse("meetings:minutes_close", args=[meeting.pk]),
        "put_forward": reverse("meetings:put_forward", args=[item.case.pk]),
        "conferences": reverse("meetings:conferences", args=[item.case.pk]),
        "conference_create": reverse("meetings:conference_create", args=[item.case.pk]),
    }


# role → page → status (the meeting is Nord's; its minutes closed; provider_staff attends)
EXPECTED = {
    "team_lead": dict.fromkeys(
        [*READ, *MANAGE, "week", "put_forward", "conferences", "conference_create"], 200
    ),
    "caseworker": {
        **dict.fromkeys([*READ, "week", "put_forward", "conferences", "conference_create"], 200),
        **dict.fromkeys(MANAGE, 403),
    },
    "caseworker_sued": {
        "list": 200,
        "week": 200,
        **dict.fromkeys(
            ["detail", "item", "minutes_pdf", "put_forward", "conferences", "conference_create"],
            404,
        ),
        "create": 403,
        **dict.fromkeys(["attendee_add", "agenda", "decide", "discussion", "minutes_close"], 403),
    },
    "provider_staff": {
        **dict.fromkeys(READ, 200),
        **dict.fromkeys([*MANAGE, "week", "put_forward", "conferences", "conference_create"], 403),
    },
    "provider_staff_b": {
        "list": 200,
        **dict.fromkeys(["detail", "item", "minutes_pdf"], 404),
        **dict.fromkeys([*MANAGE, "week", "put_forward", "conferences", "conference_create"], 403),
    },
    "planner": dict.fromkeys(
        [*READ, *MANAGE, "week", "put_forward", "conferences", "conference_create"], 403
    ),
    "admin": dict.fromkeys(
        [*READ, *MANAGE, "week", "put_forward", "conferences", "conference_create"], 403
    ),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_access_per_role(client, users, meeting, item, role):
    services.meeting_hold(user=users["team_lead"], meeting=meeting)
    services.minutes_close(user=users["team_lead"], meeting=meeting)
    client.force_login(users[role])
    urls = _urls(meeting, item)
    got = {}
    for name in EXPECTED[role]:
        response = client.get(urls[name])
        got[name] = response.status_code
        if response.status_code in (403, 404):
            _no_identifying(response.content.decode())
    assert got == EXPECTED[role]


def test_anonymous_is_sent_to_login(client, meeting, item):
    for url in _urls(meeting, item).values():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- The team's week ----------------------------------------------------------------------------


def test_team_week_warns_of_a_decision_without_caseworker_and_missing_minutes(
    client, users, settings, meeting, item, group_offer
):
    settings.SOZIALRAUM_MINUTES_DUE_DAYS = 7
    decision = services.decision_record(
        user=users["team_lead"], item=item, kind="clarification", responsible=users["caseworker"]
    )
    # The responsible caseworker left the office (account deactivated) …
    responsible = users["caseworker"]
    responsible.is_active = False
    responsible.save(update_fields=["is_active"])
    # … and an old meeting never got its minutes.
    TeamMeeting.objects.filter(pk=meeting.pk).update(
        date=timezone.localdate() - datetime.timedelta(days=20)
    )
    week = team_week(user=users["team_lead"])
    assert decision.proposal in week.unconfirmed
    assert any("keine verantwortliche Fachkraft" in w for w in week.warnings)
    assert any("kein abgeschlossenes Protokoll" in w for w in week.warnings)
    assert group_offer in week.group_offers
    AllocationProposal.objects.filter(pk=decision.proposal.pk).update(responsible=None)
    client.force_login(users["team_lead"])
    response = client.get(reverse("meetings:week"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "keine verantwortliche Fachkraft" in html and "Elterncafé" in html


def test_offer_free_places_cannot_exceed_capacity(group_offer):
    group_offer.places_free = 11
    with pytest.raises(ValidationError) as error:
        group_offer.full_clean()
    assert "mehr Plätze frei" in str(error.value)
    assert Offer.objects.get(pk=group_offer.pk).places_free == 3


# --- Familienrat --------------------------------------------------------------------------------

CONFERENCE = {
    "coordinator_name": "Birgit Sommer",
    "coordinator_organisation": "Familienrat-Büro",
    "preparation_on": None,
    "information_on": None,
    "family_time_on": None,
    "presentation_on": None,
    "participants": "Mutter, Oma",
    "plan": "Oma holt Mia dienstags ab.",
    "plan_goals": "Mia wird dienstags abgeholt.\nWir essen zusammen.",
}


def test_conference_coordinator_is_independent_and_phases_follow_one_another(users, family_case):
    steering = users["caseworker"]
    data = {**CONFERENCE, "coordinator_name": steering.get_full_name()}
    with pytest.raises(ValidationError) as error:
        services.conference_save(user=steering, case=family_case, data=data)
    assert "unabhängig" in str(error.value)
    today = timezone.localdate()
    data = {**CONFERENCE, "family_time_on": today, "information_on": today + datetime.timedelta(1)}
    with pytest.raises(ValidationError) as error:
        services.conference_save(user=steering, case=family_case, data=data)
    assert "kann nicht vor der Phase" in str(error.value)


def test_office_agreement_turns_the_plan_into_goals(client, users, family_case):
    today = timezone.localdate()
    conference = services.conference_save(
        user=users["caseworker"],
        case=family_case,
        data={**CONFERENCE, "family_time_on": today, "presentation_on": today},
    )
    client.force_login(users["caseworker"])
    url = reverse("meetings:conference_agree", args=[family_case.pk, conference.pk])
    assert client.post(url).status_code == 302
    conference.refresh_from_db()
    assert conference.agreed_by == users["caseworker"] and conference.agreed_at is not None
    texts = set(Goal.objects.filter(case=family_case).values_list("text", flat=True))
    assert {"Mia wird dienstags abgeholt.", "Wir essen zusammen."} <= texts
    assert client.post(url).status_code == 302  # again: a German message, no second set
    assert Goal.objects.filter(case=family_case, text="Wir essen zusammen.").count() == 1
    html = client.get(reverse("meetings:conferences", args=[family_case.pk])).content.decode()
    assert "Zustimmung des Jugendamts" in html and "Birgit Sommer" in html


def test_case_page_shows_the_proposal_and_the_links(client, users, meeting, item):
    services.decision_record(
        user=users["team_lead"], item=item, kind="clarification", responsible=users["caseworker"]
    )
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[item.case.pk])).content.decode()
    assert "Vorschlag des Sozialraumteams" in html and "Vorschlag bestätigen" in html
    assert reverse("meetings:conferences", args=[item.case.pk]) in html
    assert reverse("meetings:put_forward", args=[item.case.pk]) in html


def test_attendee_list_refuses_staff_of_another_region(users, meeting, team_sued):
    other = UserFactory(role="caseworker", asd_team=team_sued)
    with pytest.raises(ValidationError):
        services.attendee_add(user=users["team_lead"], meeting=meeting, staff=other)
    assert not Attendee.objects.filter(user=other).exists()


def test_erasing_a_case_takes_its_agenda_item_decision_and_proposal_with_it(users, meeting, item):
    """The retention job deletes a case whole; the meeting's record of it must not block that."""
    services.decision_record(
        user=users["team_lead"], item=item, kind="clarification", responsible=users["caseworker"]
    )
    item.case.delete()
    assert not AllocationDecision.objects.exists() and not AllocationProposal.objects.exists()
    assert TeamMeeting.objects.filter(pk=meeting.pk).exists()
