import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from sozialraum.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_town_build
from sozialraum.management.commands._guards import refuse_in_production
from sozialraum.models import Role

# Each app above the ground floor may add its part of the town in `<app>/demo.py` as
# `demo_build() -> None` (idempotent). They run in INSTALLED_APPS order, which is the order of
# the house plan: network before cases before budgets.
DEMO_HOOK = "demo_build"


def _app_demo_hooks():
    for config in apps.get_app_configs():
        if config.name == "sozialraum":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        yield config.verbose_name, getattr(module, DEMO_HOOK)


class Command(BaseCommand):
    help = "Baut die Demo-Stadt Lindenau (idempotent) und gibt die Demo-Konten aus."

    def handle(self, *args, **options):
        refuse_in_production()
        with transaction.atomic():
            created = demo_town_build()
            for label, build in _app_demo_hooks():
                build()
                self.stdout.write(f"Demo-Daten: {label} bereit.")
        self.stdout.write(
            "Demo-Stadt Lindenau angelegt." if created else "Demo-Stadt Lindenau ist schon da."
        )
        self.stdout.write(f"\nDemo-Konten (Passwort für alle: {DEMO_PASSWORD}):")
        for username, first_name, last_name, role, _membership in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<14} {Role(role).label:<26} {first_name} {last_name}")
