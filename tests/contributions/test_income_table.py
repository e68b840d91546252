"""The official table of the KostenbeitragsV (Fassung of 20.12.2023, BGBl. 2023 I Nr. 396, S. 2)
applied to known incomes gives the published amounts, and §§ 2, 4, 5, 6 KostenbeitragsV and
§ 94 Abs. 3 SGB VIII are applied. Every expected value is copied from the published Anlage (and
the Verordnung's own rules), not computed from the stored rows, so a wrong data file fails."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cases.models import HelpType, PersonRole
from contributions.models import ChildBenefitRate, CostContribution, IncomeTable, Stage
from contributions.services import (
    child_benefit_on,
    claim_create,
    contribution_set,
    evidence_record,
    table_amount,
)
from contributions.table_seed import (
    OFFICIAL_NAME,
    OFFICIAL_SOURCE,
    official_rows,
    official_table_load,
)
from tests.cases.conftest import decide

D = Decimal

# The Anlage zu § 1 KostenbeitragsV (2024), copied row by row from the published table:
# group, income from, income to, Beitragsstufe 1, 2, 3 (vollstationär), 4 (teilstationär).
PUBLISHED = [
    (1, "0.00", "1524.99", 0, 0, 0, 0),
    (2, "1525.00", "1800.99", 72, 55, 0, 68),
    (3, "1801.00", "2000.99", 128, 80, 35, 80),
    (4, "2001.00", "2200.99", 216, 100, 45, 90),
    (5, "2201.00", "2400.99", 300, 135, 55, 100),
    (6, "2401.00", "2700.99", 374, 170, 75, 110),
    (7, "2701.00", "3000.99", 456, 215, 115, 120),
    (8, "3001.00", "3300.99", 540, 270, 160, 135),
    (9, "3301.00", "3600.99", 615, 330, 205, 150),
    (10, "3601.00", "3900.99", 693, 405, 255, 165),
    (11, "3901.00", "4200.99", 792, 480, 315, 180),
    (12, "4201.00", "4600.99", 897, 555, 375, 195),
    (13, "4601.00", "5000.99", 1029, 630, 420, 210),
    (14, "5001.00", "5500.99", 1141, 690, 460, 230),
]


def amount(table, income: str, stage: int = 1, **kwargs) -> tuple[int | None, Decimal]:
    return table_amount(table=table, monthly_income=D(income), stage=stage, **kwargs)


# The table as data ----------------------------------------------------------------------------


def test_the_data_file_is_the_published_table():
    rows = official_rows()
    assert [
        (r.group, r.income_from, r.income_to, *r.amounts) for r in rows
    ] == [
        (g, D(lo), D(hi), D(s1), D(s2), D(s3), D(s4)) for g, lo, hi, s1, s2, s3, s4 in PUBLISHED
    ]  # fmt: skip


def test_the_loaded_table_has_name_source_rules_and_no_group_above_14(income_table):
    assert (
        income_table.name
        == OFFICIAL_NAME
        == ("Kostenbeitragstabelle nach KostenbeitragsV (Fassung vom 20.12.2023)")
    )
    assert income_table.source == OFFICIAL_SOURCE == "BGBl. 2023 I Nr. 396, S. 2"
    assert income_table.valid_from == datetime.date(2024, 1, 1)
    top = income_table.brackets.order_by("-group").first()
    assert (top.group, top.income_to) == (14, D("5500.99"))
    assert [income_table.above_top_percent(stage) for stage in (1, 2, 3, 4)] == [
        D("25"), D("15"), D("10"), D("5"),
    ]  # fmt: skip
    steps = dict(income_table.brackets.values_list("group", "groups_lower_per_dependant"))
    assert all(steps[g] == 2 for g in range(2, 7)) and all(steps[g] == 1 for g in range(7, 15))


def test_every_published_row_gives_its_amounts_at_both_bounds(income_table):
    for group, low, high, *amounts in PUBLISHED:
        for income in (low, high):
            for stage, expected in zip((1, 2, 3, 4), amounts, strict=True):
                assert amount(income_table, income, stage) == (group, D(expected)), (income, stage)


def test_known_incomes_at_group_boundaries(income_table):
    assert amount(income_table, "1524.99") == (1, D("0"))
    assert amount(income_table, "1525.00") == (2, D("72"))
    assert amount(income_table, "5500.99") == (14, D("1141"))
    assert [amount(income_table, "3000.99", s) for s in (1, 2, 3, 4)] == [
        (7, D("456")), (7, D("215")), (7, D("115")), (7, D("120")),
    ]  # fmt: skip
    assert [amount(income_table, "3001.00", s) for s in (1, 2, 3, 4)] == [
        (8, D("540")), (8, D("270")), (8, D("160")), (8, D("135")),
    ]  # fmt: skip


def test_the_command_loads_once_and_keeps_admin_corrections(db, capsys):
    call_command("load_income_table")
    table = IncomeTable.objects.get()
    table.brackets.filter(group=2).update(stage_1=D("73"))  # an administrator's correction
    call_command("load_income_table")
    assert IncomeTable.objects.count() == 1 and table.brackets.count() == 14
    assert table.brackets.get(group=2).stage_1 == D("73")
    assert "14 Einkommensgruppen" in capsys.readouterr().out
    assert ChildBenefitRate.objects.count() == 3


def test_the_old_sample_table_is_replaced_by_the_official_one(db):
    sample = IncomeTable.objects.create(
        name="Mustertabelle nach dem Aufbau der KostenbeitragsV (Werte nicht amtlich)",
        valid_from=datetime.date(2024, 1, 1),
        source="Muster",
    )
    sample.brackets.create(
        group=1, income_from=D(0), stage_1=D(1), stage_2=D(1), stage_3=D(1), stage_4=D(1)
    )
    table = official_table_load()
    assert table.pk == sample.pk and table.name == OFFICIAL_NAME
    assert amount(table, "5500.99") == (14, D("1141"))


# § 4: further maintenance obligations ---------------------------------------------------------


def test_groups_2_to_6_two_lower_groups_7_to_14_one_lower_per_obligation(income_table):
    # group 5 with one obligation → group 3 (Stufe 1: 128)
    assert amount(income_table, "2300.00", further_dependants=1) == (3, D("128"))
    # group 7 with one → group 6 (374)
    assert amount(income_table, "2800.00", further_dependants=1) == (6, D("374"))
    # group 8 with two → 7 → 6 (374)
    assert amount(income_table, "3100.00", further_dependants=2) == (6, D("374"))
    # group 7 with two → 6 → 4 (216), step by step
    assert amount(income_table, "2800.00", further_dependants=2) == (4, D("216"))
    # group 2 with one → never below group 1
    assert amount(income_table, "1600.00", further_dependants=1) == (1, D("0"))
    # group 14 with three → 13 → 12 → 11, teilstationär 180
    assert amount(income_table, "5100.00", 4, further_dependants=3) == (11, D("180"))


def test_an_income_above_the_table_with_an_obligation_is_placed_in_the_top_group(income_table):
    assert amount(income_table, "6000.00", further_dependants=1) == (14, D("1141"))


# § 5: income above the top group --------------------------------------------------------------


def test_income_above_group_14_pays_the_percentage_of_the_income(income_table):
    assert [amount(income_table, "6000.00", s) for s in (1, 2, 3, 4)] == [
        (None, D("1500.00")), (None, D("900.00")), (None, D("600.00")), (None, D("300.00")),
    ]  # fmt: skip
    # the first cent above group 14: 25 % of 5501.00
    assert amount(income_table, "5501.00") == (None, D("1375.25"))
    # rounded to the cent, half up: 5 % of 5501.10 = 275.055
    assert amount(income_table, "5501.10", 4) == (None, D("275.06"))


# § 6: young adults ----------------------------------------------------------------------------


def test_a_young_adults_parent_is_assessed_at_most_at_group_10(income_table):
    assert amount(income_table, "4500.00", young_adult=True) == (10, D("693"))
    assert amount(income_table, "6000.00", young_adult=True) == (10, D("693"))  # not § 5
    assert amount(income_table, "1900.00", young_adult=True) == (1, D("0"))  # 3 → 1
    assert amount(income_table, "1600.00", young_adult=True) == (1, D("0"))  # 2 → 1
    assert amount(income_table, "2100.00", young_adult=True) == (2, D("72"))  # 4 → 2
    assert amount(income_table, "2800.00", young_adult=True) == (7, D("456"))  # unchanged
    # after § 4: group 6 with one obligation → 4, then § 6 → 2
    assert amount(income_table, "2500.00", further_dependants=1, young_adult=True) == (
        2, D("72"),
    )  # fmt: skip


# § 2: from the fourth person only child benefit -----------------------------------------------


def test_a_fourth_person_placed_full_time_owes_nothing_from_income(income_table):
    assert amount(income_table, "3100.00", Stage.NONE) == (8, D("0"))
    assert amount(income_table, "6000.00", Stage.NONE) == (None, D("0"))


# Setting a contribution -----------------------------------------------------------------------


def test_child_benefit_is_added_and_claimed_with_the_income_contribution(
    users, placement, evidence, income_table
):
    assert child_benefit_on(datetime.date(2025, 12, 31)) == D("255.00")
    assert child_benefit_on(datetime.date(2026, 1, 1)) == D("259.00")
    contribution = contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        receives_child_benefit=True, user=users["caseworker"],
    )  # fmt: skip
    # 2,650.00 € is group 6, Stufe 1: 374 €; Kindergeld 2026: 259 €
    assert (contribution.group, contribution.table_amount, contribution.amount) == (
        6, D("374.00"), D("374.00"),
    )  # fmt: skip
    assert contribution.child_benefit_amount == D("259.00")
    claim = claim_create(contribution=contribution, month=datetime.date(2026, 2, 1))
    assert claim.amount == contribution.monthly_total == D("633.00")


def test_a_fourth_person_with_child_benefit_pays_only_the_child_benefit(
    users, placement, evidence, income_table
):
    contribution = contribution_set(
        help=placement, evidence=evidence, stage=Stage.NONE, starts_on=placement.starts_on,
        receives_child_benefit=True, user=users["caseworker"],
    )  # fmt: skip
    assert (contribution.amount, contribution.child_benefit_amount) == (D("0.00"), D("259.00"))
    claim = claim_create(contribution=contribution, month=datetime.date(2026, 1, 1))
    assert claim.amount == D("259.00")


def test_contributions_never_exceed_the_cost_of_the_help(users, placement, guardian, income_table):
    placement.monthly_cost = D("300.00")
    placement.save()
    rich = evidence_record(
        case=placement.case, person=guardian, monthly_income=D("6000.00"),
        period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31),
        submitted_on=datetime.date(2026, 1, 20), user=users["caseworker"],
    )  # fmt: skip
    alone = contribution_set(
        help=placement, evidence=rich, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"],
    )  # fmt: skip
    assert (alone.group, alone.table_amount, alone.amount) == (None, D("300.00"), D("300.00"))
    both = contribution_set(
        help=placement, evidence=rich, stage=1, starts_on=placement.starts_on,
        receives_child_benefit=True, user=users["caseworker"],
    )  # fmt: skip
    assert (both.child_benefit_amount, both.amount, both.monthly_total) == (
        D("259.00"), D("41.00"), D("300.00"),
    )  # fmt: skip


def test_the_parent_of_a_young_adult_is_assessed_by_section_6(
    users, placement, guardian, income_table
):
    child = placement.case.persons.get(role=PersonRole.CHILD)
    child.birth_date = datetime.date(2007, 6, 1)  # 18 on the contribution's first day
    child.save()
    placement.refresh_from_db()  # the help's young person, if cached, is read again
    high = evidence_record(
        case=placement.case, person=guardian, monthly_income=D("4500.00"),
        period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31),
        submitted_on=datetime.date(2026, 1, 20), user=users["caseworker"],
    )  # fmt: skip
    contribution = contribution_set(
        help=placement, evidence=high, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"],
    )  # fmt: skip
    assert (contribution.young_adult, contribution.group, contribution.amount) == (
        True, 10, D("693.00"),
    )  # fmt: skip


def test_part_time_stage_for_a_full_time_placement_is_refused_in_german(
    users, placement, evidence, income_table
):
    with pytest.raises(ValidationError) as error:
        contribution_set(
            help=placement, evidence=evidence, stage=4, starts_on=placement.starts_on,
            user=users["caseworker"],
        )  # fmt: skip
    assert "Beitragsstufe 4 gilt für teilstationäre Hilfen" in error.value.message_dict["stage"][0]


def test_a_day_group_takes_stage_4_and_no_child_benefit(users, placement, evidence, income_table):
    day_group = decide(
        user=users["caseworker"], case=placement.case, help_type=HelpType.objects.get(code="32"),
        starts_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        contribution_set(
            help=day_group, evidence=evidence, stage=1, starts_on=day_group.starts_on,
            receives_child_benefit=True, user=users["caseworker"],
        )  # fmt: skip
    messages = error.value.message_dict
    assert "es gilt Beitragsstufe 4" in messages["stage"][0]
    assert "nur bei einer Unterbringung über Tag und Nacht" in messages["receives_child_benefit"][0]
    contribution = contribution_set(
        help=day_group, evidence=evidence, stage=4, starts_on=day_group.starts_on,
        user=users["caseworker"],
    )  # fmt: skip
    assert (contribution.group, contribution.amount) == (6, D("110.00"))  # 2,650 €: group 6


def test_the_form_shows_german_messages_for_wrong_input(
    client, users, placement, evidence, income_table
):
    client.force_login(users["caseworker"])
    url = reverse("contributions:create", args=[placement.case_id, placement.pk])
    response = client.post(
        url,
        {
            "evidence": evidence.pk, "stage": 4, "further_dependants": 0,
            "starts_on": "2026-01-01",
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "Beitragsstufe 4 gilt für teilstationäre Hilfen" in response.content.decode()
    response = client.post(
        url,
        {
            "evidence": evidence.pk, "stage": 9, "further_dependants": -1,
            "starts_on": "2026-01-01",
        },
    )  # fmt: skip
    assert response.status_code == 422
    page = response.content.decode()
    assert "Bitte eine gültige Auswahl treffen" in page
    assert "größer oder gleich 0" in page
    assert not CostContribution.objects.exists()
    response = client.post(
        url,
        {
            "evidence": evidence.pk, "stage": 1, "further_dependants": 0,
            "receives_child_benefit": "on", "starts_on": "2026-01-01",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert CostContribution.objects.get().monthly_total == D("633.00")


def test_the_case_page_links_the_contribution_of_a_placement_and_of_a_day_group_only(
    client, users, placement
):
    spfh = decide(
        user=users["caseworker"], case=placement.case, help_type=HelpType.objects.get(code="31"),
        starts_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    spfh_url = reverse("contributions:help", args=[placement.case_id, spfh.pk])
    tagesgruppe = decide(
        user=users["caseworker"], case=placement.case, help_type=HelpType.objects.get(code="32"),
        starts_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    client.force_login(users["caseworker"])
    page = client.get(reverse("cases:detail", args=[placement.case_id])).content.decode()
    assert reverse("contributions:help", args=[placement.case_id, placement.pk]) in page
    assert reverse("contributions:help", args=[placement.case_id, tagesgruppe.pk]) in page
    assert spfh_url not in page  # § 31 SPFH: ambulant, no cost contribution (§ 91)
