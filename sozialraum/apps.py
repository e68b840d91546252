from django.apps import AppConfig


class SozialraumConfig(AppConfig):
    name = "sozialraum"
    verbose_name = "Sozialraum, Träger und Benutzer"

    def ready(self) -> None:
        from sozialraum import (
            figures_cache,
            lookups,  # noqa: F401  (registers IntegerIn and AnyOf)
        )

        figures_cache.connect_signals()
