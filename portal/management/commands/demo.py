from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sozialraum.management.commands._guards import refuse_in_production

DEFAULT_PORT = 8000


class Command(BaseCommand):
    help = (
        "Startet das Portal mit der Demo-Stadt: migriert, legt Demodaten an und startet den Server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default="",
            help=f"Adresse und Port wie bei runserver, z. B. 0.0.0.0:8080 (Vorgabe: "
            f"127.0.0.1:{DEFAULT_PORT})",
        )
        parser.add_argument(
            "--port", type=int, help=f"Port auf 127.0.0.1 (Vorgabe: {DEFAULT_PORT})"
        )

    def handle(self, *args, addrport: str, port: int | None, **options):
        refuse_in_production()
        if addrport and port:
            raise CommandError("Bitte nur eines angeben: --port oder Adresse mit Port.")
        addrport = addrport or f"127.0.0.1:{port or DEFAULT_PORT}"
        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_town", stdout=self.stdout)
        self.stdout.write(f"\nDas Portal läuft unter http://{addrport}/ – beenden mit Strg+C.\n")
        call_command("runserver", addrport, use_reloader=False)
