from django.core.management import call_command
from django.core.management.base import BaseCommand

from sozialraum.management.commands._guards import refuse_in_production


class Command(BaseCommand):
    help = (
        "Startet das Portal mit der Demo-Stadt: migriert, legt Demodaten an und startet den Server."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        refuse_in_production()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_town", stdout=self.stdout)
        self.stdout.write(f"\nDas Portal läuft unter http://{addrport}/ – beenden mit Strg+C.\n")
        call_command("runserver", addrport, use_reloader=False)
