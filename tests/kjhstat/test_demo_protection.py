"""The statistics demo of § 8a and § 42: complete records, one implausible record of each
survey, one Inobhutnahme over New Year; built once."""

from django.utils import timezone

from cases.models import ProtectionMeasure
from kjhstat.demo_protection import demo_protection_build
from kjhstat.survey import SURVEYS
from kjhstat.surveys import assessments, protection_measures  # noqa: F401
from tests.kjhstat.protection_world import child, family


def test_demo_shows_tables_and_one_problem_per_survey(users, sozialraum_nord):
    for name in ("Ada", "Bea", "Cem", "Dia"):
        family(
            user=users["caseworker"],
            sozialraum=sozialraum_nord,
            children=[child(name, "2016-02-02")],
        )
    demo_protection_build()
    demo_protection_build()  # idempotent
    year = timezone.localdate().year - 1
    assert ProtectionMeasure.objects.count() == 4
    assert ProtectionMeasure.objects.filter(ended_on__isnull=True).count() == 1
    assert len(list(SURVEYS["8a"].rows(year))) == 4
    assert len(list(SURVEYS["42"].rows(year))) == 3  # the one over New Year included
    problems_8a = list(SURVEYS["8a"].plausibility(year))
    problems_42 = list(SURVEYS["42"].plausibility(year))
    assert len(problems_8a) == 1 and "keine Art der Gefährdung" in problems_8a[0].problem
    assert len(problems_42) == 1 and "Familiengericht" in problems_42[0].problem
