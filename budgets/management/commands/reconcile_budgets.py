from django.core.management.base import BaseCommand, CommandError

from budgets.reconciliation import (
    budgets_reconcile,
    commitments_reconcile,
    place_totals_reconcile,
    totals_reconcile,
)
from sozialraum.money import money_format

LABELS = {"bound": "gebunden", "paid": "gezahlt", "received": "eingenommen"}


class Command(BaseCommand):
    help = (
        "Vergleicht die zwischengespeicherten Zahlen der Budgets und Bewilligungen mit der Summe "
        "der Buchungen. Endet mit Fehler, wenn es Abweichungen gibt."
    )

    def handle(self, *args, **options):
        differences = budgets_reconcile()
        for difference in differences:
            self.stdout.write(
                f"Abweichung: {difference.budget} ({difference.figure}): "
                f"zwischengespeichert {money_format(difference.cached)}, "
                f"laut Buchungen {money_format(difference.ledger)}"
            )
        commitment_differences = commitments_reconcile()
        for difference in commitment_differences:
            self.stdout.write(
                f"Abweichung: Bewilligung Nr. {difference.commitment_id} "
                f"({LABELS[difference.figure]}): zwischengespeichert "
                f"{money_format(difference.cached)}, "
                f"laut Buchungen {money_format(difference.ledger)}"
            )
        total_differences = totals_reconcile()
        for difference in total_differences:
            self.stdout.write(
                f"Abweichung: Summe der Bewilligungen in Budget Nr. {difference.budget_id}, "
                f"{difference.kind}, Hilfeart Nr. {difference.help_type_id or '–'} "
                f"({LABELS[difference.figure]}): zwischengespeichert "
                f"{money_format(difference.cached)}, "
                f"laut Buchungen {money_format(difference.ledger)}"
            )
        place_differences = place_totals_reconcile()
        for place in place_differences:
            self.stdout.write(
                f"Abweichung: Summe der Bewilligungen in Budget Nr. {place.budget_id}, "
                f"Träger Nr. {place.provider_id or '–'}, "
                f"Sozialraum Nr. {place.sozialraum_id or '–'} "
                f"({LABELS[place.figure]}): zwischengespeichert {money_format(place.cached)}, "
                f"laut Buchungen {money_format(place.ledger)}"
            )
        count = (
            len(differences)
            + len(commitment_differences)
            + len(total_differences)
            + len(place_differences)
        )
        if count:
            raise CommandError(f"{count} Abweichung(en) gefunden.")
        self.stdout.write(
            "Keine Abweichungen: alle Budgets und Bewilligungen stimmen mit den Buchungen überein."
        )
