from django.core.management.base import BaseCommand

from sozialraum.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_town_build
from sozialraum.management.commands._guards import refuse_in_production
from sozialraum.models import Role


class Command(BaseCommand):
    help = "Baut die Demo-Stadt Lindenau (idempotent) und gibt die Demo-Konten aus."

    def handle(self, *args, **options):
        refuse_in_production()
        created = demo_town_build()
        self.stdout.write(
            "Demo-Stadt Lindenau angelegt." if created else "Demo-Stadt Lindenau ist schon da."
        )
        self.stdout.write(f"\nDemo-Konten (Passwort für alle: {DEMO_PASSWORD}):")
        for username, first_name, last_name, role, _membership in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<14} {Role(role).label:<26} {first_name} {last_name}")
