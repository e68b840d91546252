"""Demo data of the KJH statistics: the Teil I items on the demo town's helps, so that a planner
sees the tables on first start, and a handful of deliberately implausible records, so that the
plausibility report has something to show. Everything is invented; idempotent (nothing happens
once a help carries a reason)."""

from cases import kjh_items
from cases.models import Help, Person, PersonRole
from kjhstat.demo_protection import demo_protection_build
from sozialraum.models import Provider

# Cycled through by the help's position, so the tables show a spread of answers.
RESIDENCES = ["1", "3", "2", "1", "4", "3"]
SITUATIONS = ["1", "2", "3", "2", "1", "9"]
SUGGESTED = ["2", "4", "3", "1", "2", "6"]
REASONS = [("4", "6", ""), ("2", "5", "9"), ("8", "", ""), ("6", "7", ""), ("9", "8", "4")]
END_REASONS = ["1", "1", "2", "4", "1", "7"]
SEXES = ["1", "2"]


def demo_build() -> None:
    # The § 8a and § 42 records (kjhstat/demo_protection.py), idempotent on their own.
    demo_protection_build()
    helps = list(
        Help.objects.filter(help_type__code__in=list(kjh_items.HELP_KIND_BY_TYPE_CODE))
        .select_related("case", "help_type")
        .order_by("pk")
    )
    if not helps or any(help_.reason_main for help_ in helps):
        return
    children: dict[int, list[Person]] = {}
    for person in Person.objects.filter(
        role=PersonRole.CHILD, case_id__in={h.case_id for h in helps}
    ).order_by("birth_date", "pk"):
        children.setdefault(person.case_id, []).append(person)
    people: dict[int, Person] = {}
    for index, help_ in enumerate(helps):
        of_case = children.get(help_.case_id, [])
        if help_.young_person_id is None and of_case:
            help_.young_person = of_case[0]
        help_.residence_before = RESIDENCES[index % len(RESIDENCES)]
        help_.family_situation = SITUATIONS[index % len(SITUATIONS)]
        help_.transfer_payments = "1" if index % 3 == 0 else "2"
        help_.suggested_by = SUGGESTED[index % len(SUGGESTED)]
        help_.reason_main, help_.reason_second, help_.reason_third = REASONS[index % len(REASONS)]
        help_.previous_help = "1" if index % 4 == 0 else "2"
        help_.end_reason = END_REASONS[index % len(END_REASONS)] if help_.ended_on else ""
        for person in of_case:
            person.sex = person.sex or SEXES[(person.pk or 0) % 2]
            person.parent_foreign_origin = person.parent_foreign_origin or (
                "1" if person.pk % 5 == 0 else "2"
            )
            person.german_at_home = person.german_at_home or ("2" if person.pk % 10 == 0 else "1")
            people[person.pk] = person
    # The handful of implausible records the plausibility report shows on first start.
    implausible = helps[1::7][:5]
    for number, help_ in enumerate(implausible):
        if number == 0:
            help_.reason_main = help_.reason_second = help_.reason_third = ""
        elif number == 1:
            help_.reason_second = help_.reason_main
        elif number == 2:
            help_.suggested_by = ""
            help_.transfer_payments = ""
        elif number == 3 and help_.help_type.is_placement:
            help_.placement_location = ""
        elif help_.young_person_id:
            people[help_.young_person_id].sex = ""
        else:
            help_.family_situation = ""
    Help.objects.bulk_update(
        helps,
        [
            "young_person",
            "residence_before",
            "family_situation",
            "transfer_payments",
            "suggested_by",
            "reason_main",
            "reason_second",
            "reason_third",
            "previous_help",
            "end_reason",
            "placement_location",
        ],
        batch_size=500,
    )
    Person.objects.bulk_update(
        list(people.values()), ["sex", "parent_foreign_origin", "german_at_home"], batch_size=500
    )
    # One public provider: the town's own counselling centre, if the demo has it.
    Provider.objects.filter(name__icontains="städt").update(is_public=True)
