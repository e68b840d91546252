"""The ASD start page's lists as the team lead and the caseworker read them: each row names
the case, links to the right page, and says what is due; a long list shows its first twenty
and says that more follow."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import RiskLevel
from cases.selectors_start import ALERTS_ON_START_PAGE
from tests.cases.factories import HelpPlanReviewFactory, RiskAssessmentFactory
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


def _start_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("asd_home"))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _rows(html: str, heading: str) -> list[str]:
    """The list items after `heading`, tags removed but link targets kept as [href]."""
    after = html[html.index(heading) :]
    items = after[after.index("<ul") : after.index("</ul>")]
    rows = re.findall(r"<li>(.*?)</li>", items)
    return [
        re.sub(r"<[^>]+>", "", re.sub(r'<a [^>]*href="([^"]+)"[^>]*>', r"[\1]", r)) for r in rows
    ]


@pytest.fixture
def overdue(users, sozialraum_nord, today):
    """A case of the caseworker with a Hilfeplangespräch that was due ten days ago."""
    review = HelpPlanReviewFactory(
        help_plan__help__case__sozialraum=sozialraum_nord,
        help_plan__help__case__steering_caseworker=users["caseworker"],
        due_on=today - 10 * DAY,
    )
    return review


def test_an_overdue_and_a_coming_review_name_case_help_and_day(
    client, users, overdue, sozialraum_nord, team_sued, today
):
    coming = HelpPlanReviewFactory(
        help_plan__help__case__sozialraum=sozialraum_nord,
        help_plan__help__case__steering_caseworker=users["caseworker"],
        due_on=today + 3 * DAY,
        time=datetime.time(16, 0),
        place="Familienzentrum Nord",
    )
    # The help type as the catalogue names it (`HelpType.__str__`: "§ 31 SGB VIII Sozial…").
    assert str(overdue.help_plan.help.help_type).startswith("§ 31 SGB VIII Sozialpäd")
    for user in (users["team_lead"], users["caseworker"]):
        html = _start_page(client, user)
        case = overdue.case
        assert _rows(html, "Überfällige Hilfeplangespräche") == [
            f"Fall [{reverse('cases:detail', args=[case.pk])}#hilfeplan]{case.number}: "
            f"{overdue.help_plan.help.help_type}, fällig seit {today - 10 * DAY:%d.%m.%Y}"
        ]
        assert _rows(html, "Anstehende Hilfeplangespräche") == [
            f"{today + 3 * DAY:%d.%m.%Y}, 16:00 Uhr, Familienzentrum Nord: Fall "
            f"[{reverse('cases:detail', args=[coming.case.pk])}#hilfeplan]{coming.case.number}, "
            f"{coming.help_plan.help.help_type}"
        ]
    # Another region's team lead sees neither.
    html = _start_page(client, UserFactory(role="team_lead", asd_team=team_sued))
    assert overdue.case.number not in html
    assert coming.case.number not in html


def test_a_risk_names_case_sozialraum_and_who_reported_it(client, users, sozialraum_nord):
    reporter = UserFactory(
        role="caseworker", asd_team=sozialraum_nord.asd_team, first_name="Ida", last_name="Kern"
    )
    risk = RiskAssessmentFactory(
        case__sozialraum=sozialraum_nord,
        case__steering_caseworker=users["caseworker"],
        level=RiskLevel.ACUTE,
        assessed_by=reporter,
        is_open=True,
    )
    html = _start_page(client, users["team_lead"])
    at = timezone.localtime(risk.assessed_at)
    assert _rows(html, "Gefährdungseinschätzungen (§ 8a)") == [
        f"Akute Gefährdung in Fall [{reverse('cases:risk_detail', args=[risk.pk])}]"
        f"{risk.case.number} ({sozialraum_nord.name}), gemeldet {at:%d.%m.%Y %H:%M} von Ida Kern"
    ]


def test_a_long_list_shows_the_longest_overdue_first_and_says_more_follow(
    client, users, sozialraum_nord, today
):
    reviews = [
        HelpPlanReviewFactory(
            help_plan__help__case__sozialraum=sozialraum_nord,
            help_plan__help__case__steering_caseworker=users["caseworker"],
            due_on=today - (30 - n) * DAY,
        )
        for n in range(ALERTS_ON_START_PAGE + 1)
    ]
    html = _start_page(client, users["team_lead"])
    rows = _rows(html, "Überfällige Hilfeplangespräche")
    assert len(rows) == ALERTS_ON_START_PAGE
    assert [row.split("]")[1].split(":")[0] for row in rows] == [
        review.case.number for review in reviews[:ALERTS_ON_START_PAGE]
    ]
    assert f"Die {ALERTS_ON_START_PAGE} am längsten überfälligen." in html
    assert reviews[-1].case.number not in html
