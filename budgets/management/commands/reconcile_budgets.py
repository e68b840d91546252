from django.core.management.base import BaseCommand, CommandError

from budgets.reconciliation import budgets_reconcile
from sozialraum.money import money_format


class Command(BaseCommand):
    help = (
        "Vergleicht die zwischengespeicherten Budgetzahlen mit der Summe der Buchungen. "
        "Endet mit Fehler, wenn es Abweichungen gibt."
    )

    def handle(self, *args, **options):
        differences = budgets_reconcile()
        for difference in differences:
            self.stdout.write(
                f"Abweichung: {difference.budget} ({difference.figure}): "
                f"zwischengespeichert {money_format(difference.cached)}, "
                f"laut Buchungen {money_format(difference.ledger)}"
            )
        if differences:
            raise CommandError(f"{len(differences)} Abweichung(en) gefunden.")
        self.stdout.write("Keine Abweichungen: alle Budgets stimmen mit den Buchungen überein.")
