"""Demo Trägerbudgets of Lindenau (issue 20, part 5): the two Schwerpunktträger with a budget of
their own this year and a few months of bookings, and last year's budget of Diakonie Süd closed
with a carry-over into two Sozialraum projects. The providers get bank details for the cash
office's file. Called from `budgets.demo.demo_build`; idempotent (nothing when a Trägerbudget
exists)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budgets.models import Budget, ProviderBudget, SpendingKind
from budgets.provider_budgets import (
    ProjectPlan,
    provider_budget_allocate,
    provider_budget_assignments,
    provider_budget_book,
    provider_budget_carry_over,
)
from budgets.selectors import budget_figures
from sozialraum.models import Provider, Sozialraum, User

D = datetime.date
# (short name, bank code, account, BIC, creditor number of the town's cash office)
BANK_DETAILS = [
    ("KJH Lindenau", "20050550", "1234567890", "HASPDEHHXXX", "700101"),
    ("AWO Lindenau", "20050550", "2345678901", "HASPDEHHXXX", "700102"),
    ("Familienhilfe Am Teich", "20070000", "3456789012", "DEUTDEHHXXX", "700103"),
    ("Diakonie Süd", "35060190", "4567890123", "GENODED1DKD", "700104"),
    ("Caritas", "37060193", "5678901234", "GENODED1PAX", "700105"),
    ("Sprungbrett", "20040000", "6789012345", "COBADEHHXXX", "700106"),
]


def iban_de(bank_code: str, account: str) -> str:
    """A German IBAN with correct check digits (ISO 13616: DE = 1314, check digits 00 first)."""
    bban = bank_code + account.zfill(10)
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


def bank_details_set() -> None:
    for short_name, bank_code, account, bic, creditor in BANK_DETAILS:
        provider = Provider.objects.filter(short_name=short_name).first()
        if provider is None or provider.iban:
            continue
        provider.iban, provider.bic = iban_de(bank_code, account), bic
        provider.creditor_number = creditor
        provider.full_clean()
        provider.save(update_fields=["iban", "bic", "creditor_number"])


def _budget(year: int, code: str) -> Budget | None:
    return Budget.objects.filter(fiscal_year__year=year, region__code=code).first()


def _allocate(budget: Budget, short_name: str, amount: str, rationale: str, planner: User):
    free = budget_figures([budget])[budget.pk].free
    # The demo town's cases may have bound much of the budget: allocate what is there.
    amount_due = min(Decimal(amount), (free * Decimal("0.5")).quantize(Decimal("1")))
    if amount_due <= 0:
        return None
    return provider_budget_allocate(
        budget=budget,
        provider=Provider.objects.get(short_name=short_name),
        amount=amount_due,
        rationale=rationale,
        by=planner,
    ).provider_budget


# (month, kind, share of the monthly pace, text, hours)
BOOKINGS = [
    (SpendingKind.GROUP, Decimal("0.30"), "Mädchengruppe und Elterntraining", None),
    (SpendingKind.SOZIALRAUM, Decimal("0.20"), "Stadtteilarbeit, Sommerfest", None),
    (SpendingKind.STAFF, Decimal("0.25"), "Koordination im Sozialraumteam", Decimal("40")),
    (SpendingKind.INDIVIDUAL, Decimal("0.20"), "Zusatzstunden ohne Einzelbewilligung", None),
]


def _book_months(pb: ProviderBudget, allocated: Decimal, staff: User, until: datetime.date):
    """A few months of spending at about 95 % of the allocation's monthly pace."""
    year = pb.budget.fiscal_year.year
    monthly = allocated / 12 * Decimal("0.95")
    assignment = provider_budget_assignments(pb).first()
    for month in range(1, 13):
        spent_on = D(year, month, 20)
        if spent_on > until:
            break
        for kind, share, text, hours in BOOKINGS:
            if kind == SpendingKind.INDIVIDUAL and assignment is None:
                continue
            provider_budget_book(
                provider_budget=pb,
                kind=kind,
                amount=(monthly * share).quantize(Decimal("0.01")),
                spent_on=spent_on,
                text=f"{text} ({month:02d}/{year})",
                hours=hours,
                assignment=assignment if kind == SpendingKind.INDIVIDUAL else None,
                by=staff,
                over_reason="Mehr Gruppen als geplant",
            )


@transaction.atomic
def demo_build() -> None:
    bank_details_set()
    if ProviderBudget.objects.exists():
        return
    planner = User.objects.filter(username="planung").first()
    staff_north = User.objects.filter(username="traeger-a").first()
    staff_south = User.objects.filter(username="traeger-b").first()
    if planner is None or staff_north is None or staff_south is None:
        return
    today = timezone.localdate()
    this, last = today.year, today.year - 1
    # Last year: Diakonie Süd's budget, spent over the year, the rest into two projects (in
    # region Süd, so that Nord's carry-over of the budgets demo stays as it is).
    last_south = _budget(last, "S")
    if last_south is not None:
        pb = _allocate(
            last_south,
            "Diakonie Süd",
            "60000",
            "Erstes Trägerbudget: Gruppenangebote und Sozialraumarbeit im Süden.",
            planner,
        )
        if pb is not None:
            _book_months(
                pb, pb.allocations.get().commitment.cached_bound, staff_south, D(last, 11, 30)
            )
            sozialraeume = list(
                Sozialraum.objects.valid_on(D(this, 1, 1)).filter(region__code="S").order_by("code")
            )
            left = pb.allocations.get().commitment.cached_bound - sum(
                b.amount for b in pb.bookings.all()
            )
            if left > 2 and sozialraeume:
                half = (left / 2).quantize(Decimal("0.01"))
                provider_budget_carry_over(
                    provider_budget=pb,
                    projects=[
                        ProjectPlan("Spielmobil Süd", sozialraeume[0], half),
                        ProjectPlan("Jugendtreff am Markt", sozialraeume[-1], left - half),
                    ],
                    rationale=(
                        "Beschluss der Sozialraumkonferenz Süd vom 4. Dezember: Rest für "
                        "zwei Projekte des Folgejahres."
                    ),
                    by=planner,
                )
    # This year: both Schwerpunktträger, bookings up to last month.
    for code, short_name, staff, amount in (
        ("N", "KJH Lindenau", staff_north, "180000"),
        ("S", "Diakonie Süd", staff_south, "150000"),
    ):
        budget = _budget(this, code)
        if budget is None:
            continue
        pb = _allocate(
            budget,
            short_name,
            amount,
            f"Trägerbudget {this}: Einzelfall, Gruppen und Sozialraumarbeit aus einer Hand.",
            planner,
        )
        if pb is not None:
            until = today.replace(day=1) - datetime.timedelta(days=1)
            _book_months(pb, pb.allocations.get().commitment.cached_bound, staff, until)
