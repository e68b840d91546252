from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production() -> None:
    """Demo data and accounts with a known password must never reach a production database."""
    if settings.PRODUCTION:
        raise CommandError("Dieser Befehl ist nur im Demo-Modus erlaubt (SOZIALRAUM_MODE=demo).")
