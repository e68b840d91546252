"""`manage.py reports_check`: what the periodic task does, by hand or from cron."""

from django.core.management.base import BaseCommand

from reports.services import reports_check


class Command(BaseCommand):
    help = (
        "Reicht wartende Berichte (z. B. nach einem Redis-Ausfall) an den Hintergrunddienst weiter "
        "und kennzeichnet hängengebliebene."
    )

    def handle(self, *args, **options) -> None:
        result = reports_check()
        self.stdout.write(
            f"{result.queued} Bericht(e) eingereiht, {result.stuck} hängengeblieben und neu "
            f"eingereiht, {result.failed} nach zu vielen Versuchen als fehlgeschlagen markiert."
        )
