import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contributions.services import claims_create_for_month


class Command(BaseCommand):
    help = (
        "Legt die Forderungen (Sollstellung) der Kostenbeiträge für einen Monat an. Mehrfach "
        "ausführbar: schon angelegte Forderungen bleiben, wie sie sind."
    )

    def add_arguments(self, parser):
        parser.add_argument("--monat", help="Monat als JJJJ-MM; ohne Angabe der laufende Monat.")

    def handle(self, *args, **options):
        if options["monat"]:
            try:
                month = datetime.datetime.strptime(options["monat"], "%Y-%m").date()
            except ValueError:
                raise CommandError("Bitte geben Sie den Monat als JJJJ-MM an.") from None
        else:
            month = timezone.localdate().replace(day=1)
        created = claims_create_for_month(month=month)
        self.stdout.write(f"{created} Forderung(en) für {month:%m/%Y} angelegt.")
