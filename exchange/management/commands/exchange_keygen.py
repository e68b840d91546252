"""manage.py exchange_keygen: a key pair for encrypted exports from the export page."""

from django.core.management.base import BaseCommand

from exchange.crypto import keypair_generate


class Command(BaseCommand):
    help = (
        "Erzeugt ein Schlüsselpaar für Instanzexporte: den öffentlichen Schlüssel im Portal "
        "eintragen, den privaten sicher verwahren (er wird für den Import gebraucht)."
    )

    def handle(self, *args, **options):
        public, private = keypair_generate()
        self.stdout.write(f"Öffentlicher Schlüssel (für die Exportseite): {public}")
        self.stdout.write(f"Privater Schlüssel (geheim, für den Import):  {private}")
