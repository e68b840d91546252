from django.core.management.base import BaseCommand, CommandError

from cases.review_due import cases_review_due_wrong


class Command(BaseCommand):
    help = (
        "Vergleicht das bei jedem Fall gespeicherte Datum des nächsten Hilfeplangesprächs mit "
        "seinen offenen Gesprächen. Endet mit Fehler, wenn es Abweichungen gibt."
    )

    def handle(self, *args, **options):
        wrong = list(cases_review_due_wrong().values_list("number", "review_due_on", "expected"))
        for number, stored, expected in wrong:
            self.stdout.write(
                f"Abweichung: Fall {number}: gespeichert {_day(stored)}, "
                f"laut offenen Gesprächen {_day(expected)}"
            )
        if wrong:
            raise CommandError(f"{len(wrong)} Abweichung(en) gefunden.")
        self.stdout.write(
            "Keine Abweichungen: bei allen Fällen stimmt das nächste Hilfeplangespräch."
        )


def _day(day) -> str:
    return f"{day:%d.%m.%Y}" if day else "keines"
