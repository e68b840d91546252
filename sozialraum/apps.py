from django.apps import AppConfig


class SozialraumConfig(AppConfig):
    name = "sozialraum"
    verbose_name = "Sozialraum, Träger und Benutzer"

    def ready(self) -> None:
        from sozialraum import lookups  # noqa: F401  (registers IntegerIn for every integer field)
