"""Factories for case work. They build valid rows directly (for volume: lists, paging, query
counts); tests of what a user does go through the services instead (see conftest)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from cases.models import (
    Assignment,
    Case,
    CaseKind,
    CaseStatus,
    Help,
    HelpPlan,
    HelpPlanReview,
    HelpType,
    Note,
    NoteKind,
    Person,
    PersonRole,
    RiskAssessment,
    RiskLevel,
)
from cases.names import name_key
from cases.review_due import case_review_due_refresh
from cases.services import case_number_next, case_search_words_keep
from tests.factories import ProviderFactory, SozialraumFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """An individual case at intake, numbered like the intake numbers it (N-2026-0001)."""

    class Meta:
        model = Case

    kind = CaseKind.INDIVIDUAL
    status = CaseStatus.INTAKE
    end_reason = factory.LazyAttribute(lambda o: "other" if o.status == CaseStatus.CLOSED else "")
    sozialraum = factory.SubFactory(SozialraumFactory)
    region = factory.SelfAttribute("sozialraum.region")
    steering_caseworker = factory.SubFactory(
        UserFactory, role="caseworker", asd_team=factory.SelfAttribute("..sozialraum.asd_team")
    )
    created_by = factory.SelfAttribute("steering_caseworker")
    opened_on = datetime.date(2026, 2, 2)
    concern = "Wir möchten, dass es zu Hause wieder ruhiger wird."
    street = "Lindenweg"
    house_number = "3"
    number = factory.LazyAttribute(
        lambda o: case_number_next(
            region_id=o.region.pk, year=o.opened_on.year, region_code=o.region.code
        )
    )


class ProjectFactory(CaseFactory):
    class Meta:
        skip_postgeneration_save = True

    kind = CaseKind.CROSS_CASE
    title = factory.Sequence(lambda n: f"Gruppe für Alleinerziehende {n}")
    concern = ""
    street = ""
    house_number = ""
    target_group = "Alleinerziehende mit Kindern unter sechs Jahren"
    participants_count = 12

    @factory.post_generation
    def search_words(obj, create, extracted, **kwargs):
        # As the project services do: the case list's search finds it by its title.
        if create:
            case_search_words_keep(case=obj)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    role = PersonRole.CHILD
    first_name = factory.Sequence(lambda n: f"Kind{n}")
    last_name = "Beispiel"
    birth_date = datetime.date(2016, 5, 4)
    name_key = factory.LazyAttribute(lambda o: name_key(o.first_name, o.last_name))

    @factory.post_generation
    def search_words(obj, create, extracted, **kwargs):
        # As every service that writes a person does: the case list's search finds her.
        if create:
            case_search_words_keep(case=obj.case)


def help_type(code: str = "31") -> HelpType:
    """A help type of the seeded catalogue (31 = SPFH, 34 = Heimerziehung, a placement)."""
    return HelpType.objects.get(code=code)


class HelpFactory(factory.django.DjangoModelFactory):
    """A running ambulant help (SPFH, 5 hours a week); no help plan (see HelpPlanReviewFactory)."""

    class Meta:
        model = Help

    case = factory.SubFactory(CaseFactory, status=CaseStatus.RUNNING)
    help_type = factory.LazyFunction(help_type)
    hours_per_week = Decimal("5.00")
    starts_on = datetime.date(2026, 1, 1)
    planned_end_on = datetime.date(2026, 12, 31)
    decided_by = factory.SelfAttribute("case.steering_caseworker")


class HelpPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpPlan

    help = factory.SubFactory(HelpFactory)
    case = factory.SelfAttribute("help.case")


class HelpPlanReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpPlanReview
        skip_postgeneration_save = True  # the hook writes the case, not the review

    help_plan = factory.SubFactory(HelpPlanFactory)
    case = factory.SelfAttribute("help_plan.case")
    due_on = datetime.date(2026, 7, 1)

    @factory.post_generation
    def case_review_due(obj, create, extracted, **kwargs):
        # As the review services do: the case carries the day its earliest open review is due.
        if create:
            case_review_due_refresh(case_id=obj.case_id)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    help = factory.SubFactory(HelpFactory)
    case = factory.SelfAttribute("help.case")
    provider = factory.SubFactory(ProviderFactory)
    starts_on = factory.SelfAttribute("help.starts_on")
    ends_on = factory.SelfAttribute("help.planned_end_on")
    commissioned_by = factory.SelfAttribute("case.steering_caseworker")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    kind = NoteKind.ASD
    text = factory.Sequence(lambda n: f"Vermerk {n}")
    internal = True
    author = factory.SelfAttribute("case.steering_caseworker")


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    case = factory.SubFactory(CaseFactory)
    level = RiskLevel.ACUTE
    facts = "Das Kind kam mit Verletzungen in die Kita."
    assessed_by = factory.SelfAttribute("case.steering_caseworker")
    concluded_by = factory.SelfAttribute("assessed_by")
    concluded_at = factory.LazyFunction(timezone.now)
    # As `cases.protection.risk_open_refresh` keeps it: acute 0, not yet assessed 1, else 2.
    alert_rank = factory.LazyAttribute(
        lambda o: 0 if o.level == RiskLevel.ACUTE else (1 if o.level == "" else 2)
    )
