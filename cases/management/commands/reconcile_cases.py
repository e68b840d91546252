from django.core.management.base import BaseCommand, CommandError

from cases.review_due import cases_review_due_wrong
from cases.selectors import cases_search_words_wrong, helps_region_wrong


class Command(BaseCommand):
    help = (
        "Vergleicht das bei jedem Fall gespeicherte Datum des nächsten Hilfeplangesprächs mit "
        "seinen offenen Gesprächen, seine Suchwörter mit den Namen seiner Personen und seinem "
        "Titel und die Region seiner Suchwörter und Hilfen mit der des Falls. "
        "Endet mit Fehler, wenn es Abweichungen gibt."
    )

    def handle(self, *args, **options):
        wrong = list(cases_review_due_wrong().values_list("number", "review_due_on", "expected"))
        for number, stored, expected in wrong:
            self.stdout.write(
                f"Abweichung: Fall {number}: gespeichert {_day(stored)}, "
                f"laut offenen Gesprächen {_day(expected)}"
            )
        searched = list(cases_search_words_wrong())
        for number in searched:
            self.stdout.write(
                f"Abweichung: Fall {number}: Suchwörter nicht die der Namen und des Titels "
                "oder nicht in seiner Region"
            )
        helps = list(helps_region_wrong().values_list("pk", "case__number"))
        for pk, number in helps:
            self.stdout.write(
                f"Abweichung: Hilfe Nr. {pk} in Fall {number}: Region nicht die des Falls"
            )
        count = len(wrong) + len(searched) + len(helps)
        if count:
            raise CommandError(f"{count} Abweichung(en) gefunden.")
        self.stdout.write(
            "Keine Abweichungen: bei allen Fällen stimmen das nächste Hilfeplangespräch und "
            "die Suchwörter und die Region der Hilfen."
        )


def _day(day) -> str:
    return f"{day:%d.%m.%Y}" if day else "keines"
